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
