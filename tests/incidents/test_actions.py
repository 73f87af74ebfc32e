"""Writes: dates with precision, acts within events, victims' visibility, perpetrators, interventions, chains,
duplicate persons, consent and publication. Every refusal leaves the database unchanged."""

from __future__ import annotations

import pytest

from rightstrack.core import actions as core_actions
from rightstrack.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from rightstrack.core.models import AuditEvent, Confidentiality, Person
from rightstrack.incidents import actions
from rightstrack.incidents.models import Act, Event, EventLink, Involvement, PersonProfile, date_bounds

from .conftest import D, nothing_written


def test_date_bounds_follow_precision():
    assert date_bounds(D(2022, 2, 1), "month") == (D(2022, 2, 1), D(2022, 2, 28))
    assert date_bounds(D(2024, 5, 5), "year") == (D(2024, 1, 1), D(2024, 12, 31))
    assert date_bounds(D(2022, 1, 10), "about") == (D(2021, 12, 10), D(2022, 2, 10))
    assert date_bounds(D(2022, 1, 10), "day") == (D(2022, 1, 10), D(2022, 1, 10))
    assert date_bounds(None, "day") is None


def test_create_event_is_audited(org_a, coordinator_a):
    event = actions.create_event(coordinator_a, org_a, title="E", start_date=D(2022, 1, 5), place="kz-almaty")
    assert event.place.code == "kz-almaty" and event.version == 1
    assert AuditEvent.objects.filter(verb="event.create", object_id=str(event.pk)).exists()


def test_end_before_start_is_refused(org_a, coordinator_a):
    with nothing_written(), pytest.raises(InvalidInput, match="before the start") as exc:
        actions.create_event(coordinator_a, org_a, title="E", start_date=D(2022, 1, 5), end_date=D(2022, 1, 4))
    assert exc.value.field == "end_date"


def test_end_in_same_month_with_month_precision_is_accepted(org_a, coordinator_a):
    # "January 2022" as the end may well be after 5 January: precision is respected, not the stored day.
    event = actions.create_event(
        coordinator_a, org_a, title="E", start_date=D(2022, 1, 5), end_date=D(2022, 1, 1), end_precision="month"
    )
    assert event.end_display == "January 2022"  # shown as the language writes a month


def test_bad_event_input(org_a, coordinator_a):
    with nothing_written():
        for fields, field in (
            ({"title": " ", "start_date": D(2022, 1, 1)}, "title"),
            ({"title": "E", "start_date": "yesterday"}, "start_date"),
            ({"title": "E", "start_date": D(2022, 1, 1), "start_precision": "century"}, "start_precision"),
            ({"title": "E", "start_date": D(2022, 1, 1), "place": "atlantis"}, "place"),
            ({"title": "E", "start_date": D(2022, 1, 1), "confidentiality": "secret"}, "confidentiality"),
        ):
            with pytest.raises(InvalidInput) as exc:
                actions.create_event(coordinator_a, org_a, **fields)
            assert exc.value.field == field


def test_viewer_and_other_org_cannot_create(org_a, viewer_a, viewer_b):
    with nothing_written():
        for user in (viewer_a, viewer_b):
            with pytest.raises(Forbidden):
                actions.create_event(user, org_a, title="E", start_date=D(2022, 1, 1))


def test_restricted_event_needs_restricted_access(org_a, monitor_a):
    with nothing_written(), pytest.raises(Forbidden):
        actions.create_event(monitor_a, org_a, title="E", start_date=D(2022, 1, 1), confidentiality="restricted")


def test_act_with_victim_and_audit(event, victim, coordinator_a):
    act = actions.add_act(coordinator_a, event, act_type="torture", victim=victim, date=D(2022, 1, 7), method="beating")
    assert act.event == event and act.victim == victim
    assert AuditEvent.objects.filter(verb="act.create", object_id=str(act.pk)).get().confidentiality == "internal"


def test_act_outside_event_dates_is_refused(event, victim, coordinator_a):
    with nothing_written():
        for day, precision in ((D(2022, 2, 1), "day"), (D(2021, 12, 1), "month"), (D(2021, 1, 1), "year")):
            with pytest.raises(InvalidInput, match="outside its event") as exc:
                actions.add_act(
                    coordinator_a, event, act_type="torture", victim=victim, date=day, date_precision=precision
                )
            assert exc.value.field == "date"


