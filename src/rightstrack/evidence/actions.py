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

from . import storage, text
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
) -> tuple[SourceDocument, bool]:
    """Check, store and split an uploaded file. Returns (document, created).

    Nothing is written unless every check passes. The same file uploaded again by the same
    organisation returns the existing document.
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
        passages = text.split_passages(text.read_pages(tmp, kind))
        with transaction.atomic():
            document = create_record(
                user,
                SourceDocument,
                organisation=organisation_id,
                verb="document.upload",
                title=title.strip() or filename,
                confidentiality=confidentiality,
                document_date=document_date,
                publisher=publisher,
                language=language,
                symbol=symbol,
                sha256=sha256,
                size=size,
                kind=kind,
                original_filename=filename,
                text_status=TextStatus.READY,
                is_synthetic=is_synthetic,
            )
            Passage.objects.bulk_create(
                Passage(document=document, number=p.number, label=p.label, text=p.text, page=p.page, section=p.section)
                for p in passages
            )
            storage.keep(tmp, sha256)
    finally:
        if tmp.exists():
            tmp.unlink()
    return document, True


@transaction.atomic
def cite(user, record: models.Model, passage: Passage, *, quote: str = "", note: str = "") -> Citation:
    """Link a record the user may edit to a passage the user may see."""
    passage = get_visible(user, Passage, passage.pk)
    require_write(user, record.organisation_id, visibility.WRITE_ROLES, record.confidentiality)
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
