"""Benchmark: a phone's offline queue confirmed by the sync endpoint, alone and 30 phones at once.

1. One device: 500 checklist answers (10 observations x 50 questions) and 20 quick notes with a 200 KB photo
   each, sent the way offline.js sends them (answers in batches of 100, each note alone), through Django's test
   client: time until the server confirmed every item. Baseline in the same run: the same 500 answers saved
   online one HTMX request each (the checklist's autosave). Then the same queue replayed (a lost response):
   every item must come back "duplicate" and nothing be applied twice.
2. 30 devices at once against `rightstrack serve` on 127.0.0.1: each monitor logs in and sends 50 answers in
   batches of 10 plus one note with a photo; p50/p95 per request, errors, and lost answers (every answer the
   server confirmed is looked up in the database afterwards; goal 0 errors, 0 lost).

SQLite in a temporary directory by default; --database-url points at a THROW-AWAY PostgreSQL database.

    .venv/bin/python bench/offline_sync.py
    .venv/bin/python bench/offline_sync.py --database-url postgresql://postgres@127.0.0.1:5432/rt_bench
"""

from __future__ import annotations

import argparse
import base64
import datetime
import hashlib
import json
import os
import random
import shutil
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from serve_load import Http, free_port, pct, start, stop_server  # noqa: E402

PASSWORD = "offline-bench-password-1"  # noqa: S105 - throw-away users in a temporary database
QUESTIONS = 50


def photo(seed: int, size: int = 200_000) -> bytes:
    rng = random.Random(seed)
    return b"\xff\xd8\xff\xe0" + rng.randbytes(size)


def note_item(seed: int) -> dict:
    data = photo(seed)
    return {
        "client_id": str(uuid.uuid4()),
        "kind": "note",
        "what": f"Synthetic bench note {seed}",
        "when": "today",
        "where": "Synthetic place",
        "who": "P-1",
        "captured_at": datetime.datetime.now(datetime.UTC).isoformat(),
        "attachments": [
            {
                "name": f"page-{seed}.jpg",
                "data": base64.b64encode(data).decode(),
                "sha256": hashlib.sha256(data).hexdigest(),
            }
        ],
    }


