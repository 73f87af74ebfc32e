"""Readers: format detection by content, every bad input refused with its own error."""

from __future__ import annotations

import io
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader, PdfWriter

from rightstrack.ingest import readers
from rightstrack.ingest.errors import (
    CorruptDocument,
    EmptyFile,
    EncryptedDocument,
    IngestError,
    NotText,
    OcrUnavailable,
    SuspiciousArchive,
    TooManyPages,
    UnsupportedFileType,
)
from rightstrack.ingest.pipeline import extract, extract_text


def _pdf(tmp_path: Path, pages: list[str], name: str = "doc.pdf") -> Path:
    import docgen

    if not docgen.have_fonts():
        pytest.skip("DejaVu fonts are not installed")
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_font("DejaVu", "", str(docgen.FONT_DIR / "DejaVuSans.ttf"))
    for text in pages:
        pdf.add_page()
        pdf.set_font("DejaVu", size=11)
        pdf.multi_cell(0, 6, text)
    path = tmp_path / name
    pdf.output(str(path))
    return path


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.pdf"
    path.write_bytes(b"")
    with pytest.raises(EmptyFile, match="empty"):
        extract(path)


def test_whitespace_only_text_has_no_text(tmp_path: Path) -> None:
    path = tmp_path / "blank.txt"
    path.write_text("  \n\n \t\n")
    with pytest.raises(EmptyFile, match="No text"):
        extract(path)


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 100, "Windows executable"),
        (b"\x7fELF\x02\x01\x01" + b"\x00" * 100, "Linux executable"),
        (b"#!/bin/sh\nrm -rf /\n", "script"),
        (b"\x1f\x8b\x08\x00" + b"\x00" * 50, "gzip"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 50, "legacy Office"),
    ],
)
def test_refused_by_magic_bytes_not_name(tmp_path: Path, content: bytes, words: str) -> None:
    path = tmp_path / "report.pdf"  # the name lies; the content decides
    path.write_bytes(content)
    with pytest.raises(UnsupportedFileType, match=words):
        extract(path)


def test_pdf_named_txt_is_read_as_pdf(tmp_path: Path) -> None:
    path = _pdf(tmp_path, ["A report about 12 hearings in the city court of Almaty."], "notes.txt")
    result = extract(path)
    assert "12 hearings" in result["passages"][0]["text"]
    assert result["passages"][0]["page"] == 1


def test_corrupt_pdf(tmp_path: Path) -> None:
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 20)
    with pytest.raises(CorruptDocument, match="damaged"):
        extract(path)


def test_encrypted_pdf(tmp_path: Path) -> None:
    source = _pdf(tmp_path, ["Confidential annex with names of detainees."])
    writer = PdfWriter(clone_from=PdfReader(source))
    writer.encrypt(user_password="s3cret", owner_password="owner", algorithm="RC4-128")
    path = tmp_path / "locked.pdf"
    with path.open("wb") as fh:
        writer.write(fh)
    with pytest.raises(EncryptedDocument, match="password"):
        extract(path)


def test_owner_password_only_pdf_is_readable(tmp_path: Path) -> None:
    source = _pdf(tmp_path, ["Public statement on the trial of 15 officers."])
    writer = PdfWriter(clone_from=PdfReader(source))
    writer.encrypt(user_password="", owner_password="owner", algorithm="RC4-128")
    path = tmp_path / "restricted.pdf"
    with path.open("wb") as fh:
        writer.write(fh)
    assert "15 officers" in extract(path)["passages"][0]["text"]


def test_too_many_pages(tmp_path: Path) -> None:
    path = _pdf(tmp_path, [f"Page {n} text about hearings." for n in range(5)])
    with pytest.raises(TooManyPages, match="5 pages; the limit is 3"):
        extract(path, max_pages=3)
    assert len(extract(path, max_pages=5)["passages"]) >= 1


def _docx_bytes(paragraphs: list[str]) -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_zip_bomb_renamed_docx(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"0" * (20 * 1024 * 1024))
    path = tmp_path / "bomb.docx"
    path.write_bytes(buffer.getvalue())
    with pytest.raises(SuspiciousArchive, match="zip bomb"):
        extract(path)


def test_zip_total_size_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(readers, "MAX_UNCOMPRESSED", 1000)
    with pytest.raises(SuspiciousArchive, match="expand to"):
        extract_text(_docx_bytes(["x" * 5000]), "big.docx")


def test_plain_zip_is_not_docx() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "hello")
    with pytest.raises(UnsupportedFileType, match="zip archive"):
        extract_text(buffer.getvalue(), "notes.docx")


def test_corrupt_docx() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types")
        archive.writestr("word/document.xml", "<not-xml")
    with pytest.raises(CorruptDocument):
        extract_text(buffer.getvalue(), "bad.docx")


