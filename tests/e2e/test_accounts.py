"""The account page in a real browser: two-factor sign-in, recovery codes, sessions and reset links."""

from __future__ import annotations

import datetime
import re
import time
from pathlib import Path

import pyotp
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from rightstrack.accounts.models import RecoveryCode, ResetLink, TwoFactor

from .conftest import PASSWORD, _new_page, login

pytestmark = pytest.mark.e2e
SHOTS = Path("/tmp/rt-shots/accounts")
STRONG = "violet-otter-cabbage-lantern-91"


@pytest.fixture
def shots_dir() -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    return SHOTS


def fresh_code(user) -> str:
    """A code the server has not seen yet: the current one, or the next time step's when it was used."""
    found = TwoFactor.objects.get(user=user)
    totp = pyotp.TOTP(found.secret)
    counter = max(totp.timecode(timezone.now()), found.last_counter + 1)
    return totp.generate_otp(counter)


def enable_in_browser(page, live_server, user, shots_dir=None) -> list[str]:
    page.goto(f"{live_server.url}/account/")
    page.get_by_role("link", name="Set up two-factor sign-in").click()
    expect(page.locator(".qr svg")).to_be_visible()
    if shots_dir:
        page.screenshot(path=shots_dir / "two-factor-setup.png", full_page=True)
    secret = page.locator("code.secret").inner_text().replace(" ", "")
    page.get_by_label("Code from the app").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    expect(page.get_by_role("heading", name="Recovery codes")).to_be_visible()
    if shots_dir:
        page.screenshot(path=shots_dir / "recovery-codes.png", full_page=True)
    return page.locator(".codes code").all_inner_texts()


def log_out(page) -> None:
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("button", name="Log in")).to_be_visible()


def password_step(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Sign-in code")).to_be_visible()


def test_enable_totp_sign_out_sign_in_with_code(page, live_server, monitor_a, shots_dir):
    login(page, live_server, "monitor_a")
    codes = enable_in_browser(page, live_server, monitor_a, shots_dir)
    assert len(codes) == 10
    page.get_by_role("link", name="I have written them down").click()
    expect(page.locator("#two-factor")).to_contain_text("On since")
    log_out(page)

    password_step(page, live_server, "monitor_a")
    page.screenshot(path=shots_dir / "sign-in-code.png", full_page=True)
    page.get_by_label("Code").fill(fresh_code(monitor_a))
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/account/")
    expect(page.locator("#history")).to_contain_text("password and authenticator code")
    page.screenshot(path=shots_dir / "account-page.png", full_page=True)
    assert page.errors == [], page.errors


def test_five_wrong_codes_lock(page, live_server, monitor_a, settings):
    login(page, live_server, "monitor_a")
    enable_in_browser(page, live_server, monitor_a)
    log_out(page)
    password_step(page, live_server, "monitor_a")
    for _n in range(settings.AXES_FAILURE_LIMIT - 1):
        page.get_by_label("Code").fill("000000")
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("alert")).to_contain_text("That code is not right")
    page.get_by_label("Code").fill("000000")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("Too many wrong codes")
    # Even the right code is refused while locked.
    page.get_by_label("Code").fill(fresh_code(monitor_a))
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("locked")
    page.goto(f"{live_server.url}/account/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))


def test_recovery_code_works_once(page, live_server, monitor_a):
    login(page, live_server, "monitor_a")
    codes = enable_in_browser(page, live_server, monitor_a)
    page.goto(f"{live_server.url}/")
    log_out(page)
    password_step(page, live_server, "monitor_a")
    page.get_by_label("Code").fill(codes[3])
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text(re.compile("signed in with a recovery code; 9 left"))).to_be_visible()
    log_out(page)
    password_step(page, live_server, "monitor_a")
    page.get_by_label("Code").fill(codes[3])
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("That code is not right")
    assert RecoveryCode.objects.filter(user=monitor_a, used_at__isnull=False).count() == 1


def test_idle_timeout_signs_out(page, live_server, monitor_a, settings):
    settings.SESSION_IDLE_MINUTES = 0.05  # three seconds
    login(page, live_server, "monitor_a")
    page.goto(f"{live_server.url}/account/")
    expect(page.get_by_role("heading", name=re.compile("Your account"))).to_be_visible()
    time.sleep(4)
    page.goto(f"{live_server.url}/account/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/account/"))
    expect(page.get_by_text(re.compile("signed out after 0.05 minutes without activity"))).to_be_visible()


def test_sign_out_everywhere_ends_other_browser(browser, page, live_server, monitor_a, shots_dir):
    other_context, other = _new_page(browser, viewport={"width": 390, "height": 844}, is_mobile=True)
    try:
        login(other, live_server, "monitor_a")
        login(page, live_server, "monitor_a")
        page.goto(f"{live_server.url}/account/#sessions")
        expect(page.locator("#sessions .session")).to_have_count(2)
        page.get_by_role("button", name="Sign out everywhere else").click()
        expect(page.get_by_text("Signed out everywhere else: 1 session ended.")).to_be_visible()
        expect(page.locator("#sessions .session")).to_have_count(1)
        other.goto(f"{live_server.url}/account/")
        expect(other).to_have_url(re.compile(r"/accounts/login/"))
        expect(other.get_by_text(re.compile("your session was ended"))).to_be_visible()
        other.screenshot(path=shots_dir / "phone-signed-out.png", full_page=True)
        # This browser stays signed in.
        page.goto(f"{live_server.url}/account/")
        expect(page.get_by_role("heading", name=re.compile("Your account"))).to_be_visible()
    finally:
        other_context.close()


def test_admin_reset_link_works_once_and_expires(browser, page, live_server, admin_a, monitor_a, shots_dir):
    login(page, live_server, "admin_a")
    page.goto(f"{live_server.url}/account/security/")
    row = page.get_by_role("row").filter(has_text="monitor_a")
    row.get_by_role("button", name="Issue a reset link").click()
    expect(page.get_by_role("heading", name="Reset link for monitor_a")).to_be_visible()
    page.screenshot(path=shots_dir / "reset-link-issued.png", full_page=True)
    url = page.locator("code.reset-url").inner_text()

    member_context, member = _new_page(browser, viewport={"width": 390, "height": 844}, is_mobile=True)
    try:
        member.goto(url)
        member.locator("#id_new_password1").fill(STRONG)
        member.get_by_label("New password again").fill(STRONG)
        member.get_by_role("button", name="Set password").click()
        expect(member.get_by_text("Your new password is set. Sign in with it.")).to_be_visible()
        login(member, live_server, "monitor_a", STRONG)
        log_out(member)
        member.goto(url)
        expect(member.get_by_role("alert")).to_contain_text("already used")
        member.screenshot(path=shots_dir / "reset-link-used.png", full_page=True)

        # A second link, left for more than 24 hours.
        page.goto(f"{live_server.url}/account/security/")
        page.get_by_role("row").filter(has_text="monitor_a").get_by_role("button", name="Issue a reset link").click()
        second = page.locator("code.reset-url").inner_text()
        ResetLink.objects.filter(used_at__isnull=True).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
        member.goto(second)
        expect(member.get_by_role("alert")).to_contain_text("expired")
    finally:
        member_context.close()
