"""Layout-aware reading of text-layer PDFs (PDFium, via pypdfium2): what pypdf's plain text cannot tell.

For each page the lines are put back in reading order (two columns are read one after the other,
full-width lines such as headings separate the bands), page furniture is dropped (page numbers,
``GE.`` print-job numbers, a running header or footer seen in the margin of an earlier page),
footnotes (small print under the text) are taken out of the flow and given at the end of the
document as ``[n] text``, their calls in the text written ``[n]``; headings are recognised by
their size or weight and written as Markdown (``#``/``##``) or ``**bold**``, so the segmenter sees
them whatever their wording; and each paragraph is rebuilt into one line, with a paragraph number
set apart in the margin marked (``normalise.LAYOUT_MARK``) so the passage can say how its label
was found.

The result is plain page text, so everything after the reader stays the same for every format.
pypdf stays the reader of record for encryption, page counts, images and OCR, and is the fallback
for any page this reader cannot take.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

VERSION = "layout-1.0"

LAYOUT_MARK = "\ue000"  # same as normalise.LAYOUT_MARK (normalise imports the readers)
HYPHEN_BREAK = "\ue001"  # same as normalise.HYPHEN_BREAK: a line broken after a hyphen
_PAGE_NUMBER = re.compile(r"^[\W_]*(?:page|стр\.?|страница|бет)?\s*\d{1,4}(?:\s*(?:of|/|из)\s*\d{1,4})?[\W_]*$", re.I)
_JOB = re.compile(r"^\s*(?:GE\.\d{2}-\d{5}|\*\d{7}\*)")
_MARGIN = 0.075  # share of the page height at top and bottom where running lines sit
_NUMBER_START = re.compile(r"^(\(?\d{1,3}(?:\.\d{1,3})?[.)]|\([a-z]\)|[IVXLC]{1,6}\.|[A-ZА-Я]\.)$")
_SET_APART = re.compile(r"^\(?\d{1,3}(?:\.\d{1,3})?[.)][\u2003\u2002]")
_BULLET_START = re.compile(r"^[-•●▪◦‣∙·*–—○■□►➢✓]\s")
_SYMBOL_DOT = re.compile(r"/[A-Za-z]{1,5}\.$")  # "CCPR/C/SR." or ".../L." cut at a line end
_NOTE_START = re.compile(r"^\[?\d{1,3}\]?\.?\s")  # a footnote's first line, never a running line
# Signs of a text layer whose font has no Unicode map: replacement or private-use characters, control
# codes, or letters from the Latin Extended/IPA blocks that the glyph numbers fall into.
_GARBAGE = re.compile(r"[\ufffd\ue000-\uf8ff\x00-\x08\x0e-\x1f\u0100-\u02af]")


def garbage(text: str) -> bool:
    """True when most of a page's letters are signs of a broken font (see ``_GARBAGE``)."""
    letters = sum(ch.isalpha() for ch in text)
    bad = len(_GARBAGE.findall(text))
    return bad > 5 and bad > 0.4 * max(letters, 1)


@dataclass(slots=True)
class _Line:
    x0: float
    x1: float
    top: float
    bottom: float
    size: float  # the line's main font size
    bold: bool
    text: str
    numbered_apart: bool = False  # starts with a number followed by a wide gap (hanging indent)


@dataclass
class LayoutState:
    """What one document's reading remembers from page to page."""

    margin_texts: set[str] = field(default_factory=set)
    notes: list[str] = field(default_factory=list)
    garbage_pages: list[int] = field(default_factory=list)


def _shape(text: str) -> str:
    return re.sub(r"\d+", "#", text.casefold().strip())


def _rect_runs(textpage: Any, height: float) -> list[tuple[float, float, float, float, float, bool, str]]:
    """PDFium's text rectangles (runs of one line in one font): x0, x1, top, bottom, size, bold, text."""
    import ctypes

    import pypdfium2.raw as raw

    name = ctypes.create_string_buffer(96)
    flags = ctypes.c_int()
    runs = []
    for k in range(textpage.count_rects()):
        left, bottom, right, top = textpage.get_rect(k)
        text = textpage.get_text_bounded(left, bottom, right, top)
        if not text.strip():
            continue
        index = raw.FPDFText_GetCharIndexAtPos(textpage, left + 0.5, (bottom + top) / 2, 2.0, 2.0)
        for _ in range(3):  # the run's first letter, not a space before it
            if index < 0 or raw.FPDFText_GetUnicode(textpage, index) not in (32, 160):
                break
            index += 1
        size = raw.FPDFText_GetFontSize(textpage, index) if index >= 0 else 0.0
        if size <= 0:
            size = top - bottom
        bold = False
        if index >= 0 and raw.FPDFText_GetFontInfo(textpage, index, name, 96, ctypes.byref(flags)):
            bold = b"bold" in name.value.lower() or b"black" in name.value.lower()
        # PDFium writes a hyphen it judged typographic as \x02.
        text = text.replace("\x02", "-").replace("\r", "").replace("\n", " ")
        runs.append((left, right, height - top, height - bottom, round(size, 1), bold, text))
    return runs


