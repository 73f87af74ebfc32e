"""Deadlines: UPR mid-term, treaty-body follow-up, Views and action-plan dates alert the right people once."""

from __future__ import annotations

import datetime

from rightstrack.core.models import Confidentiality, Notification
from rightstrack.recommendations import actions, deadlines
from rightstrack.recommendations.models import ComplaintView, Mechanism, NapItem, State

TODAY = datetime.date(2026, 12, 4)


def _review(user, org, mechanism, date, level=Confidentiality.INTERNAL):
    return actions.create_review(
        user,
        organisation=org,
        mechanism=mechanism,
        state="Kazakhstan",
        cycle=4,
        session="48",
        symbol=f"X/{mechanism}/{date.isoformat()}",
        date=date,
        confidentiality=level,
    )


def test_upr_mid_term_and_treaty_follow_up_dates(coordinator_a, org_a):
    upr = _review(coordinator_a, org_a, "upr", datetime.date(2024, 6, 20))  # mid-term due 2026-12-20
    treaty_code = Mechanism.objects.filter(kind=Mechanism.Kind.TREATY_BODY).values_list("code", flat=True).first()
    treaty = _review(coordinator_a, org_a, treaty_code, datetime.date(2025, 12, 30))  # follow-up due 2026-12-30
    _review(coordinator_a, org_a, "upr", datetime.date(2024, 1, 10))  # due 2026-07-10: past, left out
    found = deadlines.upcoming(coordinator_a, today=TODAY)
    assert [(d.kind, d.record.pk, d.due) for d in found] == [
        ("upr_mid_term", upr.pk, datetime.date(2026, 12, 20)),
        ("treaty_follow_up", treaty.pk, datetime.date(2026, 12, 30)),
    ]


def test_views_and_action_plan_deadlines(coordinator_a, org_a):
    state = State.objects.get_or_create(name="Kazakhstan")[0] if hasattr(State, "name") else State.objects.first()
    mechanism = Mechanism.objects.filter(kind=Mechanism.Kind.TREATY_BODY).first()
    view = ComplaintView.objects.create(
        organisation=org_a,
        confidentiality="internal",
        mechanism=mechanism,
        state=state,
        communication_number="3000/2025",
        adopted_on=TODAY - datetime.timedelta(days=170),
    )
    item = NapItem.objects.create(
        organisation=org_a,
        confidentiality="internal",
        plan="Plan",
        action="Train judges",
        deadline=TODAY + datetime.timedelta(days=5),
    )
    NapItem.objects.create(
        organisation=org_a,
        confidentiality="internal",
        plan="Plan",
        action="Done already",
        deadline=TODAY + datetime.timedelta(days=5),
        completion=100,
    )
    found = {(d.kind, d.record.pk) for d in deadlines.upcoming(coordinator_a, today=TODAY)}
    assert found == {("views_follow_up", view.pk), ("action_plan", item.pk)}


def test_alerts_go_once_to_analysts_and_coordinators_not_monitors(coordinator_a, analyst_a, monitor_a, viewer_b, org_a):
    _review(coordinator_a, org_a, "upr", datetime.date(2024, 6, 20))
    assert deadlines.alert_upcoming(today=TODAY) == 2
    assert deadlines.alert_upcoming(today=TODAY) == 0  # the housekeeping runs every 10 minutes: once only
    users = set(Notification.objects.filter(kind="deadline").values_list("user__username", flat=True))
    assert users == {"coordinator_a", "analyst_a"}
    assert "mid-term" in Notification.objects.filter(kind="deadline").first().title


def test_restricted_review_deadline_skips_members_without_restricted_access(coordinator_a, org_a):
    from tests.conftest import make_user

    make_user("analyst_plain", org_a, "analyst", restricted=False)
    _review(coordinator_a, org_a, "upr", datetime.date(2024, 6, 20), Confidentiality.RESTRICTED)
    deadlines.alert_upcoming(today=TODAY)
    users = set(Notification.objects.filter(kind="deadline").values_list("user__username", flat=True))
    assert users == {"coordinator_a"}
