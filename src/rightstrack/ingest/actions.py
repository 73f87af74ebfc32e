"""Every write of the ingestion flow: upload and queue, run the job, review suggestions.

Users' writes check permission here; the background job trusts the run it was given (permission was
checked when the run was queued) and writes as the person who queued it.
"""

from __future__ import annotations

import datetime
import logging
import math
import re
import time
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rightstrack.core import visibility
from rightstrack.core.actions import get_visible, require_write
from rightstrack.core.audit import record_event
from rightstrack.core.errors import DomainError, InvalidInput
from rightstrack.core.models import Confidentiality
from rightstrack.evidence import actions as evidence_actions
from rightstrack.evidence import storage, text
from rightstrack.evidence.models import SourceDocument

from . import acceptors, pipeline, queries, suggest
from .detect import symbols
from .detect.speakers import SIDES
from .models import LIVE_STATUSES, IngestionRun, RunStatus, Suggestion, SuggestionKind, SuggestionStatus

log = logging.getLogger(__name__)

STAGE_VERSIONS = {**pipeline.STAGE_VERSIONS, "suggest": suggest.VERSION}


# --- Upload and queue --------------------------------------------------------------------------


def upload_for_ingestion(
    user,
    *,
    organisation_id: int,
    upload: UploadedFile,
    title: str = "",
    confidentiality: str = Confidentiality.INTERNAL,
    document_date: datetime.date | None = None,
    publisher: str = "",
    language: str = "",
    symbol: str = "",
) -> tuple[SourceDocument, IngestionRun, bool]:
    """Store the file (type and size checked first) and queue its reading. Returns (document, run, new run?).

    The same file again (same SHA-256, same organisation) gives the existing document and its run.
    """
    document, _created = evidence_actions.upload_document(
        user,
        organisation_id=organisation_id,
        upload=upload,
        title=title,
        confidentiality=confidentiality,
        document_date=document_date,
        publisher=publisher,
        language=language,
        symbol=symbol,
        read_now=False,
    )
    run, started = start_ingestion(user, document.pk)
    return document, run, started


def start_ingestion(user, document_id: Any) -> tuple[IngestionRun, bool]:
    """Queue a reading of the document unless one is queued, running or done. Returns (run, queued now?)."""
    document = get_visible(user, SourceDocument, document_id)
    require_write(user, document.organisation_id, visibility.WRITE_ROLES, document.confidentiality)
    with transaction.atomic():
        # Lock the document so two uploads of the same file cannot both queue a run.
        SourceDocument.objects.select_for_update().get(pk=document.pk)
        live = IngestionRun.objects.filter(document=document, status__in=LIVE_STATUSES).first()
        if live is not None:
            return live, False
        run = IngestionRun.objects.create(
            document=document, sha256=document.sha256, created_by=user, stage_versions=STAGE_VERSIONS
        )
        record_event(user, "ingest.queue", run, after={"document": document.pk, "sha256": document.sha256})
        transaction.on_commit(lambda: _enqueue(run.pk))
    return run, True


def _enqueue(run_id: int) -> None:
    from .tasks import ingest_document

    ingest_document.enqueue(run_id)


# --- The job -----------------------------------------------------------------------------------


#: A running job that has not reported for this long has lost its worker (stopped, killed, machine
#: restarted): reading reports after every page, and even an OCR page takes far less.
STALLED_AFTER = datetime.timedelta(minutes=15)


class _Abandoned(Exception):
    """The run stopped being this job's (marked stalled meanwhile): stop and keep nothing."""


def _set_progress(run_id: int, progress: int, stage: str) -> bool:
    """Report progress (the heartbeat stall detection watches); False when the run is no longer running."""
    # Outside any transaction, so the page polling the run sees it at once.
    return bool(
        IngestionRun.objects.filter(pk=run_id, status=RunStatus.RUNNING).update(
            progress=max(0, min(progress, 99)), stage=stage, updated_at=timezone.now()
        )
    )


class _Progress:
    """Page-by-page progress of the reading stage, written at most twice a second."""

    def __init__(self, run_id: int) -> None:
        self.run_id = run_id
        self.last = 0.0

    def __call__(self, done: int, total: int | None) -> None:
        now = time.monotonic()
        if now - self.last < 0.5:
            return
        self.last = now
        # Reading is most of the work: 5 → 75 % across the pages; unknown totals creep towards 75.
        share = done / total if total else 1 - math.exp(-done / 50)
        if not _set_progress(self.run_id, 5 + int(70 * share), "reading"):
            raise _Abandoned


