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

VERSION = "figures-2.0"

_NUMBER = re.compile(
    r"(?<![\w.,/\-])(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{1,3}(?: \d{3})+(?![\d])|\d+(?:[.,]\d+)?)(?![\w/]|[.,]\d)"
)
_REFERENCE_BEFORE = re.compile(
    r"(?:\bArticles?|\bArt\.|\bparagraphs?|\bparas?\.|\bsections?|\bchapters?|\bparts?|\bpoints?|\bNo\.|"
    r"\bnumber|§|\bп\.|\bч\.|\bст\.|\bстать\w*|\bпункт\w*|\bчаст\w*|\bglava|\bглав\w*|\bLaw|\bresolution|"
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
        "concerning",
        "regarding",
        "involving",
        "relating",
        "including",
        "касающихся",
        "касающиеся",
        "связанных",
        "қатысты",
    ]
)
# Russian and Kazakh verb forms end a counted noun ("четыре человека погибли", "он екі шағым түсті").
_VERB_FORM = re.compile(
    r"(?:[^\W\d_]{2,}(?:ли|ла|ло|ет|ют|ит|ят|ется|ются|ось|ась|лись|ены|аны|ыты|ено|ано)"
    r"|[^\W\d_]{2,}(?:ды|ді|ты|ті|ған|ген|қан|кен|ады|еді|йды|йді|уде|жатыр)|^(?:были|было|была|составил\w*))$",
    re.I,
)
# Hours and days-and-nights measure how long, never how many people: "48 hours", "15 суток", "48 сағаттан".
_SHORT_TIME = re.compile(r"^(?:hours?|minutes?|час\w*|минут\w*|сут\w*|сағат\w*|тәулік\w*)$", re.I)
_FRACTION = re.compile(
    r"^(?:thirds?|quarters?|fifths?|tenths?|halves|трет\w*|четверт\w*|пят(?:ая|ых|ой)|үштен|төрттен)$", re.I
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
    """A quantity found in a passage: a number (or a range) of something."""

    value: float | int  # the number, or the low end of a range
    unit: str | None  # "%", a currency, or the counted noun as written ("cases of torture")
    text: str  # the sentence the number is in
    period: dict[str, object] | None
    start: int  # character offset in the passage
    sentence_start: int
    high: float | int | None = None  # the high end of a range ("between 6 and 8")
    qualifier: str | None = None  # "about", "over", "at least", "up to", "under", "nearly"
    counts: str | None = None  # what is counted ("detainees" for "45 per cent of detainees")
    words: bool = False  # written in words ("four", "төрт")
    confidence: float = 0.5  # how sure the detector is that this is a real statistic (0..1)

    @property
    def low(self) -> float | int:
        return self.value


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
    # Implied symbols: "CCPR/C/SR.3271 and 3272", "SR.3271, 3272 и 3273": the bare numbers are symbols too.
    for match in re.finditer(r"[A-Z]{1,6}(?:/[\w.\-]+)+\d(?:\s*(?:,|and|и|және|&)\s*\d{2,5}(?![\w/]|[.,]\d))+", text):
        spans.append(match.span())
    for match in re.finditer(r"(?:\d{2,3}\.\d{1,3})\s*[-–—]\s*(?:\d{2,3}\.)?\d{1,3}", text):
        if found.ids or found.rejected:
            spans.append(match.span())
    return spans


_ABBREVIATION = re.compile(r"(?:\b(?:Mr|Ms|Mrs|Dr|No|Nos|para|paras|art|Art|St|vs)|[Гг]-н|[Гг]-жа|\bст|\bп|\bг)\.$")


def _sentences(text: str) -> list[tuple[int, str]]:
    out, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        if _ABBREVIATION.search(text[start : match.start()]):
            continue  # "Mr. Abenov", "No. 12", "г-н Абенов": not the end of a sentence
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
        if words and (word.casefold() in _AFTER_NOUN or word.endswith(("ed", "ly")) or _VERB_FORM.search(word)):
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


# --- numbers written in words ------------------------------------------------------------------------

_EN_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "thousand": 1000,
}  # fmt: skip
# Russian numerals in the cases they take before a counted noun ("четыре человека", "более двенадцати жалоб").
_RU_STEMS = (
    ("одиннадцат", 11), ("двенадцат", 12), ("тринадцат", 13), ("четырнадцат", 14), ("пятнадцат", 15),
    ("шестнадцат", 16), ("семнадцат", 17), ("восемнадцат", 18), ("девятнадцат", 19), ("двадцат", 20),
    ("тридцат", 30), ("сорок", 40), ("сорока", 40), ("пятьдесят", 50), ("пятидесят", 50), ("шестьдесят", 60),
    ("шестидесят", 60), ("семьдесят", 70), ("семидесят", 70), ("восемьдесят", 80), ("восьмидесят", 80),
    ("девяносто", 90), ("девяноста", 90), ("двести", 200), ("двухсот", 200), ("триста", 300), ("трехсот", 300),
    ("трёхсот", 300), ("четыреста", 400), ("четырехсот", 400), ("пятьсот", 500), ("пятисот", 500),
    ("тысяч", 1000), ("сто", 100), ("ста", 100),
)  # fmt: skip
_RU_WORDS = {
    "один": 1, "одна": 1, "одно": 1, "одного": 1, "одной": 1, "два": 2, "две": 2, "двух": 2, "двум": 2,
    "три": 3, "трех": 3, "трёх": 3, "трем": 3, "четыре": 4, "четырех": 4, "четырёх": 4, "пять": 5, "пяти": 5,
    "шесть": 6, "шести": 6, "семь": 7, "семи": 7, "восемь": 8, "восьми": 8, "девять": 9, "девяти": 9,
    "десять": 10, "десяти": 10,
}  # fmt: skip
_KK_WORDS = {
    "бір": 1, "екі": 2, "үш": 3, "төрт": 4, "бес": 5, "алты": 6, "жеті": 7, "сегіз": 8, "тоғыз": 9, "он": 10,
    "жиырма": 20, "отыз": 30, "қырық": 40, "елу": 50, "алпыс": 60, "жетпіс": 70, "сексен": 80, "тоқсан": 90,
    "жүз": 100, "мың": 1000,
}  # fmt: skip
_HALF = re.compile(r"^\s+(?:and\s+a\s+half\b|с\s+половиной\b|жарым\b)", re.I)
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)?")


