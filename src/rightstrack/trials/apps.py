from django.apps import AppConfig


class TrialsConfig(AppConfig):
    name = "rightstrack.trials"
    label = "trials"