def fail_stalled_runs() -> int:
    """Fail every running run whose worker stopped reporting, so its page offers to try again. Returns how many."""
    cutoff = timezone.now() - STALLED_AFTER
    stalled = IngestionRun.objects.filter(status=RunStatus.RUNNING, updated_at__lt=cutoff).select_related("document")
    # Stored in English like the pipeline's own messages; readers of other languages get errors.user_message.
    message = (
        f"The reading stopped: no progress for more than {int(STALLED_AFTER.total_seconds() // 60)} minutes "
        "(its worker was probably stopped or restarted). Try again."
    )
    return sum(_fail(run, "Stalled", message, stalled_before=cutoff) == "failed" for run in stalled)


def execute_run(run_id: int) -> str:
    """Run the pipeline for a queued run: passages, suggestions and status, or a clean failure.

    Safe to call twice (a worker retry): only a queued run is picked up. A run failed as stalled
    while this job still worked on it ends the job at its next report with nothing kept ("abandoned").
    """
    with transaction.atomic():
        run = IngestionRun.objects.select_for_update(of=("self",)).select_related("document").filter(pk=run_id).first()
        if run is None or run.status != RunStatus.QUEUED:
            return "skipped"
        run.status = RunStatus.RUNNING
        run.started_at = timezone.now()
        run.progress = 1
        run.stage = "reading"
        run.save(update_fields=["status", "started_at", "progress", "stage", "updated_at"])
    document = run.document
    path = storage.blob_path(document.sha256)
    if not path.is_file():
        return _fail(run, "message", _("The stored file is missing; upload it again."))
    try:
        extraction = text.extract(path, progress=_Progress(run.pk))
    except _Abandoned:
        return "abandoned"
    except InvalidInput as exc:
        cause = exc.__cause__
        code = type(cause).__name__ if cause is not None else "message"
        return _fail(run, code, getattr(cause, "message", exc.message))
    except Exception:  # a bug in a reader must not leave the run "running" for ever
        log.exception("ingestion run %s failed", run.pk)
        return _fail(run, "message", _("The document could not be read because of an internal error."))
    if not _set_progress(run.pk, 80, "suggesting"):
        return "abandoned"
    proposals, left_out = suggest.proposals(extraction.result, document.document_date)
    if not _set_progress(run.pk, 90, "saving"):
        return "abandoned"
    try:
        with transaction.atomic():
            # Locked: a run failed as stalled meanwhile keeps nothing of this late reading.
            if not IngestionRun.objects.select_for_update().filter(pk=run.pk, status=RunStatus.RUNNING).exists():
                raise _Abandoned
            stored = evidence_actions.store_text(run.created_by, document, extraction)
            suggestions = []
            counters: dict[str, int] = {}
            for proposal in proposals:
                position = extraction.position(proposal.passage)
                counters[proposal.kind] = counters.get(proposal.kind, 0) + 1
                suggestions.append(
                    Suggestion(
                        run=run,
                        document=document,
                        position=counters[proposal.kind],
                        kind=proposal.kind,
                        key=proposal.key,
                        data=proposal.data,
                        proposed=proposal.data,
                        passage=stored[position] if position is not None else None,
                        stage=proposal.stage,
                        stage_version=proposal.stage_version,
                        confidence=proposal.confidence,
                    )
                )
            Suggestion.objects.bulk_create(suggestions, batch_size=500)
            run.status = RunStatus.DONE
            run.progress = 100
            run.stage = ""
            run.finished_at = timezone.now()
            run.counts = {**counters, **{f"{k}_left_out": n for k, n in left_out.items()}}
            if not extraction.language:
                # Not a failure: the passages are stored, but detectors tuned for English, Russian
                # and Kazakh may have missed things, and the reviewer should know.
                run.error_code = "UnknownLanguage"
                run.message = "The language of the document could not be identified; suggestions may be incomplete."
            notes = extraction.result.get("notes") or []
            if notes and not run.error_code:
                # Read, but not all of it (pages with a garbage text layer): the reviewer must know.
                run.error_code = "PartlyUnreadable"
                run.message = " ".join(notes)[:500]
            run.pages = max((p.page or 0) for p in extraction.passages) if extraction.passages else None
            _keep_found_date(run, document, extraction.result.get("document_date"))
            _keep_own_symbol(run, document, extraction)
            run.save()
            record_event(run.created_by, "ingest.done", run, after={"suggestions": counters, "left_out": left_out})
    except _Abandoned:
        return "abandoned"
    except Exception:
        log.exception("ingestion run %s could not be saved", run.pk)
        return _fail(run, "message", _("The document was read but its passages could not be saved."))
    return "done"


