"""Offline field capture on a 390 px phone: answers entered with the network off are kept encrypted on the
phone, survive moving between groups and a reload, and arrive exactly once, in order, when it returns."""

from __future__ import annotations

import datetime
import json

import pytest
from playwright.sync_api import expect

from rightstrack.core.models import AuditEvent
from rightstrack.trials import actions
from rightstrack.trials.models import Answer

from .conftest import _new_page, login

pytestmark = [pytest.mark.e2e, pytest.mark.service_worker]

PIN = "246813"
PENDING = "Saved on this phone, not yet sent"
# Chromium reports failed loads while offline as console errors: they are the point of these tests.
NETWORK_NOISE = ("ERR_INTERNET_DISCONNECTED", "Failed to fetch", "net::ERR_FAILED", "Failed to load resource")


def real_errors(page) -> list[str]:
    return [e for e in page.errors if not any(n in e for n in NETWORK_NOISE)]


@pytest.fixture
def observation(org_a, coordinator_a, monitor_a):
    from rightstrack.core import actions as core_actions

    court = actions.create_court(coordinator_a, org_a, name="Synthetic Court", city="Taraz", confidentiality="public")
    case = actions.create_case(coordinator_a, org_a, court=court, number="OFF-1/2026", charges="272(2)")
    person = core_actions.create_person(coordinator_a, org_a, pseudonym="Synthetic defendant")
    actions.add_defendant(coordinator_a, case, person=person, custody="custody")
    hearing = actions.add_hearing(coordinator_a, case, date=datetime.date.today(), courtroom="4")
    actions.assign_monitor(coordinator_a, hearing, monitor_a)
    return actions.start_observation(monitor_a, hearing)


def open_ready(page, url: str) -> None:
    """Open a checklist online and wait until the service worker keeps its pages for offline use."""
    page.goto(url)
    page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
    if not page.evaluate("() => !!navigator.serviceWorker.controller"):
        page.reload()  # the first page may load before the worker takes control
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    page.wait_for_function("() => document.documentElement.dataset.offlineReady === '1'", timeout=30_000)


def set_pin(page) -> None:
    panel = page.locator("#offline-panel")
    panel.get_by_label("Set a PIN for this phone").fill(PIN)
    panel.get_by_role("button", name="Save PIN").click()
    expect(panel.locator("[data-offline-status]")).to_contain_text("Everything entered on this phone has been sent")


def tap(page, code: str, label: str) -> None:
    page.locator(f"#q-{code} form.answer").first.get_by_label(label, exact=True).check()


def state(page, code: str):
    return page.locator(f"#q-{code} form.answer").first.locator(".state")


def raw_store(page) -> str:
    """Everything the phone keeps in IndexedDB, as stored (what someone holding the phone could read)."""
    return page.evaluate(
        """() => new Promise((resolve, reject) => {
            const req = indexedDB.open("rightstrack-offline");
            req.onsuccess = () => {
              const db = req.result, out = {};
              const t = db.transaction(["meta", "queue"], "readonly");
              t.objectStore("meta").getAll().onsuccess = (e) => { out.meta = e.target.result; };
              t.objectStore("queue").getAll().onsuccess = (e) => { out.queue = e.target.result; };
              t.oncomplete = () => resolve(JSON.stringify(out));
            };
            req.onerror = () => reject(req.error);
        })"""
    )


