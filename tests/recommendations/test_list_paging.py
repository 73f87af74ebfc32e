"""The list page at scale: counts capped at a limit, paging past it, sorts and combined filters."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client

from rightstrack.core.models import Confidentiality, Theme
from rightstrack.recommendations import actions, queries, views
from rightstrack.recommendations.queries import Filters


def get(user, **params) -> str:
    client = Client()
    client.force_login(user)
    response = client.get("/recommendations/", params)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def small_limits(monkeypatch):
    """Count up to 5 and show 5 per page, so 23 recommendations are "more than" the limit."""
    monkeypatch.setattr(queries, "COUNT_LIMIT", 5)
    monkeypatch.setattr(views, "PAGE_SIZE", 5)


def test_count_is_capped_and_paging_goes_past_the_limit(analyst_a, recs, small_limits, django_assert_max_num_queries):
    client = Client()
    client.force_login(analyst_a)
    client.get("/recommendations/")  # the filter form's vocabularies are cached from here on
    # 9 for the page, plus the header's alert bell (1 query) and the account security policy check (1).
    with django_assert_max_num_queries(11):
        html = client.get("/recommendations/").content.decode()
    assert "More than 5 recommendations" in html and "count them all" in html
    assert "Page 1<" in html and "Page 1 of" not in html and 'rel="next"' in html
    # Past the limit, each page still knows whether another follows.
    page4 = get(analyst_a, page=4)
    assert "Page 4<" in page4 and 'rel="next"' in page4 and 'rel="prev"' in page4
    page5 = get(analyst_a, page=5)
    assert "139.60" in page5 and 'rel="next"' not in page5  # newest first: the oldest three are last
    # Past the end, the whole result is counted and its last page shown.
    past = get(analyst_a, page=9)
    assert "23 recommendations" in past and "Page 5 of 5" in past and "139.60" in past


def test_exact_count_on_request_keeps_the_filters(analyst_a, recs, small_limits):
    html = get(analyst_a, response="noted", count="all")
    assert "12 recommendations" in html and "Page 1 of 3" in html and "count them all" not in html
    assert "count=all" in html  # the page links keep asking for the exact count
    capped = get(analyst_a, response="noted")
    assert "More than 5 recommendations" in capped
    assert "response=noted&amp;count=all" in capped


def test_small_results_are_counted_exactly_and_rows_show_their_links(analyst_a, recs):
    html = get(analyst_a, q="torture")
    assert "8 recommendations" in html and "More than" not in html and 'class="pagination"' not in html
    theme = Theme.objects.get(code="torture-and-other-cid-treatment")
    # 139.60 … 139.81 in steps of 3: even numbers were recommended by Brazil, odd ones by Norway.
    assert html.count(f'<span class="badge">{theme}</span>') == 8 and "Brazil" in html and "Norway" in html


@pytest.mark.parametrize("page", ["abc", "0", "-3", "1.5", "99999999999999999999999", ""])
def test_junk_page_numbers_never_fail(analyst_a, recs, small_limits, page):
    html = get(analyst_a, page=page)
    assert "recommendations" in html


def test_capped_counts_never_count_hidden_records(coordinator_a, viewer_b, org_a, review, small_limits):
    for n in range(5):
        actions.create_recommendation(
            coordinator_a, review, text=f"Public ask number {n}", confidentiality=Confidentiality.PUBLIC, suggest=False
        )
    for n in range(3):
        actions.create_recommendation(
            coordinator_a, review, text=f"Hidden ask zanzibar {n}", confidentiality=Confidentiality.RESTRICTED,
            suggest=False,
        )  # fmt: skip
    # Hidden records neither push the other organisation's count over the limit nor show in its pages.
    html = get(viewer_b)
    assert "5 recommendations" in html and "More than" not in html and "zanzibar" not in html
    assert "5 recommendations" in get(viewer_b, count="all")
    assert "0 recommendations" in get(viewer_b, q="zanzibar")
    assert "No recommendation matches." in get(viewer_b, q="zanzibar", page=3)
    assert "More than 5 recommendations" in get(coordinator_a)
    assert "8 recommendations" in get(coordinator_a, count="all")
    assert "3 recommendations" in get(coordinator_a, q="zanzibar")


def test_paginator_reads_one_extra_row_and_counts_only_to_the_limit(analyst_a, recs, monkeypatch):
    monkeypatch.setattr(queries, "COUNT_LIMIT", 10)
    qs = queries.filtered(analyst_a, Filters())
    page = queries.result_page(qs, 3, 5)
    assert page.paginator.capped and page.paginator.count == 11
    assert page.has_next() and page.next_page_number() == 4 and page.previous_page_number() == 2
    assert [r.upr_id for r in page] == ["139.72", "139.71", "139.70", "139.69", "139.68"]
    last = queries.result_page(qs, 5, 5)
    assert [r.upr_id for r in last] == ["139.62", "139.61", "139.60"] and not last.has_next()
    exact = queries.result_page(qs, 1, 5, exact=True)
    assert not exact.paginator.capped and exact.paginator.count == 23 and exact.paginator.num_pages == 5


COMBINATIONS = [
    {"state": "Kazakhstan", "region": "WEOG"},
    {"recommending": "Norway", "theme": "torture-and-other-cid-treatment"},
    {"q": "torture", "region": "WEOG"},
    {"q": "journalists", "recommending": "Brazil", "response": "noted"},
    {"mechanism": "upr", "cycle": 3, "theme": "torture-and-other-cid-treatment", "region": "GRULAC"},
    {"review": None, "recommending": "Norway", "upr": "139.61-139.70"},
    {"q": "ratif*", "state": "Kazakhstan", "status": "partially"},
]


@pytest.mark.parametrize("combination", COMBINATIONS)
def test_combined_filters_match_the_intersection_of_each(analyst_a, org_a, recs, review, combination):
    """However the query is driven (search, review, one id list, row checks), the answer is the same."""
    actions.add_assessment(
        analyst_a, recs[0], organisation=org_a, assessor_kind="state", date="2023-01-01", status="partially"
    )
    combination = {k: (review.pk if k == "review" else v) for k, v in combination.items()}

    def upr(**filters) -> set[str]:
        return set(queries.filtered(analyst_a, Filters(**filters)).values_list("upr_id", flat=True))

    expected = set.intersection(*(upr(**{k: v}) for k, v in combination.items()))
    assert upr(**combination) == expected


@pytest.mark.parametrize("sort", list(queries.SORTS))
def test_every_sort_lists_every_visible_recommendation(coordinator_a, viewer_b, org_a, recs, sort):
    later = actions.create_review(
        coordinator_a, organisation=org_a, mechanism="cat", state="Kazakhstan", cycle=4, date=datetime.date(2024, 5, 1),
        confidentiality=Confidentiality.PUBLIC,
    )  # fmt: skip
    newest = actions.create_recommendation(
        coordinator_a, later, text="Ensure redress for victims", upr_id="150.7", response="partly", suggest=False,
        confidentiality=Confidentiality.PUBLIC,
    )  # fmt: skip
    actions.create_recommendation(
        coordinator_a, later, text="Secret ask", confidentiality=Confidentiality.RESTRICTED, suggest=False
    )
    ordered = list(queries.filtered(viewer_b, Filters(sort=sort)).values_list("pk", flat=True))
    assert sorted(ordered) == sorted([r.pk for r in recs] + [newest.pk])
    # "noted" sorts first, then the most recently added.
    expected_first = {"review_date": newest.pk, "newest": newest.pk, "oldest": recs[0].pk, "response": recs[-1].pk}
    if sort in expected_first:
        assert ordered[0] == expected_first[sort]
    html = get(viewer_b, sort=sort)
    assert "Secret ask" not in html and "Ensure redress" in html


def test_filter_form_marks_current_values_and_escapes_junk(analyst_a, recs):
    html = get(analyst_a, state="Kazakhstan", theme="torture-and-other-cid-treatment")
    assert '<option value="Kazakhstan" selected>' in html
    assert '<option value="torture-and-other-cid-treatment" selected>' in html
    junk = get(analyst_a, state='"><script>x</script>')
    assert "<script>x" not in junk and junk.count(" selected>") == 1  # only the sort order


@pytest.mark.parametrize("sort", list(queries.SORTS))
def test_every_sort_of_a_search_lists_the_same_matches(analyst_a, recs, sort):
    def pks(**filters) -> list[int]:
        return list(queries.filtered(analyst_a, Filters(**filters)).values_list("pk", flat=True))

    searched = pks(q="journalists", sort=sort, response="noted")
    assert sorted(searched) == sorted(pks(q="journalists", response="noted")) and len(searched) == 4