def _keep_found_date(run: IngestionRun, document: SourceDocument, found: dict[str, Any] | None) -> None:
    """Note the date found in the text on the run; a document without a date takes it (to be confirmed)."""
    if not found:
        return
    try:
        date = datetime.date.fromisoformat(str(found.get("date")))
    except ValueError:
        return
    run.found_date = date
    run.found_date_kind = str(found.get("kind") or "")[:10]
    run.found_date_text = " ".join(str(found.get("text") or "").split())[:300]
    if document.document_date is None:
        SourceDocument.objects.filter(pk=document.pk, document_date__isnull=True).update(
            document_date=date, version=models.F("version") + 1
        )
        record_event(
            run.created_by,
            "document.date_found",
            document,
            before={"document_date": None},
            after={"document_date": date.isoformat(), "found": run.found_date_text},
        )


def _keep_own_symbol(run: IngestionRun, document: SourceDocument, extraction: text.Extraction) -> None:
    """A UN document opens with its own symbol on a line of its own (a summary record's "CCPR/C/SR.3150"):
    a document uploaded without a symbol takes it, so citations name it, not a heading such as the
    Committee's name, which would credit the State's words to the Committee."""
    first = extraction.passages[0].text.strip() if extraction.passages else ""
    found = symbols.find_symbols(first) if first else []
    if document.symbol or found != [first]:
        return
    SourceDocument.objects.filter(pk=document.pk, symbol="").update(symbol=first, version=models.F("version") + 1)
    record_event(run.created_by, "document.symbol_found", document, before={"symbol": ""}, after={"symbol": first})


def _fail(run: IngestionRun, code: str, message: str, *, stalled_before: datetime.datetime | None = None) -> str:
    """End the running run with a clear message on it and on the document; nothing else was written.

    Only a run still running is failed (the job and stall detection may race); with ``stalled_before``
    only one that has not reported since then. Returns "failed", or "skipped" when it was not.
    """
    with transaction.atomic():
        runs = IngestionRun.objects.filter(pk=run.pk, status=RunStatus.RUNNING)
        if stalled_before is not None:
            runs = runs.filter(updated_at__lt=stalled_before)
        now = timezone.now()
        changed = runs.update(
            status=RunStatus.FAILED,
            error_code=code[:40],
            message=message[:500],
            stage="",
            finished_at=now,
            updated_at=now,
        )
        if not changed:
            return "skipped"
        run.refresh_from_db()
        record_event(run.created_by, "ingest.failed", run, after={"error": code, "message": run.message})
        document = run.document
        if not document.passages.exists():
            # A document read earlier keeps its text; only one never read is marked unreadable.
            evidence_actions.mark_text_failed(run.created_by, document, run.user_message())
    return "failed"


# --- Review ------------------------------------------------------------------------------------

_UPR_ID = re.compile(r"^\d{1,3}\.\d{1,3}$")
_SYMBOL = re.compile(r"^[A-Z][A-Za-z0-9.\-()]*(?:/[A-Za-z0-9][A-Za-z0-9.\-()]*){2,}$")
_DATE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")
_ARTICLE = re.compile(r"^\d{1,3}(?:\.\d{1,2})*$")

#: What a reviewer may change, per kind (the other fields of ``data`` are kept as proposed).
EDITABLE: dict[str, tuple[str, ...]] = {
    SuggestionKind.RECOMMENDATION: ("text", "section", "article"),
    SuggestionKind.UPR_ID: ("upr_id",),
    SuggestionKind.SYMBOL: ("symbol",),
    SuggestionKind.FIGURE: ("value", "unit", "text", "period"),
    SuggestionKind.CLAIM: ("value", "unit", "text", "speaker", "period", "date"),
    SuggestionKind.DATE: ("date",),
}
#: Who can have said a claim: the detector's sides (see detect.speakers).
SPEAKERS = SIDES


