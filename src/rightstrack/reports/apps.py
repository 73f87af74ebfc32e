from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "rightstrack.reports"
    label = "reports"
    verbose_name = _("Reports")
    nav_label = _("Reports")
    nav_url = "reports:list"

    def ready(self) -> None:
        from rightstrack.core import views

        for label in ("reports.ReportDefinition", "reports.Publication"):
            if label not in views.TRASH_MODELS:
                views.TRASH_MODELS.append(label)

    def home_sections(self, user) -> list[dict]:
        """The newest reports the user may read: first on a viewer's home (what was shared with them)."""
        from django.urls import reverse

        from rightstrack.core import home, visibility

        from .models import ReportDefinition

        reports = visibility.visible(user, ReportDefinition).order_by("-updated_at", "-pk")
        return [
            {
                "order": home.reading_order(user),
                "title": _("Reports shared with you"),
                "count": reports.count(),
                "url": reverse("reports:list"),
                "items": [
                    {
                        "label": r.title,
                        "url": reverse("reports:detail", args=[r.pk]),
                        "meta": f"{r.updated_at:%Y-%m-%d}",
                    }
                    for r in reports[:5]
                ],
            }
        ]

    def dashboard_tiles(self, user) -> list[dict]:
        """Reports the user may see, and how many are on the public portal."""
        from django.urls import reverse

        from rightstrack.core import visibility

        from .models import Publication, ReportDefinition

        return [
            {
                "label": _("reports"),
                "count": visibility.visible(user, ReportDefinition).count(),
                "url": reverse("reports:list"),
            },
            {
                "label": _("published reports"),
                "count": visibility.visible(user, Publication).count(),
                "url": reverse("portal:home"),
            },
        ]
