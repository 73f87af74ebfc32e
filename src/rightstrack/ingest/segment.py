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

from rightstrack.core.scripts import latin_in_cyrillic

from . import language
from .normalise import BULLETS, Line, Marker, separate_marker

VERSION = "segment-1.2"

_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
_BOLD_LINE = re.compile(r"^(\*\*|__)(?P<inner>.+?)\1\s*:?\s*$")
_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1")
_ITALIC_LINE = re.compile(r"^[*_](?P<inner>[^*_].*?)[*_]\s*$")
ARTICLE = re.compile(r"\b(?:Articles?|Art\.|стать[яиейю]|бап|бабы|бабына)\s*(\d{1,3}(?:\.\d{1,2})*)", re.I)
REC_HEADING = re.compile(
    r"^[\W\d]*(?:[IVXLC]{1,5}\.\s+|[A-ZА-Я]\.\s+)?(?:(?:our|key|main|general|specific|further|final|summary\s+of)\s+)?"
    r"(?:recommendations?|рекомендаци\w*|ұсыныс\w*|ұсыным\w*)\b"
    # Kazakh puts the noun last: "Мемлекет қолдаған ұсынымдар".
    # ("... және ұсынымдар", "concerns and recommendations", is not a list of them in any language)
    r"|^(?!.*\bжәне\b)[\W\d]*(?:[IVXLC]{1,5}\.\s+)?[^.;:]{0,60}\b(?:ұсыным|ұсыныс)\w*\W*$",
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
    # How the number was found: 'own_line' (it opens its line), 'inline' (split out of run-on
    # text by the numbering sequence), 'layout' (set apart in a PDF's margin); '' without a number.
    label_source: str = ""


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
        if marker is not None and marker.kind == "digit" and plain.endswith(":") and len(words) >= 2:
            return None  # the lead-in of a paragraph's sub-items ("12. The State party should:")
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


_UPPER = "A-ZА-ЯЁӘҒҚҢӨҰҮҺІ"
# "12.The" -> "12. The": a number glued to the first word of its paragraph.
_GLUED = re.compile(rf"^(\d{{1,3}})\.(?=[{_UPPER}][a-zа-яёәғқңөұүһі])")
# A candidate paragraph number inside run-on text: "... law. 4. The Committee", "... 139.62 Adopt".
_INLINE = re.compile(rf"(?<=\s)(?:(?P<dotted>\d{{2,3}}\.\d{{1,3}})\s|(?P<num>\d{{1,3}})\.\s?)(?=[«\"“(]?[{_UPPER}\d])")
_SENTENCE_END = tuple('.;:!?»"”)')
# Inline sub-items of a lead-in: "should: (a) Ensure ...; (b) Guarantee ...".
_INLINE_ITEM = re.compile(r"(?<=[:;])\s+(?=\(([a-z])\)\s)")


def _next_of(label: str) -> str:
    if "." in label:
        major, minor = label.split(".", 1)
        return f"{major}.{int(minor) + 1}"
    return str(int(label) + 1)


def _heading_like(text: str) -> bool:
    """A sub-heading run on before a paragraph number: short, capitalised, no closing punctuation."""
    words = text.split()
    return 0 < len(words) <= 12 and not text.rstrip().endswith(_SENTENCE_END[:-1]) and text[:1].isupper()


def _split_inline(text: str, last: str | None) -> list[str]:
    """Split run-on text at the paragraph numbers the running sequence expects next.

    A number counts only when it is the next one expected ("4." after paragraph 3) and follows the
    end of a sentence or a run-on sub-heading, so "article 4. The" or "in 2023. The" never split.
    """
    pieces: list[str] = []
    start = 0
    expected = _next_of(last) if last else "1"
    pos = 0
    while True:
        found = None
        for match in _INLINE.finditer(text, pos):
            label = match.group("num") or match.group("dotted")
            # The next number, or (to pick the sequence up again after a miss) the one after it.
            opening = last is None or (match.group("dotted") and "." not in last)  # a new sequence may start
            if (
                label not in (expected, _next_of(expected))
                and not (opening and label.split(".")[-1] in ("1", "2"))
                and not (match.group("dotted") and opening)
            ):
                continue
            if label != expected and not text[match.end() : match.end() + 1].isupper():
                continue
            before = text[start : match.start()].rstrip()
            if before.endswith(_SENTENCE_END) or _heading_like(before):
                found = (match, label)
                break
        if found is None:
            break
        match, label = found
        head = text[start : match.start()].rstrip()
        if head:
            pieces.append(head)
        start = match.start()
        pos = match.end()
        last = label
        expected = _next_of(label)
    pieces.append(text[start:])
    return pieces


def _items_split(text: str) -> list[str]:
    """Split "lead-in: (a) x; (b) y; (c) z" into the lead-in and its items (at least two, in order)."""
    cuts = list(_INLINE_ITEM.finditer(text))
    letters = [m.group(1) for m in cuts]
    # The run may open with its first item ("(a) x; (b) y" after a lead-in on the line before).
    first = "b" if text.startswith("(a) ") else "a"
    if len(cuts) < (1 if first == "b" else 2) or letters != [chr(ord(first) + k) for k in range(len(letters))]:
        return [text]
    if first == "a" and text[: cuts[0].start()].rstrip()[-1:] != ":":
        return [text]
    bounds = [0, *(m.end() for m in cuts), len(text)]
    return [text[bounds[k] : bounds[k + 1]].strip() for k in range(len(bounds) - 1)]


def number_lines(lines: Iterable[Line]) -> list[tuple[Line, str]]:
    """Lines with paragraph numbers recovered from flattened text, each with how its number was found.

    Glued numbers ("12.The") get their space, run-on paragraphs are split at the number the
    sequence expects next, and inline sub-items after a lead-in ending in ':' become items.
    """
    out: list[tuple[Line, str]] = []
    last: str | None = None
    for line in lines:
        pieces = _split_inline(line.text, last)
        for k, piece in enumerate(pieces):
            glued = _GLUED.match(piece)
            if glued and (last is None or glued.group(1) == _next_of(last) or not last.isdigit()):
                piece = f"{glued.group(1)}. {piece[glued.end() :]}"
            for j, part in enumerate(_items_split(piece)):
                marker, _ = separate_marker(part)
                how = "" if marker is None or marker.kind == "bullet" else ("inline" if k or j else "own_line")
                if how and line.how == "layout" and k == 0 and j == 0:
                    how = "layout"
                label = marker.label if marker is not None and marker.kind == "digit" else ""
                if re.fullmatch(r"\d{1,3}(?:\.\d{1,3})?", label) and (last is None or _plausible_label(label, last)):
                    last = label
                out.append((Line(part, line.page, line.indent, line.how), how))
    return out


def _plausible_label(label: str, last: str) -> bool:
    if label.isdigit() and last.isdigit():
        return int(last) < int(label) <= int(last) + 20
    return True


def segment(lines: Iterable[Line]) -> list[Block]:
    """Classify each paragraph and attach its section, page, number and language."""
    blocks: list[Block] = []
    section: str | None = None
    sub: str | None = None
    heading: str | None = None
    last_number: int | None = None
    last_letter: str | None = None
    passages = 0
    parent: str | None = None  # the numbered paragraph that lettered sub-items belong to
    for line, how in number_lines(lines):
        marker, rest = separate_marker(line.text)
        if marker is not None and not _plausible_number(marker, last_number):
            marker, rest = None, line.text
        if marker is not None and marker.label in ("i", "v", "x") and marker.kind in ("letter", "roman"):
            # "i." after "h." is the ninth letter; otherwise a lone i, v or x is a roman numeral.
            follows = last_letter is not None and ord(marker.label) == ord(last_letter) + 1
            marker = Marker("letter" if follows else "roman", marker.label, marker.bullet)
        level = heading_level(line.text, marker, rest)
        text = latin_in_cyrillic(clean(rest if marker is not None else line.text))
        if level is not None:
            text = text.rstrip(":").strip()
            if marker is not None and marker.kind != "bullet":
                # the numeral as printed ("I.", "A.", "2)"), not its normalised label
                printed = re.sub(r"[*_\s]", "", line.text[: len(line.text) - len(rest)]).lstrip(BULLETS)
                text = f"{printed if printed.endswith(('.', ')')) else printed + '.'} {text}"
            if level == "section":
                section, sub = text, None
            elif level == "sub":
                sub = text
            heading = text
            blocks.append(
                Block(text, "heading", level, None, None, line.page, section or sub, heading, language.identify(text))
            )
            last_letter = None
            parent = None
            continue
        if marker is not None and marker.kind == "digit" and marker.label.isdigit():
            last_number = int(marker.label)
        if marker is not None and marker.kind == "letter":
            last_letter = marker.label.lower()
        number = marker.label if marker is not None and marker.kind != "bullet" else None
        if marker is not None and marker.kind == "digit":
            parent = marker.label
        elif number and marker is not None and marker.kind in ("letter", "roman") and parent:
            number = f"{parent} ({number})"  # a sub-item is cited with its paragraph: "12 (a)"
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
                label_source=(how or "own_line") if number else "",
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