def word_value(word: str, language: str = "") -> int | None:
    """The value of one number word in English, Russian or Kazakh ("twelve", "двенадцати", "он"), else None.

    With ``language`` only that language's words count: Russian "он" is "he", Kazakh "он" is ten."""
    w = word.casefold()
    if language in ("en", "ru", "kk"):
        table = {"en": _EN_WORDS, "ru": _RU_WORDS, "kk": _KK_WORDS}[language]
        if w in table:
            return table[w]
        if language == "ru" and "-" not in w:
            return word_value(w) if not (w in _EN_WORDS or w in _KK_WORDS) else None
        if language == "en" and "-" in w:
            return word_value(w)
        return None
    if "-" in w:  # "twenty-five"
        parts = [word_value(p) for p in w.split("-")]
        if all(parts) and len(parts) == 2 and parts[0] % 10 == 0 and parts[1] < 10:  # type: ignore[operator]
            return parts[0] + parts[1]  # type: ignore[operator]
        return None
    if w in _EN_WORDS:
        return _EN_WORDS[w]
    if w in _RU_WORDS:
        return _RU_WORDS[w]
    if w in _KK_WORDS:
        return _KK_WORDS[w]
    for stem, value in _RU_STEMS:
        if w.startswith(stem) and len(w) - len(stem) <= 3 and not (value in (100, 40) and len(w) > len(stem) + 1):
            return value
    return None


