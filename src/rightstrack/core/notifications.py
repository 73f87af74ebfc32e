"""Alerts for one user: in the app (the bell in the header) and by email when the server can send it.

Any app calls `notify(...)` (core is the lowest app, so every app may). The caller writes the title in the
recipient's words; passing the record as `about=` makes notify check that the recipient may see it — a
restricted record's title never reaches someone without restricted access, and the alert disappears from the
bell if the record is later hidden from them.

Email leaves the server: it carries the title only when the record is not restricted; otherwise it says that
there is a new alert and links to it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Confidentiality, Notification, NotificationSettings

#: Every kind of alert, with the label users see on their settings page. Kinds in ALWAYS_ON cannot be muted.
KINDS: dict[str, str] = {
    "hearing.assigned": _("A hearing is assigned to me"),
    "observation.returned": _("My observation was returned for changes"),
    "observation.accepted": _("My observation was accepted"),
    "ingest.finished": _("A document I uploaded has been read"),
    "deadline": _("A follow-up date or reporting deadline is approaching"),
    "report.ready": _("A report I asked for is ready"),
    "account.new_device": _("Someone signed in to my account from a new device"),
}
ALWAYS_ON = frozenset({"account.new_device"})
TITLE_MAX = Notification._meta.get_field("title").max_length


def language_of(user) -> str:
    """The language alerts for `user` are written in: their chosen one if the account has it, else the site's."""
    return getattr(getattr(user, "profile", None), "language", "") or settings.LANGUAGE_CODE


def settings_for(user) -> NotificationSettings:
    """The user's alert choices (defaults: every kind, email on), not saved until changed."""
    found = NotificationSettings.objects.filter(user=user).first()
    return found or NotificationSettings(user=user)


def wants(user, kind: str) -> bool:
    return kind in ALWAYS_ON or kind not in settings_for(user).muted_kinds


def _may_see(user, about: models.Model) -> bool:
    from .visibility import visible

    return visible(user, type(about)).filter(pk=about.pk).exists()


def _is_restricted(about: models.Model | None) -> bool:
    if about is None:
        return False
    from .visibility import owner_of

    return getattr(owner_of(about), "confidentiality", "") == Confidentiality.RESTRICTED


def notify(
    user,
    kind: str,
    title: str,
    url: str = "",
    *,
    email: bool = True,
    about: models.Model | None = None,
    key: str = "",
) -> Notification:
    """Alert `user`; email too when `email`, the server has EMAIL_URL and the user has an address and wants it.

    Returns the stored notification, or an unsaved one (pk None) when nothing was stored: the user switched
    this kind off, may not see `about`, is inactive, or was already alerted under the same `key`.
    `url` must be a path on this site (an alert never sends anyone elsewhere).
    """
    if kind not in KINDS:
        raise ValueError(f"unknown notification kind {kind!r}; add it to core.notifications.KINDS")
    if url and (not url.startswith("/") or url.startswith("//")):
        raise ValueError("a notification links only to a path on this site")
    title = " ".join(str(title).split())
    if len(title) > TITLE_MAX:
        title = title[: TITLE_MAX - 1] + "…"
    note = Notification(user=user, kind=kind, title=title, url=url, key=key)
    if about is not None:
        note.about_type = ContentType.objects.get_for_model(type(about))
        note.about_id = about.pk
    if not getattr(user, "is_active", False) or not wants(user, kind):
        return note
    if about is not None and not _may_see(user, about):
        return note
    if key and Notification.objects.filter(user=user, key=key).exists():
        return note
    try:
        with transaction.atomic():
            note.save()
    except IntegrityError:  # the same keyed alert stored meanwhile by another process
        note.pk = None
        return note
    if email and settings.EMAIL_ENABLED and user.email and settings_for(user).email:
        restricted = _is_restricted(about)
        transaction.on_commit(lambda: _queue_email(note.pk, restricted))
    return note


def _queue_email(notification_id: int, restricted: bool) -> None:
    from .tasks import send_notification_email

    send_notification_email.enqueue(notification_id, restricted)


def email_text(note: Notification, restricted: bool) -> tuple[str, str]:
    """Subject and body of the email for `note`, in the active language."""
    from django.utils.translation import gettext as _t

    link = (settings.BASE_URL.rstrip("/") + note.url) if note.url else ""
    if restricted:
        subject = _t("RightsTrack: you have a new alert")
        body = _t("There is a new alert for you in RightsTrack. Sign in to read it.")
    else:
        subject = _t("RightsTrack: %(title)s") % {"title": note.title}
        body = note.title
    if link:
        body += "\n\n" + link
    body += "\n\n" + _t("You can choose which alerts you get, and switch email off, on your alerts page.")
    return subject, body


def send_email(notification_id: int, restricted: bool) -> bool:
    """Send the email of one stored notification (once); False when there is nothing to send."""
    from django.core.mail import send_mail
    from django.utils import translation

    note = Notification.objects.select_related("user").filter(pk=notification_id, emailed_at__isnull=True).first()
    if note is None or not note.user.email or not note.user.is_active:
        return False
    with translation.override(language_of(note.user)):
        subject, body = email_text(note, restricted)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [note.user.email])
    Notification.objects.filter(pk=note.pk).update(emailed_at=timezone.now())
    return True


# --- reading -------------------------------------------------------------------------------------------


def _hidden_ids(user, notes: Iterable[Notification]) -> set[int]:
    """Notifications about records the user can no longer see (one query per kind of record)."""
    from .visibility import visible

    by_type: dict[int, list[Notification]] = defaultdict(list)
    for note in notes:
        if note.about_type_id:
            by_type[note.about_type_id].append(note)
    hidden: set[int] = set()
    for type_id, group in by_type.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        if model is None:
            hidden.update(n.pk for n in group)
            continue
        seen = set(visible(user, model).filter(pk__in={n.about_id for n in group}).values_list("pk", flat=True))
        hidden.update(n.pk for n in group if n.about_id not in seen)
    return hidden


def for_user(user, *, unread_only: bool = False, limit: int = 100) -> list[Notification]:
    """The user's newest notifications that they may still see."""
    if not getattr(user, "is_authenticated", False):
        return []
    qs = Notification.objects.filter(user=user)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    notes = list(qs[:limit])
    hidden = _hidden_ids(user, notes)
    return [n for n in notes if n.pk not in hidden]


def get_for(user, notification_id: int) -> Notification | None:
    """One of the user's own notifications that they may still see, or None."""
    note = Notification.objects.filter(user=user, pk=notification_id).first() if user.is_authenticated else None
    if note is None or _hidden_ids(user, [note]):
        return None
    return note


def unread_count(user) -> int:
    """Unread alerts the user may still see (the bell's figure; at most 100 are counted, shown as 99+)."""
    return len(for_user(user, unread_only=True, limit=100))


def mark_read(user, notification_id: int | None = None) -> int:
    """Mark one of the user's notifications (or all when None) read; the number changed."""
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_id is not None:
        qs = qs.filter(pk=notification_id)
    return qs.update(read_at=timezone.now())


def save_settings(user, *, muted_kinds: Iterable[str], email: bool) -> bool:
    """Store the user's alert choices; False (and nothing written) when they did not change."""
    muted = sorted({k for k in muted_kinds if k in KINDS and k not in ALWAYS_ON})
    current = settings_for(user)
    if current.pk and sorted(current.muted_kinds) == muted and current.email == email:
        return False
    if not current.pk and not muted and email:
        return False
    current.muted_kinds = muted
    current.email = email
    current.save()
    return True
