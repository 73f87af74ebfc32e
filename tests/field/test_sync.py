"""The sync endpoint: a phone's queue applied in order, idempotently, with a clear result per item."""

from __future__ import annotations

import base64
import hashlib
import json
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: F401

from rightstrack.core.models import AuditEvent, Role
from rightstrack.field import actions
from rightstrack.field.models import Device, FieldAttachment, FieldNote, SyncReceipt
from rightstrack.trials import actions as trial_actions
from rightstrack.trials.models import Answer, Checklist

from ..conftest import make_user
from ..trials.conftest import build_trial

JPEG = b"\xff\xd8\xff\xe0" + b"synthetic photo of a document" * 50


def answer(observation, code="PUB-3", value="yes", **extra):
    item = {
        "client_id": str(uuid.uuid4()),
        "kind": "answer",
        "observation": observation.pk,
        "checklist": observation.checklist_id,
        "indicator": code,
        "value": value,
        "note": "",
    }
    item.update(extra)
    return item


def post(client, items, device="device-0001"):
    return client.post("/field/sync/", json.dumps({"device": device, "items": items}), content_type="application/json")


def stored(observation):
    return dict(Answer.objects.filter(observation=observation).values_list("indicator__code", "value"))


def test_answers_arrive_once_in_order(client, observation):
    client.force_login(observation.monitor)
    items = [answer(observation, value="no"), answer(observation, value="yes"), answer(observation, "PUB-1", "no")]
    response = post(client, items)
    assert response.status_code == 200
    assert [r["status"] for r in response.json()["results"]] == ["ok", "ok", "ok"]
    # In order: the later answer to PUB-3 wins.
    assert stored(observation)["PUB-3"] == "yes"
    saves = AuditEvent.objects.filter(verb="answer.save").count()
    replay = post(client, items)
    assert [r["status"] for r in replay.json()["results"]] == ["duplicate"] * 3
    assert AuditEvent.objects.filter(verb="answer.save").count() == saves  # nothing applied twice
    assert SyncReceipt.objects.count() == 3
    assert Device.objects.get(user=observation.monitor).key == "device-0001"


def test_conflict_with_another_device_is_reported_not_overwritten(client, observation):
    trial_actions.save_answer(observation.monitor, observation, indicator="PUB-3", value="no")
    client.force_login(observation.monitor)
    result = post(client, [answer(observation, value="yes", base="")]).json()["results"][0]
    assert result["status"] == "conflict"
    assert result["server_value"] == "no"
    assert "PUB-3" in result["message"]
    assert stored(observation)["PUB-3"] == "no"
    assert not SyncReceipt.objects.exists()
    # The monitor chooses to keep theirs: sent again with the server's value as base.
    result = post(client, [answer(observation, value="yes", base="no")]).json()["results"][0]
    assert result["status"] == "ok"
    assert stored(observation)["PUB-3"] == "yes"


def test_same_value_from_two_devices_is_no_conflict(client, observation):
    trial_actions.save_answer(observation.monitor, observation, indicator="PUB-3", value="yes")
    client.force_login(observation.monitor)
    assert post(client, [answer(observation, value="yes", base="")]).json()["results"][0]["status"] == "ok"


@pytest.mark.parametrize("step", ["submit", "accept"])
def test_submitted_or_accepted_observation_is_a_conflict(client, observation, trial, step):
    trial_actions.save_answer(observation.monitor, observation, indicator="PUB-3", value="no")
    trial_actions.submit_observation(observation.monitor, observation)
    if step == "accept":
        trial_actions.accept_observation(trial.coordinator, observation)
    client.force_login(observation.monitor)
    result = post(client, [answer(observation, value="yes", base="no")]).json()["results"][0]
    assert result["status"] == "conflict"
    assert result["message"]
    assert stored(observation)["PUB-3"] == "no"


def test_other_monitors_and_other_organisations_observations_are_refused(client, observation, org_a, org_b):
    other = make_user("monitor_other", org_a, Role.MONITOR)
    stranger = make_user("monitor_b", org_b, Role.MONITOR)
    for user in (other, stranger):
        client.force_login(user)
        result = post(client, [answer(observation)]).json()["results"][0]
        assert result["status"] == "error"
        assert result["message"]
        assert str(observation.hearing.case.number) not in result["message"]
    assert stored(observation) == {}


