"""A coordinator reads a shadow report built from disagreeing assessments (English and Russian interface and report),
finds the one genuinely unsourced figure through its link, and is refused publication at the form until confirming."""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import expect

from rightstrack.recommendations.models import Assessment
from tests.reports.factories import recommendation

from .conftest import PASSWORD, login

pytestmark = pytest.mark.e2e


@pytest.fixture
def report(org_a, coordinator_a):
    from rightstrack.reports import actions

    rec = recommendation(org_a, text="(b) guarantee access to a lawyer from the first hour;", article=9, status=None)
    for kind, status, day, name in [
        ("state", "partially", datetime.date(2024, 11, 1), ""),
        ("coalition", "not", datetime.date(2025, 3, 1), "KIBHR"),
    ]:
        Assessment.objects.create(
            organisation=org_a,
            confidentiality="public",
            recommendation=rec,
            assessor_kind=kind,
            assessor_name=name,
            date=day,
            status=status,
        )
    report = actions.create_report(
        coordinator_a,
        organisation=org_a,
        title="Shadow report 2025",
        kind="shadow-iccpr",
        language="ru",
        period_start=datetime.date(2024, 1, 1),
        period_end=datetime.date(2025, 6, 30),
    )
    actions.build_now(coordinator_a, report)
    intro = report.blocks.get(key="intro-purpose")
    actions.add_paragraph(
        coordinator_a,
        report,
        after=intro,
        section_key="intro",
        text="По данным коалиции, 1 марта 2025 г. задержаны не менее 1 234 человек (ст. 9, п. 27).",
    )
    return report


def test_report_page_shows_whose_assessment_and_only_real_unsourced_figures(
    page, browser, live_server, coordinator_a, report, shots
):
    login(page, live_server, "coordinator_a")
    page.goto(f"{live_server.url}/reports/{report.pk}/")
    body = page.locator(".report-body")
    expect(body).to_contain_text("Рекомендация (Комитет по правам человека): «Guarantee access to a lawyer")
    expect(body).to_contain_text("Государство сообщает о частичном выполнении (1 ноября 2024 г.)")
    expect(body).to_contain_text("коалиция считает её невыполненной (KIBHR, 1 марта 2025 г.)")
    # The check lists the one real figure (not the dates, "ст. 9" or "п. 27"), linked to its paragraph.
    items = page.locator("ul.unsourced li")
    expect(items).to_have_count(1)
    expect(items.first).to_have_text("Paragraph 2: 1 234")
    items.first.get_by_role("link").click()
    assert page.url.endswith(f"#block-{report.blocks.get(key__startswith='free-').pk}")
    page.screenshot(path=shots / "report-prose-en.png", full_page=True)
    # Publishing without confirming is refused where the user acted, with the way out.
    page.get_by_role("button", name="Publish on the public portal").click()
    expect(page.get_by_text("1 paragraph states a figure without a source", exact=False)).to_be_visible()
    expect(page.get_by_label("Publish even though some figures have no source")).to_be_visible()
    assert page.errors == []

    context = browser.new_context(locale="ru-RU", service_workers="block", viewport={"width": 1280, "height": 900})
    ru = context.new_page()
    try:
        ru.goto(f"{live_server.url}/accounts/login/")
        ru.locator("input[name=username]").fill("coordinator_a")
        ru.locator("input[name=password]").fill(PASSWORD)
        ru.locator("input[name=password]").press("Enter")
        expect(ru.locator("input[name=password]")).to_have_count(0)
        ru.goto(f"{live_server.url}/reports/{report.pk}/")
        expect(ru.locator("html")).to_have_attribute("lang", "ru")
        expect(ru.locator("ul.unsourced li").first).to_contain_text("1 234")
        ru.screenshot(path=shots / "report-prose-ru.png", full_page=True)
        # The list shows both sides, each with its date (and who, for civil society).
        ru.goto(f"{live_server.url}/recommendations/")
        expect(ru.locator(".rec-status .side-state")).to_contain_text("Государство: выполнено частично")
        expect(ru.locator(".rec-status .side-cso")).to_contain_text("KIBHR, 1 марта 2025 г.")
        ru.screenshot(path=shots / "recommendations-sides-ru.png", full_page=True)
    finally:
        context.close()
