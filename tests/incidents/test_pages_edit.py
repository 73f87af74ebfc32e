"""Editing and deleting perpetrator involvements and interventions: pages and API. A stale version answers
409 and changes nothing; bad input, wrong ids and other organisations' records change nothing either;
deleted records go to the trash, vanish from case files and statistics, and come back when restored."""

from __future__ import annotations

import json

import pytest

from rightstrack.core.models import ApiToken, AuditEvent, Person, Role
from rightstrack.incidents import actions, queries
from rightstrack.incidents.models import Act, Intervention, Involvement

from ..conftest import make_user
from .conftest import D, client_for, nothing_written


@pytest.fixture
def act(event, coordinator_a, victim):
    return actions.add_act(coordinator_a, event, act_type="torture", victim=victim, date=D(2022, 1, 7))


@pytest.fixture
def involvement(act, coordinator_a):
    return actions.add_involvement(coordinator_a, act, unit="police", degree="direct", notes="Patrol")


@pytest.fixture
def intervention(event, act, coordinator_a):
    return actions.add_intervention(
        coordinator_a, event, intervention_type="complaint", date=D(2022, 2, 1), by="Lawyer", act=act.pk
    )


@pytest.fixture
def coordinator_b(org_b):
    return make_user("coordinator_b", org_b, Role.COORDINATOR, restricted=True)


def involvement_form(involvement: Involvement, **changes) -> dict:
    data = {"unit": involvement.unit, "degree": involvement.degree, "notes": involvement.notes}
    data["version"] = involvement.version
    return {**data, **changes}


def intervention_form(intervention: Intervention, **changes) -> dict:
    data = {
        "intervention_type": intervention.intervention_type,
        "date": intervention.date.isoformat(),
        "date_precision": intervention.date_precision,
        "by": intervention.by,
        "act": intervention.act_id or "",
        "victim": intervention.victim_id or "",
        "outcome": intervention.outcome,
        "version": intervention.version,
    }
    return {**data, **changes}


def api(client, user, method: str, path: str, body: dict | None = None):
    _token, key = ApiToken.issue(user, "test")
    kwargs = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    if body is not None:
        kwargs.update(data=json.dumps(body), content_type="application/json")
    return getattr(client, method)(f"/api/incidents{path}", **kwargs)


# --- Involvements: pages ---------------------------------------------------------------------------------


def test_edit_involvement_through_form(event, act, involvement, coordinator_a):
    client = client_for(coordinator_a)
    page = client.get(f"/incidents/perpetrators/{involvement.pk}/edit/").content.decode()
    assert 'name="version"' in page and "Patrol" in page
    response = client.post(
        f"/incidents/perpetrators/{involvement.pk}/edit/",
        involvement_form(involvement, unit="national_security", degree="command", notes="Order given"),
    )
    assert response.status_code == 302 and response["Location"] == f"/incidents/{event.pk}/"
    involvement.refresh_from_db()
    assert (involvement.unit, involvement.degree, involvement.notes, involvement.version) == (
        "national_security",
        "command",
        "Order given",
        2,
    )
    audit = AuditEvent.objects.get(verb="involvement.update")
    assert audit.before == {"unit": "police", "degree": "direct", "notes": "Patrol"}
    assert audit.after["unit"] == "national_security"
    # The statistics count the act under its new unit only.
    by_unit = {r["label"]: r["count"] for r in queries.statistics(coordinator_a).by_unit.rows}
    assert by_unit == {"National security": 1}


@pytest.mark.parametrize(
    "changes, field_error",
    [
        ({"unit": "secret_police"}, "Select a valid choice"),
        ({"degree": "mastermind"}, "Select a valid choice"),
        ({"unit": "unknown"}, "Name a perpetrator"),
        ({"perpetrator": 987654}, "Select a valid choice"),
        ({"notes": "x" * 301}, "at most 300 characters"),
    ],
)
def test_edit_involvement_bad_input_changes_nothing(involvement, coordinator_a, changes, field_error):
    with nothing_written():
        response = client_for(coordinator_a).post(
            f"/incidents/perpetrators/{involvement.pk}/edit/", involvement_form(involvement, **changes)
        )
    assert response.status_code == 400 and field_error in response.content.decode()
    involvement.refresh_from_db()
    assert involvement.unit == "police" and involvement.version == 1