def _word_numbers(sentence: str, language: str = "") -> list[tuple[int, int, float | int]]:
    """Runs of number words ("three and a half", "он екі", "two hundred and fifty") as (start, end, value)."""
    out = []
    tokens = list(_WORD.finditer(sentence))
    i = 0
    while i < len(tokens):
        first = word_value(tokens[i].group(0), language)
        if first is None:
            i += 1
            continue
        total, current, last = 0, 0, i
        j = i
        while j < len(tokens):
            value = word_value(tokens[j].group(0), language)
            gap = sentence[tokens[j - 1].end() : tokens[j].start()] if j > i else ""
            if j > i and gap.strip():
                break
            if value is None:
                # "one hundred and twenty": "and" only after hundred or thousand
                if (
                    tokens[j].group(0).casefold() == "and"
                    and j + 1 < len(tokens)
                    and word_value(tokens[j + 1].group(0), language)
                    and word_value(tokens[j - 1].group(0), language) in (100, 1000)
                ):
                    j += 1
                    continue
                break
            if value == 1000:
                total += max(current, 1) * 1000
                current = 0
            elif value == 100:
                current = max(current, 1) * 100
            elif current and (current % 10 or value >= current or (value >= 10 and current < 100)):
                break  # "two three" is two numbers, not 23
            else:
                current += value
            last = j
            j += 1
        number: float | int = total + current
        end = tokens[last].end()
        half = _HALF.match(sentence[end:])
        if half:
            number, end = number + 0.5, end + half.end()
        out.append((tokens[i].start(), end, number))
        i = last + 1
        while i < len(tokens) and tokens[i].start() < end:  # past "and a half"
            i += 1
    return out


# --- what is not a statistic, what qualifies one ------------------------------------------------------

