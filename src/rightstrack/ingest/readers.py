"""Stage 1: turn a file into a stream of page texts.

The type is decided by the content's magic bytes, never by the file name, so a renamed
executable or archive is refused before any parser touches it. Pages are yielded one at a time
so a 2,000-page PDF never holds more than one page's text plus the parser's own state.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from .errors import (
    CorruptDocument,
    EmptyFile,
    EncryptedDocument,
    FileTooLarge,
    NotText,
    OcrFailed,
    OcrUnavailable,
    SuspiciousArchive,
    TooManyPages,
    UnreadableText,
    UnsupportedFileType,
)

VERSION = "readers-1.1"

MAX_BYTES = 100 * 1024 * 1024
# Zip-bomb guards for DOCX: checked on the declared sizes in the central directory before any
# member is inflated (zipfile never returns more than the declared size of a member).
MAX_UNCOMPRESSED = 200 * 1024 * 1024
MAX_RATIO = 100
RATIO_MIN_SIZE = 1024 * 1024
MAX_MEMBERS = 5000

OCR_LANGS = ("eng", "rus", "kaz")
OCR_TIMEOUT = 120
# A page whose text layer has fewer letters than this is treated as scanned.
MIN_TEXT_LAYER = 3


@dataclass(frozen=True, slots=True)
class Page:
    """One page of extracted text; ``number`` is None when the format has no pages."""

    number: int | None
    text: str


@dataclass(slots=True)
class Source:
    """A detected document: its kind and a lazy iterator over its pages."""

    kind: str
    pages: Iterator[Page]
    page_count: int | None = None
    # What the reader had to leave out or guess, in English (filled while the pages are read).
    notes: list[str] = field(default_factory=list)


# --- type detection -------------------------------------------------------------------------

_REFUSED_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"MZ", "a Windows executable"),
    (b"\x7fELF", "a Linux executable"),
    (b"\xfe\xed\xfa\xce", "a macOS executable"),
    (b"\xfe\xed\xfa\xcf", "a macOS executable"),
    (b"\xce\xfa\xed\xfe", "a macOS executable"),
    (b"\xcf\xfa\xed\xfe", "a macOS executable"),
    (b"\xca\xfe\xba\xbe", "a Java class or macOS executable"),
    (b"#!", "a script"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "a legacy Office file (.doc/.xls); save it as DOCX or PDF"),
    (b"{\\rtf", "an RTF file; save it as DOCX or PDF"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"BZh", "a bzip2 archive"),
    (b"\xfd7zXZ\x00", "an xz archive"),
    (b"GIF8", "a GIF image (OCR accepts PNG, JPEG or TIFF)"),
    (b"\x00asm", "a WebAssembly binary"),
)

_IMAGE_MAGIC: tuple[bytes, ...] = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")


def detect_kind(head: bytes, filename: str = "") -> str:
    """Return 'pdf', 'docx', 'image', 'html', 'markdown' or 'text' from the first bytes.

    ``head`` should be at least the first 4 KiB. The file name only chooses between text
    flavours (Markdown vs plain); it never makes binary content acceptable.
    """
    if not head:
        raise EmptyFile("The file is empty (0 bytes).")
    if head[:1024].lstrip(b"\x00\t\n\r ").startswith(b"%PDF-") or b"%PDF-" in head[:1024]:
        return "pdf"
    for magic, what in _REFUSED_MAGIC:
        if head.startswith(magic):
            raise UnsupportedFileType(f"Unsupported file type: the content is {what}, not a document.")
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return "zip"  # resolved to docx (or refused) once the whole archive can be inspected
    if any(head.startswith(m) for m in _IMAGE_MAGIC):
        return "image"
    text_head = _sniff_text(head)
    low = text_head.lstrip("\ufeff \t\r\n").lower()
    if low.startswith(("<!doctype html", "<html")) or (low.startswith("<") and "<html" in low[:1024]):
        return "html"
    if low.startswith("<?xml") or low.startswith("<svg"):
        raise UnsupportedFileType("Unsupported file type: XML/SVG content is not a document format we read.")
    if low.startswith("<") and re.search(r"<(body|p|div|h[1-6])\b", low[:4096]):
        return "html"
    if Path(filename).suffix.lower() in {".md", ".markdown"}:
        return "markdown"
    return "text"


def _sniff_text(head: bytes) -> str:
    """Decode the head of a would-be text file, raising NotText for binary content."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return head.decode("utf-16", errors="replace")
    if b"\x00" in head:
        raise NotText("The file contains binary data (NUL bytes), not text.")
    return decode_text(head, partial=True)


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def decode_text(data: bytes, *, partial: bool = False) -> str:
    """Decode text bytes (UTF-8/UTF-16 with BOM, UTF-8, or Windows-1251) or raise NotText.

    ``partial`` tolerates a multi-byte character cut at the end of a sniffed head.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return _check_plausible(data.decode("utf-16"))
        except UnicodeDecodeError:
            raise NotText("The file is not valid UTF-16 text.")
    if b"\x00" in data:
        raise NotText("The file contains binary data (NUL bytes), not text.")
    try:
        return _check_plausible(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        if partial and exc.start >= len(data) - 3:
            return _check_plausible(data[: exc.start].decode("utf-8"))
    # Cyrillic documents from older Windows tools: cp1251 decodes almost any byte string, so only
    # accept it when the result reads like text.
    text = data.decode("cp1251", errors="replace")
    letters = sum(ch.isalpha() or ch.isspace() for ch in text)
    if text and letters / len(text) >= 0.85 and "\ufffd" not in text:
        return _check_plausible(text)
    raise NotText("The file is not readable text: it is neither UTF-8 nor Windows-1251 encoded.")


def _check_plausible(text: str) -> str:
    """Reject decoded text that is mostly control characters (binary junk that happened to decode)."""
    if text and len(_CONTROL.findall(text[:65536])) > max(8, len(text[:65536]) // 100):
        raise NotText("The file contains binary data (control characters), not text.")
    return text


# --- public entry points --------------------------------------------------------------------


def open_path(path: Path, *, max_pages: int = 2000, max_bytes: int = MAX_BYTES) -> Source:
    """Detect and open a document on disk."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise CorruptDocument(f"Cannot read {path.name}: {exc.strerror or exc}.") from None
    if size == 0:
        raise EmptyFile(f"The file {path.name} is empty (0 bytes).")
    if size > max_bytes:
        raise FileTooLarge(f"The file is {size // (1024 * 1024)} MB; the limit is {max_bytes // (1024 * 1024)} MB.")
    with path.open("rb") as fh:
        head = fh.read(4096)
    kind = detect_kind(head, path.name)
    if kind == "pdf":
        return _open_pdf(path, max_pages)
    if kind == "image":
        return Source("image", _read_image(path.read_bytes()), 1)
    return _open_data(kind, path.read_bytes(), path.name, max_pages)