def test_edit_involvement_stale_version_is_a_conflict(involvement, coordinator_a, analyst_a):
    # Someone else saved first.
    actions.update_involvement(analyst_a, involvement, expected_version=1, changes={"notes": "Seen by a witness"})
    with nothing_written():
        response = client_for(coordinator_a).post(
            f"/incidents/perpetrators/{involvement.pk}/edit/", involvement_form(involvement, unit="court", version=1)
        )
    body = response.content.decode()
    assert response.status_code == 409 and "Edit conflict" in body and "Seen by a witness" in body
    involvement.refresh_from_db()
    assert involvement.unit == "police" and involvement.version == 2


def test_involvement_pages_wrong_or_forbidden_ids_answer_404(involvement, coordinator_a, coordinator_b, viewer_a):
    with nothing_written():
        for user in (coordinator_a, coordinator_b, viewer_a):
            pk = 987654 if user is coordinator_a else involvement.pk
            client = client_for(user)
            assert client.get(f"/incidents/perpetrators/{pk}/edit/").status_code == 404
            assert client.post(f"/incidents/perpetrators/{pk}/edit/", involvement_form(involvement)).status_code == 404
        assert client_for(coordinator_b).post(f"/incidents/perpetrators/{involvement.pk}/delete/").status_code == 404
        assert client_for(coordinator_a).post("/incidents/perpetrators/987654/delete/").status_code == 404
        assert client_for(coordinator_a).get(f"/incidents/perpetrators/{involvement.pk}/delete/").status_code == 405


def test_edit_keeps_a_perpetrator_the_editor_cannot_see(event, act, coordinator_a, monitor_a, victim):
    # The perpetrator is a restricted person; a monitor without restricted access may still edit the unit.
    involvement = actions.add_involvement(coordinator_a, act, unit="police", perpetrator=victim)
    client = client_for(monitor_a)
    page = client.get(f"/incidents/perpetrators/{involvement.pk}/edit/").content.decode()
    assert "Victim V-1" not in page and "Real Victim" not in page
    assert "a record you cannot see" in page and 'name="perpetrator"' not in page
    response = client.post(
        f"/incidents/perpetrators/{involvement.pk}/edit/", {"unit": "court", "degree": "direct", "version": 1}
    )
    assert response.status_code == 302
    involvement.refresh_from_db()
    assert involvement.unit == "court" and involvement.perpetrator_id == victim.pk


def test_delete_involvement_to_trash_and_restore(event, act, involvement, coordinator_a, monitor_a):
    assert Act.objects.get(pk=act.pk).has_perpetrator
    with nothing_written():
        assert client_for(monitor_a).post(f"/incidents/perpetrators/{involvement.pk}/delete/").status_code == 403
    client = client_for(coordinator_a)
    response = client.post(f"/incidents/perpetrators/{involvement.pk}/delete/")
    assert response.status_code == 302 and response["Location"] == f"/incidents/{event.pk}/"
    assert Involvement.objects.filter(pk=involvement.pk).count() == 0  # the default manager hides the trash
    assert not Act.objects.get(pk=act.pk).has_perpetrator
    assert "Patrol" not in client.get(f"/incidents/{event.pk}/").content.decode()
    assert client.get(f"/incidents/perpetrators/{involvement.pk}/edit/").status_code == 404
    by_unit = {r["label"]: r["count"] for r in queries.statistics(coordinator_a).by_unit.rows}
    assert by_unit == {"Perpetrator not recorded": 1}
    trash = client.get("/trash/").content.decode()
    assert "Perpetrator involvements" in trash and "Police (Direct perpetrator)" in trash
    assert client.post(f"/trash/incidents.Involvement/{involvement.pk}/restore/").status_code == 302
    assert Act.objects.get(pk=act.pk).has_perpetrator
    assert "Patrol" in client.get(f"/incidents/{event.pk}/").content.decode()
    assert AuditEvent.objects.filter(verb__in=["involvement.delete", "involvement.restore"]).count() == 2