def test_whole_group_offline_reload_then_every_answer_arrives_once_in_order(
    phone_page, live_server, observation, monitor_a
):
    page = phone_page
    context = page.context
    login(page, live_server, "monitor_a")
    url = f"{live_server.url}/trials/observations/{observation.pk}/"
    open_ready(page, url + "?group=PUB")
    set_pin(page)

    context.set_offline(True)
    tap(page, "PUB-1", "Yes")
    expect(state(page, "PUB-1")).to_have_text(PENDING)
    tap(page, "PUB-3", "Yes")
    tap(page, "PUB-3", "No")  # changed her mind: the later answer must win
    tap(page, "PUB-2", "Not observed")
    expect(state(page, "PUB-2")).to_have_text(PENDING)
    expect(page.locator("#offline-panel")).to_contain_text("4 items saved on this phone, not yet sent")

    # Next group, offline: the page comes from the phone.
    page.get_by_role("link", name="IND →").click()
    expect(page.get_by_role("heading", name="IND", exact=False).first).to_be_visible()
    tap(page, "IND-1", "Yes")
    expect(state(page, "IND-1")).to_have_text(PENDING)

    # Back and reload, still offline: the answers are shown from the phone's encrypted store.
    page.goto(url + "?group=PUB")
    page.reload()
    expect(page.locator("#q-PUB-3 form.answer").first.get_by_label("No", exact=True)).to_be_checked()
    expect(state(page, "PUB-1")).to_have_text(PENDING)
    expect(page.locator("#offline-panel")).to_contain_text("5 items saved on this phone")

    # Nothing readable in the store without the PIN.
    raw = raw_store(page)
    stored = json.loads(raw)
    assert len(stored["queue"]) == 5
    for plain in ("PUB-1", "PUB-3", "IND-1", "not_observed", '"yes"', '"no"', "answer", str(observation.pk) + ","):
        assert plain not in raw, f"{plain} readable in IndexedDB"
    assert Answer.objects.filter(observation=observation).count() == 0

    page.screenshot(path="/tmp/h/shots/offline/checklist-offline.png", full_page=False)
    context.set_offline(False)
    expect(page.locator("#offline-panel [data-offline-status]")).to_contain_text(
        "Everything entered on this phone has been sent", timeout=20_000
    )
    expect(state(page, "PUB-3")).to_contain_text("Saved")
    page.screenshot(path="/tmp/h/shots/offline/checklist-synced.png", full_page=False)
    answers = dict(Answer.objects.filter(observation=observation, auto=False).values_list("indicator__code", "value"))
    assert answers == {"PUB-1": "yes", "PUB-3": "no", "PUB-2": "not_observed", "IND-1": "yes"}
    saves = list(
        AuditEvent.objects.filter(verb="answer.save", object_type="trials.answer")
        .order_by("pk")
        .values_list("after", flat=True)
    )
    assert [(s["indicator"], s["value"]) for s in saves] == [
        ("PUB-1", "yes"),
        ("PUB-3", "yes"),
        ("PUB-3", "no"),
        ("PUB-2", "not_observed"),
        ("IND-1", "yes"),
    ]
    assert json.loads(raw_store(page))["queue"] == []
    assert real_errors(page) == []


def test_network_cut_in_the_middle_of_a_sync_loses_and_duplicates_nothing(
    phone_page, live_server, observation, monitor_a
):
    page = phone_page
    context = page.context
    login(page, live_server, "monitor_a")
    url = f"{live_server.url}/trials/observations/{observation.pk}/?group=PUB"
    open_ready(page, url)
    set_pin(page)
    context.set_offline(True)
    tap(page, "PUB-1", "Yes")
    tap(page, "PUB-2", "No")
    expect(page.locator("#offline-panel")).to_contain_text("2 items saved on this phone")

    # The server applies the batch but the answer never reaches the phone (the connection drops).
    def drop_response(route):
        route.fetch()
        route.abort("internetdisconnected")

    page.route("**/field/sync/", drop_response)
    context.set_offline(False)
    expect(page.locator("#offline-panel [data-offline-status]")).to_contain_text("connection dropped", timeout=20_000)
    assert Answer.objects.filter(observation=observation).count() == 2
    expect(page.locator("#offline-panel")).to_contain_text("2 items saved on this phone")  # kept until confirmed

    page.unroute("**/field/sync/")
    page.locator("#offline-panel").get_by_role("button", name="Send now").click()
    expect(page.locator("#offline-panel [data-offline-status]")).to_contain_text(
        "Everything entered on this phone has been sent", timeout=20_000
    )
    assert AuditEvent.objects.filter(verb="answer.save").count() == 2  # the retry was confirmed, not applied again
    assert Answer.objects.filter(observation=observation).count() == 2


def test_two_devices_answer_the_same_question_conflict_is_shown(
    browser, phone_page, live_server, observation, monitor_a
):
    page = phone_page
    login(page, live_server, "monitor_a")
    url = f"{live_server.url}/trials/observations/{observation.pk}/?group=PUB"
    open_ready(page, url)
    set_pin(page)
    page.context.set_offline(True)
    tap(page, "PUB-1", "Yes")

    # Meanwhile the same monitor answers PUB-1 differently on a second device (online).
    other_context, other = _new_page(browser, viewport={"width": 390, "height": 844}, service_workers="allow")
    login(other, live_server, "monitor_a")
    other.goto(url)
    other.locator("#q-PUB-1 form.answer").first.get_by_label("No", exact=True).check()
    expect(other.locator("#q-PUB-1 form.answer").first.locator(".state")).to_contain_text("Saved")
    other_context.close()

    page.context.set_offline(False)
    problem = page.locator(".offline-problem")
    expect(problem).to_contain_text("conflict", timeout=20_000)
    expect(problem).to_contain_text("another device")
    expect(state(page, "PUB-1")).to_contain_text("conflict")
    page.screenshot(path="/tmp/h/shots/offline/conflict.png", full_page=False)
    assert Answer.objects.get(observation=observation, indicator__code="PUB-1").value == "no"  # not overwritten

    problem.get_by_role("button", name="Send mine anyway").click()
    expect(page.locator(".offline-problem")).to_have_count(0, timeout=20_000)
    expect(page.locator("#offline-panel [data-offline-status]")).to_contain_text("Everything entered")
    assert Answer.objects.get(observation=observation, indicator__code="PUB-1").value == "yes"


