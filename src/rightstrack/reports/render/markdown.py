"""Markdown (CommonMark + footnotes/tables as in GitHub and Pandoc): `[^n]` footnotes, pipe tables."""

from __future__ import annotations

import re

from ..document import Document
from .layout import (
    Heading,
    NumberedFigure,
    NumberedParagraph,
    NumberedTable,
    clean_text,
    footnote_text,
    labels,
    meta_line,
    walk,
)

_LINE_START = re.compile(r"^(\s*)([#>+\-*]|\d+[.)])", re.MULTILINE)


def _escape(text: str) -> str:
    """Text as literal Markdown: no accidental headings, lists, links, footnote markers or HTML.

    Angle brackets become entities rather than backslash escapes: every Markdown flavour shows `&lt;` as `<`,
    while some pass `\\<script>` through as markup."""
    text = clean_text(text).replace("\\", "\\\\")
    for char in "*_`[]":
        text = text.replace(char, "\\" + char)
    text = text.replace("<", "&lt;").replace(">", "&gt;")
    return _LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), text)


def _cell(value: object) -> str:
    return _escape(str(value)).replace("|", "\\|").replace("\n", " ")


def render_markdown(document: Document) -> bytes:
    words = labels(document)
    out: list[str] = []
    notes: list[tuple[int, str]] = []
    if document.synthetic:
        out.append(f"> **{words['synthetic']}**\n")
    out.append(f"# {_escape(document.title)}\n")
    if document.subtitle:
        out.append(f"*{_escape(document.subtitle)}*\n")
    meta = meta_line(document)
    if meta:
        out.append(_escape(meta) + "\n")
    for item in walk(document):
        if isinstance(item, Heading):
            out.append(f"{'#' * min(item.level + 1, 6)} {_escape(item.section.title)}\n")
        elif isinstance(item, NumberedParagraph):
            para = item.paragraph
            text = _escape(para.text).replace("\n", "  \n")
            if para.style == "recommendation":
                text = f"**{text}**"
            elif para.style == "quote":
                text = f"*{text}*"
            refs = "".join(f"[^{n}]" for n, _note in item.footnotes)
            notes.extend((n, footnote_text(note)) for n, note in item.footnotes)
            # "12." starts an ordered list at 12, so numbering stays continuous across sections.
            prefix = f"{item.number}. " if item.number else ""
            out.append(f"{prefix}{text}{refs}\n")
        elif isinstance(item, NumberedTable):
            table = item.table
            caption = f"{words['table']} {item.number}" + (f". {table.caption}" if table.caption else "")
            out.append(f"*{_escape(caption)}*\n")
            out.append("| " + " | ".join(_cell(h) for h in table.headers) + " |")
            out.append("|" + "---|" * len(table.headers))
            out.extend("| " + " | ".join(_cell(c) for c in row) + " |" for row in table.rows)
            out.append("")
        elif isinstance(item, NumberedFigure):
            chart = item.figure.chart
            caption = f"{words['figure']} {item.number}. " + (item.figure.caption or chart.title)
            # No image in Markdown: the file stays self-contained and diffable; the data is the figure.
            out.append(f"*{_escape(caption)}*\n")
            if chart.rows:
                width = max(len(row) for row in chart.rows)
                out.append("| " + " | ".join([""] * width) + " |")
                out.append("|" + "---|" * width)
                out.extend("| " + " | ".join(_cell(v) for v in row) + " |" for row in chart.rows)
                out.append("")
            else:
                out.append(_escape(chart.alt) + "\n")
    if notes:
        out.append("")
        out.extend(f"[^{n}]: {_escape(text)}" for n, text in notes)
    return ("\n".join(out).rstrip() + "\n").encode("utf-8")
