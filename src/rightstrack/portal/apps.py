from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "rightstrack.portal"
    label = "portal"
