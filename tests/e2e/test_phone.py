"""A phone-sized screen: the collapsible menu and no sideways scrolling."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from rightstrack.core import actions

from .conftest import PASSWORD, login, no_horizontal_scroll

pytestmark = pytest.mark.e2e


def test_menu_toggles_and_pages_fit_the_screen(phone_page, live_server, admin_a, org_a, shots):
    page = phone_page
    for n, pseudonym in enumerate(["Witness K-17", "Defender Almaty-Oblast-2024-003", "Journalist J-9"]):
        actions.create_person(
            admin_a,
            org_a,
            pseudonym=pseudonym,
            is_hrd=n != 1,
            is_lawyer=True,
            is_journalist=n == 2,
            is_activist=True,
        )
    login(page, live_server, "admin_a")
    expect(page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()
    assert no_horizontal_scroll(page), "dashboard scrolls sideways on a phone"
    page.screenshot(path=shots / "dashboard-phone.png", full_page=True)

    menu = page.locator("details.menu > summary")
    people_link = page.get_by_role("navigation", name="Main").get_by_role("link", name="People")
    expect(menu).to_be_visible()
    expect(menu).to_contain_text("Menu")
    expect(people_link).to_be_hidden()
    menu.tap()
    expect(people_link).to_be_visible()
    menu.tap()
    expect(people_link).to_be_hidden()
    menu.tap()
    people_link.tap()

    expect(page).to_have_url(re.compile(r"/people/$"))
    expect(page.get_by_role("heading", name="People", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="Defender Almaty-Oblast-2024-003")).to_be_visible()
    assert no_horizontal_scroll(page), "people list scrolls sideways on a phone"
    page.screenshot(path=shots / "people-phone.png", full_page=True)
    assert page.errors == [], page.errors


PAGES = [
    "/trials/",
    "/trials/calendar/",
    "/trials/findings/",
    "/trials/courts/",
    "/incidents/",
    "/incidents/victims/",
    "/incidents/statistics/",
    "/recommendations/",
    "/recommendations/reviews/",
    "/recommendations/dashboard/",
    "/claims/",
    "/claims/discrepancies/",
    "/ingest/",
    "/reports/",
    "/audit/",
    "/trash/",
    "/public/",
]


def test_every_module_page_fits_a_phone_with_the_demo_loaded(phone_page, live_server):
    """Every module's main pages, filled with the whole synthetic demo, on a 390 px screen."""
    from rightstrack.core.demo import load_demo
    from rightstrack.trials.models import Hearing

    admin = load_demo().users["admin"]
    admin.set_password(PASSWORD)
    admin.save()
    month = Hearing.objects.order_by("date").values_list("date", flat=True).first().strftime("%Y-%m")
    login(phone_page, live_server, admin.username)
    for path in [*PAGES, f"/trials/calendar/?month={month}"]:
        response = phone_page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        assert no_horizontal_scroll(phone_page), f"{path} scrolls sideways on a phone"
    assert phone_page.errors == [], phone_page.errors
