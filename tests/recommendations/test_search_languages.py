"""Search across English, Russian and Kazakh: thesaurus expansion, its explanation and its off switch.

Runs on the database under test (SQLite by default, PostgreSQL with DATABASE_URL): both engines read the same
stems and the same expanded query, so the expected sets are the same.
"""

from __future__ import annotations

import pytest

from rightstrack.core.models import Confidentiality
from rightstrack.recommendations import actions, queries, search
from rightstrack.recommendations.queries import Filters
from tests.test_leaks import body_of, normalise


def ids(user, **filters) -> set[str]:
    return set(queries.filtered(user, Filters(**filters)).values_list("upr_id", flat=True))


def _rec(user, review, upr_id: str, text: str, language: str, **extra):
    return actions.create_recommendation(
        user, review, text=text, upr_id=upr_id, language=language, suggest=False,
        confidentiality=extra.pop("confidentiality", Confidentiality.PUBLIC), **extra,
    )  # fmt: skip


@pytest.fixture
def trilingual(coordinator_a, review):
    """One recommendation per language (synthetic texts), none with a translation."""
    return {
        "en": _rec(coordinator_a, review, "1.1", "Investigate every allegation of torture in police custody", "en"),
        "ru": _rec(coordinator_a, review, "1.2", "Криминализировать домашнее насилие и открыть кризисные центры", "ru"),
        "kk": _rec(coordinator_a, review, "1.3", "Құқық қорғаушыларды қудалауды тоқтату", "kk"),
        "ru2": _rec(coordinator_a, review, "1.4", "Отменить смертную казнь, ратифицировать Второй протокол", "ru"),
        "kk2": _rec(coordinator_a, review, "1.5", "Азаптаудың әрбір фактісін тиімді тергеу", "kk"),
    }  # fmt: skip


def test_russian_query_finds_english_recommendation_about_torture(analyst_a, trilingual):
    assert ids(analyst_a, q="пытки") == {"1.1", "1.5"}  # the English one and the Kazakh one (азаптаудың)
    assert ids(analyst_a, q="пыток") == {"1.1", "1.5"}
    assert ids(analyst_a, q="пытки", literal=True) == set()  # no record has the Russian word itself


def test_kazakh_query_finds_russian_recommendation(analyst_a, trilingual):
    assert ids(analyst_a, q="тұрмыстық зорлық-зомбылық") == {"1.2"}
    assert ids(analyst_a, q="өлім жазасы") == {"1.4"}
    assert ids(analyst_a, q="ратификациялау") == {"1.4"}
    assert ids(analyst_a, q="тұрмыстық зорлық-зомбылық", literal=True) == set()


def test_english_query_finds_russian_and_kazakh_recommendations(analyst_a, trilingual):
    assert ids(analyst_a, q="domestic violence") == {"1.2"}
    assert ids(analyst_a, q="human rights defenders") == {"1.3"}
    assert ids(analyst_a, q="death penalty") == {"1.4"}
    assert ids(analyst_a, q="torture") == {"1.1", "1.5"}
    assert ids(analyst_a, q="torture", literal=True) == {"1.1"}


def test_kazakh_inflected_forms_meet(analyst_a, trilingual):
    # азаптау / азаптауды / азаптаудың: the Kazakh stemmer brings them to one stem, in the record and the query.
    for form in ("азаптау", "азаптауды", "азаптаудың", "АЗАПТАУ"):
        assert ids(analyst_a, q=form, literal=True) == {"1.5"}, form
    assert ids(analyst_a, q="қорғаушылар", literal=True) == {"1.3"}
    assert ids(analyst_a, q="азаптау") == {"1.1", "1.5"}


def test_expansion_combines_with_other_words_and_filters(analyst_a, trilingual):
    assert ids(analyst_a, q="пытки полиция") == {"1.1"}  # both concepts, each in any language
    assert ids(analyst_a, q="пытки -police") == {"1.5"}  # exclusions stay literal
    assert ids(analyst_a, q="пытки", response="supported") == set()


def test_homoglyphs_in_a_query_are_folded(analyst_a, trilingual):
    # "aзаптау" with a Latin a, "tоrture" with a Cyrillic о: typed on the wrong keyboard layout.
    assert ids(analyst_a, q="aзаптау") == {"1.1", "1.5"}
    assert ids(analyst_a, q="дoмашнее насилие", literal=True) == {"1.2"}
    assert ids(analyst_a, q="tоrture", literal=True) == {"1.1"}