def _clean_edits(kind: str, edits: dict[str, Any]) -> dict[str, Any]:
    """Validate a reviewer's edits; raise InvalidInput naming the field."""
    allowed = EDITABLE[kind]
    unknown = set(edits) - set(allowed)
    if unknown:
        raise InvalidInput(_("These fields cannot be changed: %s") % ", ".join(sorted(unknown)))
    out: dict[str, Any] = {}
    for name, raw in edits.items():
        if not isinstance(raw, str | int | float) or isinstance(raw, bool):
            raise InvalidInput(_("%(field)s: expected text or a number.") % {"field": name}, field=name)
        value = str(raw).strip()
        if name == "text":
            if not value:
                raise InvalidInput(_("The text cannot be empty."), field=name)
            if len(value) > 5000:
                raise InvalidInput(_("The text is too long (at most 5,000 characters)."), field=name)
            out[name] = value
        elif name == "section":
            out[name] = value[:300]
        elif name == "article":
            if value and not _ARTICLE.match(value):
                raise InvalidInput(_("An article is a number such as 14 or 2.3."), field=name)
            out[name] = value
        elif name == "upr_id":
            if not _UPR_ID.match(value):
                raise InvalidInput(_("A UPR recommendation ID looks like 139.61."), field=name)
            out[name] = value
        elif name == "symbol":
            if len(value) > 120 or not _SYMBOL.match(value):
                raise InvalidInput(_("A UN document symbol looks like CCPR/C/KAZ/CO/2."), field=name)
            out[name] = value
        elif name == "value":
            try:
                number = float(value.replace(" ", "").replace(",", "."))
            except ValueError:
                raise InvalidInput(_("The value must be a number."), field=name)
            if not math.isfinite(number):
                raise InvalidInput(_("The value must be a number."), field=name)
            out[name] = int(number) if number.is_integer() and abs(number) < 2**53 else number
        elif name == "unit":
            if len(value) > 60:
                raise InvalidInput(_("The unit is too long (at most 60 characters)."), field=name)
            out[name] = value
        elif name == "speaker":
            if value not in SPEAKERS:
                raise InvalidInput(
                    _("Choose who said it: the State, civil society, a UN body or an individual expert."), field=name
                )
            out[name] = value
        elif name == "period":
            # Read by the acceptor (claims.periods), which names what is accepted when it cannot parse it.
            if not value:
                raise InvalidInput(
                    _("Give the period the figure covers, for example 2024 or Jan–Oct 2024."), field=name
                )
            if len(value) > 60:
                raise InvalidInput(_("A period is at most 60 characters."), field=name)
            out[name] = value
        elif name == "date" and kind == SuggestionKind.CLAIM:
            out[name] = _claim_date(value).isoformat() if value else ""
        elif name == "date":
            if not _DATE.match(value) or not _valid_date(value):
                raise InvalidInput(_("A date is written 2022-01-05, 2022-01 or 2022."), field=name)
            out[name] = value
    return out


def _claim_date(value: str) -> datetime.date:
    """A day that has happened: when something was said."""
    try:
        day = datetime.date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(_("A date is written 2024-03-12."), field="date")
    if day > timezone.localdate():
        raise InvalidInput(_("The date %(date)s is in the future.") % {"date": day.isoformat()}, field="date")
    return day


def _unchanged(suggestion: Suggestion, name: str, value: Any) -> bool:
    """The form sent back what it showed: not an edit (a period or date shown as text)."""
    if name == "period":
        return value == suggestion.period_text
    if name == "date" and suggestion.kind == SuggestionKind.CLAIM:
        return value in ("", (suggestion.data or {}).get("date") or "")
    return (suggestion.data or {}).get(name) == value


def _valid_date(value: str) -> bool:
    parts = [int(p) for p in value.split("-")]
    try:
        datetime.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError:
        return False
    return True


def _reviewable(user, suggestion_id: Any) -> Suggestion:
    """The suggestion, locked, if the user may see it and write to its document."""
    suggestion = get_visible(user, Suggestion, suggestion_id)
    document = suggestion.document
    require_write(user, document.organisation_id, visibility.WRITE_ROLES, document.confidentiality)
    return (
        Suggestion.objects.select_for_update(of=("self",))
        .select_related("document", "passage", "run")
        .get(pk=suggestion.pk)
    )