def open_bytes(data: bytes, filename: str = "", *, max_pages: int = 2000, max_bytes: int = MAX_BYTES) -> Source:
    """Detect and open a document held in memory (the web upload path)."""
    if not data:
        raise EmptyFile("The file is empty (0 bytes).")
    if len(data) > max_bytes:
        raise FileTooLarge(
            f"The file is {len(data) // (1024 * 1024)} MB; the limit is {max_bytes // (1024 * 1024)} MB."
        )
    kind = detect_kind(data[:4096], filename)
    if kind == "pdf":
        return _open_pdf(io.BytesIO(data), max_pages)
    if kind == "image":
        return Source("image", _read_image(data), 1)
    return _open_data(kind, data, filename, max_pages)


def _open_data(kind: str, data: bytes, filename: str, max_pages: int) -> Source:
    if kind == "zip":
        return Source("docx", iter([Page(None, read_docx(data))]))
    if kind == "html":
        return Source("html", iter([Page(None, read_html(data))]))
    text = decode_text(data)
    if kind == "markdown":
        text = _strip_markdown_links(text)
    return Source(kind, iter([Page(None, text)]))


# --- PDF --------------------------------------------------------------------------------------


def _open_pdf(stream: Path | io.BytesIO, max_pages: int) -> Source:
    import logging

    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError

    # pypdf logs every recoverable oddity; the pipeline reports problems as IngestErrors instead.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(stream)
        if reader.is_encrypted:
            try:
                # Many PDFs are "encrypted" only with an owner password (print/copy limits) and
                # open with the empty user password; those are readable.
                ok = reader.decrypt("")
            except (DependencyError, NotImplementedError):
                ok = 0
            if not ok:
                raise EncryptedDocument("The PDF is password protected; remove the password and upload it again.")
        count = len(reader.pages)
    except EncryptedDocument:
        raise
    except FileNotDecryptedError:
        raise EncryptedDocument("The PDF is password protected; remove the password and upload it again.")
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError) as exc:
        raise CorruptDocument(f"The PDF is damaged and cannot be read ({_short(exc)}).")
    except Exception as exc:  # pypdf raises many types on malformed input
        raise CorruptDocument(f"The PDF is damaged and cannot be read ({_short(exc)}).")
    if count == 0:
        raise EmptyFile("The PDF has no pages.")
    if count > max_pages:
        raise TooManyPages(f"The PDF has {count} pages; the limit is {max_pages}.")
    notes: list[str] = []
    return Source("pdf", _pdf_pages(reader, count, stream, notes), count, notes)


