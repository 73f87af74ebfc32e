"""The account page, sign-in with a second factor, reset links and the organisation's security page. Thin."""

from __future__ import annotations

import datetime
import time

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from rightstrack.core.errors import DomainError, NotFound
from rightstrack.core.forms import form_error
from rightstrack.core.models import ApiToken, Membership

from . import actions, sections
from .forms import (
    ChangePasswordForm,
    CodeForm,
    EmailResetForm,
    NewPasswordForm,
    PolicyForm,
    PreferencesForm,
    SetupCodeForm,
    TokenForm,
)
from .models import Profile, SecurityPolicy, SignIn, TwoFactor, TwoFactorRule

# The code step must follow the password step within this many seconds.
PENDING_SECONDS = 300
HISTORY_ROWS = 20


def with_language(response: HttpResponse, user) -> HttpResponse:
    """Sign-in carries the user's chosen language to this device."""
    profile = Profile.objects.filter(user=user).first()
    if profile and profile.language:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME, profile.language, samesite="Lax", secure=settings.HTTPS, httponly=True
        )
    return response


class SignInView(auth_views.LoginView):
    """The password step; a user with two-factor sign-in continues to the code step before being signed in."""

    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["email_enabled"] = settings.EMAIL_ENABLED
        return context

    def form_valid(self, form):
        user = form.get_user()
        if actions.confirmed_two_factor(user) is not None:
            session = self.request.session
            session.cycle_key()
            session[actions.PENDING_USER] = user.pk
            session[actions.PENDING_BACKEND] = user.backend
            session[actions.PENDING_AT] = time.time()
            session[actions.PENDING_NEXT] = self.get_success_url()
            return redirect("two_factor_verify")
        return with_language(super().form_valid(form), user)


def _clear_pending(request: HttpRequest) -> None:
    for key in (actions.PENDING_USER, actions.PENDING_BACKEND, actions.PENDING_AT, actions.PENDING_NEXT):
        request.session.pop(key, None)


def two_factor_verify(request: HttpRequest) -> HttpResponse:
    session = request.session
    user_id, started = session.get(actions.PENDING_USER), session.get(actions.PENDING_AT, 0)
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first() if user_id else None
    if user is None or time.time() - started > PENDING_SECONDS:
        _clear_pending(request)
        if user_id:
            messages.warning(request, _("The code step waits 5 minutes. Sign in again with your password."))
        return redirect("login")
    form = CodeForm(request.POST or None)
    form.fields["code"].widget.attrs["autofocus"] = True  # the only thing to do on this page
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            method = actions.check_second_factor(user, form.cleaned_data["code"])
        except DomainError as exc:
            status = form_error(form, exc)
        else:
            target = session.get(actions.PENDING_NEXT) or reverse("home")
            backend = session.get(actions.PENDING_BACKEND)
            _clear_pending(request)
            request._rt_signin_method = method
            login(request, user, backend=backend)  # a new session id once both factors are proved
            if method == SignIn.Method.RECOVERY:
                left = actions.remaining_recovery_codes(user)
                messages.warning(
                    request,
                    _("You signed in with a recovery code; %(left)d left. Each works once: make new ones soon.")
                    % {"left": left},
                )
            return with_language(redirect(target), user)
    return render(request, "accounts/verify.html", {"form": form}, status=status)


# --- The account page ----------------------------------------------------------------------------


def _account_context(request: HttpRequest, **extra) -> dict:
    user = request.user
    profile = Profile.objects.filter(user=user).first() or Profile(user=user)
    current_key = request.session.session_key
    sessions = actions.active_sessions(user)
    two_factor = actions.confirmed_two_factor(user)
    context = {
        "sections": sections.templates(),
        "preferences_form": PreferencesForm(initial={"language": profile.language, "time_zone": profile.time_zone}),
        "password_form": ChangePasswordForm(user),
        "token_form": TokenForm(),
        "tokens": user.api_tokens.order_by("-created_at"),
        "new_key": None,
        "api_docs": reverse("api-1.0.0:openapi-view"),
        "sessions": sessions,
        "current_key": current_key,
        "other_sessions": sum(1 for s in sessions if s.session_key != current_key),
        "history": SignIn.objects.filter(user=user)[:HISTORY_ROWS],
        "two_factor": two_factor,
        "two_factor_required": actions.two_factor_required(user),
        "recovery_left": actions.remaining_recovery_codes(user) if two_factor else 0,
        "code_form": CodeForm(),
        "manages_accounts": bool(actions.managed_org_ids(user)),
        "email_enabled": settings.EMAIL_ENABLED,
        "idle_minutes": settings.SESSION_IDLE_MINUTES,
        "absolute_hours": settings.SESSION_ABSOLUTE_HOURS,
    }
    context.update(extra)
    return context


