import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from rightstrack.core.errors import Forbidden, InvalidInput, TooLarge
from rightstrack.core.models import AuditEvent
from rightstrack.evidence import citing
from rightstrack.evidence.actions import upload_document
from rightstrack.evidence.models import Passage, SourceDocument
from rightstrack.evidence.storage import blob_path

TEXT = "Title line\n\n1. First paragraph.\n\n2. Second paragraph.\n\n3. Third one."


def upload(user, org, name, content, **kw):
    return upload_document(user, organisation_id=org.pk, upload=SimpleUploadedFile(name, content), **kw)


def nothing_written(settings):
    files = [p for p in settings.FILES_DIR.rglob("*") if p.is_file()] if settings.FILES_DIR.exists() else []
    return not files and not SourceDocument.objects.exists() and not AuditEvent.objects.exists()


def make_docx(paragraphs: list[str]) -> bytes:
    import docx

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def make_pdf(pages: list[str]) -> bytes:
    from matplotlib.backends.backend_pdf import PdfPages
    from matplotlib.figure import Figure

    out = io.BytesIO()
    with PdfPages(out) as pdf:
        for text in pages:
            figure = Figure(figsize=(8.27, 11.69))
            figure.text(0.1, 0.9, text, fontsize=12, va="top")
            pdf.savefig(figure)
    return out.getvalue()


def test_text_upload_splits_passages(org_a, coordinator_a, settings):
    document, created = upload(coordinator_a, org_a, "note.txt", TEXT.encode())
    # No title given: the document's own title line is used; the source numbering is kept as label.
    assert created and document.kind == "txt" and document.title == "Title line"
    passages = list(document.passages.values_list("number", "label", "text", "is_heading", "section"))
    assert passages[0] == (1, "", "Title line", True, "Title line")
    assert passages[1] == (2, "1", "First paragraph.", False, "Title line") and len(passages) == 4
    assert document.text_status == "ready"
    assert blob_path(document.sha256).read_bytes() == TEXT.encode()
    assert AuditEvent.objects.filter(verb="document.upload").count() == 1


def test_pipeline_passages_pages_and_language(org_a, coordinator_a):
    pages = ["1. The State party should release detainees", "held since January 2022.", "2. Второй пункт о правах."]
    document, _ = upload(coordinator_a, org_a, "r.pdf", make_pdf(pages), title="Report")
    rows = list(document.passages.values_list("number", "label", "page", "language", "text"))
    # The sentence broken by the page break comes back whole, on the page where it starts.
    assert rows[0] == (1, "1", 1, "en", "The State party should release detainees held since January 2022.")
    assert rows[1][:4] == (2, "2", 3, "ru")


def test_unreadable_pdf_upload_refused_and_nothing_written(org_a, coordinator_a, settings):
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.encrypt("secret")
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(InvalidInput, match="password"):
        upload(coordinator_a, org_a, "locked.pdf", out.getvalue())
    assert nothing_written(settings)


def test_same_file_is_stored_once(org_a, coordinator_a, settings):
    first, _ = upload(coordinator_a, org_a, "a.txt", TEXT.encode())
    again, created = upload(coordinator_a, org_a, "b.txt", TEXT.encode())
    assert not created and again.pk == first.pk
    assert SourceDocument.objects.count() == 1 and Passage.objects.count() == 4


def test_docx_html_pdf(org_a, coordinator_a):
    docx_doc, _ = upload(coordinator_a, org_a, "r.docx", make_docx(["Heading", "1. Alpha", "2. Бета"]))
    assert list(docx_doc.passages.values_list("text", flat=True)) == ["Heading", "1. Alpha", "2. Бета"]
    html = b"<html><body><h1>T</h1><script>alert(1)</script><p>One</p><p>Two</p></body></html>"
    html_doc, _ = upload(coordinator_a, org_a, "p.html", html)
    assert list(html_doc.passages.values_list("text", flat=True)) == ["T", "One", "Two"]
    pdf_doc, _ = upload(coordinator_a, org_a, "p.pdf", make_pdf(["Page one text", "Page two text"]))
    assert [(p.page, p.text) for p in pdf_doc.passages.all()] == [(1, "Page one text"), (2, "Page two text")]


