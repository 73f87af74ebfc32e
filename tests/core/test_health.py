"""/health/: 200 only when the database, the expected job worker and the automatic backups are fine."""

from __future__ import annotations

import datetime
import json
import os
import time

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from rightstrack.core import backup, worker


@pytest.fixture
def run_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path / "data"
    settings.WORKER_STALE_SECONDS = 60
    settings.BACKUP_EVERY_HOURS = 24
    return worker.run_dir()


@pytest.fixture
def backups_fine(monkeypatch):
    status = {"path": "/secret/place/auto-x.tar.gz", "taken_at": None, "age_hours": 2.0, "verified": True, "error": ""}
    monkeypatch.setattr(backup, "last_backup_status", lambda: status)
    return status


def health(client: Client | None = None) -> tuple[int, dict]:
    response = (client or Client()).get("/health/")
    assert response["Content-Type"] == "application/json" and response["Cache-Control"] == "no-store"
    return response.status_code, json.loads(response.content)


def serve_expects(run_dir, workers: int, started_ago: float = 300) -> None:
    """As `rightstrack serve` writes it (this test process stands in for its pid)."""
    state = {"pid": os.getpid(), "workers": workers, "started_at": time.time() - started_ago}
    (run_dir / "serve.json").write_text(json.dumps(state))


def heartbeat(run_dir, slot: int, age: float) -> None:
    beat = {"worker_id": f"rt:h:{slot}:1:x", "pid": 1, "seen_at": time.time() - age, "job_pid": None}
    (run_dir / f"worker-{slot}.json").write_text(json.dumps(beat))


def test_all_fine_without_a_worker_expected(db, run_dir, backups_fine):
    status, body = health()
    assert status == 200 and body["status"] == "ok" and body["problems"] == []
    assert body["database"] == "ok"
    assert body["worker"] == {"expected": 0, "heartbeat_age_seconds": None, "ok": True}
    assert body["queue"] == {"ready": 0, "oldest_wait_seconds": None}
    assert body["backup"] == {"automatic": True, "age_hours": 2.0, "verified": True, "ok": True, "problem": ""}


def test_worker_gone_quiet_under_serve_is_503(db, run_dir, backups_fine):
    serve_expects(run_dir, workers=2)
    heartbeat(run_dir, 0, age=3)
    heartbeat(run_dir, 1, age=3)
    assert health()[0] == 200
    heartbeat(run_dir, 1, age=61)  # the second worker stopped beating a minute ago
    status, body = health()
    assert status == 503 and body["problems"] == ["worker"] and body["status"] == "fail"
    assert body["worker"]["expected"] == 2 and body["worker"]["heartbeat_age_seconds"] >= 61
    assert not body["worker"]["ok"]


def test_worker_that_never_started_under_serve_is_503_after_the_grace(db, run_dir, backups_fine):
    serve_expects(run_dir, workers=1, started_ago=5)
    assert health()[0] == 200  # just started: it has a minute to write its first heartbeat
    serve_expects(run_dir, workers=1, started_ago=120)
    status, body = health()
    assert status == 503 and body["worker"]["heartbeat_age_seconds"] >= 120


def test_without_serve_a_worker_left_behind_by_a_crash_is_503(db, run_dir, backups_fine):
    heartbeat(run_dir, 0, age=5)
    assert health()[1]["worker"] == {"expected": 1, "heartbeat_age_seconds": 5.0, "ok": True}
    heartbeat(run_dir, 0, age=600)  # killed: its file stays, its beat stops
    assert health()[0] == 503
    (run_dir / "worker-0.json").unlink()  # stopped on purpose: it removes its heartbeat
    assert health()[0] == 200


def test_a_dead_serve_state_does_not_count(db, run_dir, backups_fine):
    state = {"pid": 2**22 + 12345, "workers": 1, "started_at": time.time() - 600}  # no such process
    (run_dir / "serve.json").write_text(json.dumps(state))
    assert health()[1]["worker"]["expected"] == 0


@pytest.mark.parametrize(
    ("status", "problem"),
    [
        ({"verified": False}, "the last automatic backup failed verification"),
        ({"error": "The automatic backup failed: disk full at /var/x"}, "the last automatic backup failed"),
        ({"age_hours": 40.0}, "the last automatic backup is overdue"),
    ],
)
def test_backup_trouble_is_503_without_details(db, run_dir, backups_fine, status, problem):
    backups_fine.update(status)
    code, body = health()
    assert code == 503 and body["problems"] == ["backup"]
    assert body["backup"]["problem"] == problem and not body["backup"]["ok"]
    raw = json.dumps(body)
    assert "/secret/place" not in raw and "/var/x" not in raw and "disk full" not in raw


def test_backup_trouble_ignored_when_automatic_backups_are_off(db, run_dir, backups_fine, settings):
    settings.BACKUP_EVERY_HOURS = 0
    backups_fine.update({"verified": False, "age_hours": 900.0})
    status, body = health()
    assert status == 200 and body["backup"]["automatic"] is False


def test_no_backup_yet_is_not_a_failure(db, run_dir, settings):
    settings.BACKUP_DIR = run_dir.parent / "backups"
    status, body = health()
    assert status == 200 and body["backup"]["age_hours"] is None and body["backup"]["verified"] is None


def test_database_failure_is_503(db, run_dir, backups_fine, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("connection refused")

    with monkeypatch.context() as patch:
        patch.setattr(connection, "cursor", broken)
        status, body = health()
    assert status == 503 and body["database"] == "error" and "database" in body["problems"]
    assert "connection refused" not in json.dumps(body) and "queue" not in body


def test_queue_length_and_oldest_wait(db, run_dir, backups_fine, settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    from tests.core import worker_jobs

    worker_jobs.quick.enqueue()
    worker_jobs.quick.enqueue()
    later = worker_jobs.quick.using(run_after=timezone.now() + datetime.timedelta(hours=1)).enqueue()
    DBTaskResult.objects.exclude(pk=later.id).update(enqueued_at=timezone.now() - datetime.timedelta(seconds=90))
    status, body = health()
    assert status == 200 and body["queue"]["ready"] == 2  # the one scheduled for later is not waiting yet
    assert 89 <= body["queue"]["oldest_wait_seconds"] < 120


def test_health_tells_nothing_about_records_or_paths(db, run_dir, backups_fine, settings, org_a):
    serve_expects(run_dir, workers=1)
    heartbeat(run_dir, 0, age=1)
    raw = Client().get("/health/").content.decode()
    assert str(settings.DATA_DIR) not in raw and "/secret/place" not in raw and "Org A" not in raw
    assert set(json.loads(raw)) == {"status", "problems", "database", "queue", "worker", "backup"}
