"""A light Kazakh stemmer: strips inflectional suffixes so that азаптау, азаптауды, азаптаудың meet.

Kazakh is agglutinative: a noun (or verbal noun in -у) takes, in this order, a plural, a possessive and a
case ending (құқық-тар-ы-на "to their rights"). Search only needs the forms of one word to meet, not a
linguistically right root, so the rules are few and always applied the same way to documents and queries:

1. The word is lower-cased and ё becomes е (as everywhere in search).
2. Up to four times, the longest ending from ``SUFFIXES`` is removed from the end, when what remains keeps at
   least ``MIN_STEM`` letters and still has a vowel; a one-consonant ending (-м, -ң, -н) only after a vowel and
   leaving four letters or more (адам stays адам, балам becomes бала). The endings:
   - case: genitive -ның/-нің/-дың/-дің/-тың/-тің; dative -ға/-ге/-қа/-ке/-на/-не; accusative
     -ны/-ні/-ды/-ді/-ты/-ті/-н (after a possessive); locative -да/-де/-та/-те/-нда/-нде; ablative
     -дан/-ден/-тан/-тен/-нан/-нен; instrumental -мен/-бен/-пен;
   - possessive: -ым/-ім/-м, -ың/-ің/-ң, -ы/-і/-сы/-сі, -ымыз/-іміз/-мыз/-міз, -ыңыз/-іңіз/-ңыз/-ңіз;
   - plural: -лар/-лер/-дар/-дер/-тар/-тер.
   The bare dative -а/-е is never removed: it follows only a first- or second-person possessive, and taking it
   off every word ending in а/е would merge far too many roots (бала, заңгер…).
3. A final ғ, г or б becomes қ, к or п: Kazakh voices those consonants before a vowel-initial ending
   (құқық → құқығы, бостандық → бостандығы), so the unvoiced form is the one the word has on its own.

Derivation (-шы agent nouns, -лық abstract nouns) is left alone: қорғаушы "defender" and қорғау "protection"
are different search terms, joined where it matters by the thesaurus.
"""

from __future__ import annotations

import functools

MIN_STEM = 3
VOWELS = set("аәеёиоөуұүыіэюя")
SUFFIXES = sorted(
    {
        # case
        "ның", "нің", "дың", "дің", "тың", "тің",
        "ға", "ге", "қа", "ке", "на", "не",
        "ны", "ні", "ды", "ді", "ты", "ті", "н",
        "да", "де", "та", "те", "нда", "нде",
        "дан", "ден", "тан", "тен", "нан", "нен",
        "мен", "бен", "пен",
        # possessive
        "ым", "ім", "м", "ың", "ің", "ң", "ы", "і", "сы", "сі",
        "ымыз", "іміз", "мыз", "міз", "ыңыз", "іңіз", "ңыз", "ңіз",
        # plural
        "лар", "лер", "дар", "дер", "тар", "тер",
    },
    key=len,
    reverse=True,
)  # fmt: skip
_CONSONANT_ENDINGS = frozenset("мңн")
_UNVOICE = {"ғ": "қ", "г": "к", "б": "п"}


def _strip_once(word: str) -> str:
    for suffix in SUFFIXES:
        if word.endswith(suffix):
            rest = word[: -len(suffix)]
            if len(rest) < MIN_STEM or not any(ch in VOWELS for ch in rest):
                continue
            if suffix in _CONSONANT_ENDINGS and (len(rest) < MIN_STEM + 1 or rest[-1] not in VOWELS):
                continue
            return rest
    return word


@functools.lru_cache(maxsize=100_000)
def stem(word: str) -> str:
    """The search stem of one Kazakh word (see the module's rules)."""
    word = word.lower().replace("ё", "е")
    for _ in range(4):
        shorter = _strip_once(word)
        if shorter == word:
            break
        word = shorter
    if word and word[-1] in _UNVOICE:
        word = word[:-1] + _UNVOICE[word[-1]]
    return word
