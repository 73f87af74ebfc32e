"""The register and the observation workflow, including every bad input named in the issue."""

from __future__ import annotations

import datetime

import pytest

from rightstrack.core import actions as core_actions
from rightstrack.core.errors import Forbidden, InvalidInput, NotFound, TooLarge
from rightstrack.core.models import AuditEvent, Role
from rightstrack.trials import actions, queries
from rightstrack.trials.actions import WrongState
from rightstrack.trials.models import Answer, Assignment, CaseCharge, Defendant, Observation

from ..conftest import make_user
from .conftest import build_trial, observe


def nothing_written(before_events: int, before_answers: int) -> bool:
    return AuditEvent.objects.count() == before_events and Answer.objects.count() == before_answers


@pytest.fixture
def draft(trial):
    return actions.start_observation(trial.monitor, trial.hearing)


def counts():
    return AuditEvent.objects.count(), Answer.objects.count()


# --- Register -------------------------------------------------------------------------------------


def test_case_charges_become_rows(trial, coordinator_a):
    assert list(CaseCharge.objects.filter(case=trial.case).values_list("article", flat=True).order_by("article")) == [
        "272(2)",
        "293",
    ]
    case = actions.update_case(
        coordinator_a, trial.case, expected_version=trial.case.version, changes={"charges": "293; 380(1)"}
    )
    assert sorted(c.article for c in case.charge_rows.all()) == ["293", "380(1)"]


def test_case_court_change_moves_answers(trial, org_a, coordinator_a):
    observe(trial, answers={"PUB-3": "yes"})
    other = actions.create_court(coordinator_a, org_a, name="Other", city="Taraz", confidentiality="public")
    actions.update_case(coordinator_a, trial.case, expected_version=trial.case.version, changes={"court": other})
    assert set(Answer.objects.values_list("court_id", flat=True)) == {other.pk}


def test_hearing_date_change_moves_answers(trial, coordinator_a):
    observe(trial, answers={"PUB-3": "yes"})
    actions.update_hearing(
        coordinator_a, trial.hearing, expected_version=1, changes={"date": datetime.date(2023, 2, 3)}
    )
    assert set(Answer.objects.values_list("month", "hearing_date")) == {("2023-02", datetime.date(2023, 2, 3))}


def test_hearing_bad_times_and_stale_version(trial, coordinator_a):
    with pytest.raises(InvalidInput, match="ends before it starts"):
        actions.add_hearing(
            coordinator_a,
            trial.case,
            date=datetime.date(2022, 1, 1),
            start_time=datetime.time(12),
            end_time=datetime.time(11),
        )
    actions.update_hearing(coordinator_a, trial.hearing, expected_version=1, changes={"courtroom": "7"})
    from rightstrack.core.errors import Conflict

    with pytest.raises(Conflict):
        actions.update_hearing(coordinator_a, trial.hearing, expected_version=1, changes={"courtroom": "8"})


def test_defendant_must_be_a_person_of_the_case_organisation(trial, org_b, coordinator_a):
    outsider_author = make_user("admin_b", org_b, Role.ADMIN, restricted=True)
    outsider = core_actions.create_person(outsider_author, org_b, pseudonym="Elsewhere", confidentiality="public")
    events = AuditEvent.objects.count()
    with pytest.raises(InvalidInput, match="organisation that owns the case"):
        actions.add_defendant(coordinator_a, trial.case, person=outsider)
    with pytest.raises(InvalidInput, match="already a defendant"):
        actions.add_defendant(coordinator_a, trial.case, person=trial.defendants[0].person)
    assert AuditEvent.objects.count() == events and Defendant.objects.count() == 2


def test_viewer_cannot_register(trial, viewer_a):
    with pytest.raises(Forbidden):
        actions.add_hearing(viewer_a, trial.case, date=datetime.date(2022, 1, 1))


def test_assignment_rules(trial, org_a, org_b, coordinator_a, viewer_a, monitor_a):
    stranger = make_user("stranger", org_b, Role.MONITOR)
    for who in (stranger, viewer_a):
        with pytest.raises(InvalidInput, match="Only members"):
            actions.assign_monitor(coordinator_a, trial.hearing, who)
    with pytest.raises(InvalidInput, match="already assigned"):
        actions.assign_monitor(coordinator_a, trial.hearing, monitor_a)
    with pytest.raises(Forbidden):
        actions.assign_monitor(monitor_a, trial.hearing, coordinator_a)
    secret = build_trial(coordinator_a, org_a, None, number="S-1", confidentiality="restricted", court=trial.court)
    with pytest.raises(InvalidInput, match="restricted access"):
        actions.assign_monitor(coordinator_a, secret.hearing, monitor_a)
    assert Assignment.objects.count() == 1