def test_act_with_fuzzy_date_overlapping_event_is_accepted(event, coordinator_a):
    act = actions.add_act(coordinator_a, event, act_type="threat", date=D(2022, 1, 1), date_precision="month")
    assert act.date_display == "January 2022"
    about = actions.add_act(coordinator_a, event, act_type="threat", date=D(2022, 2, 10), date_precision="about")
    assert about.date_display == "c. 10 February 2022"


def test_act_type_must_come_from_vocabulary(event, coordinator_a):
    with nothing_written(), pytest.raises(InvalidInput) as exc:
        actions.add_act(coordinator_a, event, act_type="bad_weather", date=D(2022, 1, 7))
    assert exc.value.field == "act_type"


def test_victim_of_other_organisation_without_access_is_refused(event, coordinator_a, org_b, make_b_person):
    hidden = make_b_person(Confidentiality.INTERNAL)
    with nothing_written(), pytest.raises(NotFound, match="No such person") as exc:
        actions.add_act(coordinator_a, event, act_type="threat", victim=hidden.pk, date=D(2022, 1, 7))
    assert exc.value.field == "victim"
    # The same message as for a person that does not exist: ids cannot be probed.
    with pytest.raises(NotFound) as missing:
        actions.add_act(coordinator_a, event, act_type="threat", victim=987654, date=D(2022, 1, 7))
    assert missing.value.message == exc.value.message


def test_public_victim_of_other_organisation_is_accepted(event, coordinator_a, make_b_person):
    public = make_b_person(Confidentiality.PUBLIC)
    assert actions.add_act(coordinator_a, event, act_type="threat", victim=public, date=D(2022, 1, 7)).victim == public


def test_restricted_victim_needs_restricted_access(event, monitor_a, victim):
    with nothing_written(), pytest.raises(NotFound):
        actions.add_act(monitor_a, event, act_type="threat", victim=victim, date=D(2022, 1, 7))


@pytest.fixture
def make_b_person(org_b):
    def make(level):
        return Person.objects.create(organisation=org_b, confidentiality=level, pseudonym=f"B {level}")

    return make


def test_update_act_versioned(event, coordinator_a, analyst_a):
    act = actions.add_act(coordinator_a, event, act_type="threat", date=D(2022, 1, 7))
    actions.update_act(analyst_a, act, expected_version=1, changes={"act_type": "torture"})
    with nothing_written(), pytest.raises(Conflict):
        actions.update_act(coordinator_a, act, expected_version=1, changes={"method": "x"})
    with nothing_written(), pytest.raises(InvalidInput, match="outside"):
        actions.update_act(coordinator_a, act, expected_version=2, changes={"date": D(2023, 1, 1)})
    with nothing_written(), pytest.raises(InvalidInput, match="cannot be changed"):
        actions.update_act(coordinator_a, act, expected_version=2, changes={"event": event})
    act.refresh_from_db()
    assert act.act_type == "torture" and act.version == 2


def test_event_dates_cannot_shrink_away_from_its_acts(event, coordinator_a):
    actions.add_act(coordinator_a, event, act_type="threat", date=D(2022, 1, 18))
    with nothing_written(), pytest.raises(InvalidInput, match="outside"):
        actions.update_event(coordinator_a, event, expected_version=1, changes={"end_date": D(2022, 1, 10)})
    with nothing_written(), pytest.raises(InvalidInput, match="before the start"):
        actions.update_event(coordinator_a, event, expected_version=1, changes={"end_date": D(2021, 1, 10)})


def test_delete_act_needs_reviewer(event, coordinator_a, monitor_a):
    act = actions.add_act(coordinator_a, event, act_type="threat", date=D(2022, 1, 7))
    with nothing_written(), pytest.raises(Forbidden):
        actions.delete_act(monitor_a, act)
    actions.delete_act(coordinator_a, act)
    assert not Act.objects.exists()
    assert AuditEvent.objects.get(verb="act.delete").before["act_type"] == "threat"


