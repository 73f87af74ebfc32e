import json

import pytest
from django.test import Client

from rightstrack.core import actions
from rightstrack.core.models import ApiToken, AuditEvent, Confidentiality, Person


def api(user=None) -> tuple[Client, dict]:
    client = Client()
    headers = {}
    if user is not None:
        _token, key = ApiToken.issue(user, "test")
        headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    return client, headers


def test_requires_auth(db):
    client, _ = api()
    assert client.get("/api/persons").status_code == 401
    assert client.get("/api/persons", HTTP_AUTHORIZATION="Bearer rt_wrong").status_code == 401


def test_openapi_schema_lists_endpoints(db):
    schema = Client().get("/api/openapi.json").json()
    assert "/api/persons" in schema["paths"] and "/api/evidence/documents" in schema["paths"]
    assert Client().get("/api/docs").status_code == 200


def test_token_is_stored_hashed(coordinator_a):
    token, key = ApiToken.issue(coordinator_a, "x")
    assert key not in token.digest and token.digest == ApiToken.hash(key)


def test_list_and_sensitive_fields(org_a, coordinator_a, monitor_a):
    actions.create_person(coordinator_a, org_a, pseudonym="Open", real_name="Real One")
    actions.create_person(coordinator_a, org_a, pseudonym="Closed", confidentiality=Confidentiality.RESTRICTED)
    client, headers = api(coordinator_a)
    data = client.get("/api/persons", **headers).json()
    assert data["count"] == 2 and {p["pseudonym"] for p in data["items"]} == {"Open", "Closed"}
    assert {p["real_name"] for p in data["items"]} == {"Real One", ""}
    client, headers = api(monitor_a)
    data = client.get("/api/persons", **headers).json()
    assert data["count"] == 1 and data["items"][0]["real_name"] is None


def test_create_update_conflict(org_a, coordinator_a):
    client, headers = api(coordinator_a)
    created = client.post(
        "/api/persons",
        json.dumps({"organisation_id": org_a.pk, "pseudonym": "Api"}),
        content_type="application/json",
        **headers,
    )
    assert created.status_code == 201
    pk = created.json()["id"]
    ok = client.patch(
        f"/api/persons/{pk}",
        json.dumps({"version": 1, "pseudonym": "Api 2"}),
        content_type="application/json",
        **headers,
    )
    assert ok.status_code == 200 and ok.json()["version"] == 2
    stale = client.patch(
        f"/api/persons/{pk}",
        json.dumps({"version": 1, "pseudonym": "Api 3"}),
        content_type="application/json",
        **headers,
    )
    assert stale.status_code == 409 and stale.json()["current"]["pseudonym"] == "Api 2"
    assert Person.objects.get(pk=pk).pseudonym == "Api 2"


@pytest.mark.parametrize(
    "payload,status",
    [
        ({"organisation_id": 1, "pseudonym": ""}, 400),
        ({"pseudonym": "no org"}, 422),
        ({"organisation_id": 99999, "pseudonym": "x"}, 403),
        ({"organisation_id": "abc", "pseudonym": "x"}, 422),
    ],
)
def test_bad_input(org_a, coordinator_a, payload, status):
    if payload.get("organisation_id") == 1:
        payload["organisation_id"] = org_a.pk
    client, headers = api(coordinator_a)
    response = client.post("/api/persons", json.dumps(payload), content_type="application/json", **headers)
    assert response.status_code == status
    assert not Person.objects.exists() and not AuditEvent.objects.exists()


def test_forbidden_record_is_404(org_a, coordinator_a, viewer_b):
    person = actions.create_person(
        coordinator_a, org_a, pseudonym="Secret P", confidentiality=Confidentiality.RESTRICTED
    )
    client, headers = api(viewer_b)
    response = client.get(f"/api/persons/{person.pk}", **headers)
    assert response.status_code == 404 and "Secret P" not in response.content.decode()


def test_vocabularies_public(db):
    themes = Client().get("/api/vocabularies/themes").json()
    assert len(themes) == 54
    assert Client().get("/api/vocabularies/nope").status_code == 404