def _check_pending(suggestion: Suggestion, expected_version: int | None) -> None:
    if suggestion.status != SuggestionStatus.PENDING:
        raise InvalidInput(_("This suggestion was already reviewed (%s).") % suggestion.get_status_display())
    if expected_version is not None and expected_version != suggestion.version:
        raise InvalidInput(_("Someone changed this suggestion after you opened it; reload the page."))


def _target_id(kind: str, target: Any) -> tuple[str, int] | None:
    """The (data field, chosen id) the kind's acceptor needs, or None when it needs no choice."""
    spec = acceptors.target(kind)
    if spec is None:
        return None
    raw = str(target).strip() if isinstance(target, str | int) and not isinstance(target, bool) else ""
    if not raw:
        raise InvalidInput(str(spec.missing), field="target")
    if not raw.isascii() or not raw.isdigit() or len(raw) > 18 or int(raw) == 0:
        raise InvalidInput(_("Choose one of the options offered."), field="target")
    return spec.field, int(raw)


def _accept(user, suggestion: Suggestion, edits: dict[str, Any] | None, target: Any = None) -> Suggestion:
    before = {"status": suggestion.status, "data": suggestion.data}
    changes = {k: v for k, v in _clean_edits(suggestion.kind, edits or {}).items() if not _unchanged(suggestion, k, v)}
    data = {**suggestion.data, **changes}
    suggestion.status = SuggestionStatus.EDITED if data != suggestion.data else SuggestionStatus.ACCEPTED
    chosen = _target_id(suggestion.kind, target)
    if chosen is not None:
        data[chosen[0]] = chosen[1]  # where the record goes is a choice, not an edit of what was found
    suggestion.data = data
    acceptor = acceptors.get(suggestion.kind)
    if acceptor is not None:
        record = acceptor(user, suggestion)
        if not isinstance(record, models.Model) or record.pk is None:
            raise InvalidInput(_("The record could not be created from this suggestion."))
        suggestion.record_type = ContentType.objects.get_for_model(record)
        suggestion.record_id = record.pk
    suggestion.reviewer = user
    suggestion.reviewed_at = timezone.now()
    suggestion.version += 1
    suggestion.save()
    after = {"status": suggestion.status, "data": suggestion.data}
    if suggestion.record_id:
        after["record"] = f"{suggestion.record_type.app_label}.{suggestion.record_type.model}#{suggestion.record_id}"
    record_event(user, "suggestion.accept", suggestion, before=before, after=after)
    return suggestion


def accept_suggestion(
    user,
    suggestion_id: Any,
    *,
    edits: dict[str, Any] | None = None,
    expected_version: int | None = None,
    target: Any = None,
) -> Suggestion:
    """Accept a suggestion (with the reviewer's edits, if any) and create its record through the kind's acceptor.

    ``target`` is the id of the record chosen to receive it when the acceptor asks for one
    (``acceptors.Target``); without it such a suggestion is refused. Without an acceptor for the kind
    the suggestion is kept as accepted, with no record. Anything the acceptor raises undoes the whole
    acceptance.
    """
    with transaction.atomic():
        suggestion = _reviewable(user, suggestion_id)
        _check_pending(suggestion, expected_version)
        return _accept(user, suggestion, edits, target)


def reject_suggestion(user, suggestion_id: Any, *, expected_version: int | None = None) -> Suggestion:
    """Mark a suggestion rejected; nothing is created."""
    with transaction.atomic():
        suggestion = _reviewable(user, suggestion_id)
        _check_pending(suggestion, expected_version)
        suggestion.status = SuggestionStatus.REJECTED
        suggestion.reviewer = user
        suggestion.reviewed_at = timezone.now()
        suggestion.version += 1
        suggestion.save(update_fields=["status", "reviewer", "reviewed_at", "version"])
        record_event(user, "suggestion.reject", suggestion, before={"status": "pending"}, after={"status": "rejected"})
        return suggestion


@dataclass(frozen=True)
class Refusal:
    """Why one suggestion of a batch was not accepted, and which field would fix it."""

    suggestion_id: int
    message: str
    field: str | None = None

    def __str__(self) -> str:
        return f"#{self.suggestion_id}: {self.message}"


