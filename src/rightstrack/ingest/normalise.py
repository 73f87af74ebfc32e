"""Stage 2: clean page text and rebuild the document's paragraphs.

Readers hand over text as the format stores it: PDFs as visual lines with running headers and
words hyphenated at line ends, text files as one paragraph per line with the odd page break left
as a blank line mid-sentence. This stage makes both look the same: one logical paragraph per
``Line``, each remembering the page it starts on.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from rightstrack.core.scripts import fold_homoglyphs  # one homoglyph rule for ingestion and search

from .readers import Page

VERSION = "normalise-1.1"

#: Put by a layout-aware reader before a paragraph number it found set apart in the margin, so the
#: passage can say its label was found by layout; removed here.
LAYOUT_MARK = "\ue000"
#: Put by the layout reader where a line ended in a hyphen: kept ("ill-treatment") or removed
#: ("docu-ment") here with the same rule as for any wrapped line.
HYPHEN_BREAK = "\ue001"

# --- character level --------------------------------------------------------------------------

_SPACES = dict.fromkeys(map(ord, "\u00a0\u2007\u202f\u2009\u200a\u2002\u2003\u2004\u2005\u2006\u3000"), " ")
_DROP = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"), None)
_LIGATURES = {ord("ﬀ"): "ff", ord("ﬁ"): "fi", ord("ﬂ"): "fl", ord("ﬃ"): "ffi", ord("ﬄ"): "ffl", ord("ﬅ"): "st"}
_TABLE = {**_SPACES, **_DROP, **_LIGATURES}


def normalise_text(text: str) -> str:
    """NFC, one kind of newline and space, no invisible characters or ligatures."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n\n")
    return text.translate(_TABLE).replace("\t", " ")


# --- homoglyphs ---------------------------------------------------------------------------------


def search_key(text: str) -> str:
    """A matching key for ``text``: NFKC, homoglyphs folded, case-folded, ё as е, spaces collapsed."""
    text = unicodedata.normalize("NFKC", normalise_text(text))
    text = fold_homoglyphs(text).casefold().replace("ё", "е")
    return re.sub(r"\s+", " ", text).strip()


# --- list markers -------------------------------------------------------------------------------

BULLETS = "-•●▪◦‣∙·*–—○■□►➢✓"
_MARKER = re.compile(
    r"""^(?P<bullet>[-•●▪◦‣∙·*–—○■□►➢✓](?=\s))?\s*
    (?P<open>\*\*|__)?
    (?:
        \((?P<paren>\d{1,3}|[a-z]|[ivxlc]{1,6})\)
      | (?P<num>\d{1,3}(?:\.\d{1,3}){0,3})(?P<numend>[.)])
      | (?P<dotted>\d{1,3}(?:\.\d{1,3}){1,3})(?=\s+[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ])
      | (?P<letter>[a-zа-я])(?P<letterend>[.)])
      | (?P<roman>[ivxlc]{1,6}|[IVXLC]{1,6})\.
      | (?P<upper>[A-ZА-Я])\.(?=\s+[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ])
    )
    (?P<close>\*\*|__)?
    \s+(?=\S)""",
    re.VERBOSE,
)
_BULLET_ONLY = re.compile(r"^(?P<bullet>[-•●▪◦‣∙·*–—○■□►➢✓])\s+(?=\S)")
_GLUED_BULLET = re.compile(r"^([•●▪◦‣∙►➢✓])(?=\w)")


@dataclass(frozen=True, slots=True)
class Marker:
    """A list or paragraph marker split off the start of a line."""

    kind: str  # 'digit', 'letter', 'roman', 'bullet'
    label: str  # '12', '139.61', 'a', 'iv', '-'
    bullet: bool  # a bullet came before the label ("- 12.")


def separate_marker(line: str) -> tuple[Marker | None, str]:
    """Split a leading bullet or number ("- **2.**", "12)", "(a)", "iv.") from the text after it."""
    line = _GLUED_BULLET.sub(r"\1 ", line)
    match = _MARKER.match(line)
    if match and bool(match.group("open")) == bool(match.group("close")):
        g = match.groupdict()
        bullet = bool(g["bullet"])
        rest = line[match.end() :]
        if g["paren"]:
            label = g["paren"]
            kind = "digit" if label.isdigit() else ("roman" if len(label) > 1 else "letter")
        elif g["num"]:
            kind, label = "digit", g["num"]
        elif g["dotted"]:
            kind, label = "digit", g["dotted"]
        elif g["letter"]:
            kind, label = "letter", g["letter"]
        elif g["roman"]:
            kind, label = "roman", g["roman"].lower()
        else:
            kind, label = "letter", g["upper"]
        return Marker(kind, label, bullet), rest
    match = _BULLET_ONLY.match(line)
    if match and not line.startswith("**"):
        return Marker("bullet", "-", True), line[match.end() :]
    return None, line


