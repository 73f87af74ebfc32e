"""The ingest API: run status, suggestions, review decisions; same rules as the pages."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from rightstrack.core.models import ApiToken, AuditEvent
from rightstrack.ingest.actions import upload_for_ingestion

TEXT = b"# Follow-up (test)\n\n1. The State has not acted on 139.61-139.62; see CCPR/C/KAZ/CO/2.\n"


@pytest.fixture
def document(org_a, coordinator_a, capture):
    with capture(execute=True):
        document, run, _ = upload_for_ingestion(
            coordinator_a, organisation_id=org_a.pk, upload=SimpleUploadedFile("f.md", TEXT)
        )
    return document


def api(user) -> Client:
    _token, key = ApiToken.issue(user, "t")
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


def test_run_and_suggestions(document, coordinator_a):
    client = api(coordinator_a)
    run = client.get(f"/api/ingest/documents/{document.pk}/run").json()
    assert run["status"] == "done" and run["progress"] == 100 and run["stage_versions"]["upr_ids"] == "upr-1.1"
    items = client.get(f"/api/ingest/documents/{document.pk}/suggestions?kind=upr_id").json()["items"]
    assert [i["data"]["upr_id"] for i in items] == ["139.61", "139.62"] and items[0]["passage_id"]


def test_review_through_the_api(document, coordinator_a):
    client = api(coordinator_a)
    items = client.get(f"/api/ingest/documents/{document.pk}/suggestions?kind=upr_id").json()["items"]
    first, second = items
    ok = client.post(
        f"/api/ingest/suggestions/{first['id']}",
        json.dumps({"decision": "accept", "version": first["version"], "edits": {"upr_id": "139.60"}}),
        content_type="application/json",
    )
    assert ok.status_code == 200 and ok.json()["status"] == "edited" and ok.json()["data"]["upr_id"] == "139.60"
    events = AuditEvent.objects.count()
    for body, status, message in (
        ({"decision": "maybe"}, 400, "decision"),
        ({"decision": "accept", "edits": {"upr_id": "x"}}, 400, "139.61"),
        ({"decision": "accept", "version": 99}, 400, "reload"),
    ):
        bad = client.post(f"/api/ingest/suggestions/{second['id']}", json.dumps(body), content_type="application/json")
        assert bad.status_code == status and message in bad.json()["detail"]
    assert (
        client.post(
            "/api/ingest/suggestions/999999", json.dumps({"decision": "reject"}), content_type="application/json"
        ).status_code
        == 404
    )
    assert AuditEvent.objects.count() == events


def test_api_hides_other_organisations(document, viewer_b, viewer_a):
    other = api(viewer_b)
    assert other.get(f"/api/ingest/documents/{document.pk}/run").status_code == 404
    assert other.get(f"/api/ingest/documents/{document.pk}/suggestions").status_code == 404
    viewer = api(viewer_a)
    item = viewer.get(f"/api/ingest/documents/{document.pk}/suggestions").json()["items"][0]
    refused = viewer.post(
        f"/api/ingest/suggestions/{item['id']}", json.dumps({"decision": "reject"}), content_type="application/json"
    )
    assert refused.status_code == 403
