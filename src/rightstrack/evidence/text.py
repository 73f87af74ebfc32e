"""Plain text out of a stored file, split into numbered passages.

A simple first reader: the ingestion pipeline (rightstrack.ingest) adds OCR, headings and detectors.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from django.utils.translation import gettext as _

from rightstrack.core.errors import InvalidInput

from .models import DocumentKind

MAX_PASSAGES = 20000


@dataclass
class PassageText:
    number: int
    text: str
    label: str = ""
    page: int | None = None
    section: str = ""


class _HtmlText(HTMLParser):
    BLOCKS = {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "br", "section", "article"}

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in ("script", "style"):
            self.skip += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self.skip:
            self.skip -= 1
        elif tag in self.BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def read_pages(path: Path, kind: str) -> list[str]:
    """The document's text, one string per page (a single page for formats without pages)."""
    if kind == DocumentKind.PDF:
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError

        try:
            reader = PdfReader(path)
            if reader.is_encrypted:
                raise InvalidInput(_("The PDF is encrypted; upload an unprotected copy."), field="file")
            return [page.extract_text() or "" for page in reader.pages]
        except (PdfReadError, ValueError, KeyError, TypeError) as exc:
            raise InvalidInput(_("The PDF is damaged and cannot be read."), field="file") from exc
    if kind == DocumentKind.DOCX:
        import docx
        from docx.opc.exceptions import PackageNotFoundError

        try:
            document = docx.Document(str(path))
        except (PackageNotFoundError, KeyError, ValueError) as exc:
            raise InvalidInput(_("The Word document is damaged and cannot be read."), field="file") from exc
        return ["\n\n".join(p.text for p in document.paragraphs)]
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput(_("The text is not valid UTF-8."), field="file")
    if kind == DocumentKind.HTML:
        parser = _HtmlText()
        parser.feed(text)
        text = "".join(parser.parts)
    return [text]


_LABEL = re.compile(r"^\s*(?:\*\*)?(\d{1,4})[.)](?:\*\*)?\s+")


def split_passages(pages: list[str]) -> list[PassageText]:
    """Blank-line separated blocks become passages, numbered in order; a leading `12.` is kept as label."""
    passages: list[PassageText] = []
    for page_number, page in enumerate(pages, start=1):
        for block in re.split(r"\n\s*\n", page.replace("\r\n", "\n")):
            text = re.sub(r"[ \t]+", " ", block).strip()
            if not text:
                continue
            match = _LABEL.match(text)
            passages.append(
                PassageText(
                    number=len(passages) + 1,
                    text=text,
                    label=match.group(1) if match else "",
                    page=page_number if len(pages) > 1 else None,
                )
            )
            if len(passages) > MAX_PASSAGES:
                raise InvalidInput(_("The document has too many passages to store."), field="file")
    return passages
