"""Language of a passage: English, Russian, Kazakh or undetermined ('und').

Script decides Latin vs Cyrillic; inside Cyrillic the letters only Kazakh has (ә ғ қ ң ө ұ ү һ і)
and each language's commonest words tell Kazakh from Russian. Small, dependency-free and good
enough for passages of a sentence or more; short labels come out as 'und'.
"""

from __future__ import annotations

import re
from collections import Counter

VERSION = "language-1.0"

KAZAKH_LETTERS = frozenset("әғқңөұүһіӘҒҚҢӨҰҮҺІ")
EN_WORDS = frozenset(
    [
        "the",
        "of",
        "and",
        "to",
        "in",
        "a",
        "is",
        "that",
        "for",
        "on",
        "with",
        "as",
        "by",
        "was",
        "were",
        "are",
        "be",
        "this",
        "which",
        "from",
        "or",
        "at",
        "has",
        "have",
        "had",
        "not",
        "an",
        "it",
        "its",
        "their",
        "they",
        "been",
        "would",
        "should",
        "will",
        "also",
        "all",
        "any",
        "such",
    ]
)
RU_WORDS = frozenset(
    [
        "и",
        "в",
        "не",
        "на",
        "что",
        "с",
        "по",
        "для",
        "это",
        "как",
        "из",
        "о",
        "к",
        "от",
        "за",
        "также",
        "был",
        "была",
        "были",
        "его",
        "их",
        "при",
        "а",
        "но",
        "же",
        "или",
        "который",
        "которые",
        "года",
        "году",
        "право",
        "прав",
        "быть",
    ]
)
KK_WORDS = frozenset(
    [
        "және",
        "мен",
        "бойынша",
        "үшін",
        "бұл",
        "осы",
        "туралы",
        "да",
        "де",
        "тиіс",
        "болып",
        "болады",
        "оның",
        "қазақстан",
        "республикасы",
        "құқықтары",
        "жылы",
        "сондай",
        "ақ",
        "бар",
        "жоқ",
    ]
)
# Common words of other Latin-script languages, so a French or German passage is not called English.
OTHER_LATIN = frozenset(
    [
        "de",
        "la",
        "le",
        "les",
        "des",
        "et",
        "est",
        "une",
        "du",
        "pour",
        "que",
        "der",
        "die",
        "und",
        "das",
        "ist",
        "nicht",
        "el",
        "los",
        "las",
        "y",
    ]
)

_WORD = re.compile(r"[^\W\d_]+")


def identify(text: str) -> str:
    """Return 'en', 'ru', 'kk' or 'und' for ``text``."""
    letters = [ch for ch in text if ch.isalpha()]
    if len(letters) < 12:
        return "und"
    cyrillic = sum("\u0400" <= ch <= "\u052f" for ch in letters)
    latin = sum(ch < "\u0250" for ch in letters)
    words = [w.casefold() for w in _WORD.findall(text)]
    if cyrillic > latin:
        kk_letters = sum(ch in KAZAKH_LETTERS for ch in letters)
        counts = Counter("kk" if w in KK_WORDS else "ru" if w in RU_WORDS else "" for w in words)
        # One Kazakh-only letter per ~60 letters is far above the rate of stray loanwords in Russian.
        if kk_letters * 60 >= cyrillic or counts["kk"] > counts["ru"]:
            return "kk"
        return "ru"
    if latin == 0:
        return "und"
    en = sum(w in EN_WORDS for w in words)
    other = sum(w in OTHER_LATIN for w in words)
    if en and en >= other and (en >= 2 or len(words) <= 12):
        return "en"
    return "und"


def dominant(languages: list[tuple[str, int]]) -> str:
    """The language of most text among (language, length) pairs, ignoring 'und'."""
    weights: Counter[str] = Counter()
    for language, length in languages:
        if language != "und":
            weights[language] += length
    return weights.most_common(1)[0][0] if weights else "und"
