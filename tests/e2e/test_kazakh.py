"""The interface in Kazakh: the header switch (ҚАЗ / РУС / ENG) turns every page Kazakh and back, and the longer
Kazakh labels wrap between words — never inside one — on a desktop and on a 390 px phone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from rightstrack.core import actions

from .conftest import login, no_horizontal_scroll

pytestmark = pytest.mark.e2e

# Words split over two lines inside labels, headings, navigation, tiles and buttons (text meant to break anywhere,
# such as API tokens and long passages, is not a label). Returns the broken words with their element.
BROKEN_WORDS_JS = """
() => {
  const selector = 'header, nav, h1, h2, h3, label, legend, th, dt, button, summary, .tile, .actions a';
  const broken = [];
  const words = /[\\p{L}\\p{N}]{3,}/gu;
  for (const element of document.querySelectorAll(selector)) {
    if (!element.getClientRects().length) continue;  // hidden (closed menu)
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const match of node.data.matchAll(words)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const tops = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
        if (tops.size > 1) broken.push(match[0] + ' in <' + element.tagName.toLowerCase() + '>');
      }
    }
  }
  return broken;
}
"""


def _data(user, org) -> None:
    for pseudonym in ("Құқық қорғаушы А-1", "Журналист Ж-9"):
        actions.create_person(user, org, pseudonym=pseudonym, is_hrd=True, is_journalist=True)


def _look(page, name: str, shots) -> None:
    expect(page.locator("html")).to_have_attribute("lang", "kk")
    assert page.evaluate(BROKEN_WORDS_JS) == [], f"{name}: words broken inside"
    assert no_horizontal_scroll(page), f"{name} scrolls sideways"
    page.screenshot(path=str(shots / f"{name}.png"), full_page=True)


def _kazakh_pages(page, live_server, shots, size: str) -> None:
    expect(page.locator("h1")).to_have_text(re.compile(r"^[А-Яа-яӘәҒғҚқҢңӨөҰұҮүҺһІі ]+$"))
    closed = page.locator("main details:not([open]) > summary")  # the tiles of every module, folded away
    for _open in range(closed.count()):  # each click removes one from the :not([open]) list
        closed.nth(0).click()
    _look(page, f"kk-dashboard-{size}", shots)
    page.goto(f"{live_server.url}/people/")
    expect(page.get_by_role("heading", name="Адамдар", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="Журналист Ж-9")).to_be_visible()
    _look(page, f"kk-people-{size}", shots)
    page.goto(f"{live_server.url}/incidents/new/")
    expect(page.get_by_role("heading", name="Жаңа оқиға", level=1)).to_be_visible()
    expect(page.get_by_role("textbox", name="Басталу күні", exact=True)).to_be_visible()
    _look(page, f"kk-event-form-{size}", shots)


def test_switch_to_kazakh_and_back_on_a_desktop(page, live_server, admin_a, org_a, shots):
    _data(admin_a, org_a)
    login(page, live_server, "admin_a")
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Dashboard")).to_be_visible()
    switch = page.locator("form.lang-form button")
    expect(switch).to_have_text(["ҚАЗ", "РУС", "ENG"])
    expect(page.get_by_role("button", name="ENG")).to_have_attribute("aria-current", "true")

    page.get_by_role("button", name="ҚАЗ").click()
    expect(page.get_by_role("button", name="ҚАЗ")).to_have_attribute("aria-current", "true")
    kk_nav = page.get_by_role("navigation", name="Негізгі навигация")
    expect(kk_nav.get_by_role("link", name="Басқару тақтасы")).to_be_visible()
    expect(kk_nav.get_by_role("link", name="Адамдар")).to_be_visible()
    _kazakh_pages(page, live_server, shots, "1280")

    # The check itself sees a word broken inside: a heading squeezed to a few letters with break-anywhere.
    page.evaluate(
        """() => { const h = document.createElement('h2'); h.textContent = 'Құжатталмаған';
        h.style.width = '4ch'; h.style.overflowWrap = 'anywhere'; document.querySelector('main').append(h); }"""
    )
    assert page.evaluate(BROKEN_WORDS_JS) == ["Құжатталмаған in <h2>"]

    # The choice stays while moving around, and ENG brings English back on the page where it was pressed.
    page.get_by_role("button", name="ENG").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="New event", level=1)).to_be_visible()
    page.goto(f"{live_server.url}/")
    expect(nav.get_by_role("link", name="Dashboard")).to_be_visible()
    assert page.errors == []


def test_kazakh_on_a_phone(phone_page, live_server, admin_a, org_a, shots):
    page = phone_page
    _data(admin_a, org_a)
    login(page, live_server, "admin_a")
    page.get_by_role("button", name="ҚАЗ").tap()
    menu = page.locator("details.menu > summary")
    expect(menu).to_contain_text("Мәзір")
    _kazakh_pages(page, live_server, shots, "390")
    page.goto(f"{live_server.url}/")
    menu.tap()
    expect(page.get_by_role("navigation", name="Негізгі навигация").get_by_role("link", name="Адамдар")).to_be_visible()
    _look(page, "kk-menu-390", shots)
    assert page.errors == []