_NOT_BEFORE = re.compile(
    r"(?:\b(?:meetings?|sessions?|pages?|pp?\.|footnotes?|annex|No\.|paras?\.|nos?\.|aged|age\s+of|under\s+the\s+age\s+of|"
    r"заседани\w*|сесси\w*|отырыс\w*|сессия\w*|тармақ\w*|бап\w*|страниц\w*|с\.|в\s+возрасте|возраст\w*|"
    r"GE\.)\s*|(?:№|#)\s*|\d\s*ч\.\s*)$",
    re.I,
)
_AGE_AFTER = re.compile(
    r"^(?:\s*-?\s*(?:year|years)[-\s]old|\s*-?\s*(?:летн\w*|летн)|\s+лет\s+от\s+роду|\s*(?:-)?\s*жас(?:та|тағы|ар|ында)\w*|"
    r"\s+years?\s+of\s+age|\s+years?\s+old)",
    re.I,
)
_REFERENCE_AFTER = re.compile(r"^-?(?:бап|баб|тармақ|тармағ|бөлім|отырыс|сессия|параграф|абзац|пункт)\w*", re.I)
_ORDINAL_KK = re.compile(r"^-?(?:ші|шы|інші|ыншы|нші|ншы)\b", re.I)
_DURATION_UNIT = re.compile(
    r"^(?:days?|weeks?|months?|years?|hours?|minutes?|дн\w*|день|сут\w*|недел\w*|месяц\w*|лет|год\w*|час\w*|"
    r"минут\w*|күн\w*|тәулік\w*|апта\w*|ай\w*|жыл\w*|сағат\w*)$",
    re.I,
)
_DURATION_BEFORE = re.compile(
    r"\b(?:for|within|after|to|sentenced\s+to|of|up\s+to|на|в\s+течение|через|сроком\s+на|срок\w*|к|до|ішінде|"
    r"мерзімге|бойы)\s+(?:(?:more|less|fewer)\s+than\s+|up\s+to\s+|over\s+|at\s+least\s+|более\s+|свыше\s+|"
    r"не\s+менее\s+|до\s+)?(?:a\s+)?(?:term\s+of\s+|period\s+of\s+)?$",
    re.I,
)
_QUALIFIERS = (
    (re.compile(r"\b(?:about|around|approximately|approx\.|some|roughly|an\s+estimated|estimated|около|примерно|"
                r"приблизительно|порядка|ориентировочно|шамамен|шамасы|мөлшерде)\s*$", re.I), "about"),
    (re.compile(r"\b(?:more\s+than|over|above|exceeding|in\s+excess\s+of|более|свыше|больше|более\s+чем)\s*$", re.I),
     "over"),
    (re.compile(r"\b(?:at\s+least|no\s+fewer\s+than|no\s+less\s+than|не\s+менее|не\s+меньше|как\s+минимум|"
                r"по\s+меньшей\s+мере|кемінде|кем\s+дегенде|ең\s+кемі)\s*$", re.I), "at least"),
    (re.compile(r"\b(?:up\s+to|as\s+many\s+as|до|вплоть\s+до)\s*$", re.I), "up to"),
    (re.compile(r"\b(?:fewer\s+than|less\s+than|under|below|менее|меньше|не\s+более|не\s+больше)\s*$", re.I), "under"),
    (re.compile(r"\b(?:nearly|almost|close\s+to|почти|около\s+того|едва\s+ли\s+не|жуық|жуығы|таяу)\s*$", re.I),
     "nearly"),
)  # fmt: skip
# Kazakh (and some English) qualifiers follow the number: "100-ден астам", "50-ге жуық", "200 or more".
_QUALIFIERS_AFTER = (
    (re.compile(r"^(?:-?(?:ден|дан|тен|тан|нен|нан))?\s+(?:астам|артық)\b", re.I), "over"),
    (re.compile(r"^(?:-?(?:ге|ға|ке|қа))?\s+(?:жуық|таяу)\b", re.I), "nearly"),
    (re.compile(r"^(?:-?(?:ге|ға|ке|қа))?\s+дейін\b", re.I), "up to"),
    (re.compile(r"^\s+(?:or|and)\s+more\b|^\s+и\s+более\b", re.I), "at least"),
)
_RANGE_JOIN = re.compile(r"^\s*(?:[-–—]|to|and|or|до|по|или|и|-?(?:ден|дан|тен|тан|нен|нан)\s+)\s*$", re.I)
_RANGE_OPEN = re.compile(r"\b(?:between|from|от|с|из)\s*$", re.I)
# Nouns that name what human-rights statistics count: a figure with one of these is almost surely real.
_COUNTABLE = re.compile(
    r"^(?:%|persons?|people|individuals?|cases?|complaints?|prisoners?|detainees?|victims?|women|men|girls?|boys?|"
    r"children|journalists?|lawyers?|defenders?|activists?|facilit\w+|prisons?|cent(?:re|er)s?|shelters?|NGOs?|"
    r"organi[sz]ations?|applications?|petitions?|convictions?|deaths?|deaths|killings?|arrests?|investigations?|"
    r"prosecutions?|sentences?|judges?|courts?|inspections?|visits?|staff|officers?|officials?|migrants?|refugees?|"
    r"stateless|households?|families|citizens|residents|users|beds?|places?|reports?|incidents?|allegations?|"
    r"человек\w*|люд\w*|лиц\w*|случа\w*|жалоб\w*|заключ\w*|задерж\w*|жертв\w*|женщин\w*|мужчин\w*|дет\w*|девоч\w*|"
    r"журналист\w*|адвокат\w*|правозащитн\w*|учрежден\w*|организаци\w*|дел\w*|обращени\w*|приговор\w*|смерт\w*|"
    r"осужд\w*|мигрант\w*|беженц\w*|граждан\w*|проверок|проверк\w*|процент\w*|тенге|"
    r"адам\w*|іс\w*|шағым\w*|сотталған\w*|әйел\w*|бала\w*|журналист\w*|мекеме\w*|ұйым\w*|өтініш\w*|қылмыс\w*|"
    r"азамат\w*|тұтқын\w*|құрбан\w*|пайыз\w*|теңге)$",
    re.I,
)


def _qualifier(before: str, after: str) -> tuple[str | None, int]:
    """The qualifier of a number and how many characters after it it used (Kazakh puts it after)."""
    for pattern, name in _QUALIFIERS:
        if pattern.search(before[-40:]):
            return name, 0
    for pattern, name in _QUALIFIERS_AFTER:
        match = pattern.match(after)
        if match:
            return name, match.end()
    return None, 0


def _counts(unit: str | None, after: str, before: str) -> str | None:
    """What a figure counts: the noun itself, or for a share or an amount what it is a share or amount of."""
    if unit is None:
        return None
    if unit == "%" or _CURRENCY_AFTER.match(" " + unit) or unit in ("$", "€", "₸", "USD", "EUR", "KZT"):
        rest = _PERCENT.sub("", after, count=1) if unit == "%" else _CURRENCY_AFTER.sub("", after, count=1)
        match = re.match(r"^\s*(?:of|из|от)\s+(?:the\s+|all\s+)?", rest, re.I)
        if match:
            return _unit(rest[match.end() :])
        # Kazakh names the whole first: "сотталғандардың 45 пайызы" (the genitive just before the number)
        if unit == "%":
            match = re.search(r"([^\W\d_]{4,}(?:дың|дің|тың|тің|ның|нің))\s*$", before)
            return match.group(1) if match else None
        return None
    return unit


