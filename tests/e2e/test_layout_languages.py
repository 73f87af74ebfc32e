"""On a phone, in Russian and Kazakh: dashboard tiles wrap between words, never inside one (the reported
"задокументиро/ванные"), and stacked tables keep a label beside every value."""

from __future__ import annotations

import pytest
from django.conf import settings

from rightstrack.core import actions

from .conftest import login, no_horizontal_scroll

pytestmark = pytest.mark.e2e

# Tiles whose label overflows its box, or that may break a word anywhere.
BROKEN_TILES = """() => Array.from(document.querySelectorAll('.tile')).filter(t => {
  const style = getComputedStyle(t);
  return t.scrollWidth > t.clientWidth + 1 || style.overflowWrap !== 'normal' || style.wordBreak !== 'normal';
}).map(t => t.textContent.trim())"""

# Cells of stacked tables with no visible heading beside their value.
UNLABELLED_CELLS = """() => Array.from(document.querySelectorAll('table.table tbody td')).filter(td => {
  const before = getComputedStyle(td, '::before').content;
  return td.colSpan === 1 && td.textContent.trim() && (!before || before === 'none' || before === 'normal');
}).map(td => td.textContent.trim())"""


@pytest.mark.parametrize("code", ["ru", "kk"])
def test_tiles_and_tables_on_a_phone(phone_page, live_server, admin_a, org_a, shots, code):
    if code not in dict(settings.LANGUAGES):
        pytest.skip(f"{code} is not offered yet")
    actions.create_person(admin_a, org_a, pseudonym="Синтетикалық куә А")
    page = phone_page
    login(page, live_server, "admin_a")
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": code, "url": live_server.url}])

    for name, path in (("dashboard", "/"), ("recommendations", "/recommendations/dashboard/")):
        page.goto(f"{live_server.url}{path}")
        assert page.locator("html").get_attribute("lang") == code
        page.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = true; })")
        tiles = page.locator(".tile")
        assert tiles.count() >= 3 and tiles.first.is_visible()
        assert page.evaluate(BROKEN_TILES) == []
        assert no_horizontal_scroll(page), f"{name} scrolls sideways in {code}"
        page.screenshot(path=shots / f"layout-{name}-{code}.png", full_page=True)

    page.goto(f"{live_server.url}/people/")
    assert page.locator("table.table tbody td").count() >= 2
    assert page.evaluate(UNLABELLED_CELLS) == []
    page.screenshot(path=shots / f"layout-people-{code}.png", full_page=True)
    assert page.errors == [], page.errors
