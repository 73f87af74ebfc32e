"""The light Kazakh stemmer (rules in core/kazakh.py) and how search reads Cyrillic words as Kazakh."""

from __future__ import annotations

import pytest

from rightstrack.core import kazakh, textsearch


@pytest.mark.parametrize(
    "forms",
    [
        ["азаптау", "азаптауды", "азаптаудың", "азаптауға", "азаптаулар"],
        ["құқық", "құқығы", "құқықтары", "құқықтарына", "құқығын"],  # ғ before a vowel, қ on its own
        ["бостандық", "бостандығы", "бостандығын"],
        ["заң", "заңы", "заңдар", "заңның", "заңда"],
        ["адам", "адамдар", "адамдардың", "адамның"],
        ["сот", "соттар", "соттың", "сотқа"],
    ],
)
def test_forms_of_a_word_share_a_stem(forms):
    assert len({kazakh.stem(f) for f in forms}) == 1, {f: kazakh.stem(f) for f in forms}


def test_stems_are_never_shorter_than_three_letters_and_keep_a_vowel():
    for word in ("ана", "ата", "іс", "сен", "ауылда", "қарсы", "адам", "балам"):
        stem = kazakh.stem(word)
        assert len(stem) >= min(3, len(word)) and any(ch in kazakh.VOWELS for ch in stem), (word, stem)
    assert kazakh.stem("адам") == "адам"  # not an -м possessive
    assert kazakh.stem("балам") == "бала"


def test_uppercase_and_yo():
    assert kazakh.stem("АЗАПТАУДЫ") == "азаптау"


def test_a_text_reads_as_kazakh_from_its_letters():
    assert textsearch.reads_as_kazakh(textsearch.words("Азаптаудың әрбір фактісін тиімді тергеу"))
    assert not textsearch.reads_as_kazakh(textsearch.words("Расследовать каждый случай пыток"))
    # In a Kazakh text, a word without Kazakh letters is stemmed as Kazakh too.
    assert textsearch.document("Азаптауды тоқтату") == "азаптау тоқтату"
    assert textsearch.document("Пытки прекратить") == "пытк прекрат"
