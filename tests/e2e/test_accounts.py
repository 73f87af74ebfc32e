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


def test_coordinator_requires_2fa_and_monitor_sets_it_up_on_phone(
    browser, page, live_server, coordinator_a, org_a, shots_dir
):
    from rightstrack.core.models import Role
    from tests.conftest import make_user

    monitor = make_user("aigerim_monitor", org_a, Role.MONITOR, restricted=True)
    login(page, live_server, "coordinator_a")
    page.get_by_role("link", name="coordinator_a").click()
    page.get_by_role("link", name="Organisation security").click()
    page.get_by_label("Two-factor sign-in").select_option("restricted")
    page.get_by_role("button", name="Save rule").click()
    expect(page.get_by_text("Rule saved.")).to_be_visible()
    page.screenshot(path=shots_dir / "organisation-security.png", full_page=True)

    phone_context, phone = _new_page(
        browser, viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True, has_touch=True
    )
    try:
        login(phone, live_server, "aigerim_monitor")
        # Sent to set-up before anything else, whatever page is asked for.
        expect(phone).to_have_url(f"{live_server.url}/account/two-factor/")
        phone.goto(f"{live_server.url}/incidents/")
        expect(phone).to_have_url(f"{live_server.url}/account/two-factor/")
        expect(phone.get_by_text("Your organisation requires two-factor sign-in")).to_be_visible()
        assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        phone.screenshot(path=shots_dir / "phone-two-factor-required.png", full_page=True)
        secret = phone.locator("code.secret").inner_text().replace(" ", "")
        phone.get_by_label("Code from the app").fill(pyotp.TOTP(secret).now())
        phone.get_by_role("button", name="Turn on two-factor sign-in").click()
        expect(phone.get_by_role("heading", name="Recovery codes")).to_be_visible()
        phone.get_by_role("link", name="I have written them down").click()
        phone.goto(f"{live_server.url}/incidents/")
        expect(phone).to_have_url(f"{live_server.url}/incidents/")
        assert phone.errors == [], phone.errors
    finally:
        phone_context.close()
    # The coordinator has restricted access too: the rule applies to them as well.
    page.goto(f"{live_server.url}/account/security/")
    expect(page).to_have_url(f"{live_server.url}/account/two-factor/")
    secret = page.locator("code.secret").inner_text().replace(" ", "")
    page.get_by_label("Code from the app").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    page.goto(f"{live_server.url}/account/security/")
    expect(page.get_by_role("row").filter(has_text="aigerim_monitor").get_by_role("cell").nth(3)).to_have_text("on")
    assert TwoFactor.objects.get(user=monitor).confirmed_at is not None


def test_account_page_in_kazakh_on_a_phone(phone_page, live_server, monitor_a, shots_dir):
    login(phone_page, live_server, "monitor_a")
    phone_page.get_by_role("button", name="ҚАЗ").click()
    expect(phone_page.locator("html")).to_have_attribute("lang", "kk")
    phone_page.goto(f"{live_server.url}/account/")
    expect(phone_page.get_by_role("heading", name=re.compile("Есептік жазбаңыз"))).to_be_visible()
    expect(phone_page.get_by_role("button", name="Басқа барлық құрылғылардан шығу")).to_be_visible()
    assert phone_page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    phone_page.screenshot(path=shots_dir / "phone-account-kk.png", full_page=True)
