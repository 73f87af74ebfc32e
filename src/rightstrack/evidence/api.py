"""API: source documents, passages, citations."""

from __future__ import annotations

import datetime

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from rightstrack.core import visibility
from rightstrack.core.actions import get_visible
from rightstrack.core.errors import InvalidInput, NotFound
from rightstrack.core.paging import Paging
from rightstrack.ingest.actions import upload_for_ingestion

from . import citing
from .models import Passage, SourceDocument

router = Router(tags=["evidence"])


class DocumentOut(Schema):
    id: int
    organisation_id: int
    confidentiality: str
    version: int
    title: str
    document_date: datetime.date | None
    publisher: str
    language: str
    symbol: str
    sha256: str
    size: int
    kind: str
    text_status: str


class PassageOut(Schema):
    id: int
    document_id: int
    number: int
    label: str
    text: str
    section: str
    page: int | None


@router.get("/documents", response=list[DocumentOut])
@paginate(Paging)
def list_documents(request: HttpRequest, q: str = ""):
    documents = visibility.visible(request.user, SourceDocument)
    if q:
        documents = documents.filter(title__icontains=q)
    return documents


@router.get("/documents/{document_id}", response=DocumentOut)
def get_document(request: HttpRequest, document_id: int):
    return get_visible(request.user, SourceDocument, document_id)


@router.post("/documents", response={201: DocumentOut, 200: DocumentOut})
def upload_document(
    request: HttpRequest,
    organisation_id: Form[int],
    file: File[UploadedFile],
    title: Form[str] = "",
    confidentiality: Form[str] = "internal",
):
    """Upload a file, read in the background (``text_status`` "pending" until then); the same file again returns 200."""
    document, _run, started = upload_for_ingestion(
        request.user, organisation_id=organisation_id, upload=file, title=title, confidentiality=confidentiality
    )
    return Status(201 if started else 200, document)


@router.get("/documents/{document_id}/passages", response=list[PassageOut])
@paginate(Paging)
def list_passages(request: HttpRequest, document_id: int):
    document = get_visible(request.user, SourceDocument, document_id)
    return document.passages.all()


@router.get("/passages/{passage_id}", response=PassageOut)
def get_passage(request: HttpRequest, passage_id: int):
    return get_visible(request.user, Passage, passage_id)


class CitationIn(Schema):
    """A passage named as a reader would: the document and the paragraph label it prints (27, ¶27, p. 4)."""

    document_id: int
    label: str


def cited_passages(user, passage_ids: list[int], citations: list[dict]) -> list[Passage | int]:
    """Passages for an API write: ids as before, plus document + label pairs resolved (400 when one does not)."""
    refs = [(c["document_id"], c["label"]) for c in citations]
    try:
        resolved = citing.resolve_citations(user, refs)
    except NotFound:
        raise InvalidInput(
            _("A cited document does not exist or you do not have access to it."), field="citations"
        ) from None
    except InvalidInput as exc:
        raise InvalidInput(exc.message, field="citations") from None
    return [*passage_ids, *resolved]


@router.get("/documents/{document_id}/passages/by-label", response=PassageOut)
def passage_by_label(request: HttpRequest, document_id: int, label: str):
    """The passage a document numbers ``label`` (27, ¶27, para. 12, p. 4); 400 naming the document when it has none."""
    return citing.resolve_passage(request.user, document_id, label)


def one_cited_passage(user, passage_id: int | None, citation: dict | None) -> Passage | int | None:
    """The single passage an API write cites: ``passage_id`` or a ``citation`` (document + label), not both."""
    if citation is None:
        return passage_id
    if passage_id is not None:
        raise InvalidInput(_("Give passage_id or citation, not both."), field="citation")
    passages = cited_passages(user, [], [citation])
    return passages[0]