def _account(request: HttpRequest, status: int = 200, **extra) -> HttpResponse:
    return render(request, "accounts/account.html", _account_context(request, **extra), status=status)


@login_required
def account(request: HttpRequest) -> HttpResponse:
    return _account(request)


@login_required
@require_POST
def preferences(request: HttpRequest) -> HttpResponse:
    form = PreferencesForm(request.POST)
    if not form.is_valid():
        return _account(request, status=400, preferences_form=form)
    language, zone = form.cleaned_data["language"], form.cleaned_data["time_zone"]
    if not actions.save_preferences(request.user, language=language, time_zone=zone):
        return _account(request, preferences_notice=_("Nothing changed."))
    messages.success(request, _("Preferences saved."))
    return with_language(redirect(reverse("account") + "#preferences"), request.user)


@login_required
@require_POST
def change_password(request: HttpRequest) -> HttpResponse:
    form = ChangePasswordForm(request.user, request.POST)
    if not form.is_valid():
        return _account(request, status=400, password_form=form)
    old_key = request.session.session_key
    actions.change_password(request.user, form.cleaned_data["new_password1"], current_key=old_key)
    update_session_auth_hash(request, request.user)  # this device stays signed in, with a new session id
    actions.rekey(request.user, old_key, request.session.session_key)
    messages.success(request, _("Password changed. Your other devices were signed out."))
    return redirect(reverse("account") + "#password")


@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return redirect(reverse("account") + "#tokens")
    form = TokenForm(request.POST)
    if not form.is_valid():
        return _account(request, status=400, token_form=form)
    _token, new_key = ApiToken.issue(request.user, form.cleaned_data["name"])
    return _account(request, new_key=new_key)


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    deleted, _n = request.user.api_tokens.filter(pk=pk).delete()
    if not deleted:
        raise NotFound(_("No such token."))
    return redirect(reverse("account") + "#tokens")


@login_required
@require_POST
def sign_out_everywhere(request: HttpRequest) -> HttpResponse:
    if request.POST.get("confirm") != "yes":
        message = _("Nothing was done: use the “Sign out everywhere else” button.")
        return _account(request, status=400, sessions_error=message)
    old_key = request.session.session_key
    ended = actions.sign_out_everywhere_else(request.user, old_key)
    request.session.cycle_key()  # the id this browser had may have been copied too
    actions.rekey(request.user, old_key, request.session.session_key)
    messages.success(
        request,
        ngettext(
            "Signed out everywhere else: %(count)d session ended.",
            "Signed out everywhere else: %(count)d sessions ended.",
            ended,
        )
        % {"count": ended},
    )
    return redirect(reverse("account") + "#sessions")


@login_required
@require_POST
def end_session(request: HttpRequest, pk: int) -> HttpResponse:
    actions.end_session(request.user, pk, request.session.session_key)
    messages.success(request, _("That device was signed out."))
    return redirect(reverse("account") + "#sessions")


# --- Two-factor set-up ---------------------------------------------------------------------------


def _qr_svg(uri: str) -> str:
    """The set-up QR code as inline SVG markup, drawn on the server (no script, no outside service)."""
    return segno.make(uri, error="m").svg_inline(scale=5, border=2, dark="#111", light="#fff", omitsize=False)


@login_required
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    if actions.confirmed_two_factor(request.user) is not None:
        return redirect(reverse("account") + "#two-factor")
    # Reuse a pending secret: reloading the page must not invalidate what the phone just scanned.
    pending = TwoFactor.objects.filter(user=request.user, confirmed_at__isnull=True).first()
    if pending is None:
        pending = actions.start_two_factor(request.user)
    form = SetupCodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            codes = actions.confirm_two_factor(request.user, form.cleaned_data["code"])
        except DomainError as exc:
            status = form_error(form, exc)
        else:
            old_key = request.session.session_key
            request.session.cycle_key()  # a new session id after the second factor is proved
            request.session[actions.SECOND_FACTOR_DONE] = True
            actions.rekey(request.user, old_key, request.session.session_key)
            return render(request, "accounts/recovery_codes.html", {"codes": codes, "first": True})
    uri = actions.provisioning_uri(pending)
    context = {
        "form": form,
        "qr": _qr_svg(uri),
        "secret": " ".join(pending.secret[i : i + 4] for i in range(0, len(pending.secret), 4)),
        "required": actions.two_factor_required(request.user),
    }
    return render(request, "accounts/two_factor_setup.html", context, status=status)


