"""Bad files through the upload page: refused at once, or the job ends cleanly with a clear message.

Either way nothing is half-created: no passages, no suggestions, and (for refusals) no document.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from rightstrack.core.models import AuditEvent
from rightstrack.evidence.models import Passage, SourceDocument
from rightstrack.ingest import readers
from rightstrack.ingest.models import IngestionRun, RunStatus, Suggestion


@pytest.fixture
def client(coordinator_a) -> Client:
    client = Client()
    client.force_login(coordinator_a)
    return client


def upload(client: Client, org, name: str, content: bytes, capture):
    data = {"organisation": org.pk, "confidentiality": "internal", "file": SimpleUploadedFile(name, content)}
    with capture(execute=True):
        return client.post("/ingest/upload/", data)


def files_written(settings) -> list[Path]:
    root = Path(settings.FILES_DIR)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def pdf_bytes(pages: int = 1, encrypt: bool = False) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=72, height=72)
    if encrypt:
        writer.encrypt("secret")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def scanned_pdf(tmp_path: Path) -> bytes:
    pytest.importorskip("fpdf")
    from fpdf import FPDF
    from PIL import Image

    image = tmp_path / "scan.png"
    Image.new("RGB", (200, 100), "white").save(image)
    pdf = FPDF()
    pdf.add_page()
    pdf.image(str(image), x=10, y=10, w=100)
    return bytes(pdf.output())


def docx_with_broken_xml() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document><unclosed")
    return out.getvalue()


def zip_bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"<w/>")
        archive.writestr("padding.bin", b"\x00" * (50 * 1024 * 1024))
    return out.getvalue()


# Refused before anything is stored: the page says why, with a 4xx status.
@pytest.mark.parametrize(
    "name,content,message",
    [
        ("empty.txt", b"", "empty"),
        ("junk.txt", bytes(range(256)) * 40, "binary data"),
        ("junk2.txt", b"\xff\xfe\xfd\x80\x81" * 500, "UTF-8"),
        ("bomb.docx", None, "unreasonable size"),
        ("program.pdf", b"MZ\x90\x00" + b"\x00" * 100, "program"),
    ],
)
def test_refused_at_upload(client, org_a, settings, capture, name, content, message):
    response = upload(client, org_a, name, zip_bomb() if content is None else content, capture)
    assert response.status_code == 400 and message in response.content.decode()
    assert not SourceDocument.objects.exists() and not IngestionRun.objects.exists()
    assert not AuditEvent.objects.exists() and not files_written(settings)


def failed_run(client, org_a, name, content, capture) -> IngestionRun:
    response = upload(client, org_a, name, content, capture)
    document = SourceDocument.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/ingest/documents/{document.pk}/"
    run = IngestionRun.objects.get()
    assert run.status == RunStatus.FAILED and run.finished_at is not None
    # Nothing half-created; the reason is on the run and on the document.
    assert not Passage.objects.exists() and not Suggestion.objects.exists()
    document.refresh_from_db()
    assert document.text_status == "failed" and document.text_error == run.message
    page = client.get(response["Location"]).content.decode()
    assert "The document could not be read." in page and "Try again" in page and "every 1s" not in page
    assert AuditEvent.objects.filter(verb="ingest.failed").count() == 1
    return run


@pytest.mark.parametrize(
    "name,make,code,message",
    [
        ("locked.pdf", lambda tmp: pdf_bytes(encrypt=True), "EncryptedDocument", "password protected"),
        ("broken.pdf", lambda tmp: b"%PDF-1.4\n garbage garbage", "CorruptDocument", "damaged"),
        ("long.pdf", lambda tmp: pdf_bytes(pages=2001), "TooManyPages", "2001 pages; the limit is 2000"),
        ("blank.pdf", lambda tmp: pdf_bytes(pages=3), "EmptyFile", "No text"),
        ("broken.docx", lambda tmp: docx_with_broken_xml(), "CorruptDocument", "damaged"),
        ("control.txt", lambda tmp: b"\x01\x02\x03\x04\x05\x06abc" * 400, "NotText", "control characters"),
    ],
)
def test_job_fails_cleanly(client, org_a, capture, tmp_path, name, make, code, message):
    run = failed_run(client, org_a, name, make(tmp_path), capture)
    assert run.error_code == code and message in run.message


def test_scan_without_ocr_says_how_to_install_it(client, org_a, capture, tmp_path, monkeypatch):
    monkeypatch.setattr(readers.shutil, "which", lambda name: None)
    run = failed_run(client, org_a, "scan.pdf", scanned_pdf(tmp_path), capture)
    assert run.error_code == "OcrUnavailable" and "scripts/install-ocr.sh" in run.message


def test_failure_message_in_the_readers_language(client, org_a, capture):
    from django.utils import translation
    from django.utils.translation import gettext

    run = failed_run(client, org_a, "long.pdf", pdf_bytes(pages=2001), capture)
    with translation.override("en"):
        assert run.user_message() == "The PDF has 2001 pages; the limit is 2000."
    with translation.override("ru"):
        # Other languages get the catalogue's summary instead of the pipeline's English words.
        assert run.user_message() == gettext("The document has more pages than the limit allows.")


def test_retry_after_failure_creates_a_new_run(client, org_a, capture, monkeypatch, tmp_path):
    monkeypatch.setattr(readers.shutil, "which", lambda name: None)
    first = failed_run(client, org_a, "scan.pdf", scanned_pdf(tmp_path), capture)
    with capture(execute=True):
        client.post(f"/ingest/documents/{first.document_id}/start/")
    runs = list(IngestionRun.objects.order_by("pk").values_list("status", flat=True))
    assert runs == ["failed", "failed"]  # still no OCR: a second clean failure, nothing else


def test_unknown_language_is_said_on_the_document(client, org_a, capture):
    text = "Գլուխ առաջին\n\n1. Սա փորձնական տեքստ է, որը գրված է այլ լեզվով և պարունակում է 12 նախադասություն.\n"
    response = upload(client, org_a, "other.txt", text.encode(), capture)
    run = IngestionRun.objects.get()
    assert run.status == RunStatus.DONE and run.error_code == "UnknownLanguage"
    assert Passage.objects.exists()
    page = client.get(response["Location"]).content.decode()
    assert "language of the document could not be identified" in page


def test_missing_stored_file_fails_cleanly(org_a, coordinator_a, settings):
    from rightstrack.evidence.storage import blob_path
    from rightstrack.ingest.actions import execute_run, upload_for_ingestion

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    document, run, _ = upload_for_ingestion(
        coordinator_a, organisation_id=org_a.pk, upload=SimpleUploadedFile("a.txt", b"Some text here.")
    )
    blob_path(document.sha256).unlink()
    assert execute_run(run.pk) == "failed"
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED and "upload it again" in run.message
    assert not Passage.objects.exists()
