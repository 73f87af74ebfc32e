"""Periods of figures: parse what people type ("2024", "2024-01..2024-10", "Jan–Oct 2024") into dates.

A period is stored as first day, last day and precision (year · month · day) plus a canonical label,
so two figures for "Jan–Oct 2024" and "2024-01..2024-10" are recognised as the same period.
Pure functions, no Django models: the parser is used by actions, forms, the API and acceptors.
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

YEAR, MONTH, DAY = "year", "month", "day"
MIN_YEAR, MAX_YEAR = 1900, 2100
MAX_TEXT = 60

MONTHS = {
    # English, then Russian (nominative and genitive stems); matched on the first letters.
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
    "янв": 1, "фев": 2, "мар": 3, "апр": 4, "май": 5, "мая": 5, "июн": 6,
    "июл": 7, "авг": 8, "сен": 9, "окт": 10, "ноя": 11, "дек": 12,
}  # fmt: skip


class PeriodError(ValueError):
    """The text does not describe a period; the message says what is accepted."""


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date
    precision: str  # YEAR, MONTH or DAY

    @property
    def label(self) -> str:
        """Canonical text: 2024 · 2021..2024 · 2024-03 · 2024-01..2024-10 · 2024-03-01..2024-06-30."""
        if self.precision == YEAR:
            first, last = str(self.start.year), str(self.end.year)
        elif self.precision == MONTH:
            first, last = f"{self.start:%Y-%m}", f"{self.end:%Y-%m}"
        else:
            first, last = self.start.isoformat(), self.end.isoformat()
        return first if first == last else f"{first}..{last}"

    @property
    def chart_key(self) -> str:
        """Where the period sits on a yearly chart: its year when it lies within one year."""
        return str(self.start.year) if self.start.year == self.end.year else self.label

    @property
    def whole_years(self) -> bool:
        return (self.start.month, self.start.day, self.end.month, self.end.day) == (1, 1, 12, 31)

    def overlaps(self, other: Period) -> bool:
        return self.start <= other.end and other.start <= self.end

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def _last_day(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def _year(text: str) -> int:
    year = int(text)
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise PeriodError(
            _("The year %(year)s is outside %(min)s–%(max)s.") % {"year": year, "min": MIN_YEAR, "max": MAX_YEAR}
        )
    return year


def _month(text: str) -> int:
    month = int(text) if text.isdigit() else MONTHS.get(text.lower().rstrip(".")[:3], 0)
    if not 1 <= month <= 12:
        raise PeriodError(_("“%(text)s” is not a month.") % {"text": text})
    return month


def _date(text: str) -> datetime.date:
    text = text.strip()
    match = re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", text)  # 01.03.2024, as written in Russian
    if match:
        text = f"{match.group(3)}-{int(match.group(2)):02d}-{int(match.group(1)):02d}"
    try:
        value = datetime.date.fromisoformat(text)
    except ValueError:
        raise PeriodError(_("“%(text)s” is not a date (use YYYY-MM-DD).") % {"text": text})
    _year(str(value.year))
    return value


_MONTH_WORD = r"([A-Za-zА-Яа-яЁё]{3,}\.?)"
_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"(\d{4})"), "year"),
    (re.compile(r"(\d{4})\s*(?:\.\.|-)\s*(\d{4})"), "years"),
    (re.compile(r"(\d{4})-(\d{1,2})"), "month"),
    (re.compile(r"(\d{4})-(\d{1,2})\s*\.\.\s*(\d{4})-(\d{1,2})"), "months"),
    (re.compile(r"(\d{4}-\d{2}-\d{2}|\d{1,2}\.\d{1,2}\.\d{4})"), "date"),
    (
        re.compile(r"(\d{4}-\d{2}-\d{2}|\d{1,2}\.\d{1,2}\.\d{4})\s*\.\.\s*(\d{4}-\d{2}-\d{2}|\d{1,2}\.\d{1,2}\.\d{4})"),
        "dates",
    ),
    (re.compile(_MONTH_WORD + r"\s+(\d{4})"), "named-month"),
    (re.compile(_MONTH_WORD + r"\s*\.\.\s*" + _MONTH_WORD + r"\s+(\d{4})"), "named-months"),
    (re.compile(_MONTH_WORD + r"\s+(\d{4})\s*\.\.\s*" + _MONTH_WORD + r"\s+(\d{4})"), "named-months-years"),
    (re.compile(r"[QqКк]([1-4])\s+(\d{4})"), "quarter"),
    (re.compile(r"[HhПп]([12])\s+(\d{4})"), "half"),
]


def _normalise(text: str) -> str:
    text = " ".join(text.split())
    # En/em dashes, minus signs and the words "to"/"до"/"по" all separate the two ends of a range.
    text = re.sub(r"\s*[–—−]\s*|\s+(?:to|до|по)\s+|\s+-\s+", "..", text)
    return re.sub(r"\s*\.\.\.?\s*", "..", text)


def parse(text: str) -> Period:
    """Read a period from text, or raise PeriodError with a message that says what is accepted."""
    if not isinstance(text, str) or not text.strip():
        raise PeriodError(_("A period is required (for example 2024, 2024-01..2024-10 or Jan–Oct 2024)."))
    if len(text) > MAX_TEXT:
        raise PeriodError(_("A period is at most %(n)s characters.") % {"n": MAX_TEXT})
    clean = _normalise(text.strip())
    for pattern, kind in _PATTERNS:
        match = pattern.fullmatch(clean)
        if (
            match
            and kind.startswith("named")
            and not all(MONTHS.get(g.lower().rstrip(".")[:3]) for g in match.groups() if not g.isdigit())
        ):
            continue  # "since 2021", "about 2024": words that are not months make it no period at all
        if match:
            period = _build(kind, match.groups())
            if period.end < period.start:
                raise PeriodError(_("The period “%(text)s” ends before it starts.") % {"text": text.strip()})
            return period
    raise PeriodError(
        _(
            "“%(text)s” is not a period. Use a year (2024), years (2021–2024), months "
            "(2024-01..2024-10 or Jan–Oct 2024), a quarter (Q1 2024) or dates (2024-03-01..2024-06-30)."
        )
        % {"text": text.strip()}
    )


def _build(kind: str, g: tuple[str, ...]) -> Period:
    if kind == "year":
        y = _year(g[0])
        return Period(datetime.date(y, 1, 1), datetime.date(y, 12, 31), YEAR)
    if kind == "years":
        return Period(datetime.date(_year(g[0]), 1, 1), datetime.date(_year(g[1]), 12, 31), YEAR)
    if kind == "month":
        y, m = _year(g[0]), _month(g[1])
        return Period(datetime.date(y, m, 1), _last_day(y, m), MONTH)
    if kind == "months":
        y1, m1, y2, m2 = _year(g[0]), _month(g[1]), _year(g[2]), _month(g[3])
        return Period(datetime.date(y1, m1, 1), _last_day(y2, m2), MONTH)
    if kind == "date":
        day = _date(g[0])
        return Period(day, day, DAY)
    if kind == "dates":
        return Period(_date(g[0]), _date(g[1]), DAY)
    if kind == "named-month":
        y, m = _year(g[1]), _month(g[0])
        return Period(datetime.date(y, m, 1), _last_day(y, m), MONTH)
    if kind == "named-months":
        y = _year(g[2])
        return Period(datetime.date(y, _month(g[0]), 1), _last_day(y, _month(g[1])), MONTH)
    if kind == "named-months-years":
        y1, y2 = _year(g[1]), _year(g[3])
        return Period(datetime.date(y1, _month(g[0]), 1), _last_day(y2, _month(g[2])), MONTH)
    if kind == "quarter":
        q, y = int(g[0]), _year(g[1])
        return Period(datetime.date(y, 3 * q - 2, 1), _last_day(y, 3 * q), MONTH)
    # half year
    h, y = int(g[0]), _year(g[1])
    return Period(datetime.date(y, 6 * h - 5, 1), _last_day(y, 6 * h), MONTH)


def from_suggestion(value: object) -> tuple[Period, bool]:
    """A period as the ingestion detectors give it ({start, end, partial, text} or text); returns (period, partial)."""
    if isinstance(value, dict):
        start, end = value.get("start"), value.get("end")
        if not start:
            raise PeriodError(_("The figure has no period."))
        if not end:
            raise PeriodError(
                _("The period “%(text)s” has no end; give the period it covers.") % {"text": value.get("text") or start}
            )
        text = str(start) if str(start) == str(end) else f"{start}..{end}"
        return parse(text), bool(value.get("partial"))
    if isinstance(value, str):
        return parse(value), False
    raise PeriodError(_("The figure has no period."))


def from_stored(start: datetime.date, end: datetime.date, precision: str) -> Period:
    return Period(start, end, precision)
