"""Every change to an account's security: each checks, writes, and audits in one transaction.

Two-factor sign-in uses `pyotp` (RFC 6238 TOTP, small, no Django coupling) rather than django-otp: we need
our own lock (the same limit and cool-off as the password step's django-axes), refusal of a reused code,
organisation policies and hashed recovery codes in our own audit log, and django-otp would add its device
framework, admin and middleware around the request user for one TOTP device per user.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import secrets
from typing import Any

import pyotp
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from rightstrack.core import visibility
from rightstrack.core.errors import Forbidden, InvalidInput, NotFound
from rightstrack.core.models import AuditEvent, Role

from . import devices
from .models import RecoveryCode, ResetLink, SecurityPolicy, SignIn, TwoFactor, TwoFactorRule, digest

RECOVERY_CODES = 10
RESET_LINK_HOURS = 24
EMAIL_LINKS_PER_HOUR = 3
#: At most this many refused session ids are written to the audit log a minute (random cookies cannot flood it).
REFUSED_SESSIONS_AUDITED_PER_MINUTE = 20
ISSUER = "RightsTrack"
#: Roles that manage an organisation's accounts (policy, reset links).
ACCOUNT_ADMIN_ROLES = {Role.ADMIN, Role.COORDINATOR}

# Session keys this app keeps.
SIGNED_IN_AT = "_rt_signed_in_at"
LAST_ACTIVITY = "_rt_last_activity"
SECOND_FACTOR_DONE = "_rt_2fa_done"
PENDING_USER = "_rt_2fa_user"
PENDING_BACKEND = "_rt_2fa_backend"
PENDING_AT = "_rt_2fa_at"
PENDING_NEXT = "_rt_2fa_next"


def audit(actor, verb: str, obj, *, user=None, after: dict[str, Any] | None = None) -> AuditEvent:
    """An audit event about an account, filed under the account owner's first organisation.

    Account objects have no organisation of their own; filing them under the owner's lets that organisation's
    administrators see, in the audit log, who enabled, disabled or failed a second factor.
    """
    owner = user if user is not None else getattr(obj, "user", None)
    org_id = None
    if owner is not None and getattr(owner, "pk", None):
        membership = owner.memberships.order_by("pk").first()
        org_id = membership.organisation_id if membership else None
    return AuditEvent.objects.create(
        actor=actor if actor is not None and getattr(actor, "is_authenticated", False) else None,
        verb=verb,
        organisation_id=getattr(obj, "organisation_id", None) or org_id,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk or ""),
        object_repr=str(obj)[:200],
        after=after,
    )


# --- Sign-ins and sessions ---------------------------------------------------------------------------


def client_ip(request: HttpRequest) -> str | None:
    """The client's address; behind the TLS proxy (RIGHTSTRACK_HTTPS) the proxy's X-Forwarded-For."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "") if settings.HTTPS else ""
    ip = (forwarded.split(",")[0] if forwarded else request.META.get("REMOTE_ADDR", "")).strip()
    return ip or None


def on_signed_in(sender, request: HttpRequest | None, user, **kwargs) -> None:
    """Django's user_logged_in: remember the sign-in, start the session clocks, alert on a new device."""
    if request is None or not hasattr(request, "session"):
        return
    session = request.session
    if not session.session_key:
        session.save()
    now = timezone.now()
    method = getattr(request, "_rt_signin_method", SignIn.Method.PASSWORD)
    session[SIGNED_IN_AT] = now.timestamp()
    session[LAST_ACTIVITY] = now.timestamp()
    if method in (SignIn.Method.TOTP, SignIn.Method.RECOVERY):
        session[SECOND_FACTOR_DONE] = True
    agent = request.META.get("HTTP_USER_AGENT", "")[:300]
    device = devices.describe(agent)
    known = SignIn.objects.filter(user=user)
    first_ever = not known.exists()
    new_device = not first_ever and not known.filter(device=device).exists()
    sign_in = SignIn.objects.create(
        user=user,
        at=now,
        method=method,
        ip=client_ip(request),
        user_agent=agent,
        device=device,
        session_key=session.session_key or "",
        last_seen=now,
    )
    if new_device:
        transaction.on_commit(lambda: _alert_new_device(user, sign_in))


def track_session(request: HttpRequest) -> None:
    """List a session that began before sign-ins were recorded among the user's devices."""
    key = request.session.session_key
    if key and not SignIn.objects.filter(session_key=key).exists():
        agent = request.META.get("HTTP_USER_AGENT", "")[:300]
        SignIn.objects.create(
            user=request.user, ip=client_ip(request), user_agent=agent, device=devices.describe(agent), session_key=key
        )


