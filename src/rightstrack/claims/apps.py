from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClaimsConfig(AppConfig):
    name = "rightstrack.claims"
    label = "claims"
    verbose_name = _("Claims and indicators")
    nav_label = _("Claims")
    nav_url = "claims:claim_list"

    def ready(self) -> None:
        from django.urls import reverse

        from rightstrack.core import links
        from rightstrack.core import views as core_views

        links.register("claims.Claim", lambda c: reverse("claims:claim_detail", args=[c.pk]))

        from . import actions

        for label in ("claims.Claim", "claims.Indicator", "claims.DataPoint"):
            if label not in core_views.TRASH_MODELS:
                core_views.TRASH_MODELS.append(label)
        actions.register_acceptors()

    def home_sections(self, user) -> list[dict]:
        """Claims of the user's organisations still without a reviewed verdict, for analysts and coordinators."""
        from django.urls import reverse

        from rightstrack.core import visibility

        from . import queries

        orgs = visibility.org_ids(user, roles=visibility.ANALYSE_ROLES)
        if not orgs:
            return []
        waiting = queries.without_reviewed_verdict(queries.claims(user).filter(organisation_id__in=orgs))
        return [
            {
                "order": 40,
                "title": _("Claims waiting for a verdict"),
                "count": waiting.count(),
                "url": reverse("claims:claim_list") + "?verdict=none",
                "items": [{"label": str(c), "url": reverse("claims:claim_detail", args=[c.pk])} for c in waiting[:5]],
            }
        ]

    def dashboard_tiles(self, user) -> list[dict]:
        """Tiles for the dashboard: claims and indicators the user can see, claims awaiting a verdict."""
        from django.urls import reverse

        from . import queries

        claims = queries.claims(user)
        return [
            {"label": _("claims"), "count": claims.count(), "url": reverse("claims:claim_list")},
            {
                "label": _("indicators"),
                "count": queries.indicators(user).count(),
                "url": reverse("claims:indicator_list"),
            },
        ]
