"""One way to write a date for people, per language: `4 December 2026`, `4 декабря 2026 г.`, `2026 жылғы 4 желтоқсан`.

Pages, lists and reports show dates through `day()` / `moment()` (templates: `{{ value|day }}`, `{{ value|moment }}`).
Data columns of exports and `<time datetime>` attributes stay ISO: they are for machines.
Month names and their grammatical case come from Babel's CLDR data; only the order and the year word are ours.
"""

from __future__ import annotations

import datetime

from babel.dates import format_date, format_time, get_month_names
from django.utils import timezone
from django.utils.translation import get_language

# Month and year (a date known only to the month), in the same order as the day patterns.
MONTH_PATTERNS = {"en": "LLLL y", "ru": "LLLL y 'г'.", "kk": "y 'жылғы' MMMM"}  # CLDR's Kazakh LLLL is capitalised
# CLDR's "long" patterns, except English (the day first, as UN documents write it) and Kazakh (the full
# "жылғы" that official Kazakh texts use instead of CLDR's abbreviation "ж.").
PATTERNS = {"en": "d MMMM y", "ru": "d MMMM y 'г'.", "kk": "y 'жылғы' d MMMM"}


def _language(language: str | None) -> str:
    code = (language or get_language() or "en").split("-")[0].lower()
    return code if code in PATTERNS else "en"


def day(value: datetime.date | datetime.datetime | str | None, language: str | None = None) -> str:
    """The date as the language writes it; "" for no date. A datetime is first taken to local time; an ISO
    string (a built report's stored date) is read first, and any other text is shown as it is."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            value = datetime.date.fromisoformat(value[:10])
        except ValueError:
            return value
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        value = value.date()
    code = _language(language)
    return format_date(value, PATTERNS[code], locale=code)


def month(value: datetime.date | None, language: str | None = None) -> str:
    """The month and year as the language writes them ("December 2026", "декабрь 2026 г.", "2026 жылғы желтоқсан")."""
    if value is None or value == "":
        return ""
    code = _language(language)
    return format_date(value, MONTH_PATTERNS[code], locale=code)


def moment(value: datetime.datetime | None, language: str | None = None) -> str:
    """A date and time (audit log, readings, verdicts): the day as `day()` writes it, then HH:MM local time."""
    if value is None or value == "":
        return ""
    if not isinstance(value, datetime.datetime):
        return day(value, language)
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{day(local, language)}, {format_time(local, 'HH:mm', locale=_language(language))}"


def picker_hint(language: str | None = None) -> tuple[str, list[str]]:
    """What app.js needs to write a picked date as `day()` does: a pattern with {d} {m} {y} and the 12 month
    names (in the grammatical form a date uses: "декабря", not "декабрь")."""
    code = _language(language)
    names = get_month_names("wide", context="format", locale=code)
    pattern = PATTERNS[code].replace("MMMM", "{m}").replace("d", "{d}", 1).replace("y", "{y}", 1)
    return pattern.replace("'", ""), [names[n] for n in range(1, 13)]