@login_required
@require_POST
def two_factor_disable(request: HttpRequest) -> HttpResponse:
    form = CodeForm(request.POST)
    if form.is_valid():
        try:
            actions.disable_two_factor(request.user, form.cleaned_data["code"])
        except DomainError as exc:
            return _account(request, status=form_error(form, exc), code_form=form)
        request.session.pop(actions.SECOND_FACTOR_DONE, None)
        messages.success(request, _("Two-factor sign-in is off. Your password alone now opens this account."))
        return redirect(reverse("account") + "#two-factor")
    return _account(request, status=400, code_form=form)


@login_required
@require_POST
def recovery_codes(request: HttpRequest) -> HttpResponse:
    form = CodeForm(request.POST)
    if form.is_valid():
        try:
            codes = actions.new_recovery_codes(request.user, form.cleaned_data["code"])
        except DomainError as exc:
            return _account(request, status=form_error(form, exc), code_form=form)
        return render(request, "accounts/recovery_codes.html", {"codes": codes, "first": False})
    return _account(request, status=400, code_form=form)


# --- The organisation's security page (administrators and coordinators) ---------------------------


@login_required
def security(request: HttpRequest) -> HttpResponse:
    org_ids = actions.managed_org_ids(request.user)
    if not org_ids:
        raise NotFound(_("No such page."))
    status = 200
    failed: tuple[int, PolicyForm] | None = None
    if request.method == "POST":
        form = PolicyForm(request.POST)
        org_id = request.POST.get("organisation", "")
        if form.is_valid() and org_id.isdigit():
            try:
                changed = actions.set_policy(request.user, int(org_id), form.cleaned_data["two_factor"])
            except DomainError as exc:
                status = form_error(form, exc)
                failed = (int(org_id), form)
            else:
                messages.success(request, _("Rule saved.") if changed else _("Nothing changed."))
                return redirect("account_security")
        else:
            status = 400
            failed = (int(org_id) if org_id.isdigit() else 0, form)
    policies = {p.organisation_id: p.two_factor for p in SecurityPolicy.objects.filter(organisation_id__in=org_ids)}
    memberships = (
        Membership.objects.filter(organisation_id__in=org_ids)
        .select_related("user", "organisation", "user__two_factor")
        .order_by("organisation__name", "user__username")
    )
    orgs = []
    for membership in memberships:
        if not orgs or orgs[-1]["org"].pk != membership.organisation_id:
            org = membership.organisation
            form = failed[1] if failed and failed[0] == org.pk else None
            rule = policies.get(org.pk, TwoFactorRule.NOBODY)
            orgs.append({"org": org, "form": form or PolicyForm(initial={"two_factor": rule}), "members": []})
        two_factor = getattr(membership.user, "two_factor", None)
        membership.has_two_factor = bool(two_factor and two_factor.confirmed_at)
        orgs[-1]["members"].append(membership)
    return render(request, "accounts/security.html", {"orgs": orgs, "me": request.user}, status=status)


@login_required
@require_POST
def issue_reset_link(request: HttpRequest, user_id: int) -> HttpResponse:
    link, token = actions.issue_reset_link(request.user, user_id)
    url = request.build_absolute_uri(reverse("reset_password", args=[token]))
    return render(request, "accounts/reset_link_issued.html", {"link": link, "url": url})


# --- Setting a new password through a link ---------------------------------------------------------


def reset_password(request: HttpRequest, token: str) -> HttpResponse:
    try:
        link = actions.find_reset_link(token)
    except DomainError as exc:
        return render(request, "accounts/reset_refused.html", {"message": exc.message}, status=exc.status)
    form = NewPasswordForm(link.user, request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                actions.use_reset_link(token, form.cleaned_data["new_password1"])
            except DomainError as exc:
                return render(request, "accounts/reset_refused.html", {"message": exc.message}, status=exc.status)
            messages.success(request, _("Your new password is set. Sign in with it."))
            return redirect("login")
        status = 400
    context = {
        "form": form,
        "username": link.user.get_username(),
        "removes_two_factor": link.issued_by_id is not None and actions.confirmed_two_factor(link.user) is not None,
    }
    return render(request, "accounts/reset_password.html", context, status=status)


def forgot_password(request: HttpRequest) -> HttpResponse:
    form = EmailResetForm(request.POST or None)
    sent = False
    if settings.EMAIL_ENABLED and request.method == "POST" and form.is_valid():
        actions.email_reset_link(form.cleaned_data["identifier"], request.build_absolute_uri("/")[:-1])
        sent = True
    return render(
        request,
        "accounts/forgot_password.html",
        {"form": form, "sent": sent, "email_enabled": settings.EMAIL_ENABLED, "hours": datetime.timedelta(hours=24)},
    )