def test_checklist_version_that_no_longer_applies(client, observation):
    client.force_login(observation.monitor)
    item = answer(observation, checklist=987654)
    result = post(client, [item, answer(observation, "PUB-1", "no")]).json()["results"]
    assert result[0]["status"] == "error"
    assert "checklist version" in result[0]["message"]
    assert result[1]["status"] == "ok"  # one refusal does not stop the rest
    assert stored(observation) == {"PUB-1": "no"}


def test_bad_items_get_clear_errors_and_change_nothing(client, observation):
    client.force_login(observation.monitor)
    items = [
        answer(observation, value="maybe"),
        answer(observation, code="NOPE-1"),
        {"client_id": "x", "kind": "answer"},
        {"client_id": str(uuid.uuid4()), "kind": "poem"},
        "not an object",
    ]
    results = post(client, items).json()["results"]
    assert [r["status"] for r in results] == ["error"] * 5
    assert all(r["message"] for r in results)
    assert stored(observation) == {}
    assert not SyncReceipt.objects.exists()


def test_huge_batch_is_refused_whole(client, observation):
    client.force_login(observation.monitor)
    items = [answer(observation) for _ in range(actions.MAX_ITEMS + 1)]
    response = post(client, items)
    assert response.status_code == 413
    assert "at most" in response.json()["detail"]
    assert stored(observation) == {}


