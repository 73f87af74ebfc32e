"""Renderers: a `Document` to HTML, DOCX, PDF or Markdown.

content, content_type, extension = render(document, "docx")
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext as _

from rightstrack.core.errors import InvalidInput

from ..document import Document

FORMATS: dict[str, tuple[str, str]] = {
    "html": ("text/html; charset=utf-8", "html"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    "pdf": ("application/pdf", "pdf"),
    "md": ("text/markdown; charset=utf-8", "md"),
}


def _renderer(fmt: str) -> Callable[[Document], bytes]:
    # Imported lazily: python-docx and WeasyPrint are only loaded when their format is asked for.
    if fmt == "html":
        from .html import render_html

        return render_html
    if fmt == "docx":
        from .docx import render_docx

        return render_docx
    if fmt == "pdf":
        from .pdf import render_pdf

        return render_pdf
    from .markdown import render_markdown

    return render_markdown


def render(document: Document, fmt: str) -> tuple[bytes, str, str]:
    """The document in `fmt` (html, docx, pdf, md): (bytes, content type, file extension)."""
    if fmt not in FORMATS:
        raise InvalidInput(_("Unknown format. Choose one of: %s.") % ", ".join(FORMATS), field="format")
    content_type, extension = FORMATS[fmt]
    return _renderer(fmt)(document), content_type, extension