def _layout_document(stream: Path | io.BytesIO) -> object | None:
    """The PDF opened by PDFium for the layout reader, or None when pypdfium2 is missing or refuses it."""
    try:
        import pypdfium2 as pdfium
    except ImportError:
        return None
    try:
        return pdfium.PdfDocument(stream if isinstance(stream, Path) else stream.getvalue(), password="")
    except Exception:  # noqa: BLE001 - PDFium cannot open it: pypdf reads every page
        return None


def _pdf_pages(
    reader: object, count: int, stream: Path | io.BytesIO | None = None, notes: list[str] | None = None
) -> Iterator[Page]:
    from . import layout

    state = layout.LayoutState()
    document = _layout_document(stream) if stream is not None else None
    try:
        yield from _read_pages(reader, count, document, state, stream)
    finally:
        if document is not None:
            document.close()  # type: ignore[attr-defined]
    if state.garbage_pages:
        raise_for_garbage(state.garbage_pages, count)
        if notes is not None:
            listed = ", ".join(str(n) for n in state.garbage_pages[:20])
            notes.append(
                f"The text layer of page(s) {listed} is unreadable (broken fonts) and OCR could not read "
                "them: their text is missing from the passages."
            )


def _read_pages(
    reader: object, count: int, document: object | None, state: object, stream: Path | io.BytesIO | None
) -> Iterator[Page]:
    from . import layout

    for index in range(count):
        try:
            page = reader.pages[index]  # type: ignore[attr-defined]
        except Exception as exc:  # a broken content stream on one page spoils the document
            raise CorruptDocument(f"Page {index + 1} of the PDF is damaged ({_short(exc)}).")
        text = None
        if document is not None:
            try:
                pdf_page = document[index]  # type: ignore[index]
                try:
                    text = layout.page_text(pdf_page, index + 1, state)  # type: ignore[arg-type]
                finally:
                    pdf_page.close()
            except Exception:  # noqa: BLE001 - PDFium failed on this page: pypdf reads it
                text = None
        if text is None or (not text.strip() and index + 1 not in state.garbage_pages):
            try:
                text = _page_text(page)
            except Exception as exc:
                raise CorruptDocument(f"Page {index + 1} of the PDF is damaged ({_short(exc)}).")
        if index + 1 in state.garbage_pages:
            text = _unreadable_page(page, index + 1, stream)
            if text.strip():
                state.garbage_pages.remove(index + 1)  # OCR read it
        elif sum(ch.isalpha() for ch in text) < MIN_TEXT_LAYER and _page_has_images(page):
            text = _ocr_pdf_page(page, index + 1)
        if index == count - 1 and state.notes:
            # Footnotes follow the text, each with its number as called in the text ("[3]").
            text = text + "\n\n" + "\n\n".join(state.notes)
        yield Page(index + 1, text)
        # pypdf caches every parsed object on the reader; dropping the page's resolved objects
        # keeps memory flat on long documents.
        _forget_page(reader, page)


def _unreadable_page(page: object, number: int, stream: Path | io.BytesIO | None) -> str:
    """A page whose text layer is garbage (broken fonts): OCR of the rendered page when tesseract is
    installed; otherwise nothing, and the document says so (see ``raise_for_garbage``)."""
    tesseract = shutil.which("tesseract")
    if not tesseract:
        return ""
    if stream is not None:
        try:
            import pypdfium2 as pdfium
        except ImportError:
            pdfium = None
        if pdfium is not None:
            with tempfile.TemporaryDirectory(prefix="rt-ocr-") as tmp:
                target = Path(tmp) / f"p{number}.png"
                document = pdfium.PdfDocument(stream if isinstance(stream, Path) else stream.getvalue())
                try:
                    document[number - 1].render(scale=300 / 72).to_pil().save(target)
                finally:
                    document.close()
                return run_tesseract(tesseract, target)
    return _ocr_pdf_page(page, number) if _page_has_images(page) else ""


