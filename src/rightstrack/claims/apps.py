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

    def dashboard_tiles(self, user) -> list[dict]:
        """Tiles for the dashboard: claims and indicators the user can see, claims awaiting a verdict."""
        from django.urls import reverse

        from . import queries

        claims = queries.claims(user)
        return [
            {"label": _("claims"), "count": claims.count(), "url": reverse("claims:claim_list")},
            {
                "label": _("claims without a reviewed verdict"),
                "count": queries.without_reviewed_verdict(claims).count(),
                "url": reverse("claims:claim_list") + "?verdict=none",
            },
            {
                "label": _("indicators"),
                "count": queries.indicators(user).count(),
                "url": reverse("claims:indicator_list"),
            },
        ]
