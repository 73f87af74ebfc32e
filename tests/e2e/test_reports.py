"""Reports in the browser: a coordinator builds and publishes a report; an anonymous visitor reads it on the portal."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from rightstrack.core.models import Confidentiality
from tests.reports.factories import recommendation

from .conftest import _new_page, login, no_horizontal_scroll

pytestmark = pytest.mark.e2e

INTERNAL = "Internal advice that must never reach the portal"


@pytest.fixture
def data(org_a):
    recommendation(org_a, text="Investigate all allegations of torture.", article=7, paragraph="22")
    recommendation(org_a, text="Guarantee access to a lawyer from the moment of arrest.", article=14)
    recommendation(org_a, text=INTERNAL, article=7, paragraph="23", level=Confidentiality.INTERNAL)


def test_coordinator_builds_publishes_and_anonymous_reads(page, browser, live_server, coordinator_a, data, shots):
    login(page, live_server, "coordinator_a")
    page.goto(f"{live_server.url}/reports/")
    page.get_by_role("link", name="New report").click()
    page.get_by_label("Title").fill("Alternative report on Kazakhstan")
    page.get_by_label("Type").select_option("shadow-iccpr")
    page.get_by_label("Public edition: use public records only").check()
    page.get_by_role("button", name="Create").click()
    expect(page.get_by_role("heading", name="Alternative report on Kazakhstan", level=1)).to_be_visible()
    page.get_by_role("button", name="Build").click()
    expect(page.get_by_role("heading", name="Article 7. Prohibition of torture", exact=False)).to_be_visible()
    expect(page.get_by_text("Investigate all allegations of torture").first).to_be_visible()
    assert INTERNAL not in page.content()
    page.screenshot(path=shots / "report-detail.png", full_page=True)

    # Edit a paragraph, keyboard only.
    page.get_by_role("link", name=re.compile(r"^Edit( \d+)?$")).first.click()  # a paragraph's, not the definition's
    page.get_by_label("Text").fill("Our coalition's own introduction.")
    page.keyboard.press("Tab")
    page.get_by_role("button", name="Save").press("Enter")
    expect(page.get_by_text("Our coalition's own introduction.")).to_be_visible()

    page.get_by_role("button", name="Publish on the public portal").click()
    expect(page.get_by_role("heading", name="Alternative report on Kazakhstan", level=1)).to_be_visible()
    assert "/public/reports/" in page.url
    public_url = page.url
    assert page.errors == []

    # An anonymous visitor, on a phone, without JavaScript.
    context, anonymous = _new_page(
        browser, viewport={"width": 390, "height": 844}, is_mobile=True, java_script_enabled=False
    )
    anonymous.goto(f"{live_server.url}/public/")
    anonymous.get_by_role("link", name="Alternative report on Kazakhstan").click()
    assert anonymous.url == public_url
    expect(anonymous.get_by_text("Our coalition's own introduction.")).to_be_visible()
    expect(anonymous.get_by_text("Investigate all allegations of torture").first).to_be_visible()
    assert INTERNAL not in anonymous.content()
    assert no_horizontal_scroll(anonymous)
    anonymous.screenshot(path=shots / "portal-report-phone.png", full_page=True)
    anonymous.get_by_label("Search").fill("torture")
    anonymous.get_by_role("button", name="Search").click()
    expect(anonymous.get_by_role("link", name="Alternative report on Kazakhstan")).to_be_visible()
    anonymous.goto(f"{live_server.url}/public/recommendations/")
    expect(anonymous.get_by_text("Investigate all allegations of torture")).to_be_visible()
    assert INTERNAL not in anonymous.content()
    anonymous.screenshot(path=shots / "portal-recommendations-phone.png", full_page=True)
    context.close()


def test_report_pages_on_a_phone(phone_page, live_server, coordinator_a, data, shots):
    from rightstrack.reports import actions

    report = actions.create_report(
        coordinator_a,
        organisation=coordinator_a.memberships.first().organisation,
        title="Phone report",
        kind="shadow-iccpr",
    )
    actions.build_now(coordinator_a, report)
    login(phone_page, live_server, "coordinator_a")
    phone_page.goto(f"{live_server.url}/reports/{report.pk}/")
    expect(phone_page.get_by_role("heading", name="Phone report", level=1)).to_be_visible()
    assert no_horizontal_scroll(phone_page)
    phone_page.screenshot(path=shots / "report-detail-phone.png", full_page=True)
    assert phone_page.errors == []