@pytest.mark.parametrize(
    "name,content,message",
    [
        ("virus.pdf", b"MZ\x90\x00" + b"\x00" * 200, "program"),
        ("empty.txt", b"", "empty"),
        ("latin1.txt", "caf\xe9 au lait".encode("latin-1") + b" " * 50, "UTF-8"),
        ("fake.pdf", b"just text pretending", "does not match"),
        ("broken.pdf", b"%PDF-1.4\n garbage garbage", "damaged"),
        ("not-a-doc.docx", b"PK\x03\x04 not really a zip", "damaged archive"),
        ("script.exe", b"hello", "Unsupported file type"),
        ("noext", b"hello", "Unsupported file type"),
    ],
)
def test_bad_files_are_refused_and_nothing_written(org_a, coordinator_a, settings, name, content, message):
    with pytest.raises(InvalidInput, match=message):
        upload(coordinator_a, org_a, name, content)
    assert nothing_written(settings)


def test_zip_bomb_docx_refused(org_a, coordinator_a, settings):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"<w/>")
        archive.writestr("padding.bin", b"\x00" * (50 * 1024 * 1024))
    with pytest.raises(InvalidInput, match="unreasonable"):
        upload(coordinator_a, org_a, "bomb.docx", out.getvalue())
    assert nothing_written(settings)


def test_oversize_refused(org_a, coordinator_a, settings):
    settings.MAX_UPLOAD_MB = 1
    with pytest.raises(TooLarge):
        upload(coordinator_a, org_a, "big.txt", b"a" * (1024 * 1024 + 1))
    assert nothing_written(settings)


def test_path_traversal_name_is_neutralised(org_a, coordinator_a, settings):
    document, _ = upload(coordinator_a, org_a, "../../etc/passwd.txt", TEXT.encode())
    assert document.original_filename == "passwd.txt"
    assert all(settings.FILES_DIR in p.parents for p in settings.FILES_DIR.rglob("*"))


def test_viewer_cannot_upload(org_a, viewer_a, settings):
    with pytest.raises(Forbidden):
        upload(viewer_a, org_a, "a.txt", TEXT.encode())
    assert nothing_written(settings)


def test_restricted_upload_needs_restricted_access(org_a, monitor_a, settings):
    with pytest.raises(Forbidden):
        upload(monitor_a, org_a, "a.txt", TEXT.encode(), confidentiality="restricted")
    assert nothing_written(settings)


def test_upload_page(org_a, coordinator_a, settings, django_capture_on_commit_callbacks):
    client = Client()
    client.force_login(coordinator_a)
    with django_capture_on_commit_callbacks(execute=True):  # the reading job runs when the upload commits
        ok = client.post(
            "/documents/upload/",
            {
                "organisation": org_a.pk,
                "confidentiality": "internal",
                "file": SimpleUploadedFile("n.txt", TEXT.encode()),
            },
        )
    document = SourceDocument.objects.get()
    assert ok.status_code == 302 and ok["Location"] == f"/documents/{document.pk}/"
    page = client.get(ok["Location"]).content.decode()
    assert "Document stored. It is being read" in page
    first = document.passages.get(text__startswith="First paragraph")
    # Each passage shows the document's own numbering ("para. 1"), or its order ("#2") when it has none.
    assert (
        "First paragraph" in page
        and f">{citing.reference_of(first) if first.label else '#' + str(first.number)}<" in page
    )
    # Read by the ingestion job, so its suggestions are there too.
    from rightstrack.ingest.models import IngestionRun

    assert IngestionRun.objects.get(document=document).status == "done"


