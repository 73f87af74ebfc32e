"""Reads of runs and suggestions, always through the visibility filter."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from rightstrack.core import visibility
from rightstrack.core.actions import get_visible
from rightstrack.evidence.models import SourceDocument

from .models import LIVE_STATUSES, IngestionRun, Suggestion, SuggestionKind, SuggestionStatus


def current_run(user, document: SourceDocument) -> IngestionRun | None:
    """The document's live run (queued, running or done), else its latest failed one."""
    runs = visibility.visible(user, IngestionRun).filter(document=document)
    return runs.filter(status__in=LIVE_STATUSES).first() or runs.order_by("-created_at", "-pk").first()


def document_and_run(user, document_id: Any) -> tuple[SourceDocument, IngestionRun | None]:
    """A document the user may see (else NotFound) and its current run."""
    document = get_visible(user, SourceDocument, document_id)
    return document, current_run(user, document)


def recent_runs(user) -> QuerySet[IngestionRun]:
    """Runs of documents the user may see, newest first, with pending-suggestion counts."""
    return (
        visibility.visible(user, IngestionRun)
        .select_related("document")
        .annotate(pending=Count("suggestions", filter=Q(suggestions__status=SuggestionStatus.PENDING)))
        .order_by("-created_at", "-pk")
    )


def kind_counts(run: IngestionRun) -> list[dict[str, Any]]:
    """Per kind: label, total and pending suggestions, in the order of SuggestionKind."""
    rows = {
        row["kind"]: row
        for row in run.suggestions.values("kind").annotate(
            total=Count("pk"), pending=Count("pk", filter=Q(status=SuggestionStatus.PENDING))
        )
    }
    return [
        {"kind": kind, "label": label, "total": rows[kind]["total"], "pending": rows[kind]["pending"]}
        for kind, label in SuggestionKind.choices
        if kind in rows
    ]


def symbols_of(run: IngestionRun) -> list[str]:
    """UN document symbols found in the run's document, in document order (rejected ones left out)."""
    rows = (
        run.suggestions.filter(kind=SuggestionKind.SYMBOL)
        .exclude(status=SuggestionStatus.REJECTED)
        .order_by("position", "pk")
        .values_list("data", flat=True)
    )
    return [str(data["symbol"]) for data in rows if isinstance(data, dict) and data.get("symbol")]


def suggestions_of(run: IngestionRun, kind: str, status: str = "") -> QuerySet[Suggestion]:
    """One kind's suggestions in document order, with their passages (the run is already visible)."""
    qs = run.suggestions.filter(kind=kind).select_related("passage", "reviewer", "record_type")
    if status in SuggestionStatus.values:
        qs = qs.filter(status=status)
    return qs.order_by("position", "pk")


def visible_suggestion(user, suggestion_id: Any) -> Suggestion:
    """One suggestion the user may see (its document is visible), else NotFound."""
    return get_visible(user, Suggestion, suggestion_id)
