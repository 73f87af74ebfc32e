from django.urls import path

from . import error_views, help_views, views
from . import notification_views as alerts

urlpatterns = [
    path("", views.home, name="home"),
    path("health/", views.health, name="health"),
    path("people/", views.person_list, name="person_list"),
    path("people/new/", views.person_create, name="person_create"),
    path("people/<int:pk>/", views.person_detail, name="person_detail"),
    path("people/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("people/<int:pk>/delete/", views.person_delete, name="person_delete"),
    path("audit/", views.audit_log, name="audit_log"),
    path("trash/", views.trash, name="trash"),
    path("trash/<str:label>/<int:pk>/restore/", views.trash_restore, name="trash_restore"),
    path("trash/<str:label>/<int:pk>/purge/", views.trash_purge, name="trash_purge"),
    path("search/", error_views.search, name="go_search"),
    path("help/", help_views.index, name="help"),
    path("help/glossary/", help_views.glossary, name="help_glossary"),
    path("help/<slug:role>/", help_views.guide, name="help_guide"),
    path("alerts/", alerts.notification_list, name="notifications"),
    path("alerts/bell/", alerts.bell, name="notification_bell"),
    path("alerts/read-all/", alerts.notification_read_all, name="notification_read_all"),
    path("alerts/settings/", alerts.notification_settings, name="notification_settings"),
    path("alerts/<int:pk>/", alerts.notification_open, name="notification_open"),
    path("alerts/<int:pk>/read/", alerts.notification_read, name="notification_read"),
]