# --- lines and paragraphs --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Line:
    """A logical line (after unwrapping, a paragraph) and the page it starts on."""

    text: str
    page: int | None
    indent: int = 0
    how: str = ""  # 'layout' when the reader found the paragraph's number by its position


_PAGE_NUMBER = re.compile(
    r"^[\W_]*(?:page|стр\.?|страница|бет)?\s*\d{1,4}(?:\s*(?:of|/|из|из\s)\s*\d{1,4})?[\W_]*$", re.I
)
_TERMINAL = tuple('.;:!?…"”»)')
_HEADING_MD = re.compile(r"^#{1,6}\s")


# UN print-job numbers ("GE.16-12345 (E)", with the barcode digits "*1612345*") are page furniture,
# also when a conversion glued them to a heading.
_JOB_NUMBER = re.compile(r"\bGE\.\d{2}-\d{5}\s*(?:\([A-Z]\))?(?:\s*\d{6}\s+\d{6})?(?:\s*\*\d{7}\*)?|\*\d{7}\*")


def _raw_lines(page: Page) -> list[Line]:
    lines = []
    for raw in _JOB_NUMBER.sub("", normalise_text(page.text)).split("\n"):
        stripped = raw.strip()
        indent = len(raw) - len(raw.lstrip(" "))
        lines.append(Line(re.sub(r" {2,}", " ", stripped), page.number, indent))
    return lines


