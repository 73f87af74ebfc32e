"""Leak-harness descriptions for ingestion routes: a restricted document's run and suggestions."""

import hashlib

from rightstrack.core.models import Confidentiality
from rightstrack.evidence.models import Passage, SourceDocument
from rightstrack.ingest.models import IngestionRun, RunStatus, Suggestion


def add_hidden(world) -> None:
    doc = SourceDocument.objects.create(
        organisation=world.org_a,
        confidentiality=Confidentiality.RESTRICTED,
        title=world.text("ingest-title"),
        publisher=world.text("ingest-publisher"),
        symbol=world.text("ingest-symbol"),
        sha256=hashlib.sha256(b"ingest-hidden").hexdigest(),
        size=10,
        kind="txt",
        original_filename=world.text("ingest-file"),
        text_error=world.text("ingest-text-error"),
    )
    passage = Passage.objects.create(
        document=doc, number=1, label="1", text=world.text("ingest-passage"), section=world.text("ingest-section")
    )
    run = IngestionRun.objects.create(
        document=doc,
        sha256=doc.sha256,
        status=RunStatus.DONE,
        progress=100,
        message=world.text("ingest-message"),
        error_code="UnknownLanguage",
        created_by=world.author,
        found_date_text=world.text("ingest-found-date"),
    )
    failed = IngestionRun.objects.create(
        document=doc, sha256=doc.sha256, status=RunStatus.FAILED, message=world.text("ingest-failure")
    )
    suggestions = {}
    for kind, data in (
        ("recommendation", {"text": world.text("rec"), "section": world.text("rec-section"), "article": "7"}),
        ("upr_id", {"upr_id": "139.61", "note": world.text("upr")}),
        ("symbol", {"symbol": world.text("symbol")}),
        ("figure", {"value": 12, "unit": world.text("unit"), "text": world.text("figure"), "period": None}),
        ("claim", {"value": 3, "unit": world.text("cunit"), "text": world.text("claim"), "speaker": "state"}),
        ("date", {"date": "2022-01-05", "end": None, "text": world.text("date")}),
    ):
        suggestions[kind] = Suggestion.objects.create(
            run=run,
            document=doc,
            kind=kind,
            key=kind,
            data=data,
            proposed=data,
            passage=passage,
            stage="test",
            stage_version=world.text("version"),
        )
    world.hidden["ingest_document"] = doc
    world.hidden["ingest_run"] = run
    world.hidden["ingest_failed_run"] = failed
    world.hidden["ingest_suggestions"] = suggestions


def _docs(w):
    return [{"pk": w.hidden["ingest_document"].pk}, {"pk": 424242}]


def _suggestions(w):
    return [{"pk": s.pk} for s in w.hidden["ingest_suggestions"].values()] + [{"pk": 424242}]


ROUTES = {
    "ingest/documents/<int:pk>/": _docs,
    "ingest/documents/<int:pk>/progress/": _docs,
    "ingest/documents/<int:pk>/start/": _docs,
    "ingest/documents/<int:pk>/accept-all/": _docs,
    "ingest/documents/<int:pk>/date/": _docs,
    "ingest/documents/<int:pk>/new-target/": _docs,
    "ingest/suggestions/<int:pk>/accept/": _suggestions,
    "ingest/suggestions/<int:pk>/reject/": _suggestions,
    "ingest/suggestions/<int:pk>/edit/": _suggestions,
    "api/ingest/documents/<document_id>/run": lambda w: [{"document_id": w.hidden["ingest_document"].pk}],
    "api/ingest/documents/<document_id>/date": lambda w: [{"document_id": w.hidden["ingest_document"].pk}],
    "api/ingest/documents/<document_id>/suggestions": lambda w: [{"document_id": w.hidden["ingest_document"].pk}],
    "api/ingest/suggestions/<suggestion_id>": lambda w: [
        {"suggestion_id": s.pk} for s in w.hidden["ingest_suggestions"].values()
    ],
}
