"""The report document model: what every generator builds and every renderer (HTML, DOCX, PDF, Markdown) reads.

A generator (trial report, shadow report, UPR submission, statement) returns a `Document`; renderers in
`reports/render/` turn it into a format. Paragraph numbering is continuous across sections; footnotes
carry the source of every figure.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rightstrack.core.charts import Chart


@dataclass
class Footnote:
    """Where a fact comes from: a document, its symbol, and the paragraph/page."""

    text: str
    passage_id: int | None = None  # evidence.Passage, when the source is in the evidence store
    url: str = ""


@dataclass
class Paragraph:
    text: str
    numbered: bool = True
    footnotes: list[Footnote] = field(default_factory=list)
    key: str = ""  # stable id of a generated paragraph, so manual edits survive regeneration
    style: str = ""  # "" | "recommendation" | "quote" | "note"
    # Records this paragraph states facts from, as ("app.Model", pk): the publication check reads them.
    sources: list[tuple[str, int]] = field(default_factory=list)


@dataclass
class Table:
    headers: list[str]
    rows: list[list[str]]
    caption: str = ""
    key: str = ""
    sources: list[tuple[str, int]] = field(default_factory=list)


@dataclass
class Figure:
    chart: Chart
    caption: str = ""
    key: str = ""
    sources: list[tuple[str, int]] = field(default_factory=list)


Block = Paragraph | Table | Figure


@dataclass
class Section:
    title: str
    blocks: list[Block] = field(default_factory=list)
    subsections: list[Section] = field(default_factory=list)
    key: str = ""


@dataclass
class Document:
    title: str
    language: str = "en"
    subtitle: str = ""
    authors: list[str] = field(default_factory=list)
    date: str = ""
    sections: list[Section] = field(default_factory=list)
    synthetic: bool = False  # built from demo data: renderers print a visible label
    word_limit: int | None = None

    def paragraphs(self) -> list[Paragraph]:
        """All paragraphs in reading order."""
        out: list[Paragraph] = []

        def walk(section: Section) -> None:
            out.extend(b for b in section.blocks if isinstance(b, Paragraph))
            for sub in section.subsections:
                walk(sub)

        for section in self.sections:
            walk(section)
        return out

    def word_count(self) -> int:
        return sum(len(p.text.split()) for p in self.paragraphs())
