from django.urls import path

from . import views

urlpatterns = [
    path("", views.recommendation_list, name="recommendation_list"),
    path("export/", views.recommendation_export, name="recommendation_export"),
    path("matrix/", views.matrix_export, name="recommendation_matrix"),
    path("dashboard/", views.dashboard, name="recommendation_dashboard"),
    path("<int:pk>/", views.recommendation_detail, name="recommendation_detail"),
    path("<int:pk>/assess/", views.recommendation_assess, name="recommendation_assess"),
    path("<int:pk>/classify/", views.recommendation_classify, name="recommendation_classify"),
    path("<int:pk>/edit/", views.recommendation_edit, name="recommendation_edit"),
    path("<int:pk>/delete/", views.recommendation_delete, name="recommendation_delete"),
    path("reviews/", views.review_list, name="review_list"),
    path("reviews/<int:pk>/", views.review_detail, name="review_detail"),
    path("reviews/<int:pk>/add/", views.review_add, name="review_add"),
    path("reviews/<int:pk>/assess/", views.review_assess, name="review_assess"),
    path("import/", views.import_start, name="import_start"),
    path("import/<int:pk>/", views.import_detail, name="import_detail"),
    path("import/<int:pk>/confirm/", views.import_confirm, name="import_confirm"),
    path("import/<int:pk>/progress/", views.import_progress, name="import_progress"),
    path("groups/", views.group_list, name="group_list"),
    path("groups/compute/", views.group_compute, name="group_compute"),
    path("groups/<int:pk>/", views.group_detail, name="group_detail"),
    path("groups/<int:pk>/confirm/", views.group_confirm, name="group_confirm"),
    path("groups/<int:pk>/split/", views.group_split, name="group_split"),
    path("groups/<int:pk>/merge/", views.group_merge, name="group_merge"),
    path("views/", views.view_list, name="view_list"),
    path("action-plan/", views.nap_list, name="nap_list"),
]
