"""A stored file's text as numbered passages, read by the ingestion pipeline (the project's one reader).

The pipeline (rightstrack.ingest.pipeline) reads PDF (with OCR for scans), DOCX, HTML, plain text and
Markdown, joins sentences split across pages and finds each paragraph's own numbering, section,
page and language. This module turns its result into what the evidence store keeps.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from rightstrack.core.errors import InvalidInput
from rightstrack.ingest import pipeline
from rightstrack.ingest.errors import IngestError, user_message

MAX_PASSAGES = 20000
MAX_PAGES = 2000

_SMALL = {"of", "for", "and", "the", "against", "in", "on", "to", "at", "by", "under", "regarding", "de", "du"}


def tidy_heading(name: str) -> str:
    """ "COALITION OF NGOS OF KAZAKHSTAN AGAINST TORTURE" reads "Coalition of NGOs of Kazakhstan against Torture"."""
    name = " ".join(name.replace("*", "").split()).strip(" -–")
    if not name.isupper():
        return name
    words = [w.lower() if w.lower() in _SMALL else w.capitalize() for w in name.split()]
    words[0] = words[0].capitalize()
    return " ".join(w.replace("Ngos", "NGOs").replace("Ngo", "NGO") for w in words)


@dataclass
class PassageText:
    number: int  # order in the document, 1..n
    text: str
    label: str = ""  # the source's own numbering ("12", "a", "139.61")
    page: int | None = None
    section: str = ""
    language: str = ""
    is_heading: bool = False
    label_source: str = ""  # 'own_line', 'inline' or 'layout' (see ingest.segment.Block)


@dataclass
class Extraction:
    """What the pipeline found: passages to store, and the full result for suggestions."""

    passages: list[PassageText]
    title: str = ""
    language: str = ""
    result: dict[str, Any] = field(default_factory=dict)

    def position(self, pipeline_passage: int | None) -> int | None:
        """Index in ``passages`` of the pipeline's passage ``pipeline_passage`` (its 0-based index)."""
        if pipeline_passage is None:
            return None
        return self._positions().get(pipeline_passage)

    def _positions(self) -> dict[int, int]:
        if not hasattr(self, "_cache"):
            blocks = self.result.get("blocks")
            self._cache = (
                {b["passage"]: i for i, b in enumerate(blocks) if b["passage"] is not None}
                if blocks is not None
                else {i: i for i in range(len(self.passages))}
            )
        return self._cache


def _language(code: str | None) -> str:
    return "" if not code or code == "und" else code


def passages_of(result: dict[str, Any]) -> list[PassageText]:
    """The pipeline's paragraphs in evidence form: ``number`` 1..n, the source label kept apart.

    Headings are stored too (marked as such) so that no text of the document is lost.
    """
    blocks = result.get("blocks", result["passages"])
    if len(blocks) > MAX_PASSAGES:
        raise InvalidInput(_("The document has too many passages to store."), field="file")
    return [
        PassageText(
            number=index,
            text=b["text"],
            label=(b["number"] or "")[:20],
            page=b["page"],
            section=(b["section"] or "")[:300],
            language=_language(b.get("language")),
            is_heading=bool(b.get("heading")),
            label_source=(b.get("label_source") or "")[:10],
        )
        for index, b in enumerate(blocks, start=1)
    ]


def extract(path: Path, *, max_pages: int = MAX_PAGES, progress: pipeline.Progress | None = None) -> Extraction:
    """Read the file at ``path``; a document that cannot be read raises InvalidInput with a clear message."""
    try:
        result = pipeline.extract(path, max_pages=max_pages, detail=True, progress=progress)
    except IngestError as exc:
        raise InvalidInput(user_message(exc), field="file") from exc
    return Extraction(
        passages=passages_of(result),
        title=(result["title"] or "").strip()[:500],
        language=_language(result["language"]),
        result=result,
    )