def test_upload_page_leaves_the_reading_to_the_background_job(org_a, coordinator_a, settings, monkeypatch):
    """A big PDF never holds the request: the page stores the file, queues the job and answers."""
    from rightstrack.evidence import text
    from rightstrack.ingest.models import IngestionRun

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

    def not_in_the_request(*args, **kwargs):
        raise AssertionError("the upload request read the file")

    monkeypatch.setattr(text, "extract", not_in_the_request)
    client = Client()
    client.force_login(coordinator_a)
    pdf = make_pdf(["Page one text", "Page two text"])
    ok = client.post(
        "/documents/upload/",
        {"organisation": org_a.pk, "confidentiality": "internal", "file": SimpleUploadedFile("r.pdf", pdf)},
    )
    document = SourceDocument.objects.get()
    assert ok.status_code == 302 and ok["Location"] == f"/documents/{document.pk}/"
    assert document.text_status == "pending" and document.kind == "pdf" and not document.passages.exists()
    assert blob_path(document.sha256).read_bytes() == pdf
    run = IngestionRun.objects.get(document=document)
    assert run.status == "queued" and run.created_by == coordinator_a
    page = client.get(ok["Location"]).content.decode()
    assert "The document is being read." in page and f"/ingest/documents/{document.pk}/" in page
    # The same file again is stored once and read once.
    again = client.post(
        "/documents/upload/",
        {"organisation": org_a.pk, "confidentiality": "internal", "file": SimpleUploadedFile("copy.pdf", pdf)},
    )
    assert again["Location"] == f"/documents/{document.pk}/"
    assert SourceDocument.objects.count() == 1 and IngestionRun.objects.count() == 1


def test_upload_page_form_and_permissions(org_a, coordinator_a, viewer_a):
    client = Client()
    client.force_login(coordinator_a)
    page = client.get("/documents/upload/")
    assert page.status_code == 200 and "read in the background" in page.content.decode()
    missing = client.post("/documents/upload/", {"organisation": org_a.pk, "confidentiality": "internal"})
    assert missing.status_code == 400 and not SourceDocument.objects.exists()
    viewer = Client()
    viewer.force_login(viewer_a)
    assert viewer.get("/documents/upload/").status_code == 404
    assert Client().get("/documents/upload/").status_code == 302  # anonymous: to the log-in page


def test_upload_page_shows_clear_error(org_a, coordinator_a, settings):
    client = Client()
    client.force_login(coordinator_a)
    bad = client.post(
        "/documents/upload/",
        {
            "organisation": org_a.pk,
            "confidentiality": "internal",
            "file": SimpleUploadedFile("x.pdf", b"MZ" + b"\x00" * 10),
        },
    )
    assert bad.status_code == 400 and "program" in bad.content.decode()
    settings.MAX_UPLOAD_MB = 0
    big = client.post(
        "/documents/upload/",
        {"organisation": org_a.pk, "confidentiality": "internal", "file": SimpleUploadedFile("x.txt", b"a" * 100_000)},
    )
    assert big.status_code == 413
    assert nothing_written(settings)


def test_api_upload(org_a, coordinator_a):
    from rightstrack.core.models import ApiToken

    _t, key = ApiToken.issue(coordinator_a, "t")
    client = Client()
    response = client.post(
        "/api/evidence/documents",
        {"organisation_id": org_a.pk, "file": SimpleUploadedFile("n.txt", TEXT.encode())},
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert response.status_code == 201 and response.json()["text_status"] == "pending"  # read in the background
    again = client.post(
        "/api/evidence/documents",
        {"organisation_id": org_a.pk, "file": SimpleUploadedFile("n.txt", TEXT.encode())},
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert again.status_code == 200 and again.json()["id"] == response.json()["id"]
    bad = client.post(
        "/api/evidence/documents",
        {"organisation_id": org_a.pk, "file": SimpleUploadedFile("n.pdf", b"MZ\x00")},
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert bad.status_code == 400 and "program" in bad.json()["detail"]