def _lines(textpage: Any, height: float) -> list[_Line]:
    """Runs joined into visual lines: same baseline and close together (a column gap keeps two apart)."""
    runs = sorted(_rect_runs(textpage, height), key=lambda r: (r[2], r[0]))
    # Geometry is measured in line heights, not font sizes: PDFium reports the size before the
    # page's scaling, which differs between PDF producers.
    rows: list[list[tuple]] = []
    for run in runs:
        middle = (run[2] + run[3]) / 2
        for row in reversed(rows[-3:]):
            top, bottom = min(r[2] for r in row), max(r[3] for r in row)
            tall = max(bottom - top, run[3] - run[2], 1.0)
            same_line = top - tall * 0.3 <= middle <= bottom + tall * 0.3
            gap = max(run[0] - max(r[1] for r in row), min(r[0] for r in row) - run[1])
            if same_line and -1 <= gap < tall * 1.5:
                row.append(run)
                break
        else:
            rows.append([run])
    for row in rows:
        row.sort(key=lambda r: r[0])
    out = []
    for row in rows:
        sizes: Counter[float] = Counter()
        for run in row:
            sizes[run[4]] += len(run[6])
        size = sizes.most_common(1)[0][0]
        main_bottom = max(r[3] for r in row if r[4] == size)
        parts: list[str] = []
        for i, run in enumerate(row):
            text = run[6]
            # A footnote call: small digits raised above the line or set right against the word.
            glued = i > 0 and run[0] - row[i - 1][1] < 1.5
            raised = run[4] < size * 0.8 and text.strip().isdigit() and (run[3] < main_bottom - 0.5 or glued)
            if raised:
                text = f"[{text.strip()}]"  # a footnote call
            elif i and run[0] - row[i - 1][1] > 0.5 and not parts[-1].endswith(" "):
                text = " " + text
            parts.append(text)
        text = re.sub(r"\[\s*(\d+)\s*\]", r"[\1]", re.sub(r"\s+", " ", "".join(parts))).strip()
        x0, x1 = row[0][0], max(r[1] for r in row)
        top, bottom = min(r[2] for r in row), max(r[3] for r in row)
        # A number set apart from its text: an em space after it, or a run of its own ("1." then a gap).
        apart = _SET_APART.match(row[0][6]) is not None or (
            len(row) > 1
            and _NUMBER_START.match(row[0][6].strip()) is not None
            and row[1][0] - row[0][1] > (bottom - top) * 0.3
        )
        bold = all(r[5] for r in row)
        out.append(_Line(x0, x1, top, bottom, size, bold, text, apart))
    return out


def _reading_order(lines: list[_Line], width: float) -> list[_Line]:
    """Top to bottom; on a two-column page, each band between full-width lines column by column."""
    # Rows: pieces of one visual line side by side (a line may come as several runs).
    lines.sort(key=lambda ln: ln.top)
    rows: list[list[_Line]] = []
    for ln in lines:
        row = rows[-1] if rows else None
        if row and ln.top < row[0].bottom - (row[0].bottom - row[0].top) * 0.5:
            row.append(ln)
        else:
            rows.append([ln])
    lines = [ln for row in rows for ln in sorted(row, key=lambda r: r.x0)]
    mid = width / 2
    left = [ln for ln in lines if ln.x1 <= mid + 4]
    right = [ln for ln in lines if ln.x0 >= mid - 4]
    spanning = len(lines) - len(left) - len(right)
    if len(left) < 4 or len(right) < 4 or spanning * 2 > len(left) + len(right):
        return lines
    # A right column has a left edge of its own; scattered pieces of justified lines do not.
    edges = Counter(round(ln.x0 / 4) for ln in right)
    if edges.most_common(1)[0][1] < len(right) * 0.5:
        return lines
    out: list[_Line] = []
    band: list[_Line] = []
    for ln in lines:
        if ln.x1 <= mid + 4 or ln.x0 >= mid - 4:
            band.append(ln)
            continue
        out += [b for b in band if b.x1 <= mid + 4] + [b for b in band if b.x0 >= mid - 4]
        band = []
        out.append(ln)
    out += [b for b in band if b.x1 <= mid + 4] + [b for b in band if b.x0 >= mid - 4]
    return out