def _alert_new_device(user, sign_in: SignIn) -> None:
    from rightstrack.core.notifications import notify

    where = f" ({sign_in.ip})" if sign_in.ip else ""
    notify(
        user,
        "account.new_device",
        _("New sign-in to your account: %(device)s%(where)s. If it was not you, sign out everywhere.")
        % {"device": sign_in.device, "where": where},
        url=reverse("account") + "#sessions",
        email=True,
    )


def current_sign_in(request: HttpRequest) -> SignIn | None:
    key = request.session.session_key
    if not key or not request.user.is_authenticated:
        return None
    return SignIn.objects.filter(user=request.user, session_key=key, ended_at__isnull=True).first()


def active_sessions(user) -> list[SignIn]:
    """The user's sign-ins whose session still exists (expired sessions are closed on the way)."""
    open_ = list(SignIn.objects.filter(user=user, ended_at__isnull=True))
    alive = set(
        Session.objects.filter(
            session_key__in=[s.session_key for s in open_], expire_date__gt=timezone.now()
        ).values_list("session_key", flat=True)
    )
    gone = [s.pk for s in open_ if s.session_key not in alive]
    if gone:
        SignIn.objects.filter(pk__in=gone).update(ended_at=timezone.now())
    return [s for s in open_ if s.session_key in alive]


def _end_sessions(sign_ins) -> int:
    keys = [s.session_key for s in sign_ins if s.session_key]
    Session.objects.filter(session_key__in=keys).delete()
    return SignIn.objects.filter(pk__in=[s.pk for s in sign_ins]).update(ended_at=timezone.now())


def rekey(user, old_key: str | None, new_key: str | None) -> None:
    """The session id changed (cycle_key): the current sign-in follows it."""
    if old_key and new_key and old_key != new_key:
        SignIn.objects.filter(user=user, session_key=old_key).update(session_key=new_key)


def sign_out_everywhere_else(user, current_key: str | None) -> int:
    """End every session of `user` except the current one; returns how many were ended."""
    with transaction.atomic():
        others = list(SignIn.objects.filter(user=user, ended_at__isnull=True).exclude(session_key=current_key or ""))
        ended = _end_sessions(others)
        # Sessions that started before sign-ins were recorded carry no SignIn: find them by their user id.
        ended += _end_untracked_sessions(user, current_key)
        audit(user, "account.signed_out_everywhere", user, user=user, after={"sessions_ended": ended})
    return ended


def _end_untracked_sessions(user, current_key: str | None) -> int:
    # Every sign-in since this app was installed has a SignIn row, so only older sessions (and a few
    # anonymous ones) are decoded here, not the whole table.
    stale = []
    untracked = Session.objects.filter(expire_date__gt=timezone.now()).exclude(
        session_key__in=SignIn.objects.values("session_key")
    )
    for session in untracked:
        if session.session_key != current_key and str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            stale.append(session.session_key)
    Session.objects.filter(session_key__in=stale).delete()
    return len(stale)


def end_session(user, sign_in_id: int, current_key: str | None) -> None:
    """Sign out one other device of `user` (NotFound for another user's session or the current one)."""
    with transaction.atomic():
        sign_in = SignIn.objects.filter(user=user, pk=sign_in_id, ended_at__isnull=True).first()
        if sign_in is None or sign_in.session_key == current_key:
            raise NotFound(_("No such session."))
        _end_sessions([sign_in])
        audit(user, "account.session_ended", sign_in, after={"device": sign_in.device})


# --- Password and preferences ------------------------------------------------------------------------


def change_password(user, new_password: str, *, current_key: str | None) -> None:
    """Set a new (already validated) password; every other session of the user ends."""
    with transaction.atomic():
        user.set_password(new_password)
        user.save(update_fields=["password"])
        _end_sessions(
            list(SignIn.objects.filter(user=user, ended_at__isnull=True).exclude(session_key=current_key or ""))
        )
        audit(user, "account.password_changed", user, user=user)


def save_preferences(user, *, language: str, time_zone: str) -> bool:
    """Store the user's language and time zone; False (nothing written, nothing audited) when unchanged."""
    from .models import Profile

    with transaction.atomic():
        profile = Profile.objects.filter(user=user).first() or Profile(user=user)
        before = {"language": profile.language, "time_zone": profile.time_zone}
        after = {"language": language, "time_zone": time_zone}
        if before == after:
            return False
        profile.language, profile.time_zone = language, time_zone
        profile.save()
        audit(user, "account.preferences_changed", profile, after=after)
    return True


