"""Navigation on a desktop-sized screen, and actions offered only to those who may use them."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .conftest import login

pytestmark = pytest.mark.e2e


def test_desktop_shows_main_navigation(page, live_server, monitor_a):
    login(page, live_server, "monitor_a")
    nav = page.get_by_role("navigation", name="Main")
    for name in ("Dashboard", "People", "Documents"):
        expect(nav.get_by_role("link", name=name)).to_be_visible()
    # At 1280 px every module fits on one row and no label breaks over two lines.
    boxes = [link.bounding_box() for link in nav.get_by_role("link").all()]
    assert len(boxes) >= 8
    assert len({round(b["y"]) for b in boxes}) == 1
    assert max(b["height"] for b in boxes) < 2 * min(b["height"] for b in boxes)
    nav.get_by_role("link", name="People").click()
    expect(page.get_by_role("heading", name="People", level=1)).to_be_visible()


def test_viewer_is_not_offered_add_person(page, live_server, viewer_a):
    login(page, live_server, "viewer_a")
    page.goto(f"{live_server.url}/people/")
    expect(page.get_by_role("heading", name="People", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="Add a person")).to_have_count(0)