def page_text(page: Any, number: int, state: LayoutState) -> str:
    """The text of one PDFium page laid out as described in the module docstring."""
    width, height = page.get_size()
    textpage = page.get_textpage()
    try:
        lines = _lines(textpage, height)
    finally:
        textpage.close()
    if not lines:
        return ""
    if garbage("".join(ln.text for ln in lines)):
        state.garbage_pages.append(number)
        return ""
    sizes: Counter[float] = Counter()
    for ln in lines:
        sizes[ln.size] += len(ln.text)
    body = sizes.most_common(1)[0][0]
    heights = sorted(ln.bottom - ln.top for ln in lines if ln.size == body)
    line_height = heights[len(heights) // 2] if heights else 10.0
    kept: list[_Line] = []
    tops = sorted(ln.top for ln in lines)
    for ln in lines:
        in_margin = ln.bottom < height * _MARGIN * 1.6 or ln.top > height * (1 - _MARGIN * 1.4)
        if in_margin and (_PAGE_NUMBER.match(ln.text) or _JOB.match(ln.text)):
            continue
        # Running lines are set apart from the text: smaller print, or a wide gap to the next line.
        below = next((t for t in tops if t > ln.bottom + 0.5), None)
        above = max((t for t in tops if t < ln.top - ln.size), default=None)
        apart = ln.size < body - 0.4 or (
            (below is not None and below - ln.bottom > line_height * 1.4 and ln.top < height / 2)
            or (above is not None and ln.top - above > line_height * 2.4 and ln.top > height / 2)
        )
        outermost = ln.top <= tops[min(1, len(tops) - 1)] or ln.top >= tops[max(0, len(tops) - 2)]
        if in_margin and apart and outermost and len(ln.text) < 80 and not _NOTE_START.match(ln.text):
            shape = _shape(ln.text)
            if shape in state.margin_texts:
                continue  # a running header or footer already given on an earlier page
            state.margin_texts.add(shape)
        if _JOB.match(ln.text):
            continue
        kept.append(ln)
    # Footnotes: small print below the lowest body-size line.
    body_bottom = max((ln.bottom for ln in kept if ln.size >= body * 0.95), default=0)
    notes = [ln for ln in kept if ln.top >= body_bottom - 1 and ln.size < body * 0.9]
    if notes:
        kept = [ln for ln in kept if ln not in notes]
        current = ""
        for ln in sorted(notes, key=lambda n: (n.top, n.x0)):
            head = re.match(r"^\[?(\d{1,3})\]?\.?\s+(.*)$", ln.text)
            if head:
                if current:
                    state.notes.append(current)
                current = f"[{head.group(1)}] {head.group(2)}"
            else:
                current = f"{current} {ln.text}".strip()
        if current:
            state.notes.append(current)
    ordered = _reading_order(kept, width)
    return "\n".join(_paragraphs(ordered, body, line_height))


def _paragraphs(lines: list[_Line], body: float, line_height: float) -> Iterator[str]:
    """One output line per paragraph or heading, blank lines between them."""
    para: list[_Line] = []

    def flush() -> Iterator[str]:
        if not para:
            return
        text = para[0].text
        for ln in para[1:]:
            if text.endswith("-") and ln.text[:1].islower() and text[-2:-1].isalpha():
                # "ill-|treatment" or "docu-|ment": normalise decides with the document's vocabulary
                text = text + HYPHEN_BREAK + ln.text
            elif text.endswith("/") or (_SYMBOL_DOT.search(text) and ln.text[:1].isdigit()):
                text += ln.text  # a symbol broken at its slash or after "SR." / "L."
            else:
                text = f"{text} {ln.text}"
        first = para[0]
        if first.size >= body * 1.3:
            text = f"# {text}"
        elif first.size >= body * 1.08 or (first.bold and len(text) < 200):
            text = f"## {text}"
        elif first.numbered_apart:
            text = LAYOUT_MARK + text
        yield text
        yield ""
        para.clear()

    # Glyph boxes are tight, so gaps between them vary with the letters; the distance from one
    # line's top to the next (the pitch) does not, and a paragraph break adds to it.
    steps = sorted(
        b.top - a.top for a, b in zip(lines, lines[1:], strict=False) if 0 < b.top - a.top < line_height * 2.5
    )
    pitch = steps[len(steps) // 3] if steps else line_height * 1.3
    prev: _Line | None = None
    for ln in lines:
        if prev is not None:
            gap = ln.top - prev.top - pitch * max(1.0, ln.size / body)  # larger print, wider pitch
            style_change = (ln.size != prev.size) or (ln.bold != prev.bold)
            column_jump = ln.top < prev.top - 2  # moved to the top of the next column
            # A number starts a paragraph when it hangs left of the text above or follows a full stop;
            # a wrapped line that happens to start with "10)" does neither.
            number_first = (
                ln.numbered_apart or _NUMBER_START.match(ln.text.split(" ")[0] or "") or _BULLET_START.match(ln.text)
            )
            before = re.sub(r"\[\d+\]$", "", prev.text)  # a footnote call after the full stop
            ends = before.endswith((".", ":", ";")) and not _SYMBOL_DOT.search(before)
            hanging = number_first and (ln.x0 < prev.x0 - 4 or ends)
            if gap > pitch * 0.25 or style_change or hanging or (column_jump and prev.text.endswith((".", ":"))):
                yield from flush()
        para.append(ln)
        prev = ln
    yield from flush()