# --- Two-factor sign-in ------------------------------------------------------------------------------


def confirmed_two_factor(user) -> TwoFactor | None:
    return TwoFactor.objects.filter(user=user, confirmed_at__isnull=False).first()


def two_factor_required(user) -> bool:
    """Whether an organisation of `user` demands a second factor of them (one query)."""
    members = visibility.memberships(user)
    if not members:
        return False
    rules = dict(
        SecurityPolicy.objects.filter(organisation_id__in=[m.organisation_id for m in members]).values_list(
            "organisation_id", "two_factor"
        )
    )
    return any(
        rules.get(m.organisation_id) == TwoFactorRule.EVERYONE
        or (rules.get(m.organisation_id) == TwoFactorRule.RESTRICTED and m.restricted_access)
        for m in members
    )


def start_two_factor(user) -> TwoFactor:
    """A new secret for the set-up page; replaces an unconfirmed one. Refused when 2FA is already on."""
    with transaction.atomic():
        if confirmed_two_factor(user):
            raise InvalidInput(_("Two-factor sign-in is already on. Turn it off first to move it to another phone."))
        found, _created = TwoFactor.objects.update_or_create(
            user=user, defaults={"secret": pyotp.random_base32(), "created_at": timezone.now(), "last_counter": 0}
        )
    return found


def provisioning_uri(two_factor: TwoFactor) -> str:
    return pyotp.TOTP(two_factor.secret).provisioning_uri(name=two_factor.user.get_username(), issuer_name=ISSUER)


def _matching_counter(secret: str, code: str) -> int | None:
    """The time step whose code `code` is (now, or one step either side for clock drift), else None."""
    totp = pyotp.TOTP(secret)
    now = timezone.now()
    current = totp.timecode(now)
    for counter in (current, current - 1, current + 1):
        if hmac.compare_digest(totp.generate_otp(counter), code):
            return counter
    return None


