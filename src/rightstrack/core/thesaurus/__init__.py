"""The trilingual human-rights thesaurus shipped with RightsTrack (English, Russian, Kazakh).

`concepts.txt` holds one concept a line: ``id | English terms | Russian terms | Kazakh terms``, terms separated
by ``;``. The first term of each language is the concept's label in that language (what the search page shows);
the others are synonyms and inflected forms the stemmers do not bring back to the same stem (пытка/пыток,
адам/адамдар are one stem, but ребёнок/дети are not). Every term is reduced here to its *stems* with the same
stemmers that index documents (`core.textsearch.stem`), so a query in any inflected form finds the concept.

Written for this project from treaty and UPR vocabulary; it is vocabulary, not text from any source.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

LANGUAGES = ("en", "ru", "kk")
DATA = Path(__file__).with_name("concepts.txt")


@dataclass(frozen=True)
class Concept:
    id: str
    terms: dict[str, tuple[str, ...]]  # language → terms, label first

    def label(self, language: str) -> str:
        return self.terms[language][0]

    def stemmed(self) -> Iterator[tuple[str, str, tuple[str, ...]]]:
        """(language, term, stems of the term's words) for every term, as documents in that language index them."""
        for language in LANGUAGES:
            for term in self.terms[language]:
                yield language, term, term_stems(term, language)


def term_stems(term: str, language: str) -> tuple[str, ...]:
    from rightstrack.core import textsearch  # textsearch reads this module: imported when first needed

    return tuple(textsearch.stem(w, language) for w in textsearch.WORD.findall(term))


def parse(lines: Iterable[str]) -> list[Concept]:
    """Concepts from the file's lines; a malformed line raises ValueError naming its number."""
    out = []
    for number, line in enumerate(lines, 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        fields = [f.strip() for f in line.split("|")]
        if len(fields) != 1 + len(LANGUAGES) or not fields[0]:
            raise ValueError(f"line {number}: expected 'id | en | ru | kk'")
        terms = {}
        for language, cell in zip(LANGUAGES, fields[1:], strict=True):
            terms[language] = tuple(t.strip() for t in cell.split(";") if t.strip())
            if not terms[language]:
                raise ValueError(f"line {number}: no {language} term for {fields[0]}")
        out.append(Concept(fields[0], terms))
    return out


@functools.cache
def concepts() -> list[Concept]:
    return parse(DATA.read_text(encoding="utf-8").splitlines())


@functools.cache
def _by_stems() -> dict[tuple[str, ...], list[Concept]]:
    index: dict[tuple[str, ...], list[Concept]] = {}
    for concept in concepts():
        for _language, _term, stems in concept.stemmed():
            if stems and concept not in index.setdefault(stems, []):
                index[stems].append(concept)
    return index


def lookup(readings: Iterable[tuple[str, ...]]) -> list[Concept]:
    """Concepts one of whose terms has exactly these stems (in any of the given readings)."""
    index = _by_stems()
    found: list[Concept] = []
    for stems in readings:
        for concept in index.get(tuple(stems), ()):
            if concept not in found:
                found.append(concept)
    return found