def test_involvements(event, coordinator_a, org_a):
    act = actions.add_act(coordinator_a, event, act_type="torture", date=D(2022, 1, 7))
    inv = actions.add_involvement(coordinator_a, act, unit="police", degree="command")
    assert inv.event == event and inv.get_degree_display() == "Command responsibility"
    group = actions.create_group(coordinator_a, org_a, name="Unit 7")
    assert actions.add_involvement(coordinator_a, act, perpetrator_group=group).unit == "unknown"
    with nothing_written():
        with pytest.raises(InvalidInput, match="Name a perpetrator"):
            actions.add_involvement(coordinator_a, act)
        with pytest.raises(InvalidInput):
            actions.add_involvement(coordinator_a, act, unit="aliens")
        with pytest.raises(InvalidInput):
            actions.add_involvement(coordinator_a, act, unit="police", degree="vague")


def test_interventions(event, coordinator_a, victim):
    act = actions.add_act(coordinator_a, event, act_type="torture", victim=victim, date=D(2022, 1, 7))
    item = actions.add_intervention(
        coordinator_a,
        event,
        act=act.pk,
        intervention_type="complaint",
        date=D(2022, 2, 1),
        by="Lawyer",
        outcome="rejected",
        outcome_date=D(2022, 3, 1),
    )
    assert item.victim == victim  # taken from the act
    with nothing_written():
        with pytest.raises(InvalidInput) as exc:
            actions.add_intervention(coordinator_a, event, intervention_type="prayer", date=D(2022, 2, 1), by="X")
        assert exc.value.field == "intervention_type"
        with pytest.raises(InvalidInput, match="before the event"):
            actions.add_intervention(coordinator_a, event, intervention_type="complaint", date=D(2021, 2, 1), by="X")
        with pytest.raises(InvalidInput, match="outcome date"):
            actions.add_intervention(
                coordinator_a,
                event,
                intervention_type="complaint",
                date=D(2022, 2, 1),
                by="X",
                outcome_date=D(2022, 1, 1),
            )
        with pytest.raises(InvalidInput, match="who acted"):
            actions.add_intervention(coordinator_a, event, intervention_type="appeal", date=D(2022, 2, 1), by=" ")


def test_intervention_act_must_belong_to_event(event, coordinator_a, org_a):
    other = actions.create_event(coordinator_a, org_a, title="Other", start_date=D(2022, 1, 1))
    foreign = actions.add_act(coordinator_a, other, act_type="threat", date=D(2022, 1, 2))
    with nothing_written(), pytest.raises(InvalidInput, match="does not belong"):
        actions.add_intervention(
            coordinator_a, event, act=foreign.pk, intervention_type="appeal", date=D(2022, 2, 1), by="X"
        )


def test_chain_of_events(event, coordinator_a, org_a, viewer_b):
    other = actions.create_event(coordinator_a, org_a, title="Other", start_date=D(2022, 3, 1))
    link = actions.link_events(coordinator_a, event, other, "reprisal")
    assert EventLink.objects.get() == link
    with nothing_written():
        with pytest.raises(InvalidInput, match="already linked"):
            actions.link_events(coordinator_a, event, other, "related")
        with pytest.raises(InvalidInput, match="itself"):
            actions.link_events(coordinator_a, other, other)
        with pytest.raises(NotFound):
            actions.link_events(viewer_b, event, other)


def test_possible_duplicate_is_suggested_not_merged(org_a, coordinator_a, victim):
    with nothing_written(), pytest.raises(actions.PossibleDuplicate) as exc:
        actions.create_victim(coordinator_a, org_a, pseudonym="Someone else", real_name="real victim")
    assert exc.value.candidates == [victim]
    with nothing_written(), pytest.raises(actions.PossibleDuplicate):
        actions.create_victim(coordinator_a, org_a, pseudonym="victim v-1")
    # Confirmed as a different person: a second record, the first untouched.
    other = actions.create_victim(
        coordinator_a, org_a, pseudonym="Victim V-2", real_name="Real Victim", confirm_new=True
    )
    assert other.pk != victim.pk and Person.objects.count() == 2
    victim.refresh_from_db()
    assert victim.pseudonym == "Victim V-1"


