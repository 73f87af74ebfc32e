"""Trial alerts: an assigned monitor, an observation returned or accepted — each in the monitor's bell."""

from __future__ import annotations

import pytest
from django.urls import reverse

from rightstrack.core.errors import InvalidInput
from rightstrack.core.models import Notification
from rightstrack.trials import actions

from .conftest import build_trial, observe


def test_assigned_monitor_is_alerted_with_a_link_to_the_hearing(trial, monitor_a):
    note = Notification.objects.get(user=monitor_a, kind="hearing.assigned")
    assert "1-2022" in note.title and "2022-06-01" in note.title
    assert note.url == reverse("trials:hearing_detail", args=[trial.hearing.pk])
    assert not Notification.objects.exclude(user=monitor_a).exists()


def test_refused_assignment_alerts_nobody(trial, monitor_a):
    before = Notification.objects.count()
    with pytest.raises(InvalidInput):
        actions.assign_monitor(trial.coordinator, trial.hearing, monitor_a)  # already assigned
    assert Notification.objects.count() == before


def test_returned_and_accepted_observations_alert_their_monitor(trial, monitor_a):
    observation = observe(trial, answers={"PUB-3": "yes"}, accept=False)
    actions.submit_observation(monitor_a, observation)
    actions.return_observation(trial.coordinator, observation, comment="Add the courtroom")
    returned = Notification.objects.get(user=monitor_a, kind="observation.returned")
    assert "returned" in returned.title
    assert returned.url == reverse("trials:observation", args=[observation.pk])
    actions.submit_observation(monitor_a, observation)
    actions.accept_observation(trial.coordinator, observation)
    assert Notification.objects.filter(user=monitor_a, kind="observation.accepted").count() == 1


def test_alert_title_in_the_monitors_language(org_a, coordinator_a, monitor_a, monkeypatch):
    from rightstrack.trials import alerts

    monkeypatch.setattr(alerts, "language_of", lambda user: "ru")
    build_trial(coordinator_a, org_a, monitor_a, number="2-2023")
    note = Notification.objects.get(user=monitor_a, kind="hearing.assigned")
    assert note.title.startswith("Вы назначены")
