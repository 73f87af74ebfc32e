"""The shipped thesaurus: complete in three languages, unique, and joining the inflected forms of its terms."""

from __future__ import annotations

import re

import pytest

from rightstrack.core import textsearch, thesaurus

KAZAKH_ONLY = re.compile("[әғқңөұүһі]", re.IGNORECASE)
CYRILLIC = re.compile("[а-яёәғқңөұүһі]", re.IGNORECASE)


def test_at_least_400_concepts_with_unique_ids():
    concepts = thesaurus.concepts()
    assert len(concepts) >= 400
    ids = [c.id for c in concepts]
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
    assert all(re.fullmatch(r"[A-Za-z0-9_]+", i) for i in ids)


def test_every_concept_has_terms_in_all_three_languages():
    for concept in thesaurus.concepts():
        for language in thesaurus.LANGUAGES:
            assert concept.terms[language], (concept.id, language)
            for term in concept.terms[language]:
                assert thesaurus.term_stems(term, language), (concept.id, term)


def test_russian_terms_are_russian_and_kazakh_terms_mostly_show_kazakh_letters():
    concepts = thesaurus.concepts()
    for concept in concepts:
        for term in concept.terms["ru"]:
            assert not KAZAKH_ONLY.search(term), (concept.id, term)  # a Kazakh term put in the Russian column
    # Loanwords (полиция, экстремизм) have no Kazakh letter; most Kazakh labels do, else the column is Russian.
    marked = sum(1 for c in concepts if KAZAKH_ONLY.search(" ".join(c.terms["kk"])))
    assert marked / len(concepts) > 0.6
    assert all(CYRILLIC.search(" ".join(c.terms[lang])) for c in concepts for lang in ("ru", "kk"))


@pytest.mark.parametrize(
    "forms",
    [
        ["пытка", "пытки", "пыток", "пыткам", "пытками"],
        ["азаптау", "азаптауды", "азаптаудың", "азаптауға"],
        ["torture", "tortured", "torturing"],
        ["правозащитник", "правозащитники", "правозащитников", "правозащитникам"],
        ["журналисты", "журналистов", "журналистам"],
        ["смертная казнь", "смертной казни", "смертную казнь"],
        ["өлім жазасы", "өлім жазасын", "өлім жазасына"],
    ],
)
def test_inflected_forms_find_the_same_concept(forms):
    found = [{c.id for c in thesaurus.lookup(textsearch.readings(textsearch.words(f)))} for f in forms]
    assert found[0], forms[0]
    assert all(f == found[0] for f in found), dict(zip(forms, found, strict=True))


def test_malformed_lines_are_refused_with_their_number():
    with pytest.raises(ValueError, match="line 2"):
        thesaurus.parse(["# comment", "torture | torture | пытка"])
    with pytest.raises(ValueError, match="no kk term"):
        thesaurus.parse(["torture | torture | пытка | ;"])
