"""Observations are complete before they count: completeness, submit checks, the review queue, "too few to report"."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from rightstrack.core.charts import line_chart
from rightstrack.core.errors import InvalidInput
from rightstrack.core.models import AuditEvent, Role
from rightstrack.trials import actions, findings, report
from rightstrack.trials.completeness import observation_completeness
from rightstrack.trials.models import Indicator, ObservationStatus

from ..conftest import make_user
from .conftest import build_trial, observe
from .test_views import client_for


def test_completeness_counts_per_group_and_skips_questions_a_condition_excludes(trial):
    observation = observe(trial, answers={"PUB-1": "yes"}, accept=False)
    state = observation_completeness(observation)
    assert state.answered == 1
    pub = state.group("PUB")
    assert pub.answered == 1 and pub.required >= 4 and not pub.complete
    assert "PUB-4" in {m.indicator.code for m in pub.missing}
    # PUB-4 applies only if the hearing was closed: answering "no" stores it as not applicable, so it is done.
    actions.save_answer(trial.monitor, observation, indicator="PUB-3", value="no")
    pub = observation_completeness(observation).group("PUB")
    assert "PUB-4" not in {m.indicator.code for m in pub.missing}
    # Defendant questions are required once per defendant present.
    actions.set_defendants_present(trial.monitor, observation, [trial.defendants[0].pk])
    before = observation_completeness(observation).required
    actions.set_defendants_present(trial.monitor, observation, [d.pk for d in trial.defendants])
    after = observation_completeness(observation)
    per_defendant = Indicator.objects.filter(checklist=observation.checklist, scope="defendant").count()
    assert per_defendant and after.required - before == per_defendant


def test_submit_of_an_incomplete_observation_warns_then_submits_when_confirmed(trial, monitor_a):
    observation = observe(trial, answers={"PUB-1": "yes"}, accept=False)
    client = client_for(monitor_a)
    url = f"/trials/observations/{observation.pk}/submit/"
    page = client.post(url)
    html = page.content.decode()
    assert page.status_code == 200
    assert "required questions are not answered yet" in html
    # The warning names questions by their text and links to their group.
    assert Indicator.objects.get(checklist=observation.checklist, code="PUB-4").question in html
    assert f"/trials/observations/{observation.pk}/?group=PUB" in html
    observation.refresh_from_db()
    assert observation.status == ObservationStatus.DRAFT
    assert client.post(url, {"confirm_incomplete": "1"}).status_code == 302
    observation.refresh_from_db()
    assert observation.status == ObservationStatus.SUBMITTED
    event = AuditEvent.objects.filter(verb="observation.submit").latest("pk")
    assert event.after["answered"] == 1 and event.after["required"] > 1


def test_the_action_refuses_incomplete_only_when_asked_to_check(trial):
    observation = observe(trial, answers={"PUB-1": "yes"}, accept=False)
    with pytest.raises(actions.Incomplete) as caught:
        actions.submit_observation(trial.monitor, observation, confirm_incomplete=False)
    assert caught.value.state.missing
    observation.refresh_from_db()
    assert observation.status == ObservationStatus.DRAFT


def test_a_hearing_in_the_future_cannot_be_submitted(org_a, coordinator_a, monitor_a):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    trial = build_trial(coordinator_a, org_a, monitor_a, number="9-2026", date=tomorrow)
    observation = observe(trial, answers={"PUB-1": "yes"}, accept=False)
    with pytest.raises(InvalidInput, match="in the future"):
        actions.submit_observation(monitor_a, observation)
    response = client_for(monitor_a).post(f"/trials/observations/{observation.pk}/submit/", {"confirm_incomplete": "1"})
    html = response.content.decode()
    assert response.status_code == 400 and "in the future" in html
    assert f"/trials/hearings/{trial.hearing.pk}/" in html  # the way to fix it: the hearing's date
    observation.refresh_from_db()
    assert observation.status == ObservationStatus.DRAFT
    assert not AuditEvent.objects.filter(verb="observation.submit").exists()


def test_reviewer_sees_question_texts_notes_and_completeness(trial, coordinator_a):
    observation = observe(trial, answers={"PUB-1": "no"}, accept=False)
    answer = observation.answers.get()
    answer.note = "Bailiff turned people away at the door"
    answer.save()
    actions.submit_observation(trial.monitor, observation)
    html = client_for(coordinator_a).get(f"/trials/observations/{observation.pk}/").content.decode()
    assert Indicator.objects.get(checklist=observation.checklist, code="PUB-1").question in html
    assert "Bailiff turned people away at the door" in html
    state = observation_completeness(observation)
    assert f"{state.answered} of {state.required} required answers given" in html
    assert "This is the last observation waiting for review." in html


def test_after_a_review_the_next_observation_in_the_queue_opens(org_a, coordinator_a, monitor_a, org_b):
    first = build_trial(coordinator_a, org_a, monitor_a, number="1-2022")
    second = build_trial(coordinator_a, org_a, monitor_a, number="2-2022", court=first.court)
    one = observe(first, answers={"PUB-1": "yes"}, accept=False)
    two = observe(second, answers={"PUB-1": "no"}, accept=False)
    actions.submit_observation(monitor_a, one)
    actions.submit_observation(monitor_a, two)
    reviewer = client_for(coordinator_a)
    response = reviewer.post(f"/trials/observations/{one.pk}/review/", {"decision": "accept"})
    assert response.status_code == 302 and response["Location"] == f"/trials/observations/{two.pk}/"
    response = reviewer.post(f"/trials/observations/{two.pk}/review/", {"decision": "return", "comment": "Add PUB-2"})
    assert response.status_code == 302 and response["Location"] == "/trials/review/"
    assert "Nothing waits for review." in reviewer.get("/trials/review/").content.decode()


def test_the_next_observation_is_never_one_the_reviewer_cannot_see(org_a, org_b, coordinator_a, monitor_a):
    coordinator_b = make_user("coordinator_b", org_b, Role.COORDINATOR, restricted=True)
    monitor_b = make_user("monitor_b", org_b, Role.MONITOR, restricted=True)
    mine = build_trial(coordinator_a, org_a, monitor_a, number="1-2022")
    theirs = build_trial(coordinator_b, org_b, monitor_b, number="7-2022", confidentiality="restricted")
    one = observe(mine, answers={"PUB-1": "yes"}, accept=False)
    other = observe(theirs, answers={"PUB-1": "yes"}, accept=False)
    actions.submit_observation(monitor_a, one)
    actions.submit_observation(monitor_b, other)
    response = client_for(coordinator_a).post(f"/trials/observations/{one.pk}/review/", {"decision": "accept"})
    assert response["Location"] == "/trials/review/"
    assert client_for(coordinator_a).post(f"/trials/observations/{other.pk}/submit/").status_code == 404


def test_figures_based_on_fewer_observations_than_the_minimum_are_too_few_to_report(trial, settings, coordinator_a):
    settings.FINDINGS_MIN_OBSERVATIONS = 5
    observe(trial, answers={"PUB-3": "yes"})
    pub3 = next(f for f in findings.indicator_findings(coordinator_a) if f.code == "PUB-3")
    assert (pub3.total.n, pub3.total.d, pub3.total.percent) == (1, 1, 100.0)
    assert pub3.total.too_few and pub3.total.reportable_percent is None
    assert "too few to report" in pub3.text() and "100" not in pub3.text()
    page = client_for(coordinator_a).get("/trials/findings/").content.decode()
    assert "too few to report" in page and "100.0%" not in page
    report_page = client_for(coordinator_a).get("/trials/report/").content.decode()
    assert "too few to report" in report_page
    settings.FINDINGS_MIN_OBSERVATIONS = 1
    pub3 = next(f for f in findings.indicator_findings(coordinator_a) if f.code == "PUB-3")
    assert not pub3.total.too_few and pub3.total.reportable_percent == 100.0


def test_trend_lines_leave_a_gap_for_quarters_without_data():
    periods = report.quarter_range("2022-Q3", "2023-Q2")
    assert periods == ["2022-Q3", "2022-Q4", "2023-Q1", "2023-Q2"]
    chart = line_chart(
        {"F-CAGE": [("2022-Q3", 40.0), ("2023-Q2", 10.0)]}, title="Trend", unit="%", periods=periods, plain=True
    )
    assert chart.svg.decode().count("<polyline") == 2  # two separate points, no line drawn across the empty quarters
    joined = line_chart({"F-CAGE": [("2022-Q3", 40.0), ("2022-Q4", 10.0)]}, title="Trend", unit="%", plain=True)
    assert joined.svg.decode().count("<polyline") == 1


def test_opening_the_submit_address_shows_the_check_and_changes_nothing(trial, monitor_a, viewer_b):
    observation = observe(trial, answers={"PUB-1": "yes"}, accept=False)
    url = f"/trials/observations/{observation.pk}/submit/"
    page = client_for(monitor_a).get(url)
    assert page.status_code == 200 and "Submit anyway, incomplete" in page.content.decode()
    observation.refresh_from_db()
    assert observation.status == ObservationStatus.DRAFT
    assert client_for(viewer_b).get(url).status_code == 404
