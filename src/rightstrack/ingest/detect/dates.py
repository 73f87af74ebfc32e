"""Dates written with English, Russian or Kazakh month names, or as numbers (26.06.2025)."""

from __future__ import annotations

import re
from dataclasses import dataclass

VERSION = "dates-1.0"

_EN = {
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_RU_STEMS = (
    ("январ", 1),
    ("феврал", 2),
    ("март", 3),
    ("апрел", 4),
    ("мая", 5),
    ("май", 5),
    ("мае", 5),
    ("июн", 6),
    ("июл", 7),
    ("август", 8),
    ("сентябр", 9),
    ("октябр", 10),
    ("ноябр", 11),
    ("декабр", 12),
    ("қаңтар", 1),
    ("ақпан", 2),
    ("наурыз", 3),
    ("сәуір", 4),
    ("мамыр", 5),
    ("маусым", 6),
    ("шілде", 7),
    ("тамыз", 8),
    ("қыркүйек", 9),
    ("қазан", 10),
    ("қараша", 11),
    ("желтоқсан", 12),
)
#: A month's name in English, Russian or Kazakh, any case ending (also used by the reports' source check).
MONTH_WORD = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?|"
    r"(?:январ|феврал|март|апрел|ма[йяе]|июн|июл|август|сентябр|октябр|ноябр|декабр)[а-я]*|"
    r"(?:қаңтар|ақпан|наурыз|сәуір|мамыр|маусым|шілде|тамыз|қыркүйек|қазан|қараша|желтоқсан)[а-яәғқңөұүһі]*"
)
_YEAR = r"(?:1[89]\d\d|20\d\d)"
_PATTERNS = (
    # Kazakh puts the year first: 2024 жылғы 12 наурыз(да)
    re.compile(rf"\b(?P<y>{_YEAR})\s*(?:жылғы|жыл\.|ж\.)\s+(?P<d1>\d{{1,2}})\s+(?P<m>{MONTH_WORD})", re.I),
    # 2 and 7 January 2022 / 2–7 January 2022 / 2 января 2022 года
    re.compile(
        rf"\b(?P<d1>\d{{1,2}})(?:\s*(?:and|to|[-–—]|и|по)\s*(?P<d2>\d{{1,2}}))?\s+(?P<m>{MONTH_WORD})"
        rf"(?:,?\s+(?P<y>{_YEAR}))?(?:\s*(?:года|г\.|жылы|ж\.))?",
        re.I,
    ),
    # May 6, 2025 / May 2025 / январь 2022
    re.compile(rf"\b(?P<m>{MONTH_WORD})(?:\s+(?P<d1>\d{{1,2}}),)?\s+(?P<y>{_YEAR})\b", re.I),
    # 26.06.2025 / 05.10.22 / 2025-06-26
    re.compile(r"(?<![\d.])(?P<d1>[0-3]?\d)\.(?P<mn>[01]?\d)\.(?P<y>(?:19|20)?\d\d)(?![\d.]\d)"),
    re.compile(rf"\b(?P<y>{_YEAR})-(?P<mn>[01]\d)-(?P<d1>[0-3]\d)\b"),
)


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date found in text: ISO value ('2022-01-07', '2022-01', or '--01-07' without a year)."""

    start: int
    end: int
    text: str
    value: str
    end_value: str | None = None  # for "2 and 7 January 2022" style ranges


def month_number(word: str) -> int | None:
    """Month number for an English, Russian or Kazakh month name (any case or inflection)."""
    word = word.casefold().rstrip(".")
    if word in _EN:
        return _EN[word]
    for stem, number in _RU_STEMS:
        if word.startswith(stem):
            return number
    return None


def find_dates(text: str) -> list[DateMention]:
    """Dates in ``text``, left to right, without overlaps."""
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    for pattern in _PATTERNS:
        for match in pattern.finditer(text):
            if any(a < match.end() and match.start() < b for a, b in taken):
                continue
            g = match.groupdict()
            month = int(g["mn"]) if g.get("mn") else month_number(g["m"])
            if not month or not 1 <= month <= 12:
                continue
            year = g.get("y")
            if year and len(year) == 2:
                year = f"20{year}"
            day = int(g["d1"]) if g.get("d1") else None
            if day is not None and not 1 <= day <= 31:
                continue
            if day is None and not year:
                continue
            if g.get("m") and g["m"].casefold().startswith("may") and day is None and not year:
                continue  # the modal verb "may"
            prefix = year if year else "-"
            value = f"{prefix}-{month:02d}" + (f"-{day:02d}" if day else "")
            end_value = None
            if g.get("d2"):
                end_value = f"{prefix}-{month:02d}-{int(g['d2']):02d}"
            found.append(DateMention(match.start(), match.end(), match.group(0), value, end_value))
            taken.append(match.span())
    return sorted(found, key=lambda d: d.start)
