"""Full-text search (stemmed English and Russian, same answers on SQLite and PostgreSQL) and filters."""

from __future__ import annotations

import datetime

import pytest

from rightstrack.recommendations import actions, queries, search
from rightstrack.recommendations.queries import Filters


def ids(user, **filters) -> set[str]:
    return set(queries.filtered(user, Filters(**filters)).values_list("upr_id", flat=True))


@pytest.fixture
def russian(coordinator_a, review):
    return actions.create_recommendation(
        coordinator_a, review, text="Обеспечить расследование всех заявлений о пытках", upr_id="139.99",
        translations={"en": "Ensure investigation of all torture allegations"}, language="ru", suggest=False,
    )  # fmt: skip


def test_stemming_english_and_russian(analyst_a, recs, russian):
    torture = {r.upr_id for r in recs if "Torture" in r.text}
    assert ids(analyst_a, q="torturing") == torture | {"139.99"}  # English stem, and the English translation
    # Only the words typed: "пытках" and "пытки" share a stem (the thesaurus's translations: test_search_languages).
    assert ids(analyst_a, q="пытки", literal=True) == {"139.99"}
    assert ids(analyst_a, q="ПЫТКАМ", literal=True) == {"139.99"}
    assert ids(analyst_a, q="assembly") == {r.upr_id for r in recs if "assemblies" in r.text}


def test_phrases_prefixes_and_exclusions(analyst_a, recs):
    assert ids(analyst_a, q='"optional protocol"') == {r.upr_id for r in recs if "Optional" in r.text}
    assert ids(analyst_a, q='"protocol optional"') == set()
    assert ids(analyst_a, q="decrim*") == {r.upr_id for r in recs if "Decriminalise" in r.text}
    assert ids(analyst_a, q="law -assemblies") == set()
    assert ids(analyst_a, q="the") == {r.upr_id for r in recs if " the " in r.text}


@pytest.mark.parametrize("junk", ['"', "*", "-", "NEAR(", "a OR b AND", "'; DROP TABLE x; --", "x" * 5000, ":*&|!"])
def test_junk_queries_never_fail(analyst_a, recs, junk):
    queries.filtered(analyst_a, Filters(q=junk)).count()


def test_filters(analyst_a, org_a, recs, review):
    assert len(ids(analyst_a, response="noted")) == 12
    assert len(ids(analyst_a, recommending="Norway")) == 11
    assert len(ids(analyst_a, region="GRULAC")) == 12
    assert len(ids(analyst_a, theme="torture-and-other-cid-treatment")) == 8
    assert ids(analyst_a, upr="139.61-139.63, 139.80") == {"139.61", "139.62", "139.63", "139.80"}
    assert len(ids(analyst_a, state="Kazakhstan", mechanism="upr", cycle=3)) == 23
    assert ids(analyst_a, state="Norway") == set()
    actions.add_assessment(
        analyst_a, recs[0], organisation=org_a, assessor_kind="state", date="2022-01-01", status="fully"
    )
    actions.add_assessment(
        analyst_a, recs[0], organisation=org_a, assessor_kind="state", date="2023-01-01", status="partially"
    )
    actions.add_assessment(
        analyst_a, recs[1], organisation=org_a, assessor_kind="coalition", date=datetime.date(2023, 1, 1), status="not"
    )
    # The latest assessment counts: 139.60 was "fully" in 2022 but is "partially" now.
    assert ids(analyst_a, status="partially") == {"139.60"}
    assert ids(analyst_a, status="fully") == set()
    assert ids(analyst_a, assessor="cso") == {"139.61"}
    assert ids(analyst_a, status="not", assessor="state") == set()


def test_filters_from_a_shared_url_ignore_junk():
    f = Filters.from_query({"cycle": "abc", "response": "nope", "sort": "evil", "article": "7", "status": "fully"})
    assert f.cycle is None and f.response == "" and f.sort == "newest" and f.article == 7 and f.status == "fully"


def test_search_obeys_visibility(analyst_a, viewer_b, review):
    actions.create_recommendation(
        analyst_a, review, text="Secret ask about prisons", confidentiality="restricted", suggest=False
    )
    assert queries.filtered(analyst_a, Filters(q="prison")).count() == 1
    assert queries.filtered(viewer_b, Filters(q="prison")).count() == 0


def test_rebuild_index(analyst_a, recs):
    assert search.rebuild() == 23
    assert len(ids(analyst_a, q="journalists")) == 7