def raise_for_garbage(pages: list[int], count: int) -> None:
    """Refuse a document whose text layer is mostly garbage; a few bad pages only leave a note."""
    if len(pages) * 2 >= count:
        raise UnreadableText(
            f"The PDF's text layer is unreadable on {len(pages)} of {count} pages (broken fonts); "
            "print it to PDF again or scan it so that OCR can read it."
        )


def _page_text(page: object) -> str:
    # Layout mode keeps vertical gaps as blank lines, which is what tells paragraphs apart in a
    # PDF; plain mode is the fallback for pages whose fonts layout mode cannot measure.
    try:
        return page.extract_text(extraction_mode="layout", layout_mode_scale_weight=1.0)  # type: ignore[attr-defined]
    except Exception:
        return page.extract_text()  # type: ignore[attr-defined]


def _forget_page(reader: object, page: object) -> None:
    """Drop the page's content stream from pypdf's object cache (it is never needed again)."""
    try:
        cache = reader.resolved_objects  # type: ignore[attr-defined]
        contents = page.get("/Contents")  # type: ignore[attr-defined]
        refs = contents if isinstance(contents, list) else [contents]
        for ref in refs:
            ref = getattr(ref, "indirect_reference", None) or ref
            if hasattr(ref, "idnum"):
                cache.pop((ref.generation, ref.idnum), None)
    except Exception:  # noqa: S110 - cache trimming is an optimisation only
        pass


def _page_has_images(page: object) -> bool:
    try:
        resources = page.get("/Resources") or {}  # type: ignore[attr-defined]
        resources = resources.get_object() if hasattr(resources, "get_object") else resources
        xobjects = resources.get("/XObject") or {}
        xobjects = xobjects.get_object() if hasattr(xobjects, "get_object") else xobjects
        return any(xobjects[name].get_object().get("/Subtype") == "/Image" for name in xobjects)
    except Exception:
        return False


def _ocr_pdf_page(page: object, number: int) -> str:
    tesseract = _tesseract()
    texts = []
    with tempfile.TemporaryDirectory(prefix="rt-ocr-") as tmp:
        for i, image in enumerate(page.images):  # type: ignore[attr-defined]
            suffix = Path(image.name).suffix or ".png"
            target = Path(tmp) / f"p{number}-{i}{suffix}"
            target.write_bytes(image.data)
            texts.append(run_tesseract(tesseract, target))
    return "\n\n".join(texts)


# --- OCR --------------------------------------------------------------------------------------


def _tesseract() -> str:
    exe = shutil.which("tesseract")
    if not exe:
        raise OcrUnavailable(
            "This document is a scan (no text layer) and OCR is not installed: an administrator can "
            "install it with scripts/install-ocr.sh (Debian's 'tesseract-ocr' with English, Russian "
            "and Kazakh data)."
        )
    return exe