def test_incident_note_offline_becomes_a_draft_online(phone_page, live_server, monitor_a, tmp_path):
    from rightstrack.field.models import FieldAttachment, FieldNote

    page = phone_page
    login(page, live_server, "monitor_a")
    open_ready(page, f"{live_server.url}/field/note/")
    set_pin(page)
    photo = tmp_path / "page.png"
    photo.write_bytes(b"\x89PNG\r\n\x1a\n synthetic photo of a court document")

    page.context.set_offline(True)
    page.reload()
    page.get_by_label("What happened", exact=True).fill("Synthetic: a journalist was stopped and her phone taken")
    page.get_by_label("When", exact=True).fill("today 15:10")
    page.get_by_label("Where", exact=True).fill("Synthetic street 1")
    page.get_by_label("Who (pseudonyms only)").fill("J-1")
    page.get_by_label("Photos of documents").set_input_files(str(photo))
    page.get_by_role("button", name="Save note").click()
    expect(page.locator("[data-note-state]")).to_contain_text("Note saved on this phone, not yet sent")
    raw = raw_store(page)
    assert "journalist" not in raw and "J-1" not in raw
    assert not FieldNote.objects.exists()
    page.screenshot(path="/tmp/h/shots/offline/note-offline.png", full_page=True)

    page.context.set_offline(False)
    expect(page.locator("[data-note-state]")).to_contain_text("Note sent", timeout=20_000)
    note = FieldNote.objects.get()
    assert note.status == "draft" and note.who == "J-1"
    attachment = FieldAttachment.objects.get()
    import hashlib

    assert attachment.sha256 == hashlib.sha256(photo.read_bytes()).hexdigest()
    assert real_errors(page) == []


def test_logout_and_remote_wipe_delete_the_local_store(browser, phone_page, live_server, observation, monitor_a):
    from rightstrack.field.models import Device

    page = phone_page
    login(page, live_server, "monitor_a")
    open_ready(page, f"{live_server.url}/trials/observations/{observation.pk}/?group=PUB")
    set_pin(page)
    device = Device.objects.get(user=monitor_a)

    # Wipe from the user's page on another browser.
    other_context, other = _new_page(browser, viewport={"width": 390, "height": 844}, service_workers="allow")
    login(other, live_server, "monitor_a")
    other.goto(f"{live_server.url}/field/devices/")
    other.get_by_role("button", name="Wipe this device").click()
    expect(other.get_by_text("Wipe requested")).to_be_visible()
    other.screenshot(path="/tmp/h/shots/offline/devices.png", full_page=True)
    other_context.close()

    page.reload()
    expect(page.locator("#offline-panel")).to_contain_text("deleted at your request", timeout=20_000)
    names = page.evaluate("indexedDB.databases().then(d => d.map(x => x.name))")
    assert "rightstrack-offline" not in names
    assert page.evaluate("caches.keys()") == []
    device.refresh_from_db()
    assert device.wiped_at is not None

    # Logging out deletes it too.
    page.reload()
    set_pin(page)
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(lambda u: "/trials/" not in u)
    names = page.evaluate("indexedDB.databases().then(d => d.map(x => x.name))")
    assert "rightstrack-offline" not in names


def test_photo_of_a_document_taken_offline_arrives_with_its_fingerprint(phone_page, live_server, observation, tmp_path):
    import hashlib

    from rightstrack.field.models import ObservationPhoto

    page = phone_page
    login(page, live_server, "monitor_a")
    open_ready(page, f"{live_server.url}/trials/observations/{observation.pk}/?group=PUB")
    set_pin(page)
    photo = tmp_path / "notice.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0 synthetic photo of a court notice")
    page.context.set_offline(True)
    panel = page.locator("#offline-panel")
    panel.get_by_text("Photos of documents (0)").click()
    panel.get_by_label("Photo of a document").set_input_files(str(photo))
    panel.get_by_label("Caption").fill("Synthetic notice on the door")
    panel.get_by_role("button", name="Add photo").click()
    expect(panel.locator("[data-photo-state]")).to_contain_text("Photo saved on this phone, not yet sent")
    assert "notice" not in raw_store(page)
    assert not ObservationPhoto.objects.exists()
    page.context.set_offline(False)
    expect(panel.locator("[data-photo-state]")).to_contain_text("Photo sent", timeout=20_000)
    stored = ObservationPhoto.objects.get()
    assert stored.sha256 == hashlib.sha256(photo.read_bytes()).hexdigest()
    assert stored.caption == "Synthetic notice on the door"
    page.reload()
    panel.get_by_text("Photos of documents (1)").click()
    expect(panel).to_contain_text("notice.jpg")
    panel.screenshot(path="/tmp/h/shots/offline/photo.png")
