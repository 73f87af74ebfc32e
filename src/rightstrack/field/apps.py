from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FieldConfig(AppConfig):
    """Offline field capture: the installable app's service worker, the sync endpoint, quick incident notes
    and the devices that keep answers on a phone. It sits above trials and incidents (it calls their actions)."""

    name = "rightstrack.field"
    label = "field"
    verbose_name = _("Field capture")
    nav_label = _("Field notes")
    nav_url = "field:note_list"

    def ready(self) -> None:
        from django.apps import apps

        if apps.is_installed("rightstrack.accounts"):
            from rightstrack.accounts import sections

            # After "Signed-in devices": the phones that keep data offline, each with "Wipe this device".
            sections.register("field/_devices.html", order=45)