def test_duplicate_by_birth_date_needs_a_shared_name(org_a, coordinator_a):
    actions.create_victim(coordinator_a, org_a, pseudonym="A", real_name="Aigerim Sadykova", birth_date=D(1990, 5, 1))
    with pytest.raises(actions.PossibleDuplicate):
        actions.create_victim(coordinator_a, org_a, pseudonym="B", real_name="Aigerim S.", birth_date=D(1990, 5, 1))
    # Same birth date, nothing else in common: not a duplicate.
    assert actions.create_victim(coordinator_a, org_a, pseudonym="C", real_name="Bolat K", birth_date=D(1990, 5, 1))


def test_duplicate_check_does_not_reveal_hidden_identities(org_a, coordinator_a, monitor_a):
    actions.create_victim(
        coordinator_a, org_a, pseudonym="Hidden H", real_name="Secret Name", confidentiality="restricted"
    )
    # A monitor without restricted access neither sees the restricted person nor matches on real names.
    person = actions.create_victim(monitor_a, org_a, pseudonym="Hidden H", real_name="Secret Name")
    assert person.pk


def test_consent_and_publication(event, coordinator_a, analyst_a, monitor_a, victim):
    actions.add_act(coordinator_a, event, act_type="torture", victim=victim, date=D(2022, 1, 7))
    with nothing_written(), pytest.raises(InvalidInput, match="consent") as exc:
        actions.publish_event(coordinator_a, event, expected_version=1)
    assert "Victim V-1" in exc.value.message
    event.refresh_from_db()
    assert event.confidentiality == "internal"
    # Analysts may document but not publish.
    with nothing_written(), pytest.raises(Forbidden):
        actions.publish_event(analyst_a, event, expected_version=1)
    with nothing_written(), pytest.raises(InvalidInput, match="date"):
        actions.set_profile(coordinator_a, victim, consent="anonymised")
    actions.set_profile(coordinator_a, victim, consent="anonymised", consent_date=D(2022, 5, 1))
    actions.publish_event(coordinator_a, event, expected_version=1)
    event.refresh_from_db()
    assert event.confidentiality == "public"
    assert AuditEvent.objects.filter(verb="personprofile.set").count() == 2


def test_publication_error_does_not_name_hidden_persons(event, coordinator_a, org_a, victim):
    actions.add_act(coordinator_a, event, act_type="torture", victim=victim, date=D(2022, 1, 7))
    from rightstrack.core.models import Membership

    Membership.objects.filter(user=coordinator_a).update(restricted_access=False)
    coordinator_a._rt_memberships = None
    with pytest.raises(InvalidInput) as exc:
        actions.publish_event(coordinator_a, event, expected_version=1)
    assert "Victim V-1" not in exc.value.message and "1 person(s) you cannot see" in exc.value.message


def test_act_added_to_public_event_needs_consent(org_a, coordinator_a, victim):
    public = actions.create_event(coordinator_a, org_a, title="P", start_date=D(2022, 1, 1), confidentiality="public")
    with nothing_written(), pytest.raises(InvalidInput, match="consent"):
        actions.add_act(coordinator_a, public, act_type="threat", victim=victim, date=D(2022, 1, 1))


def test_set_profile_bad_input(coordinator_a, victim, viewer_b):
    with nothing_written():
        with pytest.raises(InvalidInput):
            actions.set_profile(coordinator_a, victim, consent="maybe")
        with pytest.raises(InvalidInput):
            actions.set_profile(coordinator_a, victim, age_group="ancient")
        with pytest.raises(NotFound):
            actions.set_profile(viewer_b, victim, consent="internal")


def test_soft_deleted_event_hides_its_acts(event, coordinator_a):
    from rightstrack.core import visibility

    actions.add_act(coordinator_a, event, act_type="threat", date=D(2022, 1, 7))
    actions.delete_event(coordinator_a, event)
    assert not visibility.visible(coordinator_a, Act).exists()
    core_actions.restore(coordinator_a, Event.objects.get(pk=event.pk))
    assert visibility.visible(coordinator_a, Act).count() == 1


def test_involvement_and_profile_counts(event, coordinator_a, victim):
    assert PersonProfile.objects.get(person=victim).consent == "none"
    act = actions.add_act(coordinator_a, event, act_type="threat", date=D(2022, 1, 7))
    actions.add_involvement(coordinator_a, act, unit="police")
    assert Involvement.objects.filter(act=act).count() == 1
