"""Session rules on every request: idle timeout, absolute lifetime, second factor, required set-up, time zone."""

from __future__ import annotations

import datetime
import time
import zoneinfo
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from rightstrack.core.models import AuditEvent

from . import actions
from .models import SignIn

# Paths a signed-in user may reach before finishing a required two-factor set-up: the set-up itself, and what
# every page loads or a lost device needs (the offline app's service worker, manifest and wipe page).
SETUP_ALLOWED = (
    "/static/",
    "/i18n/",
    "/accounts/logout/",
    "/account/two-factor/",
    "/health/",
    "/help/",
    "/field/sw.js",
    "/field/manifest.webmanifest",
    "/field/wiped/",
)


def idle_seconds() -> float:
    return settings.SESSION_IDLE_MINUTES * 60


class AccountSecurityMiddleware:
    """Placed after AuthenticationMiddleware and MessageMiddleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        refusal = self.check(request)
        if refusal is not None:
            return refusal
        return self.get_response(request)

    def check(self, request: HttpRequest) -> HttpResponse | None:
        session = request.session
        user = request.user
        if not user.is_authenticated:
            cookie = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
            if cookie and session.session_key is None and not request.path.startswith("/static/"):
                self.refuse_unknown_session(request, cookie)
            return None
        now = time.time()
        last = session.get(actions.LAST_ACTIVITY)
        started = session.get(actions.SIGNED_IN_AT)
        if last is None or started is None:
            # A session from before these rules (or a test's force_login without a request): start its clocks.
            session[actions.LAST_ACTIVITY] = session[actions.SIGNED_IN_AT] = now
            last = started = now
            actions.track_session(request)
        if now - last > idle_seconds():
            minutes = settings.SESSION_IDLE_MINUTES
            return self.sign_out(
                request,
                _("You were signed out after %(minutes)s minutes without activity. Sign in again to continue.")
                % {"minutes": f"{minutes:g}"},
            )
        if now - started > settings.SESSION_ABSOLUTE_HOURS * 3600:
            return self.sign_out(
                request,
                _("Your session lasted %(hours)s hours, the longest allowed. Sign in again to continue.")
                % {"hours": f"{settings.SESSION_ABSOLUTE_HOURS:g}"},
            )
        # One query for what this request needs of the account: its second factor and time zone.
        state = (
            get_user_model().objects.filter(pk=user.pk).values("two_factor__confirmed_at", "profile__time_zone").first()
            or {}
        )
        has_two_factor = state.get("two_factor__confirmed_at") is not None
        if has_two_factor and not session.get(actions.SECOND_FACTOR_DONE):
            # Signed in by a path that skipped the code (e.g. the admin's login page): not good enough.
            return self.sign_out(request, _("This account uses two-factor sign-in. Sign in here with your code."))
        # Writes at most once a minute (or a quarter of the idle time), not on every request.
        if now - last > min(60.0, idle_seconds() / 4):
            session[actions.LAST_ACTIVITY] = now
            SignIn.objects.filter(user=user, session_key=session.session_key or "").update(last_seen=timezone.now())
        self.use_time_zone(state.get("profile__time_zone") or "")
        if not has_two_factor and actions.two_factor_required(user) and not request.path.startswith(SETUP_ALLOWED):
            message = _("Your organisation requires two-factor sign-in. Set it up to continue.")
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message}, status=403)
            if request.htmx:
                return HttpResponse(status=204, headers={"HX-Redirect": reverse("two_factor_setup")})
            return redirect("two_factor_setup")
        return None

    def use_time_zone(self, name: str) -> None:
        if name:
            try:
                timezone.activate(zoneinfo.ZoneInfo(name))
                return
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                pass
        timezone.deactivate()

    def sign_out(self, request: HttpRequest, message: str) -> HttpResponse:
        key = request.session.session_key
        user = request.user
        logout(request)  # flushes the session: a new id, nothing of the old one kept
        SignIn.objects.filter(user=user, session_key=key or "", ended_at__isnull=True).update(ended_at=timezone.now())
        return self.to_login(request, message)

    def to_login(self, request: HttpRequest, message: str) -> HttpResponse:
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": message}, status=401)
        messages.warning(request, message)
        if request.htmx:
            return HttpResponse(status=204, headers={"HX-Redirect": reverse("login")})
        if request.method == "GET":
            return redirect_to_login(request.get_full_path())
        return redirect("login")

    def refuse_unknown_session(self, request: HttpRequest, cookie: str) -> None:
        """A session cookie the server does not know: ended, expired or forged. Say so; audit the unknown ones."""
        known = SignIn.objects.filter(session_key=cookie).first()
        if known is not None and known.ended_at is not None:
            messages.warning(
                request, _("You were signed out: your session was ended (sign out everywhere or a new password).")
            )
        elif known is None:
            minute_ago = timezone.now() - datetime.timedelta(minutes=1)
            recent = AuditEvent.objects.filter(verb="account.session_refused", at__gt=minute_ago).count()
            if recent < actions.REFUSED_SESSIONS_AUDITED_PER_MINUTE:
                AuditEvent.objects.create(
                    verb="account.session_refused",
                    object_type="sessions.session",
                    object_id="",
                    object_repr=f"unknown session id {actions.session_hash(cookie)}",
                    after={"ip": actions.client_ip(request)},
                )
            messages.warning(request, _("Your session is not valid or has expired. Sign in again."))
        else:
            messages.warning(request, _("Your session has expired. Sign in again."))
