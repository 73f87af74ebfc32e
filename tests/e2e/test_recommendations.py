"""Recommendations in the browser: search, filter, record an assessment, see it on the timeline; phone layout."""

from __future__ import annotations

import datetime
import re

import pytest
from playwright.sync_api import expect

from rightstrack.core.models import Confidentiality
from rightstrack.recommendations import actions

from .conftest import login, no_horizontal_scroll

pytestmark = pytest.mark.e2e


@pytest.fixture
def upr(coordinator_a, org_a):
    # Public records are created by a coordinator: only reviewers may publish.
    review = actions.create_review(
        coordinator_a, organisation=org_a, mechanism="upr", state="Kazakhstan", cycle=3, session="34",
        symbol="A/HRC/43/10", date=datetime.date(2019, 11, 7), confidentiality=Confidentiality.PUBLIC,
    )  # fmt: skip
    texts = [
        "Ratify the Optional Protocol to the Convention against Torture and set up an independent mechanism",
        "Bring the law on peaceful assemblies into line with article 21 of the Covenant",
        "Guarantee access to a lawyer from the first moment of detention",
    ]
    recs = [
        actions.create_recommendation(
            coordinator_a,
            review,
            text=texts[n % 3],
            upr_id=f"139.{61 + n}",
            response="supported" if n % 2 else "noted",
            recommending_states=["Norway" if n % 2 else "Brazil"],
            suggest=n == 0,
        )  # fmt: skip
        for n in range(7)
    ]
    actions.add_assessment(
        coordinator_a, recs[0], organisation=org_a, assessor_kind="state", assessor_name="Government",
        date=datetime.date(2024, 6, 1), status="fully", confidentiality="public",
    )  # fmt: skip
    return review, recs


def test_analyst_searches_filters_assesses_and_sees_the_timeline(page, live_server, analyst_a, upr, shots):
    review, recs = upr
    login(page, live_server, "analyst_a")
    page.goto(f"{live_server.url}/recommendations/")
    expect(page.get_by_text("7 recommendations")).to_be_visible()
    # Stemmed search: "tortured" finds "Torture".
    page.get_by_label("Search the texts").fill("tortured")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_text("3 recommendations")).to_be_visible()
    assert "q=tortured" in page.url  # shareable URL
    # A filter narrows it further.
    page.locator("summary", has_text="Filters").click()
    page.get_by_label("Response").select_option("noted")
    expect(page.get_by_text("2 recommendations")).to_be_visible()
    assert re.search(r"response=noted", page.url)
    page.get_by_label("Sort by").select_option("upr_id")
    expect(page.locator(".rec-item").first).to_contain_text("139.61")
    page.screenshot(path=shots / "recommendations-search.png", full_page=True)

    page.get_by_role("link", name=re.compile("Ratify the Optional Protocol")).first.click()
    expect(page.get_by_role("heading", name="Recommendation 139.61", level=1)).to_be_visible()
    expect(page.locator(".side-state .status")).to_have_text("fully implemented")
    form = page.locator("form", has=page.get_by_role("button", name="Save assessment"))
    form.get_by_label("Assessed by").select_option("coalition")
    form.get_by_label("Assessor name").fill("Coalition of NGOs")
    form.get_by_label("Date of the assessment").fill("2024-12-01")
    form.get_by_label("Status").select_option("partially")
    form.get_by_label("Rationale").fill("Law adopted, but no independent mechanism yet.")
    form.get_by_role("button", name="Save assessment").click()

    expect(page.get_by_text("Assessment recorded.")).to_be_visible()
    expect(page.locator(".side-cso .status")).to_have_text("partially implemented")
    expect(page.get_by_text("The State and civil society disagree about this recommendation.")).to_be_visible()
    first = page.locator(".timeline li").first
    expect(first).to_contain_text("1 December 2024")
    expect(first).to_contain_text("Coalition of NGOs")
    expect(first).to_have_class(re.compile(r"\bdisagrees\b"))
    page.screenshot(path=shots / "recommendation-timeline.png", full_page=True)
    assert page.errors == [], page.errors


def test_pages_on_a_phone(phone_page, live_server, analyst_a, upr, shots):
    review, recs = upr
    login(phone_page, live_server, "analyst_a")
    for name, url in [
        ("list", "/recommendations/"),
        ("detail", f"/recommendations/{recs[0].pk}/"),
        ("review", f"/recommendations/reviews/{review.pk}/"),
        ("dashboard", "/recommendations/dashboard/"),
        ("import", "/recommendations/import/"),
    ]:
        phone_page.goto(f"{live_server.url}{url}")
        assert no_horizontal_scroll(phone_page), f"{name} scrolls sideways on a phone"
        phone_page.screenshot(path=shots / f"recommendations-phone-{name}.png", full_page=True)
    assert phone_page.errors == [], phone_page.errors


def test_desktop_screens(page, live_server, analyst_a, coordinator_a, org_a, upr, shots):
    review, recs = upr
    actions.add_assessment(
        coordinator_a, recs[1], organisation=org_a, assessor_kind="coalition", date=datetime.date(2024, 12, 1),
        status="not", confidentiality="public",
    )  # fmt: skip
    earlier = actions.create_review(
        coordinator_a, organisation=org_a, mechanism="upr", state="Kazakhstan", cycle=2, session="20",
        date=datetime.date(2014, 10, 30), confidentiality=Confidentiality.PUBLIC,
    )  # fmt: skip
    actions.create_recommendation(
        coordinator_a, earlier, text="Ratify the Optional Protocol to the Convention against Torture", suggest=False
    )
    actions.compute_recurrence(analyst_a, org_a)
    login(page, live_server, "analyst_a")
    for name, url in [
        ("dashboard", "/recommendations/dashboard/"),
        ("review", f"/recommendations/reviews/{review.pk}/"),
        ("groups", "/recommendations/groups/"),
        ("matrix", "/recommendations/matrix/"),
        ("suggestion", f"/recommendations/{recs[0].pk}/"),
    ]:
        page.goto(f"{live_server.url}{url}")
        page.screenshot(path=shots / f"recommendations-{name}.png", full_page=True)
    page.goto(f"{live_server.url}/recommendations/groups/")
    expect(page.get_by_role("link", name=re.compile("ratify"))).to_be_visible()
    assert page.errors == [], page.errors
