"""Latin and Cyrillic look-alike letters: which script a letter is, and folding mixed-script words.

Shared by ingestion (matching keys for titles and symbols) and search (documents and queries alike), so a
word typed with one Latin letter on a Russian keyboard finds the word and the other way round.
"""

from __future__ import annotations

import re
from collections import Counter

# Cyrillic letters that render like Latin ones (and back). Used only for the search key: the text
# shown to people keeps what the author typed.
_CYR_TO_LAT = dict(
    zip(
        "аеорсухіјѕԁӏАВЕКМНОРСТХУІЈЅ",
        "aeopcyxijsdlABEKMHOPCTXYIJS",
        strict=True,
    )
)
_LAT_TO_CYR = {lat: cyr for cyr, lat in _CYR_TO_LAT.items() if cyr not in "іјѕԁӏІЈЅ"}
_CYR_FOLD = str.maketrans(_CYR_TO_LAT)
_LAT_FOLD = str.maketrans(_LAT_TO_CYR)
_WORD = re.compile(r"\w+")


def script_of(ch: str) -> str:
    """'latin', 'cyrillic' or '' for one character."""
    if not ch.isalpha():
        return ""
    if ch < "\u0250":
        return "latin"
    if "\u0400" <= ch <= "\u052f":
        return "cyrillic"
    return ""


def fold_homoglyphs(text: str) -> str:
    """Rewrite look-alike letters in mixed-script words into the word's dominant script."""

    def fold(match: re.Match[str]) -> str:
        word = match.group(0)
        counts = Counter(script_of(ch) for ch in word)
        latin, cyrillic = counts["latin"], counts["cyrillic"]
        if not latin or not cyrillic:
            return word
        # Ties go to Latin: a short mixed word is usually a Latin word with one Cyrillic letter
        # typed on a Russian keyboard layout.
        if latin >= cyrillic:
            return word.translate(_CYR_FOLD)
        return word.translate(_LAT_FOLD)

    return _WORD.sub(fold, text)


def latin_in_cyrillic(text: str) -> str:
    """Latin look-alikes typed inside Cyrillic words ("Kомитет" with a Latin K) made Cyrillic.

    Unlike ``fold_homoglyphs`` this changes only words that are mostly Cyrillic, so it may be applied
    to the text people read (ingested passages): Latin words, names and symbols stay as written.
    """

    def fold(match: re.Match[str]) -> str:
        word = match.group(0)
        counts = Counter(script_of(ch) for ch in word)
        if counts["latin"] and counts["cyrillic"] > counts["latin"]:
            return word.translate(_LAT_FOLD)
        return word

    return _WORD.sub(fold, text)