def ocr_languages(tesseract: str) -> str:
    """The subset of eng+rus+kaz that this tesseract has data for, joined with '+'."""
    try:
        out = subprocess.run([tesseract, "--list-langs"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError) as exc:
        raise OcrFailed(f"OCR could not start ({_short(exc)}).")
    listed = set((out.stdout + out.stderr).split())
    langs = [lang for lang in OCR_LANGS if lang in listed]
    if not langs:
        raise OcrUnavailable(
            "OCR is installed but has no English, Russian or Kazakh language data: install "
            "'tesseract-ocr-eng', 'tesseract-ocr-rus' and 'tesseract-ocr-kaz'."
        )
    return "+".join(langs)


def run_tesseract(tesseract: str, image: Path) -> str:
    """OCR one image file with tesseract and return its text."""
    langs = ocr_languages(tesseract)
    try:
        out = subprocess.run(
            [tesseract, str(image), "stdout", "-l", langs],
            capture_output=True,
            timeout=OCR_TIMEOUT,
        )
    except subprocess.TimeoutExpired:
        raise OcrFailed(f"OCR took longer than {OCR_TIMEOUT} s on one page and was stopped.")
    except OSError as exc:
        raise OcrFailed(f"OCR could not start ({_short(exc)}).")
    if out.returncode != 0:
        first = (out.stderr.decode("utf-8", "replace").strip().splitlines() or ["unknown error"])[0]
        raise OcrFailed(f"OCR failed: {first[:200]}")
    # tesseract separates the pages of a multi-page TIFF with form feeds.
    return out.stdout.decode("utf-8", "replace")


def _read_image(data: bytes) -> Iterator[Page]:
    tesseract = _tesseract()
    with tempfile.TemporaryDirectory(prefix="rt-ocr-") as tmp:
        target = Path(tmp) / "scan.img"
        target.write_bytes(data)
        text = run_tesseract(tesseract, target)
    for number, chunk in enumerate(text.split("\f"), start=1):
        if chunk.strip() or number == 1:
            yield Page(number, chunk)


# --- DOCX -------------------------------------------------------------------------------------


def check_zip(data: bytes) -> zipfile.ZipFile:
    """Open a zip container after checking it cannot expand into a zip bomb."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise CorruptDocument(f"The DOCX file is damaged and cannot be opened ({_short(exc)}).")
    if len(members) > MAX_MEMBERS:
        raise SuspiciousArchive(f"The DOCX archive has {len(members)} parts; refusing to unpack it.")
    total = 0
    for info in members:
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_MIN_SIZE and ratio > MAX_RATIO:
            raise SuspiciousArchive(
                f"The DOCX part {info.filename!r} would expand {ratio:.0f}-fold; this looks like a zip bomb."
            )
    if total > MAX_UNCOMPRESSED:
        raise SuspiciousArchive(
            f"The DOCX archive would expand to {total // (1024 * 1024)} MB; this looks like a zip bomb."
        )
    names = {info.filename for info in members}
    if "word/document.xml" not in names:
        if "mimetype" in names and "content.xml" in names:
            raise UnsupportedFileType("Unsupported file type: an OpenDocument file; save it as DOCX or PDF.")
        if "xl/workbook.xml" in names or "ppt/presentation.xml" in names:
            raise UnsupportedFileType("Unsupported file type: a spreadsheet or presentation; save it as PDF.")
        raise UnsupportedFileType("Unsupported file type: a zip archive, not a DOCX document.")
    return archive


def read_docx(data: bytes) -> str:
    """Text of a DOCX: paragraphs with their list numbering, headings as Markdown, tables as rows."""
    check_zip(data)
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise CorruptDocument(f"The DOCX file is damaged and cannot be opened ({_short(exc)}).")
    except Exception as exc:  # lxml syntax errors and friends
        raise CorruptDocument(f"The DOCX file is damaged and cannot be opened ({_short(exc)}).")
    return "\n".join(_docx_lines(document))


def _docx_lines(document: object) -> Iterator[str]:
    from docx.oxml.ns import qn
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    numbering = _DocxNumbering(document)
    body = document.element.body  # type: ignore[attr-defined]
    for child in body.iterchildren():
        if child.tag == qn("w:p"):
            yield _docx_paragraph(Paragraph(child, document), numbering)
        elif child.tag == qn("w:tbl"):
            yield ""
            for row in Table(child, document).rows:
                cells: list[str] = []
                for cell in row.cells:
                    text = " ".join(p.text.strip() for p in cell.paragraphs if p.text.strip())
                    if not cells or cells[-1] != text:  # merged cells repeat their text
                        cells.append(text)
                if any(cells):
                    yield " | ".join(cells)
            yield ""


def _docx_paragraph(paragraph: object, numbering: _DocxNumbering) -> str:
    text = paragraph.text  # type: ignore[attr-defined]
    style_id = numbering.style_id(paragraph)
    style_name = numbering.styles.get(style_id, ("", None, None))[0] if style_id else ""
    marker = numbering.marker(paragraph, style_id)
    if style_name.startswith("Heading") or style_name == "Title":
        level = int(style_name.split()[-1]) if style_name.split()[-1].isdigit() else 1
        head = f"{marker} " if marker else ""
        return f"{'#' * min(level, 6)} {head}{text.strip()}" if text.strip() else ""
    runs = [r for r in paragraph.runs if r.text.strip()]  # type: ignore[attr-defined]
    if runs and all(r.bold for r in runs) and len(text) < 200:
        text = f"**{text.strip()}**"
    if marker:
        return f"{marker} {text.strip()}"
    return text


# Word stores built-in style names in lower case ("heading 1"); python-docx shows them capitalised.
_STYLE_NAMES = {f"heading {n}": f"Heading {n}" for n in range(1, 10)} | {"title": "Title"}

_ROMAN = (
    (1000, "m"),
    (900, "cm"),
    (500, "d"),
    (400, "cd"),
    (100, "c"),
    (90, "xc"),
    (50, "l"),
    (40, "xl"),
    (10, "x"),
    (9, "ix"),
    (5, "v"),
    (4, "iv"),
    (1, "i"),
)


def _roman(n: int) -> str:
    out = []
    for value, letters in _ROMAN:
        while n >= value:
            out.append(letters)
            n -= value
    return "".join(out)


def _letters(n: int) -> str:
    # Word repeats the letter after z: aa, bb, ...
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


class _DocxNumbering:
    """Computes the visible list labels ("1.", "a)", bullets) that Word renders but does not store."""

    def __init__(self, document: object) -> None:
        from docx.oxml.ns import qn

        self.qn = qn
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}
        self.num_to_abstract: dict[str, str] = {}
        self.start_override: dict[tuple[str, int], int] = {}
        self.counters: dict[str, dict[int, int]] = {}
        # python-docx resolves paragraph.style with a linear scan per call; one map up front keeps
        # long documents fast. style id -> (name, numPr element or None, based-on id)
        self.styles: dict[str, tuple[str, object, str | None]] = {}
        self.default_style: str | None = None
        try:
            for style in document.styles.element.findall(qn("w:style")):  # type: ignore[attr-defined]
                sid = style.get(qn("w:styleId"))
                name = self._val(style, "w:name") or sid
                ppr = style.find(qn("w:pPr"))
                num_pr = ppr.find(qn("w:numPr")) if ppr is not None else None
                self.styles[sid] = (_STYLE_NAMES.get(name, name), num_pr, self._val(style, "w:basedOn"))
                if style.get(qn("w:type")) == "paragraph" and style.get(qn("w:default")) in ("1", "true"):
                    self.default_style = sid
        except (KeyError, NotImplementedError, AttributeError):
            pass
        try:
            root = document.part.numbering_part.element  # type: ignore[attr-defined]
        except (KeyError, NotImplementedError, AttributeError):
            return
        for abstract in root.findall(qn("w:abstractNum")):
            aid = abstract.get(qn("w:abstractNumId"))
            levels: dict[int, tuple[str, str, int]] = {}
            for lvl in abstract.findall(qn("w:lvl")):
                ilvl = int(lvl.get(qn("w:ilvl"), "0"))
                fmt = self._val(lvl, "w:numFmt") or "decimal"
                text = self._val(lvl, "w:lvlText") or ""
                start = int(self._val(lvl, "w:start") or "1")
                levels[ilvl] = (fmt, text, start)
            self.levels[aid] = levels
        for num in root.findall(qn("w:num")):
            nid = num.get(qn("w:numId"))
            ref = num.find(qn("w:abstractNumId"))
            if ref is not None:
                self.num_to_abstract[nid] = ref.get(qn("w:val"))
            for override in num.findall(qn("w:lvlOverride")):
                start = self._val(override, "w:startOverride")
                if start is not None:
                    self.start_override[(nid, int(override.get(qn("w:ilvl"), "0")))] = int(start)

    def _val(self, element: object, tag: str) -> str | None:
        child = element.find(self.qn(tag))  # type: ignore[attr-defined]
        return None if child is None else child.get(self.qn("w:val"))

    def style_id(self, paragraph: object) -> str | None:
        p_pr = paragraph._p.pPr  # type: ignore[attr-defined]
        node = p_pr.find(self.qn("w:pStyle")) if p_pr is not None else None
        return node.get(self.qn("w:val")) if node is not None else self.default_style

    def _num_pr(self, paragraph: object, style_id: str | None) -> tuple[str, int] | None:
        qn = self.qn
        p_pr = paragraph._p.pPr  # type: ignore[attr-defined]
        candidates = [p_pr.find(qn("w:numPr")) if p_pr is not None else None]
        seen = set()
        while style_id and style_id in self.styles and style_id not in seen:
            # list styles ("List Number") carry numPr on the style or the style it is based on
            seen.add(style_id)
            _, num_pr, style_id = self.styles[style_id]
            candidates.append(num_pr)
        for num_pr in candidates:
            if num_pr is None:
                continue
            nid = self._val(num_pr, "w:numId")
            ilvl = self._val(num_pr, "w:ilvl")
            if nid is None:
                continue
            return nid, int(ilvl or 0)
        return None

    def marker(self, paragraph: object, style_id: str | None) -> str:
        found = self._num_pr(paragraph, style_id)
        if not found:
            return ""
        nid, ilvl = found
        aid = self.num_to_abstract.get(nid)
        if nid == "0" or aid is None or aid not in self.levels:
            return ""
        levels = self.levels[aid]
        fmt, pattern, start = levels.get(ilvl, ("decimal", f"%{ilvl + 1}.", 1))
        if fmt == "bullet" or fmt == "none":
            return "-" if fmt == "bullet" else ""
        counters = self.counters.setdefault(aid, {})
        first = self.start_override.get((nid, ilvl), start)
        counters[ilvl] = counters.get(ilvl, first - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]

        def render(match: re.Match[str]) -> str:
            level = int(match.group(1)) - 1
            lfmt = levels.get(level, ("decimal", "", 1))[0]
            value = counters.get(level, levels.get(level, ("", "", 1))[2])
            if lfmt == "lowerLetter":
                return _letters(value)
            if lfmt == "upperLetter":
                return _letters(value).upper()
            if lfmt == "lowerRoman":
                return _roman(value)
            if lfmt == "upperRoman":
                return _roman(value).upper()
            return str(value)

        return re.sub(r"%(\d)", render, pattern).strip()


# --- HTML -------------------------------------------------------------------------------------

_BLOCK_TAGS = {
    "p",
    "div",
    "section",
    "article",
    "header",
    "footer",
    "main",
    "aside",
    "nav",
    "blockquote",
    "pre",
    "table",
    "ul",
    "ol",
    "dl",
    "dd",
    "dt",
    "figure",
    "figcaption",
    "address",
    "hr",
    "form",
}
_SKIP_TAGS = {"script", "style", "noscript", "template", "head", "svg", "iframe", "object"}


class _HtmlText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.skip = 0
        self.lists: list[list[int | None]] = []  # per open list: [counter or None for bullets]
        self.cell = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            self.skip += 1
        if self.skip:
            return
        if tag in _BLOCK_TAGS or tag in {"li", "tr"}:
            self.out.append("\n\n" if tag not in {"tr", "li"} else "\n")
        if tag in {"h1", "h2", "h3", "h4", "h5", "h6"}:
            self.out.append("\n\n" + "#" * int(tag[1]) + " ")
        elif tag == "br":
            self.out.append("\n")
        elif tag == "ol":
            start = dict(attrs).get("start")
            self.lists.append([int(start) - 1 if start and start.isdigit() else 0])
        elif tag == "ul":
            self.lists.append([None])
        elif tag == "li":
            if self.lists and self.lists[-1][0] is not None:
                self.lists[-1][0] += 1  # type: ignore[operator]
                self.out.append(f"{self.lists[-1][0]}. ")
            else:
                self.out.append("- ")
        elif tag in {"td", "th"}:
            if self.cell:
                self.out.append(" | ")
            self.cell += 1
        elif tag == "tr":
            self.cell = 0

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self.skip = max(0, self.skip - 1)
            return
        if self.skip:
            return
        if tag in {"ol", "ul"} and self.lists:
            self.lists.pop()
        if tag in _BLOCK_TAGS or tag in {"h1", "h2", "h3", "h4", "h5", "h6", "li"}:
            self.out.append("\n\n" if tag != "li" else "\n")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.out.append(re.sub(r"\s+", " ", data))


def read_html(data: bytes) -> str:
    """Visible text of an HTML page, with headings as Markdown and list items marked."""
    text = _decode_html(data)
    parser = _HtmlText()
    try:
        parser.feed(text)
        parser.close()
    except Exception as exc:  # html.parser is lenient; this guards against pathological input
        raise CorruptDocument(f"The HTML file cannot be parsed ({_short(exc)}).")
    lines = [line.strip() for line in "".join(parser.out).split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _decode_html(data: bytes) -> str:
    match = re.search(rb"<meta[^>]+charset=[\"']?([\w-]+)", data[:4096], re.I)
    if match:
        try:
            return data.decode(match.group(1).decode("ascii"), errors="strict")
        except (LookupError, UnicodeDecodeError):
            pass
    return decode_text(data)


_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")


def _strip_markdown_links(text: str) -> str:
    return _MD_LINK.sub(r"\1", text)


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:160].replace(os.sep + "tmp", "")
