"""The date of a document and, in meeting summaries and summary records, the date of the meeting.

Two kinds of evidence, strongest first:

* a meeting date: a full date after words that introduce a meeting ("held … on Tuesday, 12 March 2024",
  "заседания, состоявшегося … 12 марта 2024 года", "… өткен отырыс"), anywhere near the start;
* a date line: a block near the top that is a date and little else ("26.06.2025", "Distr.: General
  20 March 2024", "WARSAW, 6 May 2025", "*May 2025*"). In a press summary that says the meeting happened
  "today", the date line is the meeting's date.

Dates inside UN symbols or paragraph labels are never read as dates: symbols are blanked first, and a date
must be a day-month-year (or month-year on a date line of its own). A date after ``today`` is ignored.
Pure: no database.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass

from .dates import find_dates
from .symbols import find_symbols

VERSION = "docdate-1.0"

MEETING, DOCUMENT = "meeting", "document"

#: How far into the document to look: the header block, the title and the first paragraphs.
TOP_BLOCKS = 12
MEETING_BLOCKS = 40

# Words shortly before a date that make it the meeting's date.
_MEETING_CUE = re.compile(
    r"(?:\b(?:held|took\s+place|convened|met|meeting|session|dialogue)\b"
    r"|состоя\w*|проходи\w*|проведен\w*|прошедш\w*|заседани\w*|сесси\w*"
    r"|өткен|өтк[еі]з\w*|отырыс\w*)",
    re.I,
)
_MEETING_CUE_AFTER = re.compile(r"^\w*[^\w.;]{1,3}(?:өткен|өткізілген|болған)\s+отырыс\w*", re.I)
# Nothing but a weekday, "on", "at", a place or a comma between the cue and the date.
_MEETING_GAP = 100
_TODAY = re.compile(r"\b(?:today|this\s+morning|this\s+afternoon)\b|\bсегодня\b|\bбүгін\b", re.I)
_RANGE_END = re.compile(r"(?:\bfrom\b|\bс\b)[^.;]{0,40}(?:\bto|\bпо|\bдо|[-–—])\s*$|[-–—]\s*$", re.I)
# A news dateline: "WARSAW, 6 May 2025 – In a report …"
_DATELINE_PLACE = re.compile(r"^[A-ZА-ЯЁ][A-ZА-ЯЁ .\-]{1,30},?\s*$")
_DATELINE_AFTER = re.compile(r"^\s*[–—-]")
# What may stand beside a date on a date line: "Distr.: General", "Date:", a city in capitals, "Original: English".
_LINE_LEFTOVER = 40


@dataclass(frozen=True, slots=True)
class DocumentDate:
    date: datetime.date
    kind: str  # MEETING or DOCUMENT
    text: str  # the words it was read from
    block: int  # index of the block it was found in

    def as_dict(self, passage: int | None = None) -> dict[str, object]:
        return {"date": self.date.isoformat(), "kind": self.kind, "text": self.text, "passage": passage}


def _blank_symbols(text: str) -> str:
    """Replace UN symbols by spaces (same length) so "E/C.12/2024/1" never looks like a date."""
    for symbol in set(find_symbols(text)):
        text = text.replace(symbol, " " * len(symbol))
    return text


def _to_date(value: str) -> tuple[datetime.date, bool] | None:
    """(date, has a day) for an ISO 'YYYY-MM-DD' or 'YYYY-MM'; None for anything else or impossible dates."""
    parts = value.split("-")
    if len(parts) not in (2, 3) or not parts[0].isdigit():
        return None
    try:
        day = int(parts[2]) if len(parts) == 3 else 1
        return datetime.date(int(parts[0]), int(parts[1]), day), len(parts) == 3
    except ValueError:
        return None


def _meeting_date(text: str, today: datetime.date) -> tuple[datetime.date, str] | None:
    for mention in find_dates(text):
        found = _to_date(mention.value)
        if found is None or not found[1] or found[0] > today:
            continue
        before = text[max(0, mention.start - _MEETING_GAP) : mention.start]
        if _RANGE_END.search(before):
            continue  # "held from 23 June to 17 July 2025": a session's end, not a meeting's day
        # The cue must be in the same sentence as the date.
        before = re.split(r"[.;!?](?:\s|$)", before)[-1]
        if _MEETING_CUE.search(before):
            start = max(0, mention.start - len(before))
            return found[0], " ".join(text[start : mention.end].split())
        after = _MEETING_CUE_AFTER.match(text[mention.end :])
        if after:  # Kazakh puts the verb after the date: "2024 жылғы 5 сәуірде өткен отырыс"
            return found[0], " ".join(text[mention.start : mention.end + after.end()].split())
    return None


def _dateline(text: str, today: datetime.date) -> tuple[datetime.date, str] | None:
    mentions = find_dates(text[:80])
    if not mentions:
        return None
    mention = mentions[0]
    found = _to_date(mention.value)
    if found is None or not found[1] or found[0] > today:
        return None
    if _DATELINE_PLACE.match(text[: mention.start]) and _DATELINE_AFTER.match(text[mention.end :]):
        return found[0], text[: mention.end].strip()
    return None


def _date_line(text: str, today: datetime.date) -> tuple[datetime.date, str] | None:
    return _short_line(text, today) or _dateline(text, today)


def _short_line(text: str, today: datetime.date) -> tuple[datetime.date, str] | None:
    mentions = find_dates(text)
    if len(text) > 120 or len(mentions) != 1:
        return None
    mention = mentions[0]
    found = _to_date(mention.value)
    if found is None or found[0] > today:
        return None
    leftover = (text[: mention.start] + text[mention.end :]).strip(" \t*_–—-,:;.()")
    if len(leftover) > _LINE_LEFTOVER or re.search(r"\d", leftover):
        return None  # a sentence that mentions a date, or a numbered paragraph: not a date line
    return found[0], " ".join(text.split())


def find_document_date(blocks: Sequence[str], *, today: datetime.date | None = None) -> DocumentDate | None:
    """The meeting's date if the document names one near its start, else its own date line, else None."""
    today = today or datetime.date.today()
    texts = [_blank_symbols(t) for t in blocks[:MEETING_BLOCKS]]
    line = next(
        ((i, found) for i, t in enumerate(texts[:TOP_BLOCKS]) if (found := _date_line(t, today)) is not None), None
    )
    # A press summary dated at the top that says the meeting happened "today": that date is the meeting's.
    if line is not None and any(_TODAY.search(t) for t in texts[: line[0] + 4]):
        return DocumentDate(line[1][0], MEETING, line[1][1], line[0])
    for index, text in enumerate(texts):
        found = _meeting_date(text, today)
        if found is not None:
            return DocumentDate(found[0], MEETING, found[1], index)
    if line is not None:
        return DocumentDate(line[1][0], DOCUMENT, line[1][1], line[0])
    return None