def test_homoglyphs_in_a_record_are_folded(coordinator_a, analyst_a, review):
    _rec(coordinator_a, review, "2.1", "Prevent tоrture in prisons", "en")  # Cyrillic о inside an English word
    assert ids(analyst_a, q="torture", literal=True) == {"2.1"}


def test_translations_are_indexed_in_their_own_language(coordinator_a, analyst_a, review):
    kazakh = "Сот талқылауының әділдігін қамтамасыз ету, адвокаттарға қол жеткізу"
    _rec(coordinator_a, review, "3.1", "Ensure fair trial guarantees", "en", translations={"kk": kazakh})
    assert ids(analyst_a, q="адвокаттардың", literal=True) == {"3.1"}


def test_results_page_says_which_expansions_it_used_and_can_turn_them_off(client, analyst_a, trilingual):
    client.force_login(analyst_a)
    page = client.get("/recommendations/", {"q": "пытки"}).content.decode()
    assert "Also searched for:" in page
    assert "<q>пытки</q> → torture, азаптау" in page
    assert "Investigate every allegation of torture" in page
    assert "literal=1" in page and "q=%D0%BF%D1%8B%D1%82%D0%BA%D0%B8" in page  # the off link keeps the query
    off = client.get("/recommendations/", {"q": "пытки", "literal": "1"}).content.decode()
    assert "Only the words typed were searched." in off
    assert "Investigate every allegation of torture" not in off
    assert 'name="literal" value="1" checked' in off
    plain = client.get("/recommendations/", {"q": "allegation"}).content.decode()
    assert "Also searched for:" not in plain and "Only the words typed" not in plain.split('id="results"')[1]


def test_results_page_in_russian_explains_in_russian(client, analyst_a, trilingual):
    client.force_login(analyst_a)
    client.cookies["django_language"] = "ru"
    page = client.get("/recommendations/", {"q": "torture"}, HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "Также искали:" in page
    assert "<q>torture</q> → пытка, азаптау" in page


def test_api_searches_with_expansion_and_literal(client, analyst_a, trilingual):
    client.force_login(analyst_a)
    found = client.get("/api/recommendations/recommendations", {"q": "пытки"}).json()
    literal = client.get("/api/recommendations/recommendations", {"q": "пытки", "literal": "1"}).json()
    items = found["items"] if isinstance(found, dict) else found
    literal_items = literal["items"] if isinstance(literal, dict) else literal
    assert {r["upr_id"] for r in items} == {"1.1", "1.5"}
    assert literal_items == []


def test_rebuild_reindexes_with_the_same_answers(analyst_a, trilingual):
    before = ids(analyst_a, q="пытки")
    assert search.rebuild() == 5
    assert ids(analyst_a, q="пытки") == before


# --- Confidentiality -------------------------------------------------------------------------------


@pytest.fixture
def hidden(analyst_a, review):
    """A restricted English recommendation on torture and a Kazakh one on defenders, of organisation A."""
    return [
        _rec(analyst_a, review, "9.1", "SECRETMARK torture of a named detainee", "en", confidentiality="restricted"),
        _rec(analyst_a, review, "9.2", "SECRETMARK құқық қорғаушыны азаптау", "kk", confidentiality="restricted"),
    ]


@pytest.mark.parametrize("q", ["пытки", "азаптау", "құқық қорғаушылар", "torture", "правозащитники"])
def test_expanded_queries_never_reveal_restricted_records(client, monitor_a, viewer_b, trilingual, q, request):
    def pages(user) -> list[str]:
        if user is None:
            client.logout()
        else:
            client.force_login(user)
        out = []
        for path, params in (
            ("/recommendations/", {"q": q}),
            ("/recommendations/", {"q": q, "count": "all"}),
            ("/recommendations/export/", {"q": q, "fmt": "csv"}),
            ("/api/recommendations/recommendations", {"q": q}),
        ):
            out.append(normalise(body_of(client.get(path, params))))
        return out

    visitors = [monitor_a, viewer_b, None]
    before = {i: pages(user) for i, user in enumerate(visitors)}
    request.getfixturevalue("hidden")
    for i, user in enumerate(visitors):
        after = pages(user)
        assert all("SECRETMARK" not in body for body in after)
        assert after == before[i], f"visitor {i}: a search for {q} changes when restricted records exist"
