"""Writes for source documents and citations."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.utils.translation import gettext as _

from rightstrack.core import visibility
from rightstrack.core.actions import create_record, get_visible, require_write
from rightstrack.core.audit import record_event
from rightstrack.core.errors import InvalidInput
from rightstrack.core.models import Confidentiality

from . import search, storage, text
from .models import Citation, Passage, SourceDocument, TextStatus


def upload_document(
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
    is_synthetic: bool = False,
    read_now: bool = True,
) -> tuple[SourceDocument, bool]:
    """Check, store and split an uploaded file. Returns (document, created).

    Nothing is written unless every check passes. The same file uploaded again by the same
    organisation returns the existing document. With ``read_now=False`` the text is left for a
    background job (rightstrack.ingest): the document is stored with text status "pending".
    """
    require_write(user, organisation_id, visibility.WRITE_ROLES, confidentiality)
    filename = storage.safe_filename(upload.name or "")
    storage.check_size(upload.size or 0)
    tmp, sha256, size = storage.spool(upload)
    try:
        with tmp.open("rb") as handle:
            head = handle.read(8192)
        kind = storage.sniff(head, tmp, filename)
        existing = SourceDocument.objects.filter(organisation_id=organisation_id, sha256=sha256).first()
        if existing is not None:
            tmp.unlink()
            if existing.deleted_at is not None:
                raise InvalidInput(_("This file was uploaded before and is in the trash; restore it there."))
            return get_visible(user, SourceDocument, existing.pk), False
        extraction = text.extract(tmp) if read_now else None
        with transaction.atomic():
            document = create_record(
                user,
                SourceDocument,
                organisation=organisation_id,
                verb="document.upload",
                title=title.strip()
                or (text.tidy_heading(extraction.title)[:500] if extraction and extraction.title else filename),
                confidentiality=confidentiality,
                document_date=document_date,
                publisher=publisher,
                language=language or (extraction.language if extraction else ""),
                symbol=symbol,
                sha256=sha256,
                size=size,
                kind=kind,
                original_filename=filename,
                text_status=TextStatus.READY if extraction else TextStatus.PENDING,
                is_synthetic=is_synthetic,
            )
            if extraction is not None:
                _create_passages(document, extraction.passages)
            storage.keep(tmp, sha256)
    finally:
        if tmp.exists():
            tmp.unlink()
    return document, True


def _create_passages(document: SourceDocument, passages: list[text.PassageText]) -> list[Passage]:
    created = Passage.objects.bulk_create(
        [
            Passage(
                document=document,
                number=p.number,
                label=p.label,
                text=p.text,
                page=p.page,
                section=p.section,
                language=p.language,
                is_heading=p.is_heading,
                label_source=p.label_source,
            )
            for p in passages
        ],
        batch_size=500,
    )
    # Searchable at once, in the transaction that stores them (full text, in the passage's language).
    search.index(created if all(p.pk for p in created) else document.passages.all())
    return created


def store_text(actor, document: SourceDocument, extraction: text.Extraction) -> list[Passage | None]:
    """Record a background reading of the document's file (called by rightstrack.ingest's job).

    Writes the passages unless the document already has them, in which case the existing ones are
    matched (same text) so citations keep pointing where they did. Returns, for each passage of
    ``extraction`` in order, the stored Passage (None where an old passage no longer matches).
    Runs in the caller's transaction; the caller checked permission when it queued the job.
    """
    with transaction.atomic():
        document = SourceDocument.objects.select_for_update().get(pk=document.pk)
        existing = list(document.passages.order_by("number"))
        if existing:
            if [p.text for p in existing] == [p.text for p in extraction.passages]:
                stored: list[Passage | None] = list(existing)
            else:
                by_text: dict[str, Passage] = {}
                for p in existing:
                    by_text.setdefault(p.text, p)
                stored = [by_text.get(p.text) for p in extraction.passages]
        else:
            stored = list(_create_passages(document, extraction.passages))
            if any(p.pk is None for p in stored):  # backends that cannot return ids from bulk inserts
                stored = list(document.passages.order_by("number"))
        before = {"text_status": document.text_status, "language": document.language, "title": document.title}
        document.text_status = TextStatus.READY
        document.text_error = ""
        if not document.language and extraction.language:
            document.language = extraction.language
        if document.title == document.original_filename and extraction.title:
            # The uploader gave no title: use the document's own, an all-capitals heading tidied, since
            # every citation of the document prints it.
            document.title = text.tidy_heading(extraction.title)[:500]
        document.save(update_fields=["text_status", "text_error", "language", "title", "updated_at"])
        record_event(
            actor,
            "document.text",
            document,
            before=before,
            after={
                "text_status": document.text_status,
                "language": document.language,
                "title": document.title,
                "passages": len(stored) if not existing else len(existing),
            },
        )
    return stored


def mark_text_failed(actor, document: SourceDocument, message: str) -> None:
    """Record that the document's file could not be read, with the reason shown on the document."""
    with transaction.atomic():
        document = SourceDocument.objects.select_for_update().get(pk=document.pk)
        before = {"text_status": document.text_status, "text_error": document.text_error}
        document.text_status = TextStatus.FAILED
        document.text_error = message[:500]
        document.save(update_fields=["text_status", "text_error", "updated_at"])
        record_event(actor, "document.text_failed", document, before=before, after={"text_error": document.text_error})


@transaction.atomic
def cite(user, record: models.Model, passage: Passage, *, quote: str = "", note: str = "") -> Citation:
    """Link a record the user may edit to a passage the user may see."""
    passage = get_visible(user, Passage, passage.pk)
    owner = visibility.owner_of(record)  # child records (VISIBILITY_VIA) are owned by their parent
    require_write(user, owner.organisation_id, visibility.WRITE_ROLES, owner.confidentiality)
    citation, created = Citation.objects.get_or_create(
        passage=passage,
        content_type=ContentType.objects.get_for_model(record),
        object_id=record.pk,
        defaults={"quote": quote, "note": note},
    )
    if created:
        record_event(user, "citation.add", record, after={"passage": passage.pk, "quote": quote, "note": note})
    return citation


def citing_records(user, passage: Passage) -> list[dict[str, Any]]:
    """What cites this passage, limited to records the user may see."""
    out = []
    by_type: dict[int, list[Citation]] = {}
    for citation in passage.citations.select_related("content_type"):
        by_type.setdefault(citation.content_type_id, []).append(citation)
    for citations in by_type.values():
        model = citations[0].content_type.model_class()
        if model is None:
            continue
        seen = visibility.visible(user, model).in_bulk([c.object_id for c in citations])
        for c in citations:
            if c.object_id in seen:
                out.append({"citation": c, "record": seen[c.object_id], "kind": model._meta.verbose_name})
    return out
