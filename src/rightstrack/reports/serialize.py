"""A `Document` as JSON-safe data and back (publications freeze it; blocks store charts this way)."""

from __future__ import annotations

import base64
from typing import Any

from rightstrack.core.charts import Chart

from .document import Document, Figure, Footnote, Paragraph, Section, Table


def chart_to_dict(chart: Chart) -> dict[str, Any]:
    return {
        "title": chart.title,
        "alt": chart.alt,
        "svg": base64.b64encode(chart.svg).decode(),
        "png": base64.b64encode(chart.png).decode(),
        "rows": [list(row) for row in chart.rows],
    }


def chart_from_dict(data: dict[str, Any]) -> Chart:
    return Chart(
        title=data.get("title", ""),
        alt=data.get("alt", ""),
        svg=base64.b64decode(data.get("svg", "")),
        png=base64.b64decode(data.get("png", "")),
        rows=[tuple(row) for row in data.get("rows", [])],
    )


def footnote_to_dict(note: Footnote) -> dict[str, Any]:
    return {"text": note.text, "passage_id": note.passage_id, "url": note.url}


def footnote_from_dict(data: dict[str, Any]) -> Footnote:
    return Footnote(text=str(data.get("text", "")), passage_id=data.get("passage_id"), url=str(data.get("url", "")))


def _block_to_dict(block) -> dict[str, Any]:
    if isinstance(block, Paragraph):
        return {
            "type": "paragraph",
            "text": block.text,
            "numbered": block.numbered,
            "footnotes": [footnote_to_dict(n) for n in block.footnotes],
            "key": block.key,
            "style": block.style,
        }
    if isinstance(block, Table):
        return {
            "type": "table",
            "headers": list(block.headers),
            "rows": [list(r) for r in block.rows],
            "caption": block.caption,
        }
    return {"type": "figure", "chart": chart_to_dict(block.chart), "caption": block.caption}


def _block_from_dict(data: dict[str, Any]):
    if data["type"] == "paragraph":
        return Paragraph(
            text=data["text"],
            numbered=data.get("numbered", True),
            footnotes=[footnote_from_dict(n) for n in data.get("footnotes", [])],
            key=data.get("key", ""),
            style=data.get("style", ""),
        )
    if data["type"] == "table":
        return Table(headers=data["headers"], rows=data["rows"], caption=data.get("caption", ""))
    return Figure(chart=chart_from_dict(data["chart"]), caption=data.get("caption", ""))


def _section_to_dict(section: Section) -> dict[str, Any]:
    return {
        "title": section.title,
        "key": section.key,
        "blocks": [_block_to_dict(b) for b in section.blocks],
        "subsections": [_section_to_dict(s) for s in section.subsections],
    }


def _section_from_dict(data: dict[str, Any]) -> Section:
    return Section(
        title=data["title"],
        key=data.get("key", ""),
        blocks=[_block_from_dict(b) for b in data.get("blocks", [])],
        subsections=[_section_from_dict(s) for s in data.get("subsections", [])],
    )


def document_to_dict(document: Document) -> dict[str, Any]:
    return {
        "title": document.title,
        "language": document.language,
        "subtitle": document.subtitle,
        "authors": list(document.authors),
        "date": document.date,
        "synthetic": document.synthetic,
        "word_limit": document.word_limit,
        "sections": [_section_to_dict(s) for s in document.sections],
    }


def document_from_dict(data: dict[str, Any]) -> Document:
    return Document(
        title=data.get("title", ""),
        language=data.get("language", "en"),
        subtitle=data.get("subtitle", ""),
        authors=list(data.get("authors", [])),
        date=data.get("date", ""),
        synthetic=bool(data.get("synthetic", False)),
        word_limit=data.get("word_limit"),
        sections=[_section_from_dict(s) for s in data.get("sections", [])],
    )