def test_deleting_one_of_two_involvements_of_a_unit_keeps_the_count(act, involvement, coordinator_a):
    second = actions.add_involvement(coordinator_a, act, unit="police", degree="command")
    assert not Involvement.objects.get(pk=second.pk).first_of_unit
    actions.delete_involvement(coordinator_a, involvement)
    assert Involvement.objects.get(pk=second.pk).first_of_unit
    by_unit = {r["label"]: r["count"] for r in queries.statistics(coordinator_a).by_unit.rows}
    assert by_unit == {"Police": 1}


def test_involvement_in_the_trash_of_a_deleted_event_cannot_be_restored_alone(event, involvement, coordinator_a):
    actions.delete_involvement(coordinator_a, involvement)
    actions.delete_event(coordinator_a, event)
    client = client_for(coordinator_a)
    assert "Police (Direct perpetrator)" not in client.get("/trash/").content.decode()
    assert client.post(f"/trash/incidents.Involvement/{involvement.pk}/restore/").status_code == 404


# --- Interventions: pages --------------------------------------------------------------------------------


def test_edit_intervention_through_form(event, act, intervention, coordinator_a, victim):
    client = client_for(coordinator_a)
    page = client.get(f"/incidents/interventions/{intervention.pk}/edit/").content.decode()
    assert 'value="2022-02-01"' in page and "Lawyer" in page
    response = client.post(
        f"/incidents/interventions/{intervention.pk}/edit/",
        intervention_form(
            intervention,
            outcome="rejected",
            outcome_date="2022-04-02",
            outcome_note="Refused by the prosecutor",
            addressee="Prosecutor's office",
        ),
    )
    assert response.status_code == 302 and response["Location"] == f"/incidents/{event.pk}/"
    intervention.refresh_from_db()
    assert (intervention.outcome, intervention.outcome_date, intervention.version) == ("rejected", D(2022, 4, 2), 2)
    assert intervention.victim_id == victim.pk and intervention.act_id == act.pk
    body = client.get(f"/incidents/{event.pk}/").content.decode()
    assert "Refused by the prosecutor" in body and "Rejected" in body


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"date": "2021-12-01"}, "dated before the event began"),
        ({"date": "soon"}, "Enter a valid date"),
        ({"outcome_date": "2022-01-15"}, "outcome date is before the intervention"),
        ({"by": "  "}, "This field is required"),
        ({"intervention_type": "prayer"}, "Select a valid choice"),
        ({"outcome": "won"}, "Select a valid choice"),
        ({"act": 987654}, "Select a valid choice"),
    ],
)
def test_edit_intervention_bad_input_changes_nothing(intervention, coordinator_a, changes, message):
    with nothing_written():
        response = client_for(coordinator_a).post(
            f"/incidents/interventions/{intervention.pk}/edit/", intervention_form(intervention, **changes)
        )
    assert response.status_code == 400 and message in response.content.decode()


def test_intervention_cannot_move_to_an_act_of_another_event(org_a, intervention, coordinator_a):
    other = actions.create_event(coordinator_a, org_a, title="Other", start_date=D(2022, 1, 1))
    foreign = actions.add_act(coordinator_a, other, act_type="threat")
    with nothing_written(), pytest.raises(Exception, match="does not belong to this event"):
        actions.update_intervention(coordinator_a, intervention, expected_version=1, changes={"act": foreign.pk})


def test_edit_intervention_stale_version_is_a_conflict(intervention, coordinator_a, analyst_a):
    actions.update_intervention(analyst_a, intervention, expected_version=1, changes={"outcome": "successful"})
    with nothing_written():
        response = client_for(coordinator_a).post(
            f"/incidents/interventions/{intervention.pk}/edit/",
            intervention_form(intervention, outcome="rejected", version=1),
        )
    assert response.status_code == 409 and "Edit conflict" in response.content.decode()
    intervention.refresh_from_db()
    assert intervention.outcome == "successful" and intervention.version == 2


