from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    name = "rightstrack.incidents"
    label = "incidents"
