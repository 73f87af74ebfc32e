"""PDF through WeasyPrint: A4, page numbers, footnotes at the foot of each page, DejaVu fonts embedded."""

from __future__ import annotations

from ..document import Document
from .html import DEJAVU, build_html


def _fetcher():
    """A URL fetcher for data: URIs and the local font files only: report text can never make the server fetch."""
    from weasyprint.urls import URLFetcher

    class LocalOnly(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith("file://") and not url.startswith(DEJAVU.as_uri() + "/"):
                raise ValueError("refused to read a local file outside the fonts directory")
            return super().fetch(url, headers)

    return LocalOnly(allowed_protocols=("data", "file"))


def render_pdf(document: Document) -> bytes:
    # Imported here: WeasyPrint loads Pango at import, which the other formats do not need.
    from weasyprint import HTML

    return HTML(string=build_html(document, for_pdf=True), base_url=None, url_fetcher=_fetcher()).write_pdf()
