from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IngestConfig(AppConfig):
    name = "rightstrack.ingest"
    label = "ingest"
    verbose_name = _("Document ingestion")
    nav_label = _("Ingest")
    nav_url = "ingest_home"

    def housekeeping(self) -> None:
        """Fail readings whose worker stopped, even when nobody opens their pages."""
        from .actions import fail_stalled_runs

        fail_stalled_runs()

    def dashboard_tiles(self, user) -> list[dict]:
        """Suggestions waiting for review in documents the user may see."""
        from django.urls import reverse

        from rightstrack.core import visibility

        from .models import Suggestion, SuggestionStatus

        if not visibility.org_ids(user):
            return []
        pending = visibility.visible(user, Suggestion).filter(status=SuggestionStatus.PENDING).count()
        return [{"label": _("suggestions to review"), "count": pending, "url": reverse("ingest_home")}]