def test_oversized_body_and_bad_json(client, observation, monkeypatch):
    client.force_login(observation.monitor)
    monkeypatch.setattr(actions, "MAX_BATCH_BYTES", 1000)
    assert post(client, [answer(observation, note="n" * 2000)]).status_code == 413
    response = client.post("/field/sync/", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert stored(observation) == {}


def test_anonymous_sync_is_refused(client, observation):
    response = post(client, [answer(observation)])
    assert response.status_code in (401, 403)
    assert stored(observation) == {}


def _note(**extra):
    item = {
        "client_id": str(uuid.uuid4()),
        "kind": "note",
        "what": "Synthetic: a protester was detained near the square",
        "when": "today 14:00",
        "where": "Synthetic square",
        "who": "P-1",
        "consent": "anonymised",
        "captured_at": "2026-05-03T09:00:00Z",
        "attachments": [
            {
                "name": "page.jpg",
                "data": base64.b64encode(JPEG).decode(),
                "sha256": hashlib.sha256(JPEG).hexdigest(),
                "captured_at": "2026-05-03T09:01:00Z",
            }
        ],
    }
    item.update(extra)
    return item


def test_note_with_attachment_becomes_a_draft_with_chain_of_custody(client, observation, settings):
    client.force_login(observation.monitor)
    item = _note()
    result = post(client, [item]).json()["results"][0]
    assert result["status"] == "ok"
    note = FieldNote.objects.get()
    assert note.status == "draft" and note.event is None
    assert note.captured_at.isoformat().startswith("2026-05-03T09:00")
    attachment = FieldAttachment.objects.get()
    assert attachment.sha256 == hashlib.sha256(JPEG).hexdigest()
    assert attachment.captured_at is not None and attachment.received_at is not None
    assert (
        settings.FILES_DIR / attachment.sha256[:2] / attachment.sha256[2:4] / attachment.sha256
    ).read_bytes() == JPEG
    assert post(client, [item]).json()["results"][0]["status"] == "duplicate"
    assert FieldNote.objects.count() == 1


def test_attachment_hash_mismatch_stores_nothing(client, observation, settings):
    client.force_login(observation.monitor)
    bad = _note()
    bad["attachments"][0]["sha256"] = "0" * 64
    result = post(client, [bad]).json()["results"][0]
    assert result["status"] == "error"
    assert "fingerprint" in result["message"] and "page.jpg" in result["message"]
    assert not FieldNote.objects.exists() and not FieldAttachment.objects.exists()
    assert not (settings.FILES_DIR).exists() or not any(p.is_file() for p in settings.FILES_DIR.rglob("*"))


def test_attachment_of_unknown_type_is_refused(client, observation):
    client.force_login(observation.monitor)
    data = b"MZ not a photo"
    item = _note(
        attachments=[
            {"name": "x.exe", "data": base64.b64encode(data).decode(), "sha256": hashlib.sha256(data).hexdigest()}
        ]
    )
    result = post(client, [item]).json()["results"][0]
    assert result["status"] == "error" and "JPEG" in result["message"]
    assert not FieldNote.objects.exists()


def test_note_for_another_organisation_is_refused(client, observation, org_b):
    client.force_login(observation.monitor)
    result = post(client, [_note(organisation=org_b.pk)]).json()["results"][0]
    assert result["status"] == "error"
    assert not FieldNote.objects.exists()


def test_completed_note_becomes_an_event_and_drafts_count_nowhere(client, observation, analyst_a):
    from rightstrack.incidents.models import Event

    client.force_login(observation.monitor)
    post(client, [_note()])
    note = FieldNote.objects.get()
    assert not Event.objects.exists()  # a draft is not an incident: no statistic or report can count it
    client.force_login(analyst_a)
    page = client.get(f"/field/notes/{note.pk}/")
    assert b"Create the incident event" in page.content
    response = client.post(
        f"/field/notes/{note.pk}/complete/", {"title": "Synthetic detention", "start_date": "2026-05-03"}
    )
    assert response.status_code == 302
    note.refresh_from_db()
    assert note.status == "completed" and note.event.title == "Synthetic detention"
    again = client.post(f"/field/notes/{note.pk}/complete/", {"title": "Again", "start_date": "2026-05-03"})
    assert again.status_code == 409
    assert Event.objects.count() == 1


def test_monitor_cannot_complete_a_note(client, observation):
    client.force_login(observation.monitor)
    post(client, [_note()])
    note = FieldNote.objects.get()
    response = client.post(f"/field/notes/{note.pk}/complete/", {"title": "x", "start_date": "2026-05-03"})
    assert response.status_code == 403
    note.refresh_from_db()
    assert note.status == "draft"


def test_wipe_never_redirects_elsewhere(client, observation):
    client.force_login(observation.monitor)
    post(client, [], device="phone-12345")
    device = Device.objects.get()
    response = client.post(f"/field/devices/{device.pk}/wipe/", {"next": "https://evil.example/"})
    assert response["Location"] == "/field/devices/"


def test_remote_wipe(client, observation):
    client.force_login(observation.monitor)
    assert post(client, [], device="phone-12345").json()["wipe"] is False
    device = Device.objects.get(key="phone-12345")
    page = client.get("/field/devices/")
    assert b"Wipe this device" in page.content
    account = client.get("/account/")  # the same section on the user's account page
    assert account.status_code == 200 and b"Wipe this device" in account.content
    response = client.post(f"/field/devices/{device.pk}/wipe/", {"next": "/account/"})
    assert response.status_code == 302 and response["Location"] == "/account/"
    assert b"Wipe requested" in client.get("/account/").content
    assert post(client, [], device="phone-12345").json()["wipe"] is True
    client.post("/field/wiped/", {"device": "phone-12345"})
    device.refresh_from_db()
    assert device.wiped_at is not None
    assert post(client, [], device="phone-12345").json()["wipe"] is False


def test_nobody_wipes_another_users_device(client, observation, org_a):
    client.force_login(observation.monitor)
    post(client, [], device="phone-12345")
    device = Device.objects.get()
    client.force_login(make_user("someone", org_a, Role.MONITOR))
    assert client.post(f"/field/devices/{device.pk}/wipe/").status_code == 404
    assert client.post(f"/field/devices/{device.pk}/wipe/", {"next": "https://evil.example/"}).status_code == 404
    device.refresh_from_db()
    assert device.wipe_requested_at is None
    assert b"phone-12345" not in client.get("/field/devices/").content


def test_service_worker_and_manifest(client, observation):
    response = client.get("/field/sw.js")
    assert response["Service-Worker-Allowed"] == "/"
    assert response["Content-Type"].startswith("text/javascript")
    assert b"observations" in response.content
    manifest = client.get("/field/manifest.webmanifest").json()
    assert manifest["scope"] == "/" and manifest["icons"]


def test_other_organisation_observation_stays_hidden(client, org_b, coordinator_a, org_a):
    coordinator_b = make_user("coordinator_b", org_b, Role.COORDINATOR, restricted=True)
    monitor_b = make_user("monitor_b2", org_b, Role.MONITOR, restricted=True)
    trial_b = build_trial(coordinator_b, org_b, monitor_b, number="9-2022", confidentiality="restricted")
    observation = trial_actions.start_observation(monitor_b, trial_b.hearing)
    client.force_login(coordinator_a)
    result = post(client, [answer(observation)]).json()["results"][0]
    assert result["status"] == "error"
    assert "9-2022" not in json.dumps(result)
    assert not Answer.objects.exists()
    assert Checklist.objects.exists()


def test_answer_captured_before_the_observation_was_returned_is_a_conflict(client, observation, trial):
    import datetime

    trial_actions.save_answer(observation.monitor, observation, indicator="PUB-1", value="yes")
    captured = (datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=5)).isoformat()
    trial_actions.submit_observation(observation.monitor, observation, confirm_incomplete=True)
    trial_actions.return_observation(trial.coordinator, observation, comment="Check PUB-3")
    client.force_login(observation.monitor)
    item = answer(observation, value="no", base="", captured_at=captured)
    result = post(client, [item]).json()["results"][0]
    assert result["status"] == "conflict" and "returned" in result["message"]
    assert stored(observation).get("PUB-3") is None
    # Seen and confirmed by the monitor: applied.
    item.update(confirmed=True)
    assert post(client, [item]).json()["results"][0]["status"] == "ok"
    assert stored(observation)["PUB-3"] == "no"
    # An answer given after the return is simply applied.
    later = answer(observation, "PUB-2", "yes", captured_at=datetime.datetime.now(datetime.UTC).isoformat())
    assert post(client, [later]).json()["results"][0]["status"] == "ok"


