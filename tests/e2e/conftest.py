"""Browser fixtures: Debian's Chromium driven by Playwright's sync API against pytest-django's live server.

Playwright cannot download its own browser here, so `/usr/bin/chromium` (installed by `make browser`)
is used. When it is missing the browser tests fail with a clear message; RIGHTSTRACK_SKIP_E2E=1 skips
them (and `make test` then does not install Chromium).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Playwright's sync API runs an asyncio loop in this thread; Django would otherwise refuse ORM calls.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = os.environ.get("RIGHTSTRACK_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "correct horse battery"  # what tests.conftest.make_user sets
SHOTS = Path("/tmp/rt-shots")
TIMEOUT_MS = 15_000


STYLESHEET = "rightstrack/css/app.css"


def static_files_found() -> bool:
    from django.contrib.staticfiles import finders

    return finders.find(STYLESHEET) is not None


@pytest.fixture(scope="session")
def browser():
    if os.environ.get("RIGHTSTRACK_SKIP_E2E") == "1":
        pytest.skip("RIGHTSTRACK_SKIP_E2E=1")
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: run `make browser` to install it "
            "(or set RIGHTSTRACK_SKIP_E2E=1 to skip the browser tests).",
            pytrace=False,
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("Playwright is not installed: run `make install` (dev dependencies).", pytrace=False)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _console(page, msg) -> None:
    if msg.type != "error":
        return
    page.errors.append(msg.text)


def _new_page(browser, *, service_workers: str = "block", **options):
    # The offline service worker fetches pages in the background to keep them; against the test server's one
    # shared in-memory SQLite connection those fetches collide with the test's own requests ("table is
    # locked"), so it only runs where a test is about offline use (marked `service_worker`).
    context = browser.new_context(locale="en-GB", service_workers=service_workers, **options)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    # Script errors and CSP violations surface here; tests assert the list stays empty.
    page.errors = []
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    page.on("console", lambda msg: _console(page, msg))
    return context, page


def _workers(request) -> str:
    return "allow" if request.node.get_closest_marker("service_worker") else "block"


@pytest.fixture
def page(browser, request):
    context, page = _new_page(browser, viewport={"width": 1280, "height": 800}, service_workers=_workers(request))
    yield page
    context.close()


@pytest.fixture
def phone_page(browser, request):
    context, page = _new_page(
        browser,
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        service_workers=_workers(request),
    )
    yield page
    context.close()


@pytest.fixture
def shots() -> Path:
    """Where screenshots of key pages go, for a human (or a reviewer) to look at."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    return SHOTS


def login(page, live_server, username: str, password: str = PASSWORD) -> None:
    """Log in through the form and wait until the login page is left."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.fixture(autouse=True)
def _vocabularies(request):
    """Live-server tests flush the database between tests, data migrations included: reload the vocabularies."""
    if "live_server" in request.fixturenames:
        from django.apps import apps

        from rightstrack.core import vocabularies
        from rightstrack.recommendations import vocabularies as mechanisms

        request.getfixturevalue("transactional_db")
        vocabularies.load(apps)
        mechanisms.load(apps)
