"""The bell, the alerts page and the per-user alert choices. Thin: parse, call core.notifications, render."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import notifications
from .errors import no_page
from .models import Notification


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    notes = notifications.for_user(request.user, limit=200)
    return render(request, "core/notifications.html", {"notes": notes, "unread": sum(not n.read_at for n in notes)})


@login_required
def bell(request: HttpRequest) -> HttpResponse:
    """The header's bell alone, for HTMX to refresh every minute."""
    return render(request, "core/_bell.html")


def _own(request: HttpRequest, pk: int) -> Notification:
    # Another user's alert answers like a missing one: ids cannot be probed.
    note = notifications.get_for(request.user, pk)
    if note is None:
        raise no_page()
    return note


@login_required
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Follow an alert's link and mark it read."""
    note = _own(request, pk)
    notifications.mark_read(request.user, note.pk)
    if note.url and url_has_allowed_host_and_scheme(note.url, allowed_hosts={request.get_host()}):
        return redirect(note.url)
    return redirect("notifications")


@login_required
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    note = _own(request, pk)
    notifications.mark_read(request.user, note.pk)
    if request.htmx:
        note.refresh_from_db()
        return render(request, "core/_notification.html", {"note": note})
    return redirect("notifications")


@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    changed = notifications.mark_read(request.user)
    if changed:
        messages.success(request, _("All alerts marked read."))
    else:
        messages.info(request, _("There were no unread alerts."))
    return redirect("notifications")


@login_required
def notification_settings(request: HttpRequest) -> HttpResponse:
    current = notifications.settings_for(request.user)
    kinds = [
        (kind, label, kind not in current.muted_kinds, kind in notifications.ALWAYS_ON)
        for kind, label in notifications.KINDS.items()
    ]
    if request.method == "POST":
        chosen = set(request.POST.getlist("kind"))
        unknown = chosen - set(notifications.KINDS)
        # Unticking every box sends no "kind" at all: the form's own marker tells that apart from a stray POST.
        if unknown or request.POST.get("form") != "alerts":
            error = _("Unknown kind of alert; nothing was changed. Choose from the list below.")
            return _settings_page(request, kinds, current, error=error, status=400)
        muted = [k for k in notifications.KINDS if k not in chosen]
        email = request.POST.get("email") == "on" if settings.EMAIL_ENABLED else current.email
        if notifications.save_settings(request.user, muted_kinds=muted, email=email):
            messages.success(request, _("Your alert choices were saved."))
        else:
            messages.info(request, _("Nothing changed."))
        return redirect("notification_settings")
    return _settings_page(request, kinds, current)


def _settings_page(request: HttpRequest, kinds: list, current, *, error: str = "", status: int = 200) -> HttpResponse:
    context = {"kinds": kinds, "email": current.email, "email_enabled": settings.EMAIL_ENABLED, "error": error}
    return render(request, "core/notification_settings.html", context, status=status)