def _confidence(figure: Figure, raw_is_year: bool, unit_word: str | None) -> float:
    """A score for the review screen's order: counted nouns and periods raise it, bare or odd numbers lower it."""
    score = 0.45
    head = (figure.unit or "").split()[0] if figure.unit else ""
    if figure.unit == "%" or _CURRENCY_AFTER.match(" " + (figure.unit or "")) or (head and _COUNTABLE.match(head)):
        score += 0.35
    elif figure.unit:
        score += 0.1
    else:
        score -= 0.2
    if figure.period:
        score += 0.1
    if figure.qualifier or figure.high is not None:
        score += 0.05
    if raw_is_year:
        score -= 0.2
    if figure.words:
        score -= 0.05
    return round(max(0.05, min(score, 0.99)), 2)


def find_figures(text: str, language: str = "en") -> list[Figure]:
    """Figures in one passage, in order."""
    figures: list[Figure] = []
    if not any(ch.isdigit() for ch in text) and not _word_numbers(text, language):
        return figures
    masked = _masked_spans(text)
    for sentence_start, sentence in _sentences(text):
        numbers: list[tuple[int, int, float | int, bool, str]] = []  # start, end, value, words, raw
        for match in _NUMBER.finditer(sentence):
            numbers.append((match.start(), match.end(), _value(match.group("num"), language), False, match.group(0)))
        for start, end, value in _word_numbers(sentence, language):
            numbers.append((start, end, value, True, sentence[start:end]))
        if not numbers:
            continue  # most sentences hold no number: no need to look for periods
        numbers.sort()
        periods = _periods(sentence)
        sentence_figures: list[Figure] = []
        skip_until = -1
        for index, (n_start, n_end, value, words, raw) in enumerate(numbers):
            if n_start < skip_until:
                continue
            start = sentence_start + n_start
            before, after = sentence[:n_start], sentence[n_end:]
            if any(a <= start < b for a, b in masked):
                continue
            if (
                before.endswith("[")
                and after.startswith("]")
                or re.match(r"^\s*[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ]", after)
                and (
                    not before.strip()
                    and sentence_start == 0
                    and not _COUNTABLE.match(after.split()[0] if after.split() else "")
                )
            ):
                continue  # a footnote call "[1]" or a footnote's own number: "1 See CAT/C/KAZ/CO/4"
            if not sentence.strip(" \t\n.,;:()[]*").replace(raw, "", 1).strip():
                continue  # a passage that is only a number: a footnote mark or a page number, not a statistic
            if any(a <= n_start < b and p["text"] != raw for a, b, p in periods):
                continue  # part of a period ("10 months of 2024", "this year")
            is_year = bool(_YEARISH.match(raw))
            if is_year and (
                not re.match(r"^\s+[a-zа-яәғқңөұүһі]+s\b", after)
                or re.match(r"^\s+(?:years?|гг?\.)", after)
                or _YEAR_BEFORE.search(before)
            ):
                continue  # a year, not a count ("in 2023 monitors ..." but "2000 people")
            if _REFERENCE_BEFORE.search(before) or _NOT_BEFORE.search(before):
                continue  # article, paragraph, meeting, page numbers; ages ("aged 23")
            if _TIME_AFTER.match(after) or _ORDINAL_AFTER.match(after) or _ORDINAL_KK.match(after):
                continue
            if _AGE_AFTER.match(after) or re.match(r"^\s*-\s*(?:year|летн|жас)", after, re.I):
                continue  # "a 23-year-old man", "23-летний", "23 жастағы"
            if (
                not words
                and raw.isdigit()
                and int(raw) < 1000
                and _qualifier(before, "")[0] is None
                and re.match(r"^\.(?:\s*[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ]|\s*$)", after)
                and not re.search(
                    r"(?:\b(?:to|of|was|were|is|are|at|by|reached|totall?ed|составил\w*|составляет|до)"
                    r"|[—–\-:=])\s*$",
                    before,
                    re.I,
                )
            ):
                continue  # a paragraph number run into the text: "... confinement. 11. The Committee", "3.According"
            if _REFERENCE_AFTER.match(after):
                continue  # Kazakh puts the reference word after: "174-бабы", "12-тармақ", "3271-отырыс"
            day_of = re.match(r"^(?:\s*(?:,|and|to|и|до|және|[-–—])\s*\d{1,2})?\s+([^\W\d_]+)", after)
            if not words and value <= 31 and day_of and month_number(day_of.group(1)):
                continue  # a day of a month: "7 and 8 March", "7 және 8 наурызда"
            # A range: "between 6 and 8", "6–8 cases", "от шести до восьми", "6-дан 8-ге дейін"
            high = None
            if index + 1 < len(numbers):
                nxt = numbers[index + 1]
                join = sentence[n_end : nxt[0]]
                opened = _RANGE_OPEN.search(before)
                plain_and = re.match(r"^\s*(?:and|и)\s*$", join, re.I)
                if (
                    _RANGE_JOIN.match(join)
                    and nxt[2] > value
                    and not _YEARISH.match(nxt[4])
                    and (opened or not plain_and)
                ):
                    high = nxt[2]
                    n_end = nxt[1]
                    after = re.sub(r"^-?(?:ға|ге|қа|ке)?\s+дейін\b", "", sentence[n_end:])
                    skip_until = nxt[1]
            qualifier, used = _qualifier(before, after)
            after = after[used:]
            multiplier = _MULTIPLIER.match(after)
            if multiplier:
                word = multiplier.group(1).casefold().rstrip(".")
                factor = next((f for k, f in _MULTIPLIERS.items() if word.startswith(k)), 1)
                value = value * factor
                value = int(value) if float(value).is_integer() else value
                if high is not None:
                    high = high * factor
                    high = int(high) if float(high).is_integer() else high
                after = after[multiplier.end() :]
                skip_until = max(skip_until, len(sentence) - len(after))  # "three and a half thousand"
            after = re.sub(r"^-?(?:ға|ге|қа|ке|дан|ден|тан|тен|нан|нен)?\s+дейін\b", "", after)
            unit = _unit(after)
            if unit and language == "kk" and unit != "%":
                unit = unit.split()[0]  # Kazakh puts the verb straight after the noun ("шағым түсті")
            currency = _CURRENCY_BEFORE.search(before)
            if currency:
                unit = currency.group(1)
            if words and unit is None:
                continue  # "one of the", "on the one hand": words count only with what they count
            head = unit.split()[0] if unit else ""
            if (
                head
                and _DURATION_UNIT.match(head)
                and (
                    _DURATION_BEFORE.search(before)
                    or words
                    or _SHORT_TIME.match(head)
                    or re.match(r"^(?:жыл|ай|күн|апта)\w*(?:ға|ге|қа|ке)$", head, re.I)
                )
            ):
                continue  # a duration ("sentenced to 7 years", "within two weeks"), not a statistic
            if words and value == 1 and not (head and _COUNTABLE.match(head)):
                continue
            if head and _FRACTION.match(head):
                continue  # "two thirds of detainees", "двух третей": a share, not a count
            period = None
            if periods:
                nearest = min(periods, key=lambda p: _distance(sentence, p[0], p[1], n_start, n_end))
                period = dict(nearest[2])
            figure = Figure(
                value, unit, sentence.strip(), period, start, sentence_start, high=high, qualifier=qualifier,
                words=words,
            )  # fmt: skip
            figure.counts = _counts(unit, after, before)
            figure.confidence = _confidence(figure, is_year, head)
            sentence_figures.append(figure)
        # In a series ("2021 – 1586 cases, 2022 – 995") a bare number takes the unit of its neighbours.
        units = [f.unit for f in sentence_figures if f.unit]
        for figure in sentence_figures:
            if figure.unit is None and units:
                figure.unit = units[0]
                figure.counts = figure.counts or next(f.counts for f in sentence_figures if f.unit == units[0])
                figure.confidence = _confidence(figure, False, figure.unit.split()[0])
        figures.extend(sentence_figures)
    return figures