def _strip_running_lines(pages: list[list[Line]]) -> list[list[Line]]:
    """Drop page numbers and headers/footers that repeat at the top or bottom of most pages."""
    if len(pages) < 2:
        return pages

    def shape(text: str) -> str:
        return re.sub(r"\d+", "#", text.casefold())

    edges: Counter[str] = Counter()
    for lines in pages:
        content = [ln for ln in lines if ln.text]
        if len(content) < 3:  # a page of one or two lines has no header to speak of
            continue
        for ln in {content[0], content[-1]}:
            # A whole or numbered paragraph (as the layout reader gives them) is never a running
            # line, even when a generated document repeats its wording from page to page.
            if len(ln.text) <= 120 and not starts_item(ln.text.lstrip(LAYOUT_MARK)):
                edges[shape(ln.text)] += 1
    repeated = {s for s, n in edges.items() if n >= max(3, len(pages) // 2)}
    cleaned = []
    for lines in pages:
        content_idx = [i for i, ln in enumerate(lines) if ln.text]
        if len(content_idx) < 3:
            cleaned.append(lines)
            continue
        # Page numbers may sit under a header; repeated text only counts on the outermost line.
        near = set(content_idx[:2] + content_idx[-2:])
        outer = {content_idx[0], content_idx[-1]}
        cleaned.append(
            [
                ln
                for i, ln in enumerate(lines)
                if not ((i in near and _PAGE_NUMBER.match(ln.text)) or (i in outer and shape(ln.text) in repeated))
            ]
        )
    return cleaned


_PREFIXES = {
    "anti",
    "non",
    "pre",
    "post",
    "self",
    "co",
    "ex",
    "semi",
    "multi",
    "inter",
    "cross",
    "well",
    "half",
    "counter",
    "socio",
    "quasi",
    "re",
    "sub",
    "super",
    "ultra",
    "mid",
    "long",
    "short",
    "high",
    "low",
    "full",
    "part",
    "year",
    "state",
    "law",
    "human",
    "pro",
    "de",
    "by",
}


def _join(left: str, right: str, vocab: set[str]) -> str:
    """Join two pieces of one paragraph, undoing end-of-line hyphenation where it was typographic."""
    match = re.search(r"(\w+)-$", left)
    if match and right[:1].islower():
        head = match.group(1)
        tail = re.match(r"\w+", right)
        whole = head + (tail.group(0) if tail else "")
        hyphenated = f"{head}-{tail.group(0) if tail else ''}".casefold()
        # Keep the hyphen of a real compound: the document spells it that way elsewhere, or the
        # first part is a prefix that English/Russian writes with a hyphen.
        if (
            hyphenated in vocab
            or not head.isalpha()
            or (whole.casefold() not in vocab and head.casefold() in _PREFIXES)
        ):
            return left + right
        return left[:-1] + right
    if left.endswith("-") and not left.endswith(" -"):
        return left + right
    return f"{left} {right}"


def starts_item(text: str) -> bool:
    """True when a line opens a new paragraph by its form (marker, Markdown heading, table row)."""
    if _HEADING_MD.match(text) or text.startswith("|"):
        return True
    marker, _ = separate_marker(text)
    return marker is not None


def _continues_enumeration(prev: str, line: str) -> bool:
    """True for "(e) ..." right after a line that already contains "(d)" (an inline list)."""
    match = re.match(r"^\(?([a-z])\)\s", line)
    if not match or match.group(1) == "a":
        return False
    before = chr(ord(match.group(1)) - 1)
    # Mid-text only: a previous line that *starts* with "(d)" is a list item of its own.
    return re.search(rf"[\s;,:]\(?{before}\)\s", prev) is not None


def _unwrap(block: list[Line], vocab: set[str]) -> list[Line]:
    """Join the visual lines of a block into paragraphs.

    A line continues the previous one unless it starts with a marker or heading, is indented
    more than the block's body text, or the previous line was short (a wrapped line runs close to
    the block's full width; a paragraph's last line usually does not).
    """
    width = max(len(ln.text) for ln in block)
    body_indent = Counter(ln.indent for ln in block).most_common(1)[0][0]
    out: list[Line] = []
    prev_len = 0
    for ln in block:
        if out:
            prev = out[-1]
            lower = ln.text[:1].islower()
            # Wrapped text runs to a column of at most ~200 characters; files with one long line
            # per paragraph are not wrapped, whatever their line lengths.
            wrapped = prev_len >= 40 and prev_len >= width * 0.75 and width <= 200
            # A marker at the start of a line that follows a full, unfinished line is an inline
            # enumeration that happened to wrap there ("... (d) x; (e) y"), not a new item.
            inline_marker = not prev.text.endswith(_TERMINAL) and (
                (wrapped and prev_len >= width * 0.9) or _continues_enumeration(prev.text, ln.text)
            )
            if prev.text.endswith("/") and not ln.text[:1].isspace():
                # a line never ends a paragraph in the middle of a path or document symbol
                out[-1] = Line(prev.text + ln.text, prev.page, prev.indent, prev.how)
                prev_len = len(ln.text)
                continue
            continues = (
                (not starts_item(ln.text) or (inline_marker and not _HEADING_MD.match(ln.text)))
                and not (_HEADING_MD.match(prev.text) and not wrapped)
                and not (ln.indent > body_indent + 1 and not lower)
                and (wrapped or (lower and not prev.text.endswith(_TERMINAL)))
            )
            if continues:
                out[-1] = Line(_join(prev.text, ln.text, vocab), prev.page, prev.indent, prev.how)
                prev_len = len(ln.text)
                continue
        out.append(ln)
        prev_len = len(ln.text)
    return out


def _is_continuation(prev: Line, nxt: Line) -> bool:
    """A paragraph cut by a page break (or a blank line left where one was) resumes in lower case."""
    if _HEADING_MD.match(prev.text) or prev.text.endswith("**"):
        return False
    if prev.text.endswith((";", ",")) and _continues_enumeration(prev.text, nxt.text):
        return True
    if prev.text.endswith(_TERMINAL):
        return False
    first = nxt.text.lstrip("\"'“«(")[:1]
    return (first.islower() and not starts_item(nxt.text)) or _continues_enumeration(prev.text, nxt.text)


# A paragraph number alone on its line ("12." above the text, as PDF conversions print it).
_NUMBER_ONLY = re.compile(r"^\(?\d{1,3}(?:\.\d{1,3})?[.)]$")


def _split_pages(pages: Iterable[Page]) -> Iterable[Page]:
    """Text conversions of PDFs keep the page breaks as form feeds: treat them as pages, so their
    running headers and page numbers are found as in a PDF."""
    for page in pages:
        if page.number is None and "\f" in page.text:
            yield from (Page(None, part) for part in page.text.split("\f"))
        else:
            yield page


def _rejoined(line: Line, vocab: set[str]) -> Line:
    if HYPHEN_BREAK not in line.text:
        return line
    left, *rest = line.text.split(HYPHEN_BREAK)
    for right in rest:
        left = _join(left, right, vocab)
    return Line(left, line.page, line.indent, line.how)


def _layout_marked(line: Line) -> Line:
    if LAYOUT_MARK not in line.text:
        return line
    how = "layout" if line.text.startswith(LAYOUT_MARK) else line.how
    return Line(line.text.replace(LAYOUT_MARK, ""), line.page, line.indent, how)


def paragraphs(pages: Iterable[Page]) -> list[Line]:
    """Rebuild logical paragraphs (one ``Line`` each, blank-free) from a document's pages."""
    page_lines = _strip_running_lines([_raw_lines(p) for p in _split_pages(pages)])
    vocab = {w.casefold() for lines in page_lines for ln in lines for w in re.findall(r"\w+(?:-\w+)*", ln.text)}
    out: list[Line] = []
    for lines in page_lines:
        block: list[Line] = []
        for ln in [*lines, Line("", None)]:
            if ln.text:
                block.append(ln)
                continue
            if not block:
                continue
            for para in _unwrap(block, vocab):
                prev = out[-1] if out else None
                if prev is not None and _NUMBER_ONLY.match(prev.text.replace(LAYOUT_MARK, "")):
                    out[-1] = Line(f"{prev.text} {para.text}", prev.page, prev.indent, prev.how)
                elif prev is not None and _is_continuation(prev, para):
                    out[-1] = Line(_join(prev.text, para.text, vocab), prev.page, prev.indent, prev.how)
                else:
                    out.append(para)
            block = []
    return [_layout_marked(_rejoined(line, vocab)) for line in out]
