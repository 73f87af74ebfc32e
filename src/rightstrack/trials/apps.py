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

        # What the user has to do (hearings, drafts, reviews) is on the home page's sections, not in a tile.
        return [{"label": _("trial cases"), "count": queries.cases(user).count(), "url": reverse("trials:home")}]

    def home_sections(self, user) -> list[dict]:
        """A monitor's next hearings and unfinished observations; a reviewer's observations to review."""
        from django.urls import reverse

        from rightstrack.core import visibility

        from . import queries
        from .models import Observation, ObservationStatus

        sections = []
        upcoming = queries.upcoming_for(user)
        sections.append(
            {
                "order": 10,
                "title": _("Your next hearings"),
                "count": upcoming.count(),
                "url": reverse("trials:my_hearings"),
                "items": [
                    {
                        "label": f"{a.hearing.date:%Y-%m-%d} · {a.case.number} · {a.case.court}",
                        "url": reverse("trials:hearing_detail", args=[a.hearing_id]),
                    }
                    for a in upcoming[:5]
                ],
            }
        )
        unfinished = (
            visibility.visible(user, Observation)
            .filter(monitor=user, status__in=[ObservationStatus.DRAFT, ObservationStatus.RETURNED])
            .select_related("hearing", "case")
            .order_by("-status", "hearing__date")
        )
        sections.append(
            {
                "order": 11,
                "title": _("Your observations to finish"),
                "count": unfinished.count(),
                "url": reverse("trials:my_hearings"),
                "items": [
                    {
                        "label": f"{o.hearing.date:%Y-%m-%d} · {o.case.number}",
                        "url": reverse("trials:observation", args=[o.pk]),
                        "meta": _("returned: see the comment")
                        if o.status == ObservationStatus.RETURNED
                        else _("draft"),
                    }
                    for o in unfinished[:5]
                ],
            }
        )
        if queries.can_review_any(user):
            queue = queries.review_queue(user)
            sections.append(
                {
                    "order": 20,
                    "title": _("Observations to review"),
                    "count": queue.count(),
                    "url": reverse("trials:review_queue"),
                    "items": [
                        {
                            "label": f"{o.hearing.date:%Y-%m-%d} · {o.case.number}",
                            "url": reverse("trials:observation", args=[o.pk]),
                            "meta": o.monitor.get_full_name() or o.monitor.get_username(),
                        }
                        for o in queue[:5]
                    ],
                }
            )
        return sections