def prepare(run: str, monitors: int, observations_each: int) -> tuple[list, list[str]]:
    """One organisation; `monitors` monitors, each assigned to `observations_each` hearings with a draft started."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from rightstrack.core import actions as core_actions
    from rightstrack.core.models import Membership, Organisation, Role
    from rightstrack.trials import actions
    from rightstrack.trials.checklists import current_checklist

    call_command("init", verbosity=0)
    users = get_user_model().objects
    coordinator = users.create_user(f"coord-{run}", password=PASSWORD)
    org = Organisation.objects.create(name=f"Offline bench {run}", slug=f"offline-{run}")
    Membership.objects.create(user=coordinator, organisation=org, role=Role.COORDINATOR, restricted_access=True)
    court = actions.create_court(coordinator, org, name="Synthetic court", city="Almaty", confidentiality="public")
    codes = list(
        current_checklist()
        .indicators.filter(scope="hearing", type="yes_no_not_observed_na", applies_if="")
        .values_list("code", flat=True)
    )
    out = []
    for m in range(monitors):
        monitor = users.create_user(f"mon-{run}-{m}", password=PASSWORD)
        Membership.objects.create(user=monitor, organisation=org, role=Role.MONITOR)
        case = actions.create_case(coordinator, org, court=court, number=f"B-{run}-{m}")
        person = core_actions.create_person(coordinator, org, pseudonym=f"Synthetic {m}")
        actions.add_defendant(coordinator, case, person=person)
        observations = []
        for h in range(observations_each):
            hearing = actions.add_hearing(
                coordinator, case, date=datetime.date(2025, 1, 1) + datetime.timedelta(days=h)
            )
            actions.assign_monitor(coordinator, hearing, monitor)
            observations.append(actions.start_observation(monitor, hearing))
        out.append((monitor, observations))
    return out, codes


def answers_for(observations, codes: list[str], per_observation: int, rng: random.Random) -> list[dict]:
    items = []
    for observation in observations:
        last: dict[str, str] = {}  # the phone's own earlier answer is the base of its next one
        for n in range(per_observation):
            code = codes[n % len(codes)]
            value = rng.choice(["yes", "no", "not_observed"])
            items.append(
                {
                    "client_id": str(uuid.uuid4()),
                    "kind": "answer",
                    "observation": observation.pk,
                    "checklist": observation.checklist_id,
                    "indicator": code,
                    "value": value,
                    "note": "",
                    "base": last.get(code, ""),
                }
            )
            last[code] = value
    return items


def one_device(monitor, observations, codes: list[str], notes: int) -> bool:
    from django.test import Client

    from rightstrack.field.models import FieldAttachment
    from rightstrack.trials.models import Answer

    rng = random.Random(1)
    per = QUESTIONS
    answers = answers_for(observations, codes, per, rng)
    # Questions repeat when the checklist has fewer simple ones than `per`: the last answer of each counts.
    note_items = [note_item(i) for i in range(notes)]
    client = Client()
    client.force_login(monitor)

    def send(batch):
        response = client.post(
            "/field/sync/", json.dumps({"device": "bench-device-1", "items": batch}), "application/json"
        )
        return [r["status"] for r in response.json()["results"]]

    started = time.perf_counter()
    statuses = []
    for i in range(0, len(answers), 100):
        statuses += send(answers[i : i + 100])
    answers_s = time.perf_counter() - started
    for item in note_items:
        statuses += send([item])
    total_s = time.perf_counter() - started
    ok = statuses.count("ok")

    started = time.perf_counter()
    replay = []
    for i in range(0, len(answers), 100):
        replay += send(answers[i : i + 100])
    for item in note_items:
        replay += send([item])
    replay_s = time.perf_counter() - started

    # Baseline: the same answers saved online, one autosave request each.
    Answer.objects.filter(observation__in=observations).delete()
    started = time.perf_counter()
    for item in answers:
        client.post(
            f"/trials/observations/{item['observation']}/answer/",
            {"indicator": item["indicator"], "value": item["value"], "group": ""},
            headers={"HX-Request": "true"},
        )
    baseline_s = time.perf_counter() - started

    attachments = FieldAttachment.objects.filter(note__created_by=monitor).count()
    print(
        f"one device: {len(answers)} answers confirmed in {answers_s:.2f} s, + {notes} notes with a 200 KB photo: "
        f"{total_s:.2f} s in all; {ok}/{len(answers) + notes} ok; {attachments} attachments stored and hash-checked"
    )
    print(
        f"  replay of the whole queue: {replay_s:.2f} s, {replay.count('duplicate')}/{len(replay)} duplicate "
        f"(nothing applied twice)"
    )
    print(
        f"  baseline: the same answers online, one autosave request each: {baseline_s:.2f} s; "
        f"sync / baseline = {answers_s / baseline_s:.2f}"
    )
    return ok == len(answers) + notes and replay.count("duplicate") == len(replay) and attachments == notes


def device_thread(port: int, username: str, items: list[dict], note: dict, latencies: list, errors: list, acked: list):
    http = Http(port)
    status, _ = http.request("GET", "/accounts/login/")
    status, _ = http.form("/accounts/login/", {"username": username, "password": PASSWORD, "next": "/"})
    if status != 302:
        errors.append(f"login {status}")
        return
    batches = [items[i : i + 10] for i in range(0, len(items), 10)] + [[note]]
    for batch in batches:
        body = json.dumps({"device": f"dev-{username}", "items": batch}).encode()
        started = time.perf_counter()
        try:
            status, data = http.request(
                "POST",
                "/field/sync/",
                body,
                {"Content-Type": "application/json", "X-CSRFToken": http.cookies.get("csrftoken", "")},
            )
        except OSError as exc:
            errors.append(f"connection: {exc}")
            continue
        latencies.append((time.perf_counter() - started) * 1000)
        if status != 200:
            errors.append(f"status {status}: {data[:120]!r}")
            continue
        for item, result in zip(batch, json.loads(data)["results"], strict=True):
            if result["status"] in ("ok", "duplicate"):
                acked.append(item)
            else:
                errors.append(f"{result['status']}: {result.get('message', '')[:100]}")


def many_devices(devices, codes: list[str], env: dict, data: Path) -> bool:
    from django.db import connections

    from rightstrack.field.models import FieldNote
    from rightstrack.trials.models import Answer

    rng = random.Random(2)
    plan = []
    for monitor, observations in devices:
        plan.append(
            (monitor.username, answers_for(observations, codes, QUESTIONS, rng), note_item(rng.randrange(10**6)))
        )
    connections.close_all()
    port = free_port()
    process = start("waitress", port, env, data / "serve.log")
    latencies: list[float] = []
    errors: list[str] = []
    acked: list[dict] = []
    try:
        threads = [
            threading.Thread(target=device_thread, args=(port, name, items, note, latencies, errors, acked))
            for name, items, note in plan
        ]
        started = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        seconds = time.perf_counter() - started
    finally:
        stop_server(process)
    # Lost: an answer the server confirmed whose final value is not in the database (last answer per question).
    final = {}
    for item in acked:
        if item["kind"] == "answer":
            final[(item["observation"], item["indicator"])] = item["value"]
    stored = {
        (o, c): v
        for o, c, v in Answer.objects.filter(observation_id__in={k[0] for k in final}).values_list(
            "observation_id", "indicator__code", "value"
        )
    }
    lost = sum(1 for key, value in final.items() if stored.get(key) != value)
    notes_acked = sum(1 for i in acked if i["kind"] == "note")
    notes_stored = FieldNote.objects.filter(
        client_id__in=[i["client_id"] for i in acked if i["kind"] == "note"]
    ).count()
    lost += notes_acked - notes_stored
    total = sum(len(items) + 1 for _n, items, _note in plan)
    print(
        f"{len(plan)} devices at once against rightstrack serve: {total} items in {seconds:.1f} s; requests "
        f"p50 {pct(latencies, 50):.0f} ms, p95 {pct(latencies, 95):.0f} ms; errors {len(errors)}; lost {lost}"
    )
    for error in sorted(set(errors))[:5]:
        print(f"    error: {error}")
    return not errors and lost == 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--devices", type=int, default=30)
    ap.add_argument("--notes", type=int, default=20)
    ap.add_argument("--database-url", help="a THROW-AWAY PostgreSQL database (default: SQLite in a temp dir)")
    args = ap.parse_args()
    data = Path(tempfile.mkdtemp(prefix="rt-bench-offline-"))
    env = {
        **os.environ,
        "RIGHTSTRACK_DATA_DIR": str(data),
        "DJANGO_SETTINGS_MODULE": "rightstrack.settings",
        "RIGHTSTRACK_BACKUP_EVERY_HOURS": "0",
        "ALLOWED_HOSTS": "127.0.0.1,testserver",
        "DEBUG": "",
        "PYTHONPATH": str(ROOT / "src"),
    }
    if args.database_url:
        env["DATABASE_URL"] = args.database_url
    else:
        env.pop("DATABASE_URL", None)
    os.environ.clear()
    os.environ.update(env)
    sys.path.insert(0, str(ROOT / "src"))
    try:
        run = uuid.uuid4().hex[:6]
        people, codes = prepare(run, args.devices + 1, 10)
        from django.db import connection

        print(f"database: {connection.vendor}; {len(codes)} distinct yes/no questions per checklist")
        good = one_device(people[0][0], people[0][1], codes, args.notes)
        # Each of the 30 devices: one observation, 50 answers.
        good = many_devices([(m, obs[:1]) for m, obs in people[1:]], codes, env, data) and good
        print("all confirmed, none lost, none duplicated" if good else "PROBLEMS: see above")
        return 0 if good else 1
    finally:
        shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
