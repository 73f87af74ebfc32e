from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="ingest_home"),
    path("upload/", views.upload, name="ingest_upload"),
    path("documents/<int:pk>/", views.document, name="ingest_document"),
    path("documents/<int:pk>/progress/", views.progress, name="ingest_progress"),
    path("documents/<int:pk>/start/", views.start, name="ingest_start"),
    path("documents/<int:pk>/date/", views.document_date, name="ingest_document_date"),
    path("documents/<int:pk>/accept-all/", views.accept_all, name="ingest_accept_all"),
    path("documents/<int:pk>/new-target/", views.new_target, name="ingest_new_target"),
    path("suggestions/<int:pk>/accept/", views.accept, name="ingest_accept"),
    path("suggestions/<int:pk>/reject/", views.reject, name="ingest_reject"),
    path("suggestions/<int:pk>/edit/", views.edit, name="ingest_edit"),
]
