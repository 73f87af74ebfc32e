from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "rightstrack.reports"
    label = "reports"
