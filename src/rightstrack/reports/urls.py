from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.report_list, name="list"),
    path("new/", views.report_create, name="create"),
    path("<int:pk>/", views.report_detail, name="detail"),
    path("<int:pk>/edit/", views.report_edit, name="edit"),
    path("<int:pk>/progress/", views.report_progress, name="progress"),
    path("<int:pk>/build/", views.report_build, name="build"),
    path("<int:pk>/download/<str:fmt>/", views.report_download, name="download"),
    path("<int:pk>/add/", views.paragraph_add, name="paragraph_add"),
    path("<int:pk>/blocks/<int:block_pk>/edit/", views.block_edit, name="block_edit"),
    path("<int:pk>/blocks/<int:block_pk>/move/", views.block_move, name="block_move"),
    path("<int:pk>/blocks/<int:block_pk>/revert/", views.block_revert, name="block_revert"),
    path("<int:pk>/blocks/<int:block_pk>/delete/", views.block_delete, name="block_delete"),
    path("<int:pk>/publish/", views.report_publish, name="publish"),
    path("<int:pk>/withdraw/", views.report_withdraw, name="withdraw"),
]
