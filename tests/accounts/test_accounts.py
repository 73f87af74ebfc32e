"""Account security: password change, two-factor sign-in, sessions, reset links, organisation policy."""

from __future__ import annotations

import datetime

import pyotp
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from rightstrack.accounts import actions
from rightstrack.accounts.models import RecoveryCode, ResetLink, SecurityPolicy, SignIn, TwoFactor, TwoFactorRule
from rightstrack.core.models import AuditEvent, Role
from tests.conftest import make_user

PASSWORD = "correct horse battery"
STRONG = "violet-otter-cabbage-lantern-91"
AGENT = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0 Mobile Safari/537.36"
)


def sign_in(client: Client, username: str, password: str = PASSWORD, **extra):
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


def enable_totp(user) -> pyotp.TOTP:
    pending = actions.start_two_factor(user)
    totp = pyotp.TOTP(pending.secret)
    actions.confirm_two_factor(user, totp.now())
    return totp


def next_code(user) -> str:
    """A valid code newer than the last one used (the next time step)."""
    found = TwoFactor.objects.get(user=user)
    totp = pyotp.TOTP(found.secret)
    return totp.generate_otp(found.last_counter + 1)


def verbs() -> list[str]:
    return list(AuditEvent.objects.values_list("verb", flat=True))


# --- account page and password ---------------------------------------------------------------------