def test_upcoming_hearings_per_monitor(trial, coordinator_a, monitor_a, monitor2_a):
    soon = actions.add_hearing(coordinator_a, trial.case, date=datetime.date.today() + datetime.timedelta(days=2))
    actions.assign_monitor(coordinator_a, soon, monitor_a)
    assert [a.hearing_id for a in queries.upcoming_for(monitor_a)] == [soon.pk]  # the past hearing is not listed
    assert not queries.upcoming_for(monitor2_a).exists()
    assert [a.monitor for a in queries.schedule(coordinator_a)] == [monitor_a]


# --- Observation workflow and bad input ------------------------------------------------------------


def test_monitor_not_assigned_cannot_fill(trial, monitor2_a):
    events = AuditEvent.objects.count()
    with pytest.raises(Forbidden, match="not assigned"):
        actions.start_observation(monitor2_a, trial.hearing)
    assert not Observation.objects.exists() and AuditEvent.objects.count() == events


def test_hidden_hearing_is_not_found(trial, org_a, coordinator_a, monitor_a, viewer_b):
    secret = build_trial(coordinator_a, org_a, None, number="S-1", confidentiality="restricted", court=trial.court)
    with pytest.raises(NotFound):
        actions.start_observation(monitor_a, secret.hearing)
    with pytest.raises(NotFound):
        actions.start_observation(viewer_b, trial.hearing)


@pytest.mark.parametrize(
    ("code", "value", "message"),
    [
        ("PUB-3", "maybe", "accepts yes, no"),
        ("PUB-3", "YES", "accepts yes, no"),
        ("GEN-2", "-5", "whole number"),
        ("GEN-2", "12.5", "whole number"),
        ("GEN-2", "1000000", "at most"),
        ("GEN-1", "picnic", "accepts one of"),
        ("XYZ-9", "yes", "not a question of checklist"),
    ],
)
def test_answer_outside_its_type_or_checklist(draft, code, value, message):
    before = counts()
    with pytest.raises(InvalidInput, match=message):
        actions.save_answer(draft.monitor, draft, indicator=code, value=value)
    assert counts() == before


def test_answer_with_wrong_defendant(trial, org_a, coordinator_a, draft):
    other = build_trial(coordinator_a, org_a, None, number="2-2022", court=trial.court)
    before = counts()
    with pytest.raises(InvalidInput, match="not in the case"):
        actions.save_answer(draft.monitor, draft, indicator="DET-1", value="yes", defendant=other.defendants[0].pk)
    with pytest.raises(InvalidInput, match="say which one"):
        actions.save_answer(draft.monitor, draft, indicator="DET-1", value="yes")
    with pytest.raises(InvalidInput, match="not per defendant"):
        actions.save_answer(draft.monitor, draft, indicator="PUB-3", value="yes", defendant=trial.defendants[0].pk)
    with pytest.raises(InvalidInput, match="Unknown defendant"):
        actions.save_answer(draft.monitor, draft, indicator="DET-1", value="yes", defendant="abc")
    assert counts() == before


def test_defendant_questions_only_for_defendants_present(trial, draft):
    actions.set_defendants_present(trial.monitor, draft, [trial.defendants[0].pk])
    before = counts()
    with pytest.raises(InvalidInput, match="present"):
        actions.save_answer(trial.monitor, draft, indicator="DET-1", value="yes", defendant=trial.defendants[1].pk)
    assert counts() == before
    actions.save_answer(trial.monitor, draft, indicator="DET-1", value="yes", defendant=trial.defendants[0].pk)
    with pytest.raises(InvalidInput, match="not in this case"):
        actions.set_defendants_present(trial.monitor, draft, [trial.defendants[0].pk, 999999])


def test_oversize_note_is_refused(draft):
    before = counts()
    with pytest.raises(TooLarge):
        actions.save_answer(draft.monitor, draft, indicator="PUB-3", value="yes", note="x" * 2001)
    assert counts() == before


def test_applies_if_sets_not_applicable_and_undoes_it(trial, draft):
    monitor = trial.monitor
    changed = actions.save_answer(monitor, draft, indicator="PUB-3", value="no")
    pub4 = Answer.objects.get(observation=draft, indicator__code="PUB-4")
    assert pub4.value == "not_applicable" and pub4.auto and len(changed) == 2
    before = counts()
    with pytest.raises(InvalidInput, match="does not apply"):
        actions.save_answer(monitor, draft, indicator="PUB-4", value="yes")
    assert counts() == before
    actions.save_answer(monitor, draft, indicator="PUB-3", value="yes")
    assert not Answer.objects.filter(observation=draft, indicator__code="PUB-4").exists()
    actions.save_answer(monitor, draft, indicator="PUB-4", value="yes")
    # Defendant-level condition on two questions (DET-3 applies if DET-1 or DET-2 is yes).
    d = trial.defendants[0].pk
    actions.save_answer(monitor, draft, indicator="DET-1", value="no", defendant=d)
    assert not Answer.objects.filter(indicator__code="DET-3").exists()  # DET-2 still unknown
    actions.save_answer(monitor, draft, indicator="DET-2", value="no", defendant=d)
    assert Answer.objects.get(indicator__code="DET-3", defendant_id=d).value == "not_applicable"


