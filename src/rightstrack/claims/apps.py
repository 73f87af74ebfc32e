from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "rightstrack.claims"
    label = "claims"
