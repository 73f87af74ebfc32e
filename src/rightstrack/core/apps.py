from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "rightstrack.core"
    label = "core"
    verbose_name = _("Core")

    def housekeeping(self) -> None:
        """Run by `rightstrack serve` every few minutes (see core.housekeeping)."""
        from .backup import scheduled_backup

        scheduled_backup()