def _clean_code(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def confirm_two_factor(user, code: str) -> list[str]:
    """Turn 2FA on once the app shows a right code; returns the recovery codes (shown once)."""
    with transaction.atomic():
        pending = TwoFactor.objects.select_for_update().filter(user=user, confirmed_at__isnull=True).first()
        if pending is None:
            raise InvalidInput(_("Start the set-up again: there is no authenticator waiting to be confirmed."))
        counter = _matching_counter(pending.secret, _clean_code(code))
        if counter is not None:
            pending.confirmed_at = timezone.now()
            pending.last_counter = counter
            pending.save()
            codes = _new_recovery_codes(user)
            audit(user, "account.2fa_enabled", pending)
            return codes
        audit(user, "account.2fa_setup_failed", pending)
    raise InvalidInput(
        _("That code is not right. Check that the phone's clock is correct and type the current code."), field="code"
    )


def _new_recovery_codes(user) -> list[str]:
    RecoveryCode.objects.filter(user=user).delete()
    codes = [f"{secrets.token_hex(4)}-{secrets.token_hex(4)}" for _n in range(RECOVERY_CODES)]
    RecoveryCode.objects.bulk_create(RecoveryCode(user=user, digest=digest(c.replace("-", ""))) for c in codes)
    return codes


def new_recovery_codes(user, code: str) -> list[str]:
    """Replace the recovery codes (old ones stop working); needs a current authenticator code."""
    check_second_factor(user, code, allow_recovery=False)
    with transaction.atomic():
        codes = _new_recovery_codes(user)
        audit(user, "account.recovery_codes_renewed", user, user=user)
    return codes


def disable_two_factor(user, code: str) -> None:
    """Turn 2FA off; needs a current code (or a recovery code) and is refused when the organisation requires it."""
    if two_factor_required(user):
        raise Forbidden(_("Your organisation requires two-factor sign-in; ask its administrator to change this."))
    if confirmed_two_factor(user) is None:
        raise InvalidInput(_("Two-factor sign-in is not on."))
    check_second_factor(user, code)
    with transaction.atomic():
        TwoFactor.objects.filter(user=user).delete()
        RecoveryCode.objects.filter(user=user).delete()
        audit(user, "account.2fa_disabled", user, user=user)


def remaining_recovery_codes(user) -> int:
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()


def check_second_factor(user, code: str, *, allow_recovery: bool = True) -> str:
    """Accept a current authenticator code or an unused recovery code; returns the SignIn method.

    Wrong codes count like wrong passwords (settings.AXES_FAILURE_LIMIT, then AXES_COOLOFF_TIME hours locked);
    a code already used — or older than the last one used — is refused; every failure is audited.
    Call it outside a transaction of your own: it raises after the failure count and audit row are written.
    """
    error: Exception | None = None
    with transaction.atomic():
        found = TwoFactor.objects.select_for_update().filter(user=user, confirmed_at__isnull=False).first()
        if found is None:
            raise InvalidInput(_("Two-factor sign-in is not on for this account."))
        now = timezone.now()
        method = None
        cleaned = _clean_code(code)
        if found.locked_until and found.locked_until > now:
            audit(user, "account.2fa_refused_locked", found)
            error = Forbidden(_locked_message(found))
        elif cleaned.isdigit() and len(cleaned) == 6:
            counter = _matching_counter(found.secret, cleaned)
            if counter is not None and counter <= found.last_counter:
                audit(user, "account.2fa_code_reused", found)
                error = InvalidInput(
                    _("This code was already used. Wait for the next code in your app and type that one."),
                    field="code",
                )
            elif counter is not None:
                found.last_counter = counter
                method = SignIn.Method.TOTP
        elif allow_recovery and cleaned:
            updated = RecoveryCode.objects.filter(user=user, digest=digest(cleaned), used_at__isnull=True).update(
                used_at=now
            )
            if updated:
                method = SignIn.Method.RECOVERY
                audit(user, "account.recovery_code_used", found, after={"left": remaining_recovery_codes(user)})
        if method is None and error is None:
            found.failures += 1
            limit = settings.AXES_FAILURE_LIMIT
            if found.failures >= limit:
                found.locked_until = now + datetime.timedelta(hours=settings.AXES_COOLOFF_TIME)
                found.failures = 0
            found.save()
            audit(
                user,
                "account.2fa_failed",
                found,
                after={"locked": bool(found.locked_until and found.locked_until > now)},
            )
            if found.locked_until and found.locked_until > now:
                error = Forbidden(_locked_message(found))
            else:
                error = InvalidInput(
                    _("That code is not right. Type the code your app shows now, or a recovery code."), field="code"
                )
        elif method is not None:
            found.failures = 0
            found.locked_until = None
            found.save()
    if error is not None:
        raise error
    return method


def _locked_message(found: TwoFactor) -> str:
    minutes = max(1, int((found.locked_until - timezone.now()).total_seconds() // 60) + 1)
    return _(
        "Too many wrong codes: two-factor sign-in is locked for %(minutes)d minutes. Try again later, or ask your "
        "organisation's administrator for a reset link if you lost your phone."
    ) % {"minutes": minutes}


# --- Organisation policy and reset links -------------------------------------------------------------


def managed_org_ids(user) -> list[int]:
    return visibility.org_ids(user, roles=ACCOUNT_ADMIN_ROLES)


def set_policy(actor, org_id: int, rule: str) -> bool:
    """Set an organisation's two-factor rule; False when unchanged."""
    if org_id not in managed_org_ids(actor):
        raise NotFound(_("No such organisation."))
    if rule not in TwoFactorRule.values:
        raise InvalidInput(_("Choose one of the listed rules."), field="two_factor")
    with transaction.atomic():
        policy, _created = SecurityPolicy.objects.get_or_create(organisation_id=org_id)
        if policy.two_factor == rule:
            return False
        before = policy.two_factor
        policy.two_factor = rule
        policy.save()
        AuditEvent.objects.create(
            actor=actor,
            verb="account.policy_changed",
            organisation_id=org_id,
            object_type=policy._meta.label_lower,
            object_id=str(policy.pk),
            object_repr=str(policy)[:200],
            before={"two_factor": before},
            after={"two_factor": rule},
        )
    return True


def _manageable(actor, target) -> bool:
    """`actor` manages every organisation `target` belongs to (so no one takes over another org's member)."""
    if target.pk == actor.pk or target.is_superuser:
        return False
    target_orgs = set(target.memberships.values_list("organisation_id", flat=True))
    return bool(target_orgs) and target_orgs <= set(managed_org_ids(actor))


def issue_reset_link(actor, target_id: int) -> tuple[ResetLink, str]:
    """A one-time link for a member to set a new password (24 h). Returns the link and its token (shown once)."""
    target = get_user_model().objects.filter(pk=target_id, is_active=True).first()
    if target is None or not _manageable(actor, target):
        raise NotFound(_("No such member."))
    with transaction.atomic():
        link, token = _new_link(target, issued_by=actor)
        audit(actor, "account.reset_link_issued", link, user=target, after={"expires_at": link.expires_at.isoformat()})
    return link, token


def _new_link(target, issued_by) -> tuple[ResetLink, str]:
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    link = ResetLink.objects.create(
        user=target,
        issued_by=issued_by,
        digest=digest(token),
        created_at=now,
        expires_at=now + datetime.timedelta(hours=RESET_LINK_HOURS),
    )
    return link, token


def find_reset_link(token: str) -> ResetLink:
    """The usable link for `token`; a missing, used or expired one is refused (and audited) with the reason."""
    link = ResetLink.objects.select_related("user").filter(digest=digest(token)).first()
    if link is None:
        raise InvalidInput(_("This reset link is not valid. Ask your organisation's administrator for a new one."))
    if link.used_at is not None:
        _refuse_link(link, "used")
        raise InvalidInput(
            _("This reset link was already used. Each link works once: ask your administrator for a new one.")
        )
    if link.expires_at <= timezone.now() or not link.user.is_active:
        _refuse_link(link, "expired")
        raise InvalidInput(
            _("This reset link has expired (links last 24 hours). Ask your administrator for a new one.")
        )
    return link


def _refuse_link(link: ResetLink, reason: str) -> None:
    with transaction.atomic():
        audit(None, "account.reset_link_refused", link, after={"reason": reason})


def use_reset_link(token: str, new_password: str) -> Any:
    """Set the password through a link (once); every session of the user ends. Returns the user.

    A link an administrator issued also removes the second factor: it is how a member who lost both phone and
    recovery codes gets back in (the administrator checked who they are; the organisation's rule then sends
    them to set it up again). A link sent by email does not: a read mailbox must not bypass the phone.
    """
    link = find_reset_link(token)
    with transaction.atomic():
        # Marked used in the same statement that checks it is unused: two tabs cannot both use it.
        if not ResetLink.objects.filter(pk=link.pk, used_at__isnull=True).update(used_at=timezone.now()):
            raise InvalidInput(_("This reset link was already used. Ask your administrator for a new one."))
        user = link.user
        user.set_password(new_password)
        user.save(update_fields=["password"])
        _end_sessions(list(SignIn.objects.filter(user=user, ended_at__isnull=True)))
        removed = False
        if link.issued_by_id is not None:
            removed = TwoFactor.objects.filter(user=user).delete()[0] > 0
            RecoveryCode.objects.filter(user=user).delete()
        audit(None, "account.password_reset", link, after={"issued_by": link.issued_by_id, "2fa_removed": removed})
    return user


def email_reset_link(identifier: str, base_url: str) -> None:
    """With EMAIL_URL set: mail a reset link to the account with this username or address (silently none)."""
    from django.core.mail import send_mail
    from django.db.models import Q

    if not settings.EMAIL_ENABLED or not identifier.strip():
        return
    identifier = identifier.strip()
    users = (
        get_user_model()
        .objects.filter(Q(username__iexact=identifier) | Q(email__iexact=identifier), is_active=True)
        .exclude(email="")
    )
    hour_ago = timezone.now() - datetime.timedelta(hours=1)
    for user in users[:1]:
        # A stranger typing someone's name must not fill their mailbox: a few links an hour at most.
        if ResetLink.objects.filter(user=user, issued_by=None, created_at__gt=hour_ago).count() >= EMAIL_LINKS_PER_HOUR:
            return
        with transaction.atomic():
            link, token = _new_link(user, issued_by=None)
            audit(None, "account.reset_link_emailed", link)
        url = base_url + reverse("reset_password", args=[token])
        send_mail(
            _("RightsTrack: set a new password"),
            _(
                "Someone asked to set a new password for your RightsTrack account %(username)s.\n\n"
                "Open this link within 24 hours (it works once):\n%(url)s\n\n"
                "If it was not you, ignore this message: your password stays as it is."
            )
            % {"username": user.get_username(), "url": url},
            None,
            [user.email],
        )


def session_hash(key: str) -> str:
    """A short fingerprint of a session id for the audit log (never the id itself)."""
    return hashlib.sha256(key.encode()).hexdigest()[:12]