def test_count_constraint(draft):
    actions.save_answer(draft.monitor, draft, indicator="EQA-1", value="3")
    before = counts()
    with pytest.raises(InvalidInput, match="EQA-2 <= EQA-1"):
        actions.save_answer(draft.monitor, draft, indicator="EQA-2", value="4")
    assert counts() == before
    actions.save_answer(draft.monitor, draft, indicator="EQA-2", value="2")


def test_clearing_an_answer(draft):
    actions.save_answer(draft.monitor, draft, indicator="PUB-1", value="yes")
    actions.save_answer(draft.monitor, draft, indicator="PUB-1", value="")
    assert not Answer.objects.filter(observation=draft).exists()
    assert AuditEvent.objects.filter(verb="answer.clear").count() == 1


def test_submit_twice_and_edit_after_submit(trial, draft, coordinator_a):
    with pytest.raises(InvalidInput, match="at least one"):
        actions.submit_observation(trial.monitor, draft)
    actions.save_answer(trial.monitor, draft, indicator="PUB-1", value="yes")
    actions.submit_observation(trial.monitor, draft)
    before = counts()
    with pytest.raises(WrongState, match="submitted"):
        actions.submit_observation(trial.monitor, draft)
    with pytest.raises(WrongState):
        actions.save_answer(trial.monitor, draft, indicator="PUB-1", value="no")
    assert counts() == before
    assert WrongState.status == 409


def test_reviewed_observation_cannot_be_edited(trial, coordinator_a):
    observation = observe(trial, answers={"PUB-1": "yes"})
    before = counts()
    with pytest.raises(WrongState, match="reviewed"):
        actions.save_answer(trial.monitor, observation, indicator="PUB-1", value="no")
    with pytest.raises(WrongState):
        actions.set_defendants_present(trial.monitor, observation, [])
    with pytest.raises(WrongState, match="Only submitted"):
        actions.accept_observation(coordinator_a, observation)
    assert counts() == before
    assert Answer.objects.get(observation=observation).value == "yes"


def test_only_the_monitor_edits_and_only_reviewers_review(trial, coordinator_a, monitor2_a, analyst_a):
    observation = observe(trial, answers={"PUB-1": "yes"}, accept=False)
    with pytest.raises(Forbidden):
        actions.save_answer(coordinator_a, observation, indicator="PUB-1", value="no")
    actions.submit_observation(trial.monitor, observation)
    for who in (trial.monitor, analyst_a):
        with pytest.raises(Forbidden):
            actions.accept_observation(who, observation)


def test_return_then_fix_then_accept(trial, coordinator_a):
    observation = observe(trial, answers={"PUB-1": "yes"}, accept=False)
    actions.submit_observation(trial.monitor, observation)
    with pytest.raises(InvalidInput, match="Say what"):
        actions.return_observation(coordinator_a, observation, comment="  ")
    actions.return_observation(coordinator_a, observation, comment="PUB-1: say where you saw the listing")
    actions.save_answer(trial.monitor, observation, indicator="PUB-1", value="yes", note="Notice board, 9:40")
    actions.submit_observation(trial.monitor, observation)
    actions.accept_observation(coordinator_a, observation)
    answer = Answer.objects.get(observation=observation)
    assert answer.counted and answer.note == "Notice board, 9:40"
    verbs = list(AuditEvent.objects.filter(verb__startswith="observation.").values_list("verb", flat=True))
    assert {"observation.return", "observation.accept"} <= set(verbs)


def test_two_monitors_kept_and_disagreements_listed(trial, coordinator_a, monitor2_a):
    actions.assign_monitor(coordinator_a, trial.hearing, monitor2_a)
    first = observe(trial, answers={"PUB-3": "yes", ("DET-1", 0): "yes", "PUB-1": "yes", "IND-1": "no"})
    second = observe(trial, monitor2_a, answers={"PUB-3": "no", ("DET-1", 0): "yes", "PUB-1": "yes"}, accept=False)
    actions.submit_observation(monitor2_a, second)
    found = queries.disagreements(coordinator_a, trial.hearing)
    assert [(d.indicator.code, sorted(v for _m, v in d.values)) for d in found] == [
        ("PUB-3", ["no", "yes"]),
        ("PUB-4", ["not_applicable", "—"]),
        ("IND-1", ["no", "—"]),
    ]
    actions.accept_observation(coordinator_a, second)
    assert Observation.objects.filter(hearing=trial.hearing).count() == 2
    # The later accepted observation counts for the hearing; the first is kept but no longer counted.
    assert Answer.objects.get(observation=first, indicator__code="PUB-3").counted is False
    assert Answer.objects.get(observation=second, indicator__code="PUB-3").counted is True
    # A question only the first monitor answered keeps counting.
    assert Answer.objects.get(observation=first, indicator__code="IND-1").counted is True
