"""Text that goes into report sentences: recommendation texts made quotable, dates and State names localised."""

from __future__ import annotations

import datetime
import re

from django.utils.translation import get_language

from rightstrack.core.dates import day
from rightstrack.core.states import state_name

__all__ = ["date_text", "quotable", "shortened", "state_name"]

# List markers a recommendation keeps from the document it was cut out of: "(a)", "a)", "12.", "-", "•".
_MARKER = re.compile(r"^\s*(?:\(?[a-z]{1,2}\)|\(?\d{1,3}[.)]|[-–—•·*])\s+", re.IGNORECASE)
# What a list item ends with before the next item: separators and a dangling "and"/"or"/"и"/"или".
_TRAILING = re.compile(r"(?:[\s;,:.]+|\s+(?:and|or|и|или))+$", re.IGNORECASE)
_PAIRS = {"“": "”", "«": "»", "„": "“", "‘": "’", "(": ")", "[": "]"}


def quotable(text: str) -> str:
    """A recommendation's text ready to quote inside our own sentence: "…to develop a plan;" → "To develop a plan".

    One line, no list marker, sentence case, no trailing separators (the sentence adds its own full stop),
    quotation marks and brackets balanced so the quote we wrap it in closes where it should, and quotation
    marks inside it of the inner kind for the active language.
    """
    text = " ".join(str(text or "").split())
    text = _MARKER.sub("", text)
    text = _TRAILING.sub("", text)
    text = _nested(_balance(text), (get_language() or "en")[:2] in ("ru", "kk"))
    if text[:1].islower():
        text = text[0].upper() + text[1:]
    return text


def _balance(text: str) -> str:
    """Drop quotation marks and brackets that are never closed (or closed without being opened)."""
    if text.count('"') % 2:
        # An odd straight quote: the one at the very start or end is the stray one (cut from a longer quote).
        text = text[1:] if text.startswith('"') else text[:-1] if text.endswith('"') else text.replace('"', "", 1)
    stack: list[tuple[str, int]] = []
    drop: set[int] = set()
    closers = {v: k for k, v in _PAIRS.items() if k != "„"}
    for i, ch in enumerate(text):
        if stack and ch == _PAIRS.get(stack[-1][0]):
            stack.pop()
        elif ch in _PAIRS:
            stack.append((ch, i))
        elif ch in closers:
            drop.add(i)
    drop.update(i for _ch, i in stack)
    return "".join(ch for i, ch in enumerate(text) if i not in drop).strip()


def _nested(text: str, guillemets: bool) -> str:
    """Quotation marks inside our quotation become the inner kind: ‘…’ in English, „…“ in Russian and Kazakh."""
    inner_open, inner_close = ("„", "“") if guillemets else ("‘", "’")
    out: list[str] = []
    stack: list[str] = []
    for ch in text:
        closes = stack and (ch == '"' and stack[-1] == '"' or ch == _PAIRS.get(stack[-1]))
        if closes:
            stack.pop()
            out.append(inner_close)
        elif ch in '"“«„':
            stack.append(ch)
            out.append(inner_open)
        else:
            out.append(ch)
    return "".join(out)


def shortened(text: str, limit: int = 300) -> str:
    """At most `limit` characters, cut at a word boundary with an ellipsis (for table cells, never for quotes)."""
    text = " ".join(str(text or "").split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(" ,;:") + " …"


def date_text(value: datetime.date | None) -> str:
    """A date as the active language writes it, the same on report pages as everywhere (core/dates.py)."""
    return day(value)
