from __future__ import annotations

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _load_checklist(sender, using: str = "default", **kwargs) -> None:
    """Install the packaged fair-trial checklist after migrations (and after test databases are flushed)."""
    from django.db import connections

    from .checklists import load_default
    from .models import Checklist

    if "trials_checklist" not in connections[using].introspection.table_names():
        return
    if not Checklist.objects.using(using).exists():
        load_default()


class TrialsConfig(AppConfig):
    name = "rightstrack.trials"
    label = "trials"
    verbose_name = _("Trial monitoring")
    nav_label = _("Trials")
    nav_url = "trials:home"

    def ready(self) -> None:
        from django.urls import reverse

        from rightstrack.core import links
        from rightstrack.core import views as core_views

        links.register("trials.Case", lambda c: reverse("trials:case_detail", args=[c.pk]))
        for label in ("trials.Court", "trials.Case"):
            if label not in core_views.TRASH_MODELS:
                core_views.TRASH_MODELS.append(label)
        post_migrate.connect(_load_checklist, sender=self, dispatch_uid="trials-load-checklist")

    def dashboard_tiles(self, user) -> list[dict]:
        """Cases the user can see, their upcoming assigned hearings, observations waiting for review."""
        from django.urls import reverse

        from . import queries

        tiles = [
            {"label": _("trial cases"), "count": queries.cases(user).count(), "url": reverse("trials:home")},
            {
                "label": _("my upcoming hearings"),
                "count": queries.upcoming_for(user).count(),
                "url": reverse("trials:my_hearings"),
            },
        ]
        if queries.can_review_any(user):
            tiles.append(
                {
                    "label": _("observations to review"),
                    "count": queries.review_queue(user).count(),
                    "url": reverse("trials:review_queue"),
                }
            )
        return tiles
