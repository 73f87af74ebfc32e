"""Figures: a number, what it counts (its unit), the period it covers and the sentence it is in.

Numbers that are not statistics are left out: dates, years, document symbols, UPR IDs,
article/paragraph references, times of day, ordinals and numbers glued to words ("Covid-19").
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from .dates import find_dates, month_number
from .symbols import find_symbols
from .upr import find_ids

VERSION = "figures-1.1"

_NUMBER = re.compile(
    r"(?<![\w.,/\-])(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{1,3}(?: \d{3})+(?![\d])|\d+(?:[.,]\d+)?)(?![\w/]|[.,]\d)"
)
_REFERENCE_BEFORE = re.compile(
    r"(?:\bArticles?|\bArt\.|\bparagraphs?|\bparas?\.|\bsections?|\bchapters?|\bparts?|\bpoints?|\bNo\.|"
    r"\bnumber|§|\bп\.|\bч\.|\bст\.|\bстать[яиейю]|\bпункт\w*|\bчаст\w*|\bglava|\bглав\w*|\bLaw|\bresolution|"
    r"\bsession|\bcycle|\bProtocol|\bitem)\s*(?:\d+[.,]?\s*(?:,|and|or|и)\s*)*$",
    re.I,
)
_TIME_AFTER = re.compile(r"^\s*(?:a\.m\.|p\.m\.|am\b|pm\b|h\b|ч\.|o'clock|:\d\d)", re.I)
_ORDINAL_AFTER = re.compile(r"^(?:st|nd|rd|th|-й|-я|-е|-го|-м|-ом|-х|-ый|-ий)\b", re.I)
_MULTIPLIER = re.compile(r"^\s*(thousand|million|billion|тыс\.?|тысяч\w*|млн\.?|миллион\w*|млрд\.?|миллиард\w*)", re.I)
_MULTIPLIERS = {
    "thousand": 1e3,
    "тыс": 1e3,
    "тысяч": 1e3,
    "million": 1e6,
    "млн": 1e6,
    "миллион": 1e6,
    "billion": 1e9,
    "млрд": 1e9,
    "миллиард": 1e9,
}
_PERCENT = re.compile(r"^\s*(?:%|per\s*cent\b|percent\b|процент\w*|пайыз\w*)", re.I)
_CURRENCY_AFTER = re.compile(r"^\s*(tenge|тенге|теңге|KZT|USD|US dollars|dollars|EUR|euros?|рубл\w*)\b", re.I)
_CURRENCY_BEFORE = re.compile(r"(\$|€|₸|USD|EUR|KZT)\s*$")
_UNIT_WORD = re.compile(r"^\s*[–—-]?\s*([^\W\d_][\w'’\-]*)")
_STOP = frozenset(
    [
        "the",
        "a",
        "an",
        "and",
        "or",
        "to",
        "in",
        "on",
        "at",
        "of",
        "from",
        "by",
        "with",
        "for",
        "was",
        "were",
        "is",
        "are",
        "be",
        "been",
        "being",
        "had",
        "have",
        "has",
        "did",
        "do",
        "does",
        "will",
        "would",
        "could",
        "should",
        "may",
        "might",
        "must",
        "this",
        "that",
        "these",
        "those",
        "which",
        "who",
        "whom",
        "than",
        "as",
        "into",
        "per",
        "over",
        "under",
        "between",
        "since",
        "during",
        "after",
        "before",
        "about",
        "around",
        "only",
        "also",
        "not",
        "no",
        "all",
        "each",
        "every",
        "its",
        "their",
        "his",
        "her",
        "our",
        "your",
        "it",
        "they",
        "he",
        "she",
        "we",
        "there",
        "here",
        "when",
        "where",
        "while",
        "if",
        "but",
        "so",
        "such",
        "more",
        "less",
        "most",
        "least",
        "times",
        "и",
        "в",
        "на",
        "с",
        "по",
        "из",
        "от",
        "до",
        "за",
        "для",
        "что",
        "как",
        "не",
        "это",
        "его",
        "их",
        "а",
        "но",
        "о",
        "к",
        "у",
        "же",
        "или",
    ]
)
# Words that follow a counted noun without being part of it ("50 meetings held thus far").
_AFTER_NOUN = frozenset(
    [
        "thus",
        "far",
        "already",
        "still",
        "yet",
        "now",
        "then",
        "ago",
        "held",
        "made",
        "done",
        "within",
        "upon",
        "across",
        "against",
    ]
)
_YEAR_BEFORE = re.compile(
    r"\b(?:in|since|by|from|until|till|during|of|to|and|between|before|after|early|late|mid|в|с|до|по|к)\s*$", re.I
)
_YEARISH = re.compile(r"^(?:1[89]\d\d|20\d\d)$")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZА-ЯЁ\"“«(])")
# Counts written as words, for "the first nine months", "за девять месяцев", "over the past five years".
_COUNT_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12,
    "один": 1, "два": 2, "двух": 2, "три": 3, "трех": 3, "трёх": 3, "четыре": 4, "четырех": 4, "четырёх": 4,
    "пять": 5, "пяти": 5, "шесть": 6, "шести": 6, "семь": 7, "семи": 7, "восемь": 8, "восьми": 8,
    "девять": 9, "девяти": 9, "десять": 10, "десяти": 10, "одиннадцать": 11, "двенадцать": 12,
}  # fmt: skip
_COUNT = r"(?P<n>\d{1,2}|" + "|".join(sorted(_COUNT_WORDS, key=len, reverse=True)) + r")"
_THIS_YEAR = (
    r"(?:this|the\s+current)\s+year|(?:в\s+)?(?:этом|текущем|нынешнем)\s+году|(?:этого|текущего)\s+года|биыл\w*"
)
_LAST_YEAR = (
    r"(?:last|the\s+previous|the\s+past)\s+year|(?:в\s+)?прошлом\s+году|прошлого\s+года|былтыр\w*|өткен\s+жыл\w*"
)
_PERIOD_PATTERNS = (
    # "as of 1 January 2024", "as at 31.12.2023", "по состоянию на 1 января 2024 года": a stock on one day
    (
        re.compile(
            r"\b(?:as\s+(?:of|at)|по\s+состоянию\s+на|на)\s+(?P<day>\d{1,2}(?:\.\d{1,2}\.\d{4}|\s+[^\W\d_]+\s+\d{4}))"
            r"(?:\s*(?:года|г\.))?",
            re.I,
        ),
        "as-of",
    ),
    # "10 months of 2024", "first nine months of 2024", "за 10 месяцев 2024 года"
    (
        re.compile(
            r"\b(?:(?:the\s+)?first\s+)?" + _COUNT + r"\s+(?:months?|месяц\w*)\s+(?:of\s+)?(?P<y>(?:19|20)\d\d)", re.I
        ),
        "months",
    ),
    # the same relative to the document's date: "the first quarter of this year", "first nine months of this year"
    (
        re.compile(
            r"\b(?:(?:the\s+)?first\s+)?(?:"
            + _COUNT
            + r"\s+(?:months?|месяц\w*)|(?P<part>quarter|half|квартал\w*|полугоди\w*))"
            r"\s+(?:of\s+)?(?:" + _THIS_YEAR + r")",
            re.I,
        ),
        "months-this-year",
    ),
    # "over the past five years", "in the last 3 years", "за последние пять лет"
    (
        re.compile(r"\b(?:past|last|последние)\s+" + _COUNT + r"\s+(?:years|лет|года)", re.I),
        "past-years",
    ),
    (re.compile(r"\b(?:" + _THIS_YEAR + r")", re.I), "this-year"),
    (re.compile(r"\b(?:" + _LAST_YEAR + r")", re.I), "last-year"),
    (re.compile(r"\b(?:first|1st)\s+(?:quarter|half)\s+of\s+(?P<y>(?:19|20)\d\d)", re.I), "first-part"),
    (
        re.compile(
            r"\b(?:between|from|с|в\s+период\s+с)\s+(?P<a>(?:19|20)\d\d)\s+(?:and|to|till|until|по|до)\s+(?P<b>(?:19|20)\d\d)",
            re.I,
        ),
        "range",
    ),
    (re.compile(r"(?<![\d.])(?P<a>(?:19|20)\d\d)\s*[-–—]\s*(?P<b>(?:19|20)\d\d)(?!\d)"), "range"),
    (re.compile(r"\b(?:since|с)\s+(?P<a>(?:19|20)\d\d)(?!\d)", re.I), "since"),
    (re.compile(r"(?<![\w.,/-])(?P<a>(?:19|20)\d\d)(?![\w/]|[.,]\d)"), "year"),
)


@dataclass(slots=True)
class Figure:
    """A number found in a passage."""

    value: float | int
    unit: str | None
    text: str  # the sentence the number is in
    period: dict[str, object] | None
    start: int  # character offset in the passage
    sentence_start: int


def _value(raw: str, language: str) -> float | int:
    if "," in raw and re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", raw):
        raw = raw.replace(",", "")
    elif "," in raw:
        raw = raw.replace(",", ".")  # decimal comma (Russian and Kazakh style)
    raw = raw.replace(" ", "")
    number = float(raw)
    return int(number) if number.is_integer() and "." not in raw else number


def _masked_spans(text: str) -> list[tuple[int, int]]:
    spans = [(d.start, d.end) for d in find_dates(text)]
    for symbol in set(find_symbols(text)):
        for match in re.finditer(re.escape(symbol), text):
            spans.append(match.span())
    found = find_ids(text)
    for upr_id in found.ids:
        for match in re.finditer(re.escape(upr_id) + r"(?!\d)", text):
            spans.append(match.span())
    for match in re.finditer(r"(?:\d{2,3}\.\d{1,3})\s*[-–—]\s*(?:\d{2,3}\.)?\d{1,3}", text):
        if found.ids or found.rejected:
            spans.append(match.span())
    return spans


def _sentences(text: str) -> list[tuple[int, str]]:
    out, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        out.append((start, text[start : match.start()]))
        start = match.end()
    out.append((start, text[start:]))
    return out


def _periods(sentence: str) -> list[tuple[int, int, dict[str, object]]]:
    found: list[tuple[int, int, dict[str, object]]] = []
    for pattern, kind in _PERIOD_PATTERNS:
        for match in pattern.finditer(sentence):
            if any(a < match.end() and match.start() < b for a, b, _ in found):
                continue
            g = match.groupdict()
            if kind == "as-of":
                day = _day(g["day"])
                if day is None:
                    continue
                period = {"start": day, "end": day, "partial": False}
            elif kind == "months":
                n = _count(g["n"])
                if not 1 <= n <= 12:
                    continue
                period = {"start": f"{g['y']}-01", "end": f"{g['y']}-{n:02d}", "partial": n < 12}
            elif kind == "months-this-year":
                part = (g.get("part") or "").casefold()
                n = _count(g["n"]) if g.get("n") else (3 if part.startswith(("quarter", "квартал")) else 6)
                if not 1 <= n <= 12:
                    continue
                period = {"start": None, "end": None, "partial": n < 12, "relative": [0, 0], "months": n}
            elif kind == "past-years":
                n = _count(g["n"])
                if not 1 <= n <= 50:
                    continue
                period = {"start": None, "end": None, "partial": False, "relative": [1 - n, 0]}
            elif kind == "this-year":
                period = {"start": None, "end": None, "partial": False, "relative": [0, 0]}
            elif kind == "last-year":
                period = {"start": None, "end": None, "partial": False, "relative": [-1, -1]}
            elif kind == "first-part":
                months = 3 if "quarter" in match.group(0).lower() else 6
                period = {"start": f"{g['y']}-01", "end": f"{g['y']}-{months:02d}", "partial": True}
            elif kind == "range":
                if int(g["b"]) < int(g["a"]):
                    continue
                period = {"start": g["a"], "end": g["b"], "partial": False}
            elif kind == "since":
                period = {"start": g["a"], "end": None, "partial": False}
            else:
                period = {"start": g["a"], "end": g["a"], "partial": False}
            period["text"] = match.group(0)
            found.append((match.start(), match.end(), period))
    for date in find_dates(sentence):
        if len(date.value) == 7 and not date.value.startswith("-"):  # month and year: "January 2022"
            if any(a < date.end and date.start < b for a, b, _ in found):
                found = [f for f in found if not (f[0] < date.end and date.start < f[1])]
            found.append(
                (date.start, date.end, {"start": date.value, "end": date.value, "partial": False, "text": date.text})
            )
    return found


def _count(word: str) -> int:
    return int(word) if word.isdigit() else _COUNT_WORDS.get(word.casefold(), 0)


def _day(text: str) -> str | None:
    """ISO day for "1 January 2024", "1 января 2024" or "01.01.2024"; None when it is no date."""
    found = find_dates(text)
    if len(found) != 1 or len(found[0].value) != 10 or found[0].value.startswith("-"):
        return None
    return found[0].value


def resolve_period(period: dict[str, object] | None, document_date: datetime.date | None) -> dict[str, object] | None:
    """Fill in a period relative to the document ("this year", "since 2020") or, without any, the document's year.

    ``basis`` says how it was found: "text" (as written), "relative" (words read against the document's date)
    or "document" (no period in the text: the document's year, to be confirmed). None when nothing can be said.
    """
    if period is not None and "relative" not in period and period.get("end"):
        return {**period, "basis": period.get("basis", "text")}
    if document_date is None:
        return period
    year = document_date.year
    if period is None:
        return {"start": str(year), "end": str(year), "partial": False, "text": str(year), "basis": "document"}
    if "relative" not in period:  # "since 2020": up to the document's date
        end = f"{year}-{document_date.month:02d}" if document_date.month < 12 else str(year)
        start = str(period["start"])
        if len(end) > 4:
            start = f"{start}-01" if len(start) == 4 else start
        return {**period, "start": start, "end": end, "partial": document_date.month < 12, "basis": "relative"}
    first, last = (int(x) for x in period["relative"])  # type: ignore[union-attr]
    out = {k: v for k, v in period.items() if k not in ("relative", "months")}
    months = period.get("months")
    if isinstance(months, int):
        out.update(start=f"{year + first}-01", end=f"{year + last}-{months:02d}")
    elif last == 0 and document_date.month < 12:
        # "this year" said in June covers January to June: a partial period
        out.update(start=f"{year + first}-01", end=f"{year}-{document_date.month:02d}", partial=True)
    else:
        out.update(start=str(year + first), end=str(year + last))
    out["basis"] = "relative"
    return out


def _distance(sentence: str, p_start: int, p_end: int, n_start: int, n_end: int) -> int:
    """How far a period is from a number; a period just before it ("2021 – 1586") wins."""
    if p_end <= n_start:
        gap = sentence[p_end:n_start]
        return 0 if re.fullmatch(r"\s*[-–—:]\s*", gap) else n_start - p_end
    # Periods after the number count double: "X in 2021, Y in 2022" reads left to right.
    return 2 * max(0, p_start - n_end) + 1


def _unit(after: str) -> str | None:
    if _PERCENT.match(after):
        return "%"
    currency = _CURRENCY_AFTER.match(after)
    if currency:
        return currency.group(1)
    words: list[str] = []
    rest = after
    while len(words) < 4:
        match = _UNIT_WORD.match(rest)
        if not match:
            break
        word = match.group(1)
        if word.casefold() in _STOP:
            # "cases of threats": keep one "of" when a content word follows it.
            nxt = _UNIT_WORD.match(rest[match.end() :])
            if (
                word.casefold() == "of"
                and words
                and nxt
                and nxt.group(1).casefold() not in _STOP
                and nxt.group(1)[:1].islower()
            ):
                words.extend([word, nxt.group(1)])
            break
        if word[:1].isupper() and words:
            break
        if words and (word.casefold() in _AFTER_NOUN or word.endswith(("ed", "ly"))):
            break
        if month_number(word) and not words:
            return None
        words.append(word)
        rest = rest[match.end() :]
        if rest[:1] in ",.;:()!?" or rest.startswith(" –"):
            break
    if not words:
        return None
    return " ".join(words)


def find_figures(text: str, language: str = "en") -> list[Figure]:
    """Figures in one passage, in order."""
    masked = _masked_spans(text)
    figures: list[Figure] = []
    for sentence_start, sentence in _sentences(text):
        periods = _periods(sentence)
        sentence_figures: list[Figure] = []
        for match in _NUMBER.finditer(sentence):
            start = sentence_start + match.start()
            raw = match.group("num")
            before, after = sentence[: match.start()], sentence[match.end() :]
            if any(a <= start < b for a, b in masked):
                continue
            if any(a <= match.start() < b and p["text"] != match.group(0) for a, b, p in periods):
                continue  # part of a period ("10 months of 2024")
            if _YEARISH.match(raw) and (
                not re.match(r"^\s+[a-zа-я]+s\b", after)
                or re.match(r"^\s+(?:years?|гг?\.)", after)
                or _YEAR_BEFORE.search(before)
            ):
                continue  # a year, not a count ("in 2023 monitors ..." but "2000 people")
            if _REFERENCE_BEFORE.search(before) or _TIME_AFTER.match(after) or _ORDINAL_AFTER.match(after):
                continue
            value = _value(raw, language)
            multiplier = _MULTIPLIER.match(after)
            if multiplier:
                word = multiplier.group(1).casefold().rstrip(".")
                factor = next((f for k, f in _MULTIPLIERS.items() if word.startswith(k)), 1)
                value = value * factor
                value = int(value) if float(value).is_integer() else value
                after = after[multiplier.end() :]
            unit = _unit(after)
            currency = _CURRENCY_BEFORE.search(before)
            if currency:
                unit = currency.group(1)
            period = None
            if periods:
                nearest = min(periods, key=lambda p: _distance(sentence, p[0], p[1], match.start(), match.end()))
                period = dict(nearest[2])
            sentence_figures.append(Figure(value, unit, sentence.strip(), period, start, sentence_start))
        # In a series ("2021 – 1586 cases, 2022 – 995") a bare number takes the unit of its neighbours.
        units = [f.unit for f in sentence_figures if f.unit]
        for figure in sentence_figures:
            if figure.unit is None and units:
                figure.unit = units[0]
        figures.extend(sentence_figures)
    return figures
