"""Reporting deadlines and follow-up dates, computed from the dates reviews, Views and action plans already store.

- UPR: a voluntary mid-term report is expected two and a half years after the review (`Review.date`).
- Treaty bodies: the State reports on the recommendations chosen for follow-up within one year of the
  concluding observations (`Review.date`).
- Views on individual complaints: the State is asked to report what it did within 180 days (`adopted_on`).
- National action plan items: their own `deadline`, the follow-up date of the recommendations they answer
  (items reported complete are left out).

`alert_upcoming()` runs in the app's housekeeping and alerts each coordinator, administrator and analyst of the
owning organisation once per deadline, ALERT_DAYS before it falls due.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import models
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from rightstrack.core import visibility
from rightstrack.core.models import Membership, Notification
from rightstrack.core.notifications import language_of, notify

from .models import ComplaintView, Mechanism, NapItem, Review, SourceKind

ALERT_DAYS = 30
UPR_MID_TERM_MONTHS = 30
TREATY_FOLLOW_UP_MONTHS = 12
VIEWS_FOLLOW_UP_DAYS = 180


@dataclass(frozen=True)
class Deadline:
    due: datetime.date
    kind: str  # "upr_mid_term" · "treaty_follow_up" · "views_follow_up" · "action_plan"
    record: models.Model
    url: str

    def title(self) -> str:
        """What falls due, in the active language."""
        values = {"what": str(self.record), "date": self.due.isoformat()}
        if self.kind == "upr_mid_term":
            return _("UPR mid-term report due on %(date)s: %(what)s") % values
        if self.kind == "treaty_follow_up":
            return _("Treaty-body follow-up report due on %(date)s: %(what)s") % values
        if self.kind == "views_follow_up":
            return _("Follow-up on the Views in communication %(what)s due on %(date)s") % values
        return _("Action plan deadline on %(date)s: %(what)s") % values


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


def _window(months: int, start: datetime.date, end: datetime.date) -> tuple[datetime.date, datetime.date]:
    """Review dates whose deadline (review date + months) falls between start and end."""
    return _add_months(start, -months) - datetime.timedelta(days=1), _add_months(end, -months) + datetime.timedelta(
        days=1
    )


def upcoming(user=None, *, today: datetime.date | None = None, days: int = ALERT_DAYS) -> list[Deadline]:
    """Deadlines from today to `days` ahead, soonest first; only records `user` may see (all when None)."""
    today = today or timezone.localdate()
    end = today + datetime.timedelta(days=days)

    def qs(model):
        return visibility.visible(user, model) if user is not None else model.objects.filter(deleted_at__isnull=True)

    found: list[Deadline] = []
    for kind, mechanism, months in (
        ("upr_mid_term", Mechanism.Kind.UPR, UPR_MID_TERM_MONTHS),
        ("treaty_follow_up", Mechanism.Kind.TREATY_BODY, TREATY_FOLLOW_UP_MONTHS),
    ):
        low, high = _window(months, today, end)
        reviews = (
            qs(Review)
            .filter(source_kind=SourceKind.UN, mechanism__kind=mechanism, date__gte=low, date__lte=high)
            .select_related("mechanism", "state")
        )
        for review in reviews:
            due = _add_months(review.date, months)
            if today <= due <= end:
                found.append(Deadline(due, kind, review, reverse("review_detail", args=[review.pk])))
    first = today - datetime.timedelta(days=VIEWS_FOLLOW_UP_DAYS)
    for view in qs(ComplaintView).filter(
        adopted_on__gte=first, adopted_on__lte=end - datetime.timedelta(days=VIEWS_FOLLOW_UP_DAYS)
    ):
        due = view.adopted_on + datetime.timedelta(days=VIEWS_FOLLOW_UP_DAYS)
        found.append(Deadline(due, "views_follow_up", view, reverse("view_list")))
    for item in qs(NapItem).filter(deadline__gte=today, deadline__lte=end, completion__lt=100):
        found.append(Deadline(item.deadline, "action_plan", item, reverse("nap_list")))
    return sorted(found, key=lambda d: (d.due, d.kind, d.record.pk))


def alert_upcoming(*, today: datetime.date | None = None) -> int:
    """Alert the people who follow up each deadline (once per deadline); the number of alerts stored."""
    found = upcoming(today=today)
    keys = {d: f"deadline:{d.record._meta.label_lower}:{d.record.pk}:{d.due.isoformat()}" for d in found}
    # The chore runs every 10 minutes: alerts already sent are skipped in one query, not one per recipient.
    done = set(Notification.objects.filter(key__in=keys.values()).values_list("user_id", "key"))
    orgs = {visibility.owner_of(d.record).organisation_id for d in found}
    members: dict[int, list] = {org: [] for org in orgs}
    for membership in Membership.objects.filter(
        organisation_id__in=orgs, role__in=visibility.ANALYSE_ROLES, user__is_active=True
    ).select_related("user"):
        members[membership.organisation_id].append(membership.user)
    sent = 0
    for deadline in found:
        for user in members[visibility.owner_of(deadline.record).organisation_id]:
            if (user.pk, keys[deadline]) in done:
                continue
            with translation.override(language_of(user)):
                title = deadline.title()
            # about= keeps restricted records from users without restricted access.
            note = notify(user, "deadline", title, deadline.url, about=deadline.record, key=keys[deadline])
            sent += note.pk is not None
    return sent
