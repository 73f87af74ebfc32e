"""The stylesheet and scripts reach the browser."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .conftest import login, static_files_found

pytestmark = pytest.mark.e2e


def test_stylesheet_found_by_static_finders():
    assert static_files_found()


def test_assets_load_and_style_applies(page, live_server):
    failed = []
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.goto(f"{live_server.url}/accounts/login/")
    expect(page.locator(".topbar")).to_have_css("background-color", "rgb(23, 52, 74)")
    page.wait_for_load_state("load")
    assert page.evaluate("typeof window.htmx") == "object"
    assert [f for f in failed if "/static/" in f] == []
    assert page.errors == [], page.errors


def test_no_csp_violations(page, live_server, monitor_a):
    login(page, live_server, "monitor_a")
    page.goto(f"{live_server.url}/people/")
    page.wait_for_load_state("load")
    assert page.errors == [], page.errors