def test_binary_junk_as_txt(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes(bytes(range(1, 32)) * 40 + b"\x00\x01\x02")
    with pytest.raises(NotText):
        extract(path)


def test_undecodable_txt(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes(bytes([0x98, 0x81, 0x83, 0x8D, 0x8F, 0x90]) * 50)  # not UTF-8, not text in cp1251
    with pytest.raises(NotText, match="not readable text"):
        extract(path)


def test_cp1251_and_utf16_text_are_decoded() -> None:
    text = "Суд рассмотрел 12 дел в январе 2022 года, и все они были закрыты."
    assert extract_text(text.encode("cp1251"), "a.txt")["language"] == "ru"
    assert extract_text(text.encode("utf-16"), "a.txt")["passages"][0]["text"] == text


def test_every_error_is_an_ingest_error() -> None:
    for error in (
        EmptyFile,
        NotText,
        CorruptDocument,
        EncryptedDocument,
        SuspiciousArchive,
        TooManyPages,
        UnsupportedFileType,
        OcrUnavailable,
    ):
        assert issubclass(error, IngestError)
        assert str(error("msg")) == "msg"


def test_docx_numbering_headings_and_tables() -> None:
    document = docx.Document()
    document.add_heading("Findings", level=1)
    document.add_paragraph("First finding about detention.", style="List Number")
    document.add_paragraph("Second finding about torture.", style="List Number")
    document.add_paragraph("A point made in passing.", style="List Bullet")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Year", "Cases"
    table.cell(1, 0).text, table.cell(1, 1).text = "2021", "1,586"
    buffer = io.BytesIO()
    document.save(buffer)
    text = readers.read_docx(buffer.getvalue())
    assert "# Findings" in text
    assert "1. First finding about detention." in text
    assert "2. Second finding about torture." in text
    assert "- A point made in passing." in text
    assert "2021 | 1,586" in text


def test_html_drops_script_and_style() -> None:
    page = (
        b"<!DOCTYPE html><html><head><title>t</title><style>p{color:red}</style></head><body>"
        b"<script>var secret = 1;</script><h1>Trial monitoring</h1><p>The court held 4 hearings.</p>"
        b"<ol><li>Ensure open trials.</li><li>Publish judgments.</li></ol></body></html>"
    )
    result = extract_text(page, "page.bin")
    texts = [p["text"] for p in result["passages"]]
    assert result["title"] == "Trial monitoring"
    assert "The court held 4 hearings." in texts
    assert [p["number"] for p in result["passages"][1:]] == ["1", "2"]
    assert not any("secret" in t or "color" in t for t in texts)


def test_markdown_links_keep_their_words() -> None:
    result = extract_text(b"# Note\n\nSee [the report](http://example.org) on 3 cases.\n", "n.md")
    assert result["passages"][0]["text"] == "See the report on 3 cases."


# --- OCR -------------------------------------------------------------------------------------


def _scanned_pdf(tmp_path: Path) -> Path:
    from fpdf import FPDF
    from PIL import Image

    image = tmp_path / "scan.png"
    Image.new("RGB", (200, 100), "white").save(image)
    pdf = FPDF()
    pdf.add_page()
    pdf.image(str(image), x=10, y=10, w=100)
    path = tmp_path / "scan.pdf"
    pdf.output(str(path))
    return path


def test_scanned_pdf_without_tesseract(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("fpdf")
    monkeypatch.setattr(readers.shutil, "which", lambda name: None)
    with pytest.raises(OcrUnavailable, match="OCR is not installed"):
        extract(_scanned_pdf(tmp_path))


def test_image_without_tesseract(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(readers.shutil, "which", lambda name: None)
    with pytest.raises(OcrUnavailable, match="tesseract"):
        extract_text(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "scan.png")


def _fake_tesseract(monkeypatch: pytest.MonkeyPatch, langs: str = "eng\nrus\nkaz") -> list[list[str]]:
    calls: list[list[str]] = []

    def run(cmd: list[str], **kwargs: object) -> subprocess.CompletedProcess:
        calls.append(cmd)
        if "--list-langs" in cmd:
            return subprocess.CompletedProcess(cmd, 0, f"List of available languages:\n{langs}\n", "")
        return subprocess.CompletedProcess(cmd, 0, "Суд провёл 7 заседаний в 2023 году по этому делу.\n".encode(), b"")

    monkeypatch.setattr(readers.shutil, "which", lambda name: "/usr/bin/tesseract")
    monkeypatch.setattr(readers.subprocess, "run", run)
    return calls


def test_scanned_pdf_with_mocked_tesseract(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("fpdf")
    path = _scanned_pdf(tmp_path)
    calls = _fake_tesseract(monkeypatch)
    result = extract(path)
    assert result["language"] == "ru"
    assert result["passages"][0]["page"] == 1
    assert result["figures"][0]["value"] == 7
    assert calls[-1][-2:] == ["-l", "eng+rus+kaz"]


def test_tesseract_without_language_data(monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_tesseract(monkeypatch, langs="osd")
    with pytest.raises(OcrUnavailable, match="language data"):
        extract_text(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "scan.png")


def test_ocr_uses_installed_languages_only(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _fake_tesseract(monkeypatch, langs="eng\nrus")
    extract_text(b"\xff\xd8\xff\xe0" + b"\x00" * 64, "scan.jpg")
    assert calls[-1][-1] == "eng+rus"


@pytest.mark.skipif(not readers.shutil.which("tesseract"), reason="tesseract is not installed")
def test_real_tesseract_runs(tmp_path: Path) -> None:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (600, 120), "white")
    ImageDraw.Draw(image).text((10, 40), "Court hearing", fill="black")
    path = tmp_path / "scan.png"
    image.save(path)
    try:
        extract(path)
    except IngestError as exc:  # no language data, or nothing legible: still a clean error
        assert str(exc)


def test_empty_upload() -> None:
    with pytest.raises(EmptyFile):
        extract_text(b"", "upload.docx")


def test_pdf_pages_are_numbered_and_streamed(tmp_path: Path) -> None:
    path = _pdf(tmp_path, ["First page text here.", "Second page text here.", "Third page text here."])
    source = readers.open_path(path)
    assert source.page_count == 3
    first = next(source.pages)  # a generator: pages are read one at a time
    assert first.number == 1 and "First page" in first.text