def accept_all(user, document_id: Any, kind: str, *, target: Any = None) -> tuple[int, list[Refusal]]:
    """Accept every pending suggestion of one kind in the document's current run (into ``target``, if needed).

    Each is accepted on its own (a savepoint each): one the acceptor refuses stays pending and its
    reason is returned, the others go through. Returns (accepted count, refusals for the rest).
    """
    if kind not in SuggestionKind.values:
        raise InvalidInput(_("Unknown kind of suggestion."), field="kind")
    document = get_visible(user, SourceDocument, document_id)
    require_write(user, document.organisation_id, visibility.WRITE_ROLES, document.confidentiality)
    _target_id(kind, target)  # a missing choice refuses the whole batch, not each suggestion in turn
    run = queries.current_run(user, document)
    if run is None or run.status != RunStatus.DONE:
        raise InvalidInput(_("This document has no suggestions to review yet."))
    accepted, problems = 0, []
    pending = list(
        run.suggestions.filter(kind=kind, status=SuggestionStatus.PENDING)
        .order_by("position")
        .values_list("pk", flat=True)
    )
    with transaction.atomic():
        for pk in pending:
            try:
                with transaction.atomic():
                    suggestion = (
                        Suggestion.objects.select_for_update(of=("self",))
                        .select_related("document", "passage")
                        .get(pk=pk)
                    )
                    if suggestion.status != SuggestionStatus.PENDING:
                        continue
                    _accept(user, suggestion, None, target)
                    accepted += 1
            except DomainError as exc:
                problems.append(Refusal(pk, exc.message, exc.field))
            except IntegrityError as exc:
                problems.append(Refusal(pk, str(exc)))
    return accepted, problems


# --- Document date -----------------------------------------------------------------------------


def confirm_document_date(user, document_id: Any, value: Any, *, expected_version: int | None = None) -> bool:
    """Set (or confirm) the document's date after reading; returns False when nothing changed.

    Pending figures and claims whose period was read against the date ("this year", or the document's
    year for want of any) are read again against the confirmed one; reviewed ones keep what was accepted.
    """
    raw = value.isoformat() if isinstance(value, datetime.date) else str(value or "").strip()
    if not raw:
        raise InvalidInput(_("Give the document's date, for example 2024-03-12."), field="document_date")
    try:
        date = datetime.date.fromisoformat(raw)
    except ValueError:
        raise InvalidInput(_("A date is written 2024-03-12."), field="document_date")
    if date > timezone.localdate():
        raise InvalidInput(_("The date %(date)s is in the future.") % {"date": date.isoformat()}, field="document_date")
    document = get_visible(user, SourceDocument, document_id)
    require_write(user, document.organisation_id, visibility.WRITE_ROLES, document.confidentiality)
    with transaction.atomic():
        document = SourceDocument.objects.select_for_update().get(pk=document.pk)
        if expected_version is not None and expected_version != document.version:
            raise InvalidInput(
                _("Someone changed this document after you opened it; reload the page."), field="document_date"
            )
        run = queries.current_run(user, document)
        confirmed = run is not None and run.date_confirmed_at is not None
        if document.document_date == date and (run is None or confirmed):
            return False  # saved unchanged: nothing to write
        before = {"document_date": document.document_date.isoformat() if document.document_date else None}
        if document.document_date != date:
            document.document_date = date
            document.version += 1
            document.save(update_fields=["document_date", "version"])
        repriced = 0
        if run is not None:
            run = IngestionRun.objects.select_for_update().get(pk=run.pk)
            run.date_confirmed_by = user
            run.date_confirmed_at = timezone.now()
            run.save(update_fields=["date_confirmed_by", "date_confirmed_at", "updated_at"])
            repriced = _reread_periods(run, date)
        record_event(
            user,
            "document.date_confirm",
            document,
            before=before,
            after={"document_date": date.isoformat(), "periods_reread": repriced},
        )
    return True


def _reread_periods(run: IngestionRun, date: datetime.date) -> int:
    """Pending figures/claims whose period depends on the document's date, read again; returns how many changed."""
    changed = []
    pending = run.suggestions.filter(
        kind__in=[SuggestionKind.FIGURE, SuggestionKind.CLAIM], status=SuggestionStatus.PENDING
    ).select_for_update()
    for suggestion in pending:
        data = suggestion.data or {}
        if "period_rule" not in data:
            continue
        fresh = suggest.figure_period(data["period_rule"], date)["period"]
        if fresh != data.get("period"):
            suggestion.data = {**data, "period": fresh}
            suggestion.version += 1
            changed.append(suggestion)
    Suggestion.objects.bulk_update(changed, ["data", "version"], batch_size=500)
    return len(changed)
