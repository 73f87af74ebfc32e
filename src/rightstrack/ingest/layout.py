"""Layout-aware reading of text-layer PDFs (pdfminer.six): what pypdf's plain text cannot tell.

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
_PAGE_NUMBER = re.compile(r"^[\W_]*(?:page|стр\.?|страница|бет)?\s*\d{1,4}(?:\s*(?:of|/|из)\s*\d{1,4})?[\W_]*$", re.I)
_JOB = re.compile(r"^\s*(?:GE\.\d{2}-\d{5}|\*\d{7}\*)")
_MARGIN = 0.075  # share of the page height at top and bottom where running lines sit
_NUMBER_START = re.compile(r"^(\(?\d{1,3}(?:\.\d{1,3})?[.)]|\([a-z]\)|[IVXLC]{1,6}\.|[A-ZА-Я]\.)$")
_SET_APART = re.compile(r"^\(?\d{1,3}(?:\.\d{1,3})?[.)][\u2003\u2002]")
_SYMBOL_DOT = re.compile(r"/[A-Za-z]{1,5}\.$")  # "CCPR/C/SR." or ".../L." cut at a line end
# pdfminer gives right-to-left script in visual (left-to-right) order: a run of Arabic or Hebrew
# words is turned back into reading order.
_RTL = "\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff"
_RTL_RUN = re.compile(f"[{_RTL}](?:[{_RTL} ]*[{_RTL}])?")
_NOTE_START = re.compile(r"^\[?\d{1,3}\]?\.?\s")  # a footnote's first line, never a running line
_GARBAGE = re.compile(r"\(cid:\d+\)|[\ufffd\ue000-\uf8ff]")


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


def _line_of(line: Any, page_height: float) -> _Line | None:
    from pdfminer.layout import LTChar

    chars = [c for c in line if isinstance(c, LTChar)]
    if not chars:
        return None
    sizes = Counter(round(c.size, 1) for c in chars if c.get_text().strip())
    size = sizes.most_common(1)[0][0] if sizes else round(chars[0].size, 1)
    baseline = min(c.y0 for c in chars if round(c.size, 1) == size) if sizes else chars[0].y0
    out: list[str] = []
    call = False
    numbered_apart = False
    prev = None
    for item in line:
        text = item.get_text()
        if not isinstance(item, LTChar):
            out.append(text)  # pdfminer's inferred spaces
            continue
        # A footnote call: smaller and raised above the line's baseline.
        raised = item.size < size * 0.8 and item.y0 > baseline + size * 0.25 and text.isdigit()
        if raised and not call:
            out.append("[")
            call = True
        elif call and not raised:
            spaces = len(out[-1]) - len(out[-1].rstrip()) if out else 0
            out.insert(len(out) - 1 if spaces and out[-1].strip() == "" else len(out), "]")
            call = False
        if prev is not None and item.x0 - prev.x1 > size * 0.9 and not out[-1].endswith(" "):
            out.append(" ")
            head = "".join(out).strip()
            if _NUMBER_START.match(head) and item.x0 - prev.x1 > size * 0.9:
                numbered_apart = True
        out.append(text)
        prev = item
    if call:
        out.append("]")
    text = re.sub(r"\[\s*(\d+)\s*\]", r"[\1]", re.sub(r"\s+", " ", "".join(out))).strip()
    text = _RTL_RUN.sub(lambda m: m.group(0)[::-1], text)
    if not numbered_apart:
        # an em space or a run of spaces after the number: set apart, as UN documents print it
        numbered_apart = _SET_APART.match("".join(out)) is not None
    bold = all("bold" in c.fontname.casefold() for c in chars if c.get_text().strip())
    return _Line(line.x0, line.x1, page_height - line.y1, page_height - line.y0, size, bold, text, numbered_apart)


def _lines(page: Any) -> list[_Line]:
    from pdfminer.layout import LTTextBox, LTTextLine

    out: list[_Line] = []
    for element in page:
        if isinstance(element, LTTextBox):
            for line in element:
                if isinstance(line, LTTextLine):
                    found = _line_of(line, page.height)
                    if found is not None and found.text:
                        out.append(found)
        elif isinstance(element, LTTextLine):
            found = _line_of(element, page.height)
            if found is not None and found.text:
                out.append(found)
    return out


def _reading_order(lines: list[_Line], width: float) -> list[_Line]:
    """Top to bottom; on a two-column page, each band between full-width lines column by column."""
    # Rows: pieces of one visual line (pdfminer splits a justified line at wide gaps) side by side.
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
    edges = Counter(round(ln.x0) for ln in right)
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
    """The text of one pdfminer page laid out as described in the module docstring."""
    lines = _lines(page)
    if not lines:
        return ""
    joined = "".join(ln.text for ln in lines)
    if len(_GARBAGE.findall(joined)) > max(5, len(joined) // 20):
        state.garbage_pages.append(number)
        return ""
    height = page.height
    sizes: Counter[float] = Counter()
    for ln in lines:
        sizes[ln.size] += len(ln.text)
    body = sizes.most_common(1)[0][0]
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
            (below is not None and below - ln.bottom > ln.size * 1.8 and ln.top < height / 2)
            or (above is not None and ln.top - above > ln.size * 2.8 and ln.top > height / 2)
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
    ordered = _reading_order(kept, page.width)
    return "\n".join(_paragraphs(ordered, body))


def _paragraphs(lines: list[_Line], body: float) -> Iterator[str]:
    """One output line per paragraph or heading, blank lines between them."""
    para: list[_Line] = []

    def flush() -> Iterator[str]:
        if not para:
            return
        text = para[0].text
        for ln in para[1:]:
            if text.endswith("-") and ln.text[:1].islower() and text[-2:-1].isalpha():
                text = text[:-1] + ln.text  # typographic hyphenation
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

    prev: _Line | None = None
    for ln in lines:
        if prev is not None:
            gap = ln.top - prev.bottom
            style_change = (ln.size != prev.size) or (ln.bold != prev.bold)
            column_jump = ln.top < prev.top - 2  # moved to the top of the next column
            # A number starts a paragraph when it hangs left of the text above or follows a full stop;
            # a wrapped line that happens to start with "10)" does neither.
            number_first = ln.numbered_apart or _NUMBER_START.match(ln.text.split(" ")[0] or "")
            ends = prev.text.endswith((".", ":", ";")) and not _SYMBOL_DOT.search(prev.text)
            hanging = number_first and (ln.x0 < prev.x0 - 4 or ends)
            if gap > prev.size * 0.55 or style_change or hanging or (column_jump and prev.text.endswith((".", ":"))):
                yield from flush()
        para.append(ln)
        prev = ln
    yield from flush()
