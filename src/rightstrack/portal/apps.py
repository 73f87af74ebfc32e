from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "rightstrack.portal"
    label = "portal"
    verbose_name = _("Public portal")
    nav_label = _("Public portal")
    nav_url = "portal:home"
