"""Logging in and out, the language switch and keyboard access, in a real browser."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from rightstrack.core import actions

from .conftest import login

pytestmark = pytest.mark.e2e


def test_login_dashboard_and_logout(page, live_server, admin_a, org_a, shots):
    actions.create_person(admin_a, org_a, pseudonym="Witness K-17", is_hrd=True)
    actions.create_person(admin_a, org_a, pseudonym="Defendant D-3", is_journalist=True)

    login(page, live_server, "admin_a")

    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()
    expect(page.get_by_text("Org A — Administrator")).to_be_visible()
    expect(page.locator(".tile").filter(has_text="people")).to_contain_text("2")
    expect(page.get_by_role("heading", name="Recent activity")).to_be_visible()
    expect(page.get_by_role("link", name="admin_a")).to_be_visible()
    page.screenshot(path=shots / "dashboard-desktop.png", full_page=True)
    assert page.errors == [], page.errors

    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(f"{live_server.url}/accounts/login/")
    expect(page.get_by_role("button", name="Log in")).to_be_visible()
    # The session is gone: the dashboard sends us back to the login page.
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))


def test_wrong_password_shows_an_error_and_stays(page, live_server, monitor_a):
    login_url = f"{live_server.url}/accounts/login/"
    page.goto(login_url)
    page.get_by_label("Username").fill("monitor_a")
    page.get_by_label("Password").fill("not the password")
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.get_by_role("button", name="Log in").click()
    assert posted.value.status == 200

    expect(page).to_have_url(login_url)
    expect(page.get_by_role("alert")).to_have_text(re.compile("username and password didn't match"))
    expect(page.get_by_label("Username")).to_have_value("monitor_a")
    expect(page.get_by_label("Password")).to_have_value("")
    expect(page.get_by_role("button", name="Log out")).to_have_count(0)


def test_language_switch_ru_and_back(page, live_server, monitor_a):
    login(page, live_server, "monitor_a")
    html = page.locator("html")
    expect(html).to_have_attribute("lang", "en")

    page.get_by_role("button", name="РУС", exact=True).click()
    expect(html).to_have_attribute("lang", "ru")
    expect(page).to_have_url(f"{live_server.url}/")  # `next` brings us back to the same page
    expect(page.get_by_role("button", name="РУС", exact=True)).to_have_attribute("aria-current", "true")
    expect(page.locator("h1")).to_be_visible()
    # The choice sticks while navigating, and pages still work.
    page.goto(f"{live_server.url}/people/")
    expect(html).to_have_attribute("lang", "ru")
    expect(page.locator("table.table")).to_be_visible()

    page.get_by_role("button", name="ENG", exact=True).click()
    expect(html).to_have_attribute("lang", "en")
    expect(page).to_have_url(f"{live_server.url}/people/")
    expect(page.get_by_role("heading", name="People", level=1)).to_be_visible()
    expect(page.get_by_role("button", name="ENG", exact=True)).to_have_attribute("aria-current", "true")
    assert page.errors == [], page.errors


def _describe_focus(page) -> str:
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            if (!el || el === document.body) return "body";
            return el.id ? "#" + el.id : el.tagName.toLowerCase() + ":" + el.textContent.trim();
        }"""
    )


def test_keyboard_order_on_login_page(page, live_server):
    page.goto(f"{live_server.url}/accounts/login/")
    expect(page.get_by_label("Username")).to_be_focused()  # autofocus

    # From the top of the page, Tab walks the header, then username, password and the button.
    page.locator(".skip-link").focus()
    order = [_describe_focus(page)]
    for _ in range(15):
        page.keyboard.press("Tab")
        order.append(_describe_focus(page))
        if order[-1] == "button:Log in":
            break
    assert order[0] == "a:Skip to content", order
    assert "#id_username" in order, order
    start = order.index("#id_username")
    assert order[start : start + 3] == ["#id_username", "#id_password", "button:Log in"], order


def test_skip_link_is_first_on_authenticated_page(page, live_server, monitor_a):
    login(page, live_server, "monitor_a")
    page.goto(f"{live_server.url}/people/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    box = skip.bounding_box()
    assert box is not None and box["x"] >= 0 and box["y"] >= 0, f"skip link not on screen when focused: {box}"

    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#main$"))
    expect(page.locator("main#main")).to_be_focused()
