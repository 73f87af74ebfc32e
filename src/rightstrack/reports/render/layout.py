"""One walk through a document that every renderer shares, so numbering is identical in every format.

Paragraph numbers run continuously across sections (treaty-body style); footnote numbers run
continuously through the document; tables and figures are numbered separately.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.utils import translation
from django.utils.translation import gettext, pgettext

from rightstrack.core.dates import day

from ..document import Document, Figure, Footnote, Paragraph, Section, Table

#: Control characters: not allowed in XML (DOCX, Atom), garble PDF text and terminals. Tab and newlines stay.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(value: object) -> str:
    """Text without control characters, for every output format."""
    return CONTROL.sub("", str(value))


@dataclass
class Heading:
    level: int  # 1 for top-level sections
    section: Section


@dataclass
class NumberedParagraph:
    paragraph: Paragraph
    number: int | None  # None for unnumbered paragraphs
    footnotes: list[tuple[int, Footnote]] = field(default_factory=list)


@dataclass
class NumberedTable:
    table: Table
    number: int


@dataclass
class NumberedFigure:
    figure: Figure
    number: int


Item = Heading | NumberedParagraph | NumberedTable | NumberedFigure


def walk(document: Document) -> Iterator[Item]:
    """Headings, paragraphs, tables and figures in reading order, with their numbers."""
    counters = {"paragraph": 0, "footnote": 0, "table": 0, "figure": 0}

    def visit(section: Section, level: int) -> Iterator[Item]:
        yield Heading(level, section)
        for block in section.blocks:
            if isinstance(block, Paragraph):
                number = None
                if block.numbered:
                    counters["paragraph"] += 1
                    number = counters["paragraph"]
                notes = []
                for note in block.footnotes:
                    counters["footnote"] += 1
                    notes.append((counters["footnote"], note))
                yield NumberedParagraph(block, number, notes)
            elif isinstance(block, Table):
                counters["table"] += 1
                yield NumberedTable(block, counters["table"])
            elif isinstance(block, Figure):
                counters["figure"] += 1
                yield NumberedFigure(block, counters["figure"])
        for sub in section.subsections:
            yield from visit(sub, level + 1)

    for section in document.sections:
        yield from visit(section, 1)


def footnote_text(note: Footnote) -> str:
    """The footnote as printed: its text, then the address when there is one and it is not already in the text."""
    if note.url and note.url not in note.text:
        return f"{note.text} {note.url}".strip()
    return note.text


def labels(document: Document) -> dict[str, str]:
    """Fixed words printed in the report, in the report's language (not the reader's interface language)."""
    with translation.override(document.language or "en"):
        return {
            "synthetic": gettext("Synthetic demo data — not real cases or people"),
            "notes": gettext("Notes"),
            "table": gettext("Table"),
            # A chart's caption, not a statistical figure (the claims pages' "Figure"): its own msgid.
            "figure": pgettext("report chart caption", "Figure"),
            "page": gettext("Page"),
            "words": gettext("words"),
        }


def meta_line(document: Document) -> str:
    """Authors and date under the title, the date written as the report's language writes dates."""
    return " · ".join(part for part in (", ".join(document.authors), _written_date(document)) if part)


def _written_date(document: Document) -> str:
    try:
        return day(datetime.date.fromisoformat(document.date), document.language or "en")
    except (TypeError, ValueError):  # no date, or one stored before dates were ISO
        return document.date or ""
