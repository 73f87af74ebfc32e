"""API: a document's ingestion run and its suggestions (read), and review decisions (write)."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.pagination import paginate

from rightstrack.core.errors import InvalidInput, NotFound
from rightstrack.core.paging import Paging

from . import actions, queries
from .models import Suggestion

router = Router(tags=["ingest"])


class RunOut(Schema):
    id: int
    document_id: int
    status: str
    progress: int
    stage: str
    message: str
    error_code: str
    stage_versions: dict[str, Any]
    counts: dict[str, Any]
    pages: int | None
    created_at: datetime.datetime
    finished_at: datetime.datetime | None
    # The document's (or meeting's) date found in the text; the confirmed one is the document's date.
    found_date: datetime.date | None
    found_date_kind: str
    found_date_text: str
    date_confirmed_at: datetime.datetime | None


class SuggestionOut(Schema):
    id: int
    kind: str
    status: str
    data: dict[str, Any]
    proposed: dict[str, Any]
    passage_id: int | None
    stage: str
    stage_version: str
    version: int
    record_type: str | None
    record_id: int | None

    @staticmethod
    def resolve_record_type(obj: Suggestion) -> str | None:
        return f"{obj.record_type.app_label}.{obj.record_type.model}" if obj.record_type_id else None


class ReviewIn(Schema):
    decision: str  # "accept" or "reject"
    version: int | None = None
    edits: dict[str, Any] | None = None
    # The record an accepted suggestion goes into, when its kind needs one (a recommendation's review id).
    target: int | None = None


class DocumentDateIn(Schema):
    document_date: str  # YYYY-MM-DD, not in the future
    version: int | None = None  # the document's version you read


def _run(request: HttpRequest, document_id: int):
    _document, run = queries.document_and_run(request.user, document_id)
    if run is None:
        raise NotFound(_("This document has not been read yet."))
    return run


@router.get("/documents/{document_id}/run", response=RunOut)
def get_run(request: HttpRequest, document_id: int):
    """The document's current run: poll ``status`` and ``progress`` until it is done or failed."""
    actions.fail_stalled_runs()
    return _run(request, document_id)


@router.post("/documents/{document_id}/date", response=RunOut)
def confirm_date(request: HttpRequest, document_id: int, body: DocumentDateIn):
    """Confirm or correct the document's date: claims are dated with it, periods written relative to it follow."""
    actions.confirm_document_date(request.user, document_id, body.document_date, expected_version=body.version)
    return _run(request, document_id)


@router.get("/documents/{document_id}/suggestions", response=list[SuggestionOut])
@paginate(Paging)
def list_suggestions(request: HttpRequest, document_id: int, kind: str = "", status: str = ""):
    run = _run(request, document_id)
    qs = run.suggestions.select_related("record_type").order_by("kind", "position", "pk")
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    return qs


@router.post("/suggestions/{suggestion_id}", response=SuggestionOut)
def review(request: HttpRequest, suggestion_id: int, body: ReviewIn):
    """Accept (optionally with ``edits``, into ``target`` when the kind needs one) or reject one suggestion."""
    if body.decision == "accept":
        return actions.accept_suggestion(
            request.user, suggestion_id, edits=body.edits, expected_version=body.version, target=body.target
        )
    if body.decision == "reject":
        return actions.reject_suggestion(request.user, suggestion_id, expected_version=body.version)
    raise InvalidInput(_("The decision must be “accept” or “reject”."), field="decision")