def _photo(observation, data=JPEG, sha=None, **extra):
    item = {
        "client_id": str(uuid.uuid4()),
        "kind": "photo",
        "observation": observation.pk,
        "caption": "Synthetic court notice",
        "captured_at": "2026-05-03T09:05:00Z",
        "attachments": [
            {
                "name": "notice.jpg",
                "data": base64.b64encode(data).decode(),
                "sha256": sha or hashlib.sha256(data).hexdigest(),
            }
        ],
    }
    item.update(extra)
    return item


def test_photo_of_a_document_is_kept_with_the_observation(client, observation, trial):
    from rightstrack.field.models import ObservationPhoto

    client.force_login(observation.monitor)
    item = _photo(observation)
    assert post(client, [item]).json()["results"][0]["status"] == "ok"
    assert post(client, [item]).json()["results"][0]["status"] == "duplicate"
    photo = ObservationPhoto.objects.get()
    assert photo.sha256 == hashlib.sha256(JPEG).hexdigest() and photo.captured_at and photo.received_at
    assert client.get(f"/field/photos/{photo.pk}/").status_code == 200
    # The reviewer sees it with the observation.
    trial_actions.save_answer(observation.monitor, observation, indicator="PUB-1", value="yes")
    trial_actions.submit_observation(observation.monitor, observation, confirm_incomplete=True)
    client.force_login(trial.coordinator)
    page = client.get(f"/trials/observations/{observation.pk}/")
    assert b"notice.jpg" in page.content and b"Synthetic court notice" in page.content


def test_photo_with_wrong_hash_or_for_another_monitor_is_refused(client, observation, org_a):
    from rightstrack.field.models import ObservationPhoto

    client.force_login(observation.monitor)
    result = post(client, [_photo(observation, sha="f" * 64)]).json()["results"][0]
    assert result["status"] == "error" and "fingerprint" in result["message"]
    client.force_login(make_user("monitor_other2", org_a, Role.MONITOR))
    result = post(client, [_photo(observation)]).json()["results"][0]
    assert result["status"] == "error"
    assert not ObservationPhoto.objects.exists()
