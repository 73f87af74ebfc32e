"""API: source documents, passages, citations."""

from __future__ import annotations

import datetime

from django.http import HttpRequest
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from rightstrack.core import visibility
from rightstrack.core.actions import get_visible
from rightstrack.core.paging import Paging
from rightstrack.ingest.actions import upload_for_ingestion

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
