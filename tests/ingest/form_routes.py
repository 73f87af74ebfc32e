"""Form round-trip descriptions for ingestion routes (see tests/form_harness.py)."""

import datetime

from django.utils import timezone

from rightstrack.evidence.models import SourceDocument
from rightstrack.ingest.models import IngestionRun, Suggestion, SuggestionStatus

from ..form_harness import create, edit


def _read_document(w):
    """The demo's read document, with a date already confirmed (the demo's summary names none)."""
    document = w.first(SourceDocument, ingestion_runs__isnull=False)
    SourceDocument.objects.filter(pk=document.pk).update(document_date=datetime.date(2024, 3, 12))
    IngestionRun.objects.filter(document=document).update(date_confirmed_at=timezone.now(), date_confirmed_by=w.user)
    return document


ROUTES = {
    "ingest/upload/": create(),
    # The document's date is confirmed on the review page; confirming the date it shows changes nothing.
    "ingest/documents/<int:pk>/date/": edit(
        _read_document, page=lambda doc: f"/ingest/documents/{doc.pk}/", field="document_date"
    ),
    # Editing a suggestion ends in accepting it (a new record): only the rendering is checked.
    "ingest/suggestions/<int:pk>/edit/": create(
        lambda w: {"pk": w.first(Suggestion, status=SuggestionStatus.PENDING).pk},
        posts_to=lambda kw: f"/ingest/suggestions/{kw['pk']}/accept/",
        field="text",
    ),
}
