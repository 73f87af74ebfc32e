"""An analyst cites ¶27 of an NGO report on an assessment: chooses the document, types 27, reads the passage,
saves, and sees "NGO report, para. 27" on the recommendation; the same without JavaScript and in Russian."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from rightstrack.evidence.models import Citation
from rightstrack.recommendations import actions
from tests.evidence.test_citation_picker import make_document

from .conftest import login, no_horizontal_scroll

pytestmark = pytest.mark.e2e


@pytest.fixture
def rec(live_server, org_a, coordinator_a):
    review = actions.create_review(
        coordinator_a, organisation=org_a, mechanism="upr", state="Kazakhstan", cycle=3, confidentiality="public"
    )
    # Passage order and labels differ on purpose: ¶27 is the 24th passage of the report.
    make_document(
        org_a, title="NGO report", labels=[str(n) for n in range(4, 40)], pages=[n // 3 + 1 for n in range(36)]
    )
    make_document(org_a, title="UN summary", symbol="CCPR/C/SR.4012", labels=[str(n) for n in range(1, 30)])
    return actions.create_recommendation(
        coordinator_a, review, text="Guarantee peaceful assembly", upr_id="139.61", suggest=False
    )


def _fill_assessment(page) -> None:
    page.get_by_label("Assessed by").select_option("coalition")
    page.get_by_label("Date of the assessment").fill("2024-02-01")
    page.get_by_label("Status").select_option("partially")


def test_cite_paragraph_27_with_preview(page, live_server, analyst_a, rec, shots):
    login(page, live_server, "analyst_a")
    page.goto(f"{live_server.url}/recommendations/{rec.pk}/")
    _fill_assessment(page)
    row = page.locator(".citation-row").first
    row.get_by_label("Document").select_option(label="NGO report")
    row.get_by_label("Paragraph").fill("99")
    expect(row.locator(".citation-preview")).to_contain_text("Document NGO report has no paragraph 99")
    row.get_by_label("Paragraph").fill("27")
    expect(row.locator(".citation-preview")).to_contain_text("NGO report text of 27")
    expect(row.locator(".citation-preview")).to_contain_text("NGO report, para. 27")
    page.screenshot(path=shots / "citation-picker.png", full_page=True)
    page.get_by_role("button", name="Save assessment").click()
    expect(page.locator(".timeline")).to_contain_text("NGO report, para. 27")
    link = page.locator(".timeline a.citation").first
    cited = Citation.objects.get().passage
    assert cited.label == "27" and cited.document.title == "NGO report"
    assert link.get_attribute("href") == f"/documents/passages/{cited.pk}/"
    assert no_horizontal_scroll(page)
    assert page.errors == []


def test_without_javascript_and_in_russian(browser, live_server, analyst_a, rec, shots):
    context = browser.new_context(
        java_script_enabled=False, service_workers="block", locale="en-GB", viewport={"width": 1280, "height": 800}
    )
    page = context.new_page()
    try:
        login(page, live_server, "analyst_a")
        page.goto(f"{live_server.url}/recommendations/{rec.pk}/")
        _fill_assessment(page)
        row = page.locator(".citation-row").first
        row.get_by_label("Document").select_option(label="CCPR/C/SR.4012 — UN summary")
        row.get_by_label("Paragraph").fill("¶12")
        page.get_by_role("button", name="Show the passages / cite another").click()
        expect(page.get_by_text("Not saved yet")).to_be_visible()
        expect(page.locator(".citation-row").first).to_contain_text("UN summary text of 12")
        assert Citation.objects.count() == 0
        # A second citation in the new blank row, then save.
        second = page.locator(".citation-row").nth(1)
        second.get_by_label("Document").select_option(label="NGO report")
        second.get_by_label("Paragraph").fill("p. 3")
        page.get_by_role("button", name="Save assessment").click()
        expect(page.locator(".timeline")).to_contain_text("CCPR/C/SR.4012, para. 12")
        assert sorted(c.passage.label for c in Citation.objects.all()) == ["10", "12"]  # page 3 starts with ¶10
    finally:
        context.close()

    context = browser.new_context(locale="ru-RU", service_workers="block", viewport={"width": 1280, "height": 800})
    ru = context.new_page()
    try:
        ru.goto(f"{live_server.url}/accounts/login/")
        ru.locator("input[name=username]").fill("analyst_a")
        ru.locator("input[name=password]").fill("correct horse battery")
        ru.locator("input[name=password]").press("Enter")
        ru.wait_for_url(lambda url: "/accounts/login/" not in url)
        ru.goto(f"{live_server.url}/recommendations/{rec.pk}/")
        expect(ru.locator(".timeline")).to_contain_text("CCPR/C/SR.4012, п. 12")
        row = ru.locator(".citation-row").first
        row.locator("select").select_option(label="NGO report")
        row.locator("input[type=text]").fill("п. 27")
        expect(row.locator(".citation-preview")).to_contain_text("NGO report, п. 27")
        ru.screenshot(path=shots / "citation-picker-ru.png", full_page=True)
    finally:
        context.close()