def test_name_in_header_opens_account_page(client, monitor_a):
    client.force_login(monitor_a)
    page = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("account")}"' in page
    body = client.get(reverse("account")).content.decode()
    for anchor in (
        'id="preferences"',
        'id="password"',
        'id="two-factor"',
        'id="sessions"',
        'id="history"',
        'id="tokens"',
    ):
        assert anchor in body
    # The old token page address still leads there.
    response = client.get("/account/tokens/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("account"))


def test_change_password_needs_current_and_refuses_common(client, monitor_a):
    client.force_login(monitor_a)
    url = reverse("change_password")
    wrong = client.post(url, {"current_password": "nope", "new_password1": STRONG, "new_password2": STRONG})
    assert wrong.status_code == 400 and "current password is not right" in wrong.content.decode()
    common = client.post(
        url, {"current_password": PASSWORD, "new_password1": "password123", "new_password2": "password123"}
    )
    assert common.status_code == 400 and "too common" in common.content.decode()
    weak = client.post(
        url, {"current_password": PASSWORD, "new_password1": "qwertyuiop12", "new_password2": "qwertyuiop12"}
    )
    assert weak.status_code == 400
    monitor_a.refresh_from_db()
    assert monitor_a.check_password(PASSWORD)
    assert "account.password_changed" not in verbs()
    ok = client.post(url, {"current_password": PASSWORD, "new_password1": STRONG, "new_password2": STRONG})
    assert ok.status_code == 302
    monitor_a.refresh_from_db()
    assert monitor_a.check_password(STRONG)
    assert "account.password_changed" in verbs()
    # Still signed in on this device.
    assert client.get(reverse("account")).status_code == 200


def test_password_change_signs_out_other_devices(monitor_a):
    here, there = Client(HTTP_USER_AGENT=AGENT), Client()
    sign_in(here, "monitor_a")
    sign_in(there, "monitor_a")
    here.post(
        reverse("change_password"), {"current_password": PASSWORD, "new_password1": STRONG, "new_password2": STRONG}
    )
    assert here.get(reverse("account")).status_code == 200
    assert there.get(reverse("account")).status_code == 302


def test_preferences_unchanged_changes_nothing(client, monitor_a):
    client.force_login(monitor_a)
    url = reverse("account_preferences")
    client.post(url, {"language": "ru", "time_zone": "Asia/Aqtobe"})
    assert client.cookies["django_language"].value == "ru"
    events = AuditEvent.objects.count()
    client.post(url, {"language": "ru", "time_zone": "Asia/Aqtobe"})
    assert AuditEvent.objects.count() == events
    bad = client.post(url, {"language": "xx", "time_zone": "Mars/Base"})
    assert bad.status_code == 400
    assert monitor_a.profile.language == "ru"


# --- sign-in history, sessions ---------------------------------------------------------------------


def test_sign_in_recorded_with_ip_and_device_and_session_rotated(monitor_a):
    client = Client(HTTP_USER_AGENT=AGENT, REMOTE_ADDR="10.1.2.3")
    client.get(reverse("login"))
    before = client.cookies.get("sessionid")
    sign_in(client, "monitor_a")
    after = client.cookies["sessionid"].value
    assert before is None or before.value != after
    row = SignIn.objects.get(user=monitor_a)
    assert row.ip == "10.1.2.3" and row.device == "Chrome on Android" and row.session_key == after
    body = client.get(reverse("account")).content.decode()
    assert "10.1.2.3" in body and "Chrome on Android" in body


def test_new_device_alert(monitor_a, django_capture_on_commit_callbacks):
    from rightstrack.core.models import Notification

    firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
    with django_capture_on_commit_callbacks(execute=True):
        sign_in(Client(HTTP_USER_AGENT=AGENT), "monitor_a")
        assert not Notification.objects.filter(user=monitor_a).exists()  # the first sign-in is no news
        sign_in(Client(HTTP_USER_AGENT=AGENT), "monitor_a")
        assert not Notification.objects.filter(user=monitor_a).exists()  # same device
        sign_in(Client(HTTP_USER_AGENT=firefox), "monitor_a")
    note = Notification.objects.get(user=monitor_a)
    assert "Firefox on Linux" in note.title


def test_sign_out_everywhere_ends_other_sessions_only(monitor_a, viewer_a):
    mine, other, someone_else = Client(), Client(), Client()
    sign_in(mine, "monitor_a")
    sign_in(other, "monitor_a")
    sign_in(someone_else, "viewer_a")
    refused = mine.post(reverse("sign_out_everywhere"), {})
    assert refused.status_code == 400 and "Nothing was done" in refused.content.decode()
    assert other.get(reverse("account")).status_code == 200
    mine.post(reverse("sign_out_everywhere"), {"confirm": "yes"})
    assert mine.get(reverse("account")).status_code == 200
    response = other.get(reverse("account"), follow=True)
    assert "session was ended" in response.content.decode()
    assert someone_else.get(reverse("account")).status_code == 200
    assert "account.signed_out_everywhere" in verbs()
    # The surviving session is still listed as this device (it followed the new session id).
    assert len(actions.active_sessions(monitor_a)) == 1


def test_cannot_end_another_users_session(monitor_a, viewer_a):
    theirs = Client()
    sign_in(theirs, "viewer_a")
    row = SignIn.objects.get(user=viewer_a)
    client = Client()
    client.force_login(monitor_a)
    assert client.post(reverse("end_session", args=[row.pk])).status_code == 404
    assert theirs.get(reverse("account")).status_code == 200
    assert "viewer_a" not in client.get(reverse("account")).content.decode()


def test_idle_timeout_and_absolute_lifetime(monitor_a, settings):
    client = Client()
    sign_in(client, "monitor_a")
    session = client.session
    session[actions.LAST_ACTIVITY] -= settings.SESSION_IDLE_MINUTES * 60 + 5
    session.save()
    response = client.get(reverse("account"), follow=True)
    assert "without activity" in response.content.decode()
    assert client.get(reverse("account")).status_code == 302
    sign_in(client, "monitor_a")
    session = client.session
    session[actions.SIGNED_IN_AT] -= settings.SESSION_ABSOLUTE_HOURS * 3600 + 5
    session.save()
    assert "longest allowed" in client.get(reverse("account"), follow=True).content.decode()


def test_forged_session_id_refused_and_audited(db):
    client = Client()
    client.cookies["sessionid"] = "forgedforgedforgedforgedforged12"
    response = client.get(reverse("login"))
    assert "not valid or has expired" in response.content.decode()
    assert "account.session_refused" in verbs()
    assert "forgedforged" not in str(AuditEvent.objects.values_list("object_repr", flat=True)[0])


# --- two-factor sign-in ------------------------------------------------------------------------------


def test_totp_sign_in_flow_and_reuse_refused(monitor_a):
    totp = enable_totp(monitor_a)
    assert "account.2fa_enabled" in verbs()
    assert RecoveryCode.objects.filter(user=monitor_a).count() == actions.RECOVERY_CODES
    client = Client()
    response = sign_in(client, "monitor_a")
    assert response.status_code == 302 and response["Location"] == reverse("two_factor_verify")
    assert client.get(reverse("account")).status_code == 302  # not signed in yet
    key_before = client.cookies["sessionid"].value
    code = next_code(monitor_a)
    response = client.post(reverse("two_factor_verify"), {"code": code})
    assert response.status_code == 302
    assert client.cookies["sessionid"].value != key_before  # rotated after the second factor
    assert client.get(reverse("account")).status_code == 200
    assert SignIn.objects.filter(user=monitor_a).first().method == SignIn.Method.TOTP
    # The same code again, on another browser: refused, audited, not signed in.
    other = Client()
    sign_in(other, "monitor_a")
    reused = other.post(reverse("two_factor_verify"), {"code": code})
    assert reused.status_code == 400 and "already used" in reused.content.decode()
    assert "account.2fa_code_reused" in verbs()
    assert other.get(reverse("account")).status_code == 302
    assert totp.now()  # the library's own code generator is what the test uses


def test_five_wrong_codes_lock_even_the_right_one(monitor_a, settings):
    enable_totp(monitor_a)
    client = Client()
    sign_in(client, "monitor_a")
    for _n in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(reverse("two_factor_verify"), {"code": "000000"})
    assert response.status_code == 403 and "locked" in response.content.decode()
    right = client.post(reverse("two_factor_verify"), {"code": next_code(monitor_a)})
    assert right.status_code == 403
    assert client.get(reverse("account")).status_code == 302
    assert verbs().count("account.2fa_failed") == settings.AXES_FAILURE_LIMIT
    TwoFactor.objects.filter(user=monitor_a).update(locked_until=timezone.now() - datetime.timedelta(seconds=1))
    assert client.post(reverse("two_factor_verify"), {"code": next_code(monitor_a)}).status_code == 302


def test_recovery_code_works_once(monitor_a):
    pending = actions.start_two_factor(monitor_a)
    codes = actions.confirm_two_factor(monitor_a, pyotp.TOTP(pending.secret).now())
    client = Client()
    sign_in(client, "monitor_a")
    response = client.post(reverse("two_factor_verify"), {"code": codes[0].upper()}, follow=True)
    assert "recovery code" in response.content.decode() and response.status_code == 200
    again = Client()
    sign_in(again, "monitor_a")
    assert again.post(reverse("two_factor_verify"), {"code": codes[0]}).status_code == 400
    stored = set(RecoveryCode.objects.values_list("digest", flat=True))
    assert codes[1] not in stored and codes[1].replace("-", "") not in stored  # hashed


def test_admin_login_page_does_not_skip_second_factor(monitor_a):
    enable_totp(monitor_a)
    client = Client()
    client.force_login(monitor_a)  # as if signed in by a page that asks no code
    response = client.get(reverse("account"), follow=True)
    assert "two-factor sign-in" in response.content.decode()
    assert client.get(reverse("account")).status_code == 302


def test_setup_page_shows_qr_and_wrong_code_changes_nothing(client, monitor_a):
    client.force_login(monitor_a)
    page = client.get(reverse("two_factor_setup")).content.decode()
    assert "<svg" in page and "<script" not in page.split("<main")[1]
    again = client.get(reverse("two_factor_setup")).content.decode()
    assert TwoFactor.objects.filter(user=monitor_a).count() == 1
    assert page.split("<svg")[1][:200] == again.split("<svg")[1][:200]  # reload keeps the scanned secret
    response = client.post(reverse("two_factor_setup"), {"code": "123456"})
    assert response.status_code == 400
    assert actions.confirmed_two_factor(monitor_a) is None
    assert "account.2fa_setup_failed" in verbs()


def test_disable_needs_code_and_is_audited(client, monitor_a):
    enable_totp(monitor_a)
    client.force_login(monitor_a)
    session = client.session
    session[actions.SECOND_FACTOR_DONE] = True
    session.save()
    assert client.post(reverse("two_factor_disable"), {"code": "000000"}).status_code == 400
    assert actions.confirmed_two_factor(monitor_a) is not None
    client.post(reverse("two_factor_disable"), {"code": next_code(monitor_a)})
    assert actions.confirmed_two_factor(monitor_a) is None
    assert "account.2fa_disabled" in verbs()


def test_policy_sends_restricted_members_to_setup(org_a, coordinator_a, monitor_a, analyst_a):
    admin = Client()
    admin.force_login(coordinator_a)
    url = reverse("account_security")
    bad = admin.post(url, {"organisation": org_a.pk, "two_factor": "sometimes"})
    assert bad.status_code == 400 and not SecurityPolicy.objects.exists()
    admin.post(url, {"organisation": org_a.pk, "two_factor": TwoFactorRule.RESTRICTED})
    assert SecurityPolicy.objects.get(organisation=org_a).two_factor == TwoFactorRule.RESTRICTED
    assert "account.policy_changed" in verbs()
    analyst = Client()
    analyst.force_login(analyst_a)  # restricted access
    response = analyst.get(reverse("home"))
    assert response.status_code == 302 and response["Location"] == reverse("two_factor_setup")
    assert analyst.get("/api/persons").status_code == 403
    monitor = Client()
    monitor.force_login(monitor_a)  # no restricted access
    assert monitor.get(reverse("home")).status_code == 200
    # The policy's page is the managers' alone.
    assert monitor.get(url).status_code == 404
    assert monitor.post(url, {"organisation": org_a.pk, "two_factor": TwoFactorRule.NOBODY}).status_code == 404


# --- reset links -------------------------------------------------------------------------------------


def test_admin_reset_link_works_once(client, admin_a, monitor_a):
    client.force_login(admin_a)
    response = client.post(reverse("issue_reset_link", args=[monitor_a.pk]))
    assert response.status_code == 200
    url = response.context["url"]
    assert "account.reset_link_issued" in verbs()
    assert ResetLink.objects.get().digest not in url
    visitor = Client()
    path = url.split("testserver")[1]
    weak = visitor.post(path, {"new_password1": "password123", "new_password2": "password123"})
    assert weak.status_code == 400 and "too common" in weak.content.decode()
    done = visitor.post(path, {"new_password1": STRONG, "new_password2": STRONG})
    assert done.status_code == 302
    monitor_a.refresh_from_db()
    assert monitor_a.check_password(STRONG)
    again = visitor.post(path, {"new_password1": STRONG + "x", "new_password2": STRONG + "x"})
    assert again.status_code == 400 and "already used" in again.content.decode()
    monitor_a.refresh_from_db()
    assert monitor_a.check_password(STRONG)
    assert "account.reset_link_refused" in verbs()


def test_admin_link_removes_lost_second_factor_email_link_does_not(settings, admin_a, monitor_a):
    enable_totp(monitor_a)
    _link, token = actions.issue_reset_link(admin_a, monitor_a.pk)
    page = Client().get(reverse("reset_password", args=[token])).content.decode()
    assert "also turns off two-factor sign-in" in page
    actions.use_reset_link(token, STRONG)
    assert actions.confirmed_two_factor(monitor_a) is None and not RecoveryCode.objects.filter(user=monitor_a).exists()
    enable_totp(monitor_a)
    settings.EMAIL_ENABLED = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    monitor_a.email = "m@example.org"
    monitor_a.save()
    actions.email_reset_link("monitor_a", "http://testserver")
    from django.core import mail

    path = [w for w in mail.outbox[0].body.split() if "/account/reset/" in w][0].split("testserver")[1]
    assert Client().post(path, {"new_password1": STRONG + "1", "new_password2": STRONG + "1"}).status_code == 302
    assert actions.confirmed_two_factor(monitor_a) is not None


def test_reset_link_expires(admin_a, monitor_a):
    link, token = actions.issue_reset_link(admin_a, monitor_a.pk)
    ResetLink.objects.filter(pk=link.pk).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    response = Client().post(
        reverse("reset_password", args=[token]), {"new_password1": STRONG, "new_password2": STRONG}
    )
    assert response.status_code == 400 and "expired" in response.content.decode()
    monitor_a.refresh_from_db()
    assert monitor_a.check_password(PASSWORD)


def test_no_reset_link_for_another_organisations_user(client, admin_a, org_a, org_b):
    outsider = make_user("outsider_b", org_b, Role.MONITOR)
    both = make_user("both", org_a, Role.MONITOR)
    from rightstrack.core.models import Membership

    Membership.objects.create(user=both, organisation=org_b, role=Role.VIEWER)
    client.force_login(admin_a)
    for target in (outsider, both, admin_a):
        assert client.post(reverse("issue_reset_link", args=[target.pk])).status_code == 404
    assert not ResetLink.objects.exists()
    assert "account.reset_link_issued" not in verbs()


def test_unknown_reset_token_refused(db):
    response = Client().get(reverse("reset_password", args=["madeup"]))
    assert response.status_code == 400 and "not valid" in response.content.decode()


def test_email_reset_when_smtp_configured(settings, monitor_a):
    from django.core import mail

    settings.EMAIL_ENABLED = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    monitor_a.email = "monitor@example.org"
    monitor_a.save()
    Client().post(reverse("forgot_password"), {"identifier": "MONITOR@example.org"})
    assert len(mail.outbox) == 1
    link = [w for w in mail.outbox[0].body.split() if "/account/reset/" in w][0]
    path = link.split("testserver")[1]
    assert Client().post(path, {"new_password1": STRONG, "new_password2": STRONG}).status_code == 302
    # An unknown name gets the same answer and no mail.
    response = Client().post(reverse("forgot_password"), {"identifier": "nobody"})
    assert "If an account" in response.content.decode() and len(mail.outbox) == 1


def test_forgot_password_without_email_points_to_admin(client, db, settings):
    settings.EMAIL_ENABLED = False
    response = client.post(reverse("forgot_password"), {"identifier": "x"})
    assert "Ask your organisation" in response.content.decode()


def test_session_store_holds_no_pending_user_after_sign_in(monitor_a):
    enable_totp(monitor_a)
    client = Client()
    sign_in(client, "monitor_a")
    client.post(reverse("two_factor_verify"), {"code": next_code(monitor_a)})
    data = Session.objects.get(session_key=client.cookies["sessionid"].value).get_decoded()
    assert actions.PENDING_USER not in data and data.get(actions.SECOND_FACTOR_DONE) is True


def test_session_from_before_tracking_joins_the_device_list(monitor_a):
    client = Client(HTTP_USER_AGENT=AGENT)
    client.force_login(monitor_a)
    SignIn.objects.all().delete()
    session = client.session
    for key in (actions.LAST_ACTIVITY, actions.SIGNED_IN_AT):
        session.pop(key, None)
    session.save()
    client.get(reverse("account"))
    row = SignIn.objects.get(user=monitor_a)
    assert row.session_key == client.cookies["sessionid"].value and row.device == "Chrome on Android"


def test_email_links_limited_per_hour(settings, monitor_a):
    from django.core import mail

    settings.EMAIL_ENABLED = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    monitor_a.email = "m@example.org"
    monitor_a.save()
    for _n in range(actions.EMAIL_LINKS_PER_HOUR + 2):
        Client().post(reverse("forgot_password"), {"identifier": "monitor_a"})
    assert len(mail.outbox) == actions.EMAIL_LINKS_PER_HOUR


def test_random_session_ids_cannot_flood_the_audit_log(db):
    for n in range(actions.REFUSED_SESSIONS_AUDITED_PER_MINUTE + 5):
        client = Client()
        client.cookies["sessionid"] = f"forged{n:026d}"
        assert "not valid" in client.get(reverse("login")).content.decode()
    assert verbs().count("account.session_refused") == actions.REFUSED_SESSIONS_AUDITED_PER_MINUTE


def test_chosen_time_zone_shows_times(client, monitor_a):
    client.force_login(monitor_a)
    SignIn.objects.filter(user=monitor_a).update(at=datetime.datetime(2026, 1, 5, 10, 7, tzinfo=datetime.UTC))
    client.post(reverse("account_preferences"), {"language": "", "time_zone": "Europe/Moscow"})
    assert "13:07" in client.get(reverse("account")).content.decode()
    client.post(reverse("account_preferences"), {"language": "", "time_zone": "America/New_York"})
    assert "05:07" in client.get(reverse("account")).content.decode()