def test_intervention_pages_wrong_or_forbidden_ids_answer_404(intervention, coordinator_a, coordinator_b, viewer_a):
    with nothing_written():
        for user in (coordinator_b, viewer_a):
            client = client_for(user)
            assert client.get(f"/incidents/interventions/{intervention.pk}/edit/").status_code == 404
            response = client.post(
                f"/incidents/interventions/{intervention.pk}/edit/", intervention_form(intervention, by="X")
            )
            assert response.status_code == 404
        client = client_for(coordinator_a)
        assert client.get("/incidents/interventions/987654/edit/").status_code == 404
        assert client.post("/incidents/interventions/987654/delete/").status_code == 404
        assert client_for(coordinator_b).post(f"/incidents/interventions/{intervention.pk}/delete/").status_code == 404


def test_edit_keeps_an_intervention_victim_the_editor_cannot_see(intervention, monitor_a, victim):
    client = client_for(monitor_a)
    page = client.get(f"/incidents/interventions/{intervention.pk}/edit/").content.decode()
    assert "Victim V-1" not in page and "a record you cannot see" in page
    data = intervention_form(intervention, outcome="partial")
    data.pop("victim")
    assert client.post(f"/incidents/interventions/{intervention.pk}/edit/", data).status_code == 302
    intervention.refresh_from_db()
    assert intervention.outcome == "partial" and intervention.victim_id == victim.pk


def test_delete_intervention_to_trash_and_restore(event, intervention, coordinator_a, monitor_a, victim):
    with nothing_written():
        assert client_for(monitor_a).post(f"/incidents/interventions/{intervention.pk}/delete/").status_code == 403
    client = client_for(coordinator_a)
    assert client.post(f"/incidents/interventions/{intervention.pk}/delete/").status_code == 302
    assert "Lawyer" not in client.get(f"/incidents/{event.pk}/").content.decode()
    assert "Lawyer" not in client.get(f"/incidents/victims/{victim.pk}/").content.decode()
    assert "Complaint (1 February 2022)" in client.get("/trash/").content.decode()
    client.post(f"/trash/incidents.Intervention/{intervention.pk}/restore/")
    assert "Lawyer" in client.get(f"/incidents/{event.pk}/").content.decode()


# --- Links from the case files ---------------------------------------------------------------------------------


def test_case_files_link_to_the_edit_pages(event, act, involvement, intervention, coordinator_a, monitor_a, victim):
    edit_inv = f"/incidents/perpetrators/{involvement.pk}/edit/"
    edit_int = f"/incidents/interventions/{intervention.pk}/edit/"
    body = client_for(coordinator_a).get(f"/incidents/{event.pk}/").content.decode()
    assert edit_inv in body and edit_int in body
    assert f"/incidents/perpetrators/{involvement.pk}/delete/" in body
    assert f"/incidents/interventions/{intervention.pk}/delete/" in body
    # The victim's timeline links to the act (with its perpetrators) and the intervention.
    timeline = client_for(coordinator_a).get(f"/incidents/victims/{victim.pk}/").content.decode()
    assert f"/incidents/acts/{act.pk}/edit/" in timeline and edit_int in timeline
    act_page = client_for(coordinator_a).get(f"/incidents/acts/{act.pk}/edit/").content.decode()
    assert edit_inv in act_page and f"/incidents/acts/{act.pk}/perpetrators/new/" in act_page
    # A monitor may edit but not delete.
    monitor_body = client_for(monitor_a).get(f"/incidents/{event.pk}/").content.decode()
    assert edit_inv in monitor_body and f"/incidents/perpetrators/{involvement.pk}/delete/" not in monitor_body


def test_readers_get_no_edit_links(event, involvement, intervention, viewer_a):
    body = client_for(viewer_a).get(f"/incidents/{event.pk}/").content.decode()
    assert "/perpetrators/" not in body and "/interventions/" not in body


