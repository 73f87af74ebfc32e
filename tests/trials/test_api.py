"""The trials API: visibility, the observation workflow and its bad input, findings."""

from __future__ import annotations

import json

from django.test import Client

from rightstrack.core.models import AuditEvent
from rightstrack.trials.models import Answer, Observation

from .conftest import build_trial, observe


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post(client, url, data=None):
    return client.post(url, json.dumps(data) if data is not None else "", content_type="application/json")


def test_cases_and_hearings(trial, org_a, coordinator_a, viewer_b, monitor_a):
    secret = build_trial(coordinator_a, org_a, None, number="S-1", confidentiality="restricted", court=trial.court)
    client = client_for(monitor_a)
    numbers = [c["number"] for c in client.get("/api/trials/cases").json()["items"]]
    assert numbers == ["1-2022"]
    detail = client.get(f"/api/trials/cases/{trial.case.pk}").json()
    assert detail["charges"] == ["272(2)", "293"] and [d["label"] for d in detail["defendants"]] == [
        "D-1-2022-1",
        "D-1-2022-2",
    ]
    assert client.get(f"/api/trials/cases/{secret.case.pk}").status_code == 404
    assert client.get(f"/api/trials/hearings/{secret.hearing.pk}").status_code == 404
    assert client.get(f"/api/trials/cases/{trial.case.pk}/hearings").json()[0]["id"] == trial.hearing.pk
    assert client_for(viewer_b).get(f"/api/trials/cases/{trial.case.pk}").status_code == 404


def test_observation_workflow_and_bad_input(trial, monitor_a, coordinator_a, monitor2_a):
    client = client_for(monitor_a)
    assert post(client_for(monitor2_a), f"/api/trials/hearings/{trial.hearing.pk}/observations").status_code == 403
    response = post(client, f"/api/trials/hearings/{trial.hearing.pk}/observations")
    assert response.status_code == 201
    oid = response.json()["id"]
    assert post(client, f"/api/trials/hearings/{trial.hearing.pk}/observations").status_code == 200
    url = f"/api/trials/observations/{oid}/answers"
    d0 = trial.defendants[0].pk
    ok = post(
        client, url, [{"indicator": "PUB-3", "value": "yes"}, {"indicator": "DET-1", "value": "no", "defendant_id": d0}]
    )
    assert ok.status_code == 200 and len(ok.json()["answers"]) == 2
    before = (Answer.objects.count(), AuditEvent.objects.count())
    # All or nothing: one bad answer in a batch writes none of it.
    bad = post(
        client,
        url,
        [{"indicator": "PUB-1", "value": "yes"}, {"indicator": "DET-1", "value": "maybe", "defendant_id": d0}],
    )
    assert bad.status_code == 400 and bad.json()["field"] == "value"
    assert post(client, url, [{"indicator": "QQQ-1", "value": "yes"}]).status_code == 400
    assert post(client, url, [{"indicator": "DET-1", "value": "yes", "defendant_id": 999999}]).status_code == 400
    assert post(client, url, [{"indicator": "GEN-2", "value": True}]).status_code == 422
    assert post(client, url, {"not": "a list"}).status_code == 422
    assert (Answer.objects.count(), AuditEvent.objects.count()) == before
    assert post(client, f"/api/trials/observations/{oid}/submit").status_code == 200
    assert post(client, f"/api/trials/observations/{oid}/submit").status_code == 409
    review = f"/api/trials/observations/{oid}/review"
    assert post(client, review, {"decision": "accept"}).status_code == 403
    assert post(client_for(coordinator_a), review, {"decision": "shrug"}).status_code == 400
    assert post(client_for(coordinator_a), review, {"decision": "accept"}).json()["status"] == "reviewed"
    assert post(client, url, [{"indicator": "PUB-3", "value": "no"}]).status_code == 409
    assert Observation.objects.get().answers.get(indicator__code="PUB-3").value == "yes"


def test_observations_are_visibility_filtered(trial, org_a, coordinator_a, admin_a, monitor_a, viewer_b):
    observe(trial, answers={"PUB-3": "yes"})
    secret = build_trial(coordinator_a, org_a, admin_a, number="S-1", confidentiality="restricted", court=trial.court)
    secret.monitor = admin_a
    hidden = observe(secret, answers={"PUB-3": "no"})
    assert len(client_for(coordinator_a).get("/api/trials/observations").json()["items"]) == 2
    assert len(client_for(monitor_a).get("/api/trials/observations").json()["items"]) == 1
    assert client_for(monitor_a).get(f"/api/trials/observations/{hidden.pk}").status_code == 404
    assert client_for(viewer_b).get("/api/trials/observations").json()["items"] == []


def test_findings_endpoint(trial, coordinator_a):
    observe(trial, answers={"PUB-3": "yes", ("DET-1", 0): "yes", ("DET-1", 1): "not_observed"})
    client = client_for(coordinator_a)
    rows = {f["key"]: f for f in client.get("/api/trials/findings?breakdown=court&period=quarter").json()}
    assert rows["DET-1"]["total"] == {"n": 1, "d": 1, "excluded": 1, "percent": 100.0, "total": None, "median": None}
    assert list(rows["F-CAGE"]["by"]) == [str(trial.court.pk)]
    assert client.get("/api/trials/findings?breakdown=court,city,case").status_code == 400
    assert client.get("/api/trials/findings?period=week").status_code == 400
    assert client.get("/api/trials/findings?since=notadate").status_code == 422
