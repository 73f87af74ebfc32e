from django.urls import path

from . import views

app_name = "field"

urlpatterns = [
    path("sw.js", views.service_worker, name="service_worker"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("offline/", views.offline_page, name="offline"),
    path("sync/", views.sync, name="sync"),
    path("wiped/", views.wiped, name="wiped"),
    path("devices/", views.devices, name="devices"),
    path("devices/<int:pk>/wipe/", views.device_wipe, name="device_wipe"),
    path("note/", views.note_new, name="note_new"),
    path("notes/", views.note_list, name="note_list"),
    path("notes/<int:pk>/", views.note_detail, name="note_detail"),
    path("notes/<int:pk>/complete/", views.note_complete, name="note_complete"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("photos/<int:pk>/", views.photo_download, name="photo"),
]
