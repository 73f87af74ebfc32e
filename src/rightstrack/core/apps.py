from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "rightstrack.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from . import datadir, limits

        limits.connect()
        from django.urls import reverse

        from . import links

        links.register("core.Person", lambda p: reverse("person_detail", args=[p.pk]))
        post_migrate.connect(datadir.after_migrate, dispatch_uid="rightstrack.datadir")

    def housekeeping(self) -> None:
        """Run by `rightstrack serve` every few minutes (see core.housekeeping)."""
        from .backup import scheduled_backup

        scheduled_backup()
