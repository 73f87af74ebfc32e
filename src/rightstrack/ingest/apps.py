from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext


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

    def home_sections(self, user) -> list[dict]:
        """Documents with suggestions waiting, for analysts and coordinators of the documents' organisations."""
        from django.db.models import Count
        from django.urls import reverse

        from rightstrack.core import visibility

        from .models import Suggestion, SuggestionStatus

        # Reviewing suggestions is the analysts' and coordinators' work: a monitor or a viewer is not counted in.
        orgs = visibility.org_ids(user, roles=visibility.ANALYSE_ROLES)
        if not orgs:
            return []
        pending = visibility.visible(user, Suggestion).filter(
            status=SuggestionStatus.PENDING, document__organisation_id__in=orgs
        )
        by_document = (
            pending.values("document_id", "document__title").annotate(n=Count("id")).order_by("-n", "document_id")[:5]
        )
        return [
            {
                "order": 30,
                "title": _("Suggestions to review"),
                "count": pending.count(),
                "url": reverse("ingest_home"),
                "items": [
                    {
                        "label": row["document__title"],
                        "url": reverse("ingest_document", args=[row["document_id"]]),
                        "meta": ngettext("%(n)d suggestion", "%(n)d suggestions", row["n"]) % {"n": row["n"]},
                    }
                    for row in by_document
                ],
            }
        ]