def test_new_intervention_form_can_name_the_person_it_is_for(event, coordinator_a, defender):
    response = client_for(coordinator_a).post(
        f"/incidents/{event.pk}/interventions/new/",
        {
            "intervention_type": "urgent_appeal",
            "date": "2022-01-10",
            "date_precision": "day",
            "by": "Coalition",
            "victim": defender.pk,
            "outcome": "pending",
        },
    )
    assert response.status_code == 302 and Intervention.objects.get().victim == defender


# --- API -----------------------------------------------------------------------------------------------------


def test_api_patch_and_delete_involvement(client, org_b, act, involvement, coordinator_a, coordinator_b, monitor_a):
    path = f"/involvements/{involvement.pk}"
    response = api(client, coordinator_a, "patch", path, {"version": 1, "unit": "court", "notes": "Judge"})
    assert response.status_code == 200 and response.json()["unit"] == "court" and response.json()["version"] == 2
    unseen = Person.objects.create(organisation=org_b, pseudonym="B")
    with nothing_written():
        stale = api(client, coordinator_a, "patch", path, {"version": 1, "unit": "police"})
        assert stale.status_code == 409 and stale.json()["current"]["unit"] == "court"
        bad = api(client, coordinator_a, "patch", path, {"version": 2, "degree": "mastermind"})
        assert bad.status_code == 400 and bad.json()["field"] == "degree"
        other = api(client, coordinator_a, "patch", path, {"version": 2, "perpetrator_id": unseen.pk})
        assert other.status_code == 404 and other.json()["field"] == "perpetrator"
        assert api(client, coordinator_b, "patch", path, {"version": 2, "notes": "x"}).status_code == 404
        assert api(client, coordinator_a, "patch", "/involvements/987654", {"version": 1}).status_code == 404
        assert api(client, monitor_a, "delete", path).status_code == 403
        assert api(client, coordinator_b, "delete", path).status_code == 404
    assert api(client, coordinator_a, "delete", path).status_code == 204
    assert api(client, coordinator_a, "get", f"/events/{act.event_id}/acts").json()[0]["involvements"] == []
    assert api(client, coordinator_a, "delete", path).status_code == 404


def test_api_patch_and_delete_intervention(client, intervention, coordinator_a, coordinator_b):
    path = f"/interventions/{intervention.pk}"
    response = api(client, coordinator_a, "patch", path, {"version": 1, "outcome": "successful"})
    assert response.status_code == 200 and response.json()["outcome"] == "successful"
    with nothing_written():
        assert api(client, coordinator_a, "patch", path, {"version": 1, "by": "Me"}).status_code == 409
        bad = api(client, coordinator_a, "patch", path, {"version": 2, "date": "2021-01-01"})
        assert bad.status_code == 400 and bad.json()["field"] == "date"
        assert api(client, coordinator_b, "patch", path, {"version": 2, "by": "Me"}).status_code == 404
        assert api(client, coordinator_b, "delete", path).status_code == 404
    assert api(client, coordinator_a, "delete", path).status_code == 204
    assert Intervention.objects.filter(pk=intervention.pk).count() == 0
    assert Intervention._base_manager.get(pk=intervention.pk).deleted_at is not None


def test_exports_leave_out_deleted_records(event, act, involvement, intervention, coordinator_a):
    actions.delete_involvement(coordinator_a, involvement)
    actions.delete_intervention(coordinator_a, intervention)
    esf = client_for(coordinator_a).get("/incidents/export.json").json()["events"][0]
    assert esf["acts"][0]["involvements"] == [] and esf["interventions"] == []


def test_act_edit_keeps_a_victim_the_editor_cannot_see(event, act, monitor_a, victim):
    client = client_for(monitor_a)
    page = client.get(f"/incidents/acts/{act.pk}/edit/").content.decode()
    assert "Victim V-1" not in page and "a record you cannot see" in page and 'name="victim"' not in page
    response = client.post(
        f"/incidents/acts/{act.pk}/edit/",
        {"act_type": "ill_treatment", "date": "2022-01-07", "date_precision": "day", "version": act.version},
    )
    assert response.status_code == 302
    act.refresh_from_db()
    assert act.act_type == "ill_treatment" and act.victim_id == victim.pk
