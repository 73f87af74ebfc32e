"""Stage 3: classify paragraphs as headings, list items or body text, with their own numbering.

A heading is recognised by its form, whatever the format: a Markdown ``#``, a bold-only line, a
roman-numbered short line, or a short line without closing punctuation. Headings come in three
ranks: *section* headings (marked, numbered, all-caps, or naming a treaty article) open a
section; *sub* headings (plain short lines such as "New developments") only label what follows;
*rec* headings ("Recommendations ...") open a list of recommendations.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from . import language
from .normalise import Line, Marker, separate_marker

VERSION = "segment-1.1"

_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
_BOLD_LINE = re.compile(r"^(\*\*|__)(?P<inner>.+?)\1\s*:?\s*$")
_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1")
_ITALIC_LINE = re.compile(r"^[*_](?P<inner>[^*_].*?)[*_]\s*$")
ARTICLE = re.compile(r"\b(?:Articles?|Art\.|стать[яиейю]|бап|бабы|бабына)\s*(\d{1,3}(?:\.\d{1,2})*)", re.I)
REC_HEADING = re.compile(
    r"^[\W\d]*(?:(?:our|key|main|general|specific|further|final|summary\s+of)\s+)?"
    r"(?:recommendations?|рекомендаци\w*|ұсыныс\w*)\b",
    re.I,
)
_DATE_ONLY = re.compile(
    r"^[\W\d]*(?:(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?|"
    r"(?:январ|феврал|март|апрел|ма[йя]|июн|июл|август|сентябр|октябр|ноябр|декабр)\w*)?[\W\d]*$",
    re.I,
)


@dataclass(slots=True)
class Block:
    """A paragraph of the document after segmentation."""

    text: str  # display text: marker and Markdown emphasis removed
    kind: str  # 'heading', 'item' (has a marker) or 'paragraph'
    level: str | None  # for headings: 'section', 'sub' or 'rec'
    number: str | None  # the document's own label: '12', '139.61', 'a', 'iv'
    marker: str | None  # 'digit', 'letter', 'roman', 'bullet'
    page: int | None
    section: str | None  # nearest section heading (or sub heading when there is none)
    heading: str | None  # nearest heading of any rank
    language: str
    passage: int | None = None  # index into the passages list (None for headings)


def clean(text: str) -> str:
    """Remove Markdown emphasis and heading marks, keeping the words."""
    text = _MD_HEADING.sub(r"\2", text)
    text = _EMPHASIS.sub(r"\2", text)
    match = _ITALIC_LINE.match(text)
    if match:
        text = match.group("inner")
    return text.strip()


def heading_level(line: str, marker: Marker | None, rest: str) -> str | None:
    """'section', 'sub', 'rec' or None when the paragraph is not a heading."""
    md = _MD_HEADING.match(line)
    bold = _BOLD_LINE.match(rest) if len(rest) < 200 else None
    plain = clean(rest)
    words = plain.split()
    if not plain or sum(ch.isalpha() for ch in plain) < 2:
        return None
    if md or bold:
        rank = "section"
    elif marker is not None and marker.kind == "bullet":
        return None
    else:
        closed = plain.endswith((".", ";", ",", "!", "?", "…")) or rest.rstrip().endswith((".", ";", ","))
        upper = plain.upper() == plain and len(words) >= 2 and any(ch.isalpha() for ch in plain)
        if closed or not (plain[:1].isupper() or plain[:1].isdigit() or plain[:1] in '(«"“'):
            return None
        if len(words) > (40 if upper else 20) or len(plain) > 250 or "|" in plain:
            return None
        if _DATE_ONLY.match(plain):
            return None
        if marker is not None and marker.kind == "digit" and len(words) > 8:
            return None
        if marker is not None and marker.kind == "letter" and marker.label.islower():
            return None
        if plain.count(",") >= 2 or len(re.findall(r"\d+", plain)) >= 3:
            return None  # a list of figures or names, not a title
        if marker is not None or upper or ARTICLE.search(plain):
            rank = "section"
        elif len(words) <= 10:
            rank = "sub"
        else:
            return None
    if REC_HEADING.match(plain):
        return "rec"
    return rank


def _plausible_number(marker: Marker, last: int | None) -> bool:
    # A wrapped line may start with "2022." or "40."; only numbers that fit the running
    # sequence (or open one) count as the paragraph's own number.
    if not marker.label.isdigit():
        return True
    n = int(marker.label)
    return last is None or n <= last + 20


def segment(lines: Iterable[Line]) -> list[Block]:
    """Classify each paragraph and attach its section, page, number and language."""
    blocks: list[Block] = []
    section: str | None = None
    sub: str | None = None
    heading: str | None = None
    last_number: int | None = None
    last_letter: str | None = None
    passages = 0
    for line in lines:
        marker, rest = separate_marker(line.text)
        if marker is not None and not _plausible_number(marker, last_number):
            marker, rest = None, line.text
        if marker is not None and marker.label in ("i", "v", "x") and marker.kind in ("letter", "roman"):
            # "i." after "h." is the ninth letter; otherwise a lone i, v or x is a roman numeral.
            follows = last_letter is not None and ord(marker.label) == ord(last_letter) + 1
            marker = Marker("letter" if follows else "roman", marker.label, marker.bullet)
        level = heading_level(line.text, marker, rest)
        text = clean(rest if marker is not None else line.text)
        if level is not None:
            text = text.rstrip(":").strip()
            if marker is not None and marker.kind != "bullet":
                text = f"{marker.label}. {text}"
            if level == "section":
                section, sub = text, None
            elif level == "sub":
                sub = text
            heading = text
            blocks.append(
                Block(text, "heading", level, None, None, line.page, section or sub, heading, language.identify(text))
            )
            last_letter = None
            continue
        if marker is not None and marker.kind == "digit" and marker.label.isdigit():
            last_number = int(marker.label)
        if marker is not None and marker.kind == "letter":
            last_letter = marker.label.lower()
        number = marker.label if marker is not None and marker.kind != "bullet" else None
        blocks.append(
            Block(
                text=text,
                kind="item" if marker is not None else "paragraph",
                level=None,
                number=number,
                marker=marker.kind if marker is not None else None,
                page=line.page,
                section=section or sub,
                heading=heading,
                language=language.identify(text),
                passage=passages,
            )
        )
        passages += 1
    return blocks


_TITLE_SKIP = re.compile(r"^[\W\d_]*$")


def title(blocks: list[Block], lines: list[Line]) -> str:
    """The document's title: its first Markdown '#' heading, else its first substantial line."""
    for line in lines[:12]:
        md = _MD_HEADING.match(line.text)
        if md and len(md.group(1)) == 1:
            return clean(line.text)
    for line in lines[:12]:
        marker, rest = separate_marker(line.text)
        text = clean(line.text)
        if marker is not None:
            continue  # a list item or numbered paragraph is never the title
        words = text.split()
        if 3 <= len(words) <= 60 and not _DATE_ONLY.match(text) and not _TITLE_SKIP.match(text):
            return text
    return blocks[0].text if blocks else ""
