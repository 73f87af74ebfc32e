from importlib.util import find_spec

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecommendationsConfig(AppConfig):
    name = "rightstrack.recommendations"
    label = "recommendations"
    verbose_name = _("Recommendations")
    nav_label = _("Recommendations")
    nav_url = "recommendation_list"

    def ready(self) -> None:
        from django.urls import reverse

        from rightstrack.core import links
        from rightstrack.core.views import TRASH_MODELS

        links.register("recommendations.Recommendation", lambda r: reverse("recommendation_detail", args=[r.pk]))
        links.register("recommendations.Review", lambda r: reverse("review_detail", args=[r.pk]))
        links.register(
            "recommendations.Assessment", lambda a: reverse("recommendation_detail", args=[a.recommendation_id])
        )

        for label in (
            "recommendations.Recommendation",
            "recommendations.Review",
            "recommendations.Assessment",
            "recommendations.ComplaintView",
            "recommendations.NapItem",
        ):
            if label not in TRASH_MODELS:
                TRASH_MODELS.append(label)
        # The ingest app may not be there yet: register the acceptor only when its registry exists.
        if find_spec("rightstrack.ingest.acceptors") is not None:
            from rightstrack.ingest import acceptors

            from .acceptors import accept_recommendation

            acceptors.register(
                acceptors.RECOMMENDATION if hasattr(acceptors, "RECOMMENDATION") else "recommendation",
                accept_recommendation,
            )

    def housekeeping(self) -> None:
        """Run by `rightstrack serve` every few minutes: alerts for deadlines coming up (each sent once)."""
        from .deadlines import alert_upcoming

        alert_upcoming()

    def home_sections(self, user) -> list[dict]:
        """Reporting deadlines and follow-up dates in the next 90 days, for those who follow them up."""
        from django.urls import reverse

        from rightstrack.core import visibility

        from .deadlines import upcoming

        if not visibility.org_ids(user, roles=visibility.ANALYSE_ROLES):
            return []
        ahead = upcoming(user, days=90)
        return [
            {
                "order": 22,
                "title": _("Deadlines in the next 90 days"),
                "count": len(ahead),
                "url": reverse("review_list"),
                "items": [{"label": d.title(), "url": d.url} for d in ahead[:5]],
            }
        ]

    def dashboard_tiles(self, user) -> list[dict]:
        """Tiles for the home dashboard: recommendations and assessments the user can see."""
        from django.urls import reverse

        from rightstrack.core import visibility

        from .models import Assessment, Recommendation

        return [
            {
                "label": _("recommendations"),
                "count": visibility.visible(user, Recommendation).count(),
                "url": reverse("recommendation_list"),
            },
            {
                "label": _("assessments"),
                "count": visibility.visible(user, Assessment).count(),
                "url": reverse("recommendation_dashboard"),
            },
        ]
