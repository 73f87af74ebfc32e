"""API: the same rules as the pages, as JSON with fitting statuses."""

from __future__ import annotations

import json

from rightstrack.core.models import ApiToken, Person
from rightstrack.incidents import actions
from rightstrack.incidents.models import Act, Event

from .conftest import D, nothing_written


def api(client, user, method: str, path: str, body: dict | None = None):
    _token, key = ApiToken.issue(user, "test")
    kwargs = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    if body is not None:
        kwargs.update(data=json.dumps(body), content_type="application/json")
    return getattr(client, method)(f"/api/incidents{path}", **kwargs)


def test_create_event_act_involvement_intervention(client, org_a, coordinator_a, victim):
    response = api(
        client,
        coordinator_a,
        "post",
        "/events",
        {
            "organisation_id": org_a.pk,
            "title": "API event",
            "start_date": "2022-01-05",
            "end_date": "2022-01-09",
            "place": "kz-almaty",
        },
    )
    assert response.status_code == 201 and response.json()["place"] == "kz-almaty"
    event_id = response.json()["id"]
    response = api(
        client,
        coordinator_a,
        "post",
        f"/events/{event_id}/acts",
        {"act_type": "torture", "victim_id": victim.pk, "date": "2022-01-06"},
    )
    assert response.status_code == 201 and response.json()["victim"]["pseudonym"] == "Victim V-1"
    act_id = response.json()["id"]
    response = api(client, coordinator_a, "post", f"/acts/{act_id}/involvements", {"unit": "police"})
    assert response.status_code == 201
    response = api(
        client,
        coordinator_a,
        "post",
        f"/events/{event_id}/interventions",
        {"intervention_type": "appeal", "date": "2022-03-01", "by": "Lawyer", "act_id": act_id},
    )
    assert response.status_code == 201
    case = api(client, coordinator_a, "get", f"/events/{event_id}/case-file").json()
    assert [t["kind"] for t in case["timeline"]] == ["act", "intervention"]


def test_bad_input_statuses(client, org_a, coordinator_a, event, org_b):
    other = Person.objects.create(organisation=org_b, confidentiality="internal", pseudonym="B")
    with nothing_written():
        r = api(
            client,
            coordinator_a,
            "post",
            "/events",
            {"organisation_id": org_a.pk, "title": "E", "start_date": "2022-01-05", "end_date": "2022-01-01"},
        )
        assert r.status_code == 400 and r.json()["field"] == "end_date"
        r = api(
            client,
            coordinator_a,
            "post",
            "/events",
            {"organisation_id": org_a.pk, "title": "E", "start_date": "not a date"},
        )
        assert r.status_code == 422
        r = api(client, coordinator_a, "post", f"/events/{event.pk}/acts", {"act_type": "threat", "date": "2023-01-01"})
        assert r.status_code == 400 and "outside" in r.json()["detail"]
        r = api(
            client, coordinator_a, "post", f"/events/{event.pk}/acts", {"act_type": "threat", "victim_id": other.pk}
        )
        assert r.status_code == 404 and r.json()["field"] == "victim"
        assert api(client, coordinator_a, "post", "/events/987654/acts", {"act_type": "threat"}).status_code == 404
        assert api(client, coordinator_a, "get", "/statistics?region=x").status_code == 400


def test_duplicate_and_consent(client, org_a, coordinator_a, victim):
    with nothing_written():
        r = api(client, coordinator_a, "post", "/victims", {"organisation_id": org_a.pk, "pseudonym": "victim v-1"})
    assert r.status_code == 400 and "may already be recorded" in r.json()["detail"]
    r = api(
        client,
        coordinator_a,
        "put",
        f"/persons/{victim.pk}/consent",
        {"consent": "named", "consent_date": "2023-01-01"},
    )
    assert r.status_code == 200 and r.json()["consent"] == "named"
    with nothing_written():
        r = api(client, coordinator_a, "put", f"/persons/{victim.pk}/consent", {"consent": "everything"})
    assert r.status_code == 400


def test_api_hides_what_the_caller_may_not_see(client, coordinator_a, monitor_a, viewer_b, event, victim):
    actions.add_act(coordinator_a, event, act_type="torture", victim=victim, date=D(2022, 1, 7))
    acts = api(client, monitor_a, "get", f"/events/{event.pk}/acts").json()
    assert acts[0]["victim"] == {"id": None, "pseudonym": None}
    assert api(client, viewer_b, "get", f"/events/{event.pk}").status_code == 404
    assert api(client, viewer_b, "get", "/statistics").json()["total"] == 0
    assert "Victim V-1" not in api(client, monitor_a, "get", "/export/esf").content.decode()


def test_statistics_and_threat_index(client, org_a, coordinator_a, defender):
    event = actions.create_event(coordinator_a, org_a, title="P", start_date=D(2024, 1, 1), start_precision="year")
    for month in (1, 2, 3):
        actions.add_act(coordinator_a, event, act_type="threat", victim=defender, date=D(2024, month, 1))
    stats = api(client, coordinator_a, "get", "/statistics").json()
    assert stats["total"] == 3 and stats["by_type"] == [{"label": "Threat or intimidation", "count": 3}]
    index = api(client, coordinator_a, "get", "/threat-index?since=2024-01-01&until=2024-06-30").json()
    assert index == [
        {"period": "2024", "raw": 3, "partial": True, "covered_days": 182, "total_days": 366, "annualised": 6.0}
    ]
    assert Act.objects.count() == 3 and Event.objects.count() == 1
