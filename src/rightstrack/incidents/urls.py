from django.urls import path

from . import views

app_name = "incidents"

urlpatterns = [
    path("", views.event_list, name="event_list"),
    path("new/", views.event_create, name="event_create"),
    path("record/", views.incident_record, name="incident_record"),
    path("<int:pk>/", views.event_detail, name="event_detail"),
    path("<int:pk>/edit/", views.event_edit, name="event_edit"),
    path("<int:pk>/publish/", views.event_publish, name="event_publish"),
    path("<int:pk>/delete/", views.event_delete, name="event_delete"),
    path("<int:pk>/acts/new/", views.act_create, name="act_create"),
    path("<int:pk>/interventions/new/", views.intervention_create, name="intervention_create"),
    path("<int:pk>/links/new/", views.link_create, name="link_create"),
    path("<int:pk>/cite/", views.event_cite, name="event_cite"),
    path("acts/", views.act_list, name="act_list"),
    path("acts/<int:pk>/edit/", views.act_edit, name="act_edit"),
    path("acts/<int:pk>/delete/", views.act_delete, name="act_delete"),
    path("acts/<int:pk>/perpetrators/new/", views.involvement_create, name="involvement_create"),
    path("perpetrators/<int:pk>/edit/", views.involvement_edit, name="involvement_edit"),
    path("perpetrators/<int:pk>/delete/", views.involvement_delete, name="involvement_delete"),
    path("interventions/<int:pk>/edit/", views.intervention_edit, name="intervention_edit"),
    path("interventions/<int:pk>/delete/", views.intervention_delete, name="intervention_delete"),
    path("victims/", views.victim_list, name="victim_list"),
    path("victims/new/", views.victim_create, name="victim_create"),
    path("victims/<int:pk>/", views.victim_detail, name="victim_detail"),
    path("victims/<int:pk>/consent/", views.victim_profile, name="victim_profile"),
    path("groups/", views.group_list, name="group_list"),
    path("groups/new/", views.group_create, name="group_create"),
    path("statistics/", views.statistics, name="statistics"),
    path("export.json", views.export_json, name="export_json"),
    path("import/", views.import_upload, name="import_upload"),
    path("import/<int:pk>/", views.import_preview, name="import_preview"),
]
