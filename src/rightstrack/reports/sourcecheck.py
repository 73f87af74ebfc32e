"""The "figures without a source" check: which numbers in a paragraph are claims that need a source.

Dates, years, references into documents (article 9, para. 27, § 3, ст. 9, п. 27), document symbols and ordinals
are not figures; neither is a number the paragraph's own footnotes support. A check that fires on every report
teaches users to ignore it, so only what is left is listed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from rightstrack.ingest.detect.dates import MONTH_WORD

# Month names come from ingestion's date reader (English, Russian, Kazakh); reports also abbreviate in Russian.
_MONTHS = rf"{MONTH_WORD}|янв\.?|фев\.?|мар\.?|апр\.?|авг\.?|сент?\.?|окт\.?|нояб?\.?|дек\.?"
_YEAR = r"(?:1[89]|20)\d{2}"
# References into a document or a treaty: the number names a place, it is not a quantity.
_REFERENCE_WORDS = (
    r"articles?|art\.|arts\.|paragraphs?|paras?\.?|§+|¶|sections?|chapters?|parts?|pages?|pp?\.|"
    r"recommendations?|rec\.|sessions?|cycles?|rules?|annex|items?|no\.|nos\.|№|"
    r"стать[яиейюё]+|ст\.|пункт[аыуеом]*|пп?\.|част[ьиью]+|ч\.|глав[аыеуой]*|раздел[аеу]?|"
    r"страниц[аыеу]|стр\.|с\.|сесси[яиюей]+|цикл[аеу]?|рекомендаци[яиюей]+|приложени[еяю]"
)
_NUMBER_LIST = r"\d+(?:\.\d+)*(?:\s*\([a-zа-я0-9]{1,3}\))?"
_KAZAKH_PLACES = (
    r"бап\w*|тармақ\w*|тарм\.|б\.|бет\w*|бөлім\w*|тарау\w*|қосымша\w*|цикл\w*|сессия\w*|тоқсан\w*|"
    r"абзац\w*|жол\w*|ші|шы|інші|ыншы"
)

_IGNORED = [
    # Dates: ISO, numeric, "1 March 2025", "March 1, 2025", "1 марта 2025 г.", "March 2025", "в 2024 году".
    re.compile(r"\b\d{4}-\d{1,2}-\d{1,2}\b"),
    re.compile(r"\b\d{1,2}[./]\d{1,2}[./](?:\d{4}|\d{2})\b"),
    re.compile(rf"\b\d{{1,2}}(?:\s*[-–]\s*\d{{1,2}})?\s+(?:{_MONTHS})(?:\s+{_YEAR}(?:\s*(?:г\.|года?|году))?)?", re.I),
    re.compile(rf"\b(?:{_MONTHS})\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,\s*{_YEAR})?\b", re.I),
    # Document symbols: CCPR/C/KAZ/CO/2, A/HRC/41/10, E/C.12/KAZ/CO/2.
    re.compile(r"\b[A-Z][A-Za-z.]*(?:/[A-Za-z0-9.()\-]+)+"),
    # Places in documents, with lists and ranges: "articles 9 and 14", "paras. 12–14", "ст. 9, 14 и 21".
    re.compile(
        rf"(?:(?<=\W)|^)(?:{_REFERENCE_WORDS})\s*{_NUMBER_LIST}"
        rf"(?:\s*(?:,|and|or|и|или|[-–—])\s*{_NUMBER_LIST})*",
        re.I,
    ),
    # Ordinals: 2nd, 117th, 3-й, 2-го, 4-е, "XXI"; and years, year ranges, decades ("2020–2024", "2020-е", "1990s").
    re.compile(r"\b\d+(?:st|nd|rd|th)\b|\b\d+-?(?:й|го|е|я|ом|ый|ий|ой)\b", re.I),
    # Kazakh writes the place after the number: "9-бап", "27-тармақ", "34-тарм.", "4-б.", "2-цикл", "1-тоқсан",
    # ordinals "3-ші"; a UPR recommendation is "139.61 ұсынымы". A case ending on a number ("12-ден") is a figure.
    re.compile(rf"\b{_NUMBER_LIST}(?:\s*(?:,|және|мен|немесе|[-–—])\s*{_NUMBER_LIST})*-(?:{_KAZAKH_PLACES})", re.I),
    re.compile(r"\b\d+(?:\.\d+)+\s+ұсынымы\w*", re.I),
    re.compile(rf"\b{_YEAR}(?:\s*[-–—]\s*{_YEAR}|s|-е|-х)?\b"),
]
# A figure: digits with thousands separators (1,234 / 1 234), decimals and a percent sign. Numbers glued to
# letters or slashes (COVID-19, OP/2) are names, not figures.
_FIGURE = re.compile(r"(?<![\w/.\-])\d+(?:[,\s\u00a0\u202f]\d{3})*(?:[.,]\d+)?(?:\s*%)?(?![\w/])")


def _value(figure: str) -> str:
    """A figure's digits, whatever the separators: "1,234", "1 234" and "1234" are the same claim."""
    return re.sub(r"\D", "", figure)


def _masked(text: str) -> str:
    for pattern in _IGNORED:
        text = pattern.sub(lambda m: " " * len(m.group(0)), text)
    return text


def figures(text: str) -> list[str]:
    """The numbers in `text` that state a quantity (dates, references, symbols and ordinals left out)."""
    return [m.group(0).strip() for m in _FIGURE.finditer(_masked(text or ""))]


def unsourced(text: str, footnotes: Iterable[str] = (), supported_text: str = "") -> list[str]:
    """Figures of `text` that no footnote supports.

    A number quoted in a footnote is supported; so is every figure of `supported_text`, the text the generator
    wrote from data its footnotes cite (an analyst's edit keeps those figures covered, not the ones it adds).
    """
    backed = {_value(f) for note in footnotes for f in figures(note)}
    backed |= {_value(f) for note in footnotes for f in _FIGURE.findall(note)}
    backed |= {_value(f) for f in figures(supported_text)}
    out: list[str] = []
    for figure in figures(text):
        if _value(figure) not in backed and figure not in out:
            out.append(figure)
    return out
