from django.urls import path

from . import views

urlpatterns = [
    path("", views.document_list, name="document_list"),
    path("upload/", views.document_upload, name="document_upload"),
    path("<int:pk>/", views.document_detail, name="document_detail"),
    path("<int:pk>/edit/", views.document_edit, name="document_edit"),
    path("<int:pk>/delete/", views.document_delete, name="document_delete"),
    path("passages/preview/", views.passage_preview, name="passage_preview"),
    path("passages/<int:pk>/", views.passage_detail, name="passage_detail"),
]
