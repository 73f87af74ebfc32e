"""Pieces of the job worker in-process: what a stopped job tells its record, orphaned jobs, per-kind limits,
and the API token's throttled last-use write."""

from __future__ import annotations

import datetime
import fcntl
import json
import logging
import os
import socket

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from rightstrack.core import jobs, worker
from rightstrack.core.models import ApiToken, AuditEvent
from rightstrack.ingest import actions
from rightstrack.ingest.models import IngestionRun, RunStatus

TEXT = b"# Report (test)\n\n1. See CCPR/C/KAZ/CO/2 and 139.61.\n"
INGEST = "rightstrack.ingest.tasks.ingest_document"


@pytest.fixture
def queued(org_a, coordinator_a, settings, tmp_path, django_capture_on_commit_callbacks):
    """A document whose reading waits in the database queue: (document, run)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.DATA_DIR = tmp_path / "data"
    with django_capture_on_commit_callbacks(execute=True):
        document, run, _ = actions.upload_for_ingestion(
            coordinator_a, organisation_id=org_a.pk, upload=SimpleUploadedFile("r.md", TEXT)
        )
    return document, run


def claimed_by(worker_id: str) -> DBTaskResult:
    """The queued ingestion job, as a worker with that id left it: running."""
    row = DBTaskResult.objects.get(task_path=INGEST)
    row.claim(worker_id)
    return row


def test_a_stopped_reading_shows_the_reason_and_can_be_read_again(
    queued, coordinator_a, django_capture_on_commit_callbacks
):
    document, run = queued
    IngestionRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING)
    reason = jobs.time_reason(INGEST, 600)
    assert reason == "stopped after 600 s: the document is too large to read in time"
    jobs.notify_stopped(INGEST, [run.pk], {}, reason)
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED and run.error_code == "Stopped"
    assert run.message == f"The reading was {reason}."
    assert AuditEvent.objects.get(verb="ingest.failed").after["error"] == "Stopped"
    client = Client()
    client.force_login(coordinator_a)
    assert "too large to read in time" in client.get(f"/ingest/documents/{document.pk}/").content.decode()
    # The page's retry queues a new reading; the failed run stays as history.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/ingest/documents/{document.pk}/start/")
    assert response.status_code == 302
    assert list(IngestionRun.objects.order_by("pk").values_list("status", flat=True)) == ["failed", "queued"]


def test_a_reading_stopped_before_it_started_is_failed_too(queued):
    _document, run = queued
    jobs.notify_stopped(INGEST, [run.pk], {}, jobs.memory_reason(1536))
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED and run.message == "The reading was stopped: used more than 1.5 GB of memory."


def test_a_finished_reading_is_not_changed_by_a_late_stop(queued):
    _document, run = queued
    IngestionRun.objects.filter(pk=run.pk).update(status=RunStatus.DONE)
    jobs.notify_stopped(INGEST, [run.pk], {}, jobs.memory_reason(1536))
    run.refresh_from_db()
    assert run.status == RunStatus.DONE and not AuditEvent.objects.filter(verb="ingest.failed").exists()


def test_reading_time_limit_grows_with_the_file(queued, settings):
    _document, run = queued
    settings.INGEST_TIME_LIMIT, settings.INGEST_SECONDS_PER_MB, settings.JOB_MEMORY_MB = 300, 20, 1000
    small = jobs.limits_for(INGEST, [run.pk], {})
    run.document.__class__.objects.filter(pk=run.document_id).update(size=25 * 1024 * 1024)
    assert jobs.limits_for(INGEST, [run.pk], {}) == jobs.Limits(seconds=800, memory_mb=1000)
    assert 300 <= small.seconds < 301
    # An unknown job kind gets the defaults; a kind whose limits fail too, never none.
    settings.JOB_TIME_LIMIT = 42
    assert jobs.limits_for("some.other.task", [], {}) == jobs.Limits(seconds=42, memory_mb=1000)
    assert jobs.limits_for(INGEST, ["not a number"], {}) == jobs.Limits(seconds=42, memory_mb=1000)


def test_orphaned_jobs_are_failed_with_a_reason_and_live_ones_left_alone(queued, tmp_path):
    _document, run = queued
    IngestionRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING)
    host = socket.gethostname()[:32]
    # A live worker on slot 3: it holds the lock and its heartbeat names it.
    lock = os.open(worker.run_dir() / "worker-3.lock", os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    live_id = f"rt:{host}:3:{os.getpid()}:live"
    worker.heartbeat_path(3).write_text(json.dumps({"worker_id": live_id, "pid": os.getpid(), "seen_at": 0}))
    try:
        row = claimed_by(live_id)
        assert worker.recover_orphaned_jobs() == 0
        # Another machine's worker (a shared PostgreSQL): not ours to judge.
        DBTaskResult.objects.filter(pk=row.pk).update(worker_ids=["rt:elsewhere:0:1:abc"])
        assert worker.recover_orphaned_jobs() == 0
        # A dead worker of ours (slot lock free), then one of django_tasks_db's own random ids.
        for dead in (f"rt:{host}:0:99999:dead", "1f3kLx9uQbq2WmV7"):
            DBTaskResult.objects.filter(pk=row.pk).update(status="RUNNING", worker_ids=[dead])
            IngestionRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING)
            assert worker.recover_orphaned_jobs() == 1
            row.refresh_from_db()
            assert row.status == "FAILED" and row.traceback == worker.ORPHAN_REASON
            run.refresh_from_db()
            assert run.status == RunStatus.FAILED and "the worker running it ended" in run.message
    finally:
        os.close(lock)


def test_mark_failed_leaves_a_job_that_recorded_its_own_result(queued):
    row = claimed_by("rt:x:0:1:y")
    row.set_successful("done")
    assert not worker.mark_failed(row, "stopped: whatever")
    row.refresh_from_db()
    assert row.status == "SUCCESSFUL"


def test_report_build_stopped_says_why_and_a_finished_one_is_kept(org_a, coordinator_a):
    from rightstrack.reports import actions as report_actions
    from rightstrack.reports.models import BuildStatus, ReportDefinition

    report = report_actions.create_report(coordinator_a, organisation=org_a, title="Shadow", kind="shadow-iccpr")
    ReportDefinition.objects.filter(pk=report.pk).update(build_status=BuildStatus.BUILDING, progress=40)
    path = "rightstrack.reports.tasks.build_report"
    jobs.notify_stopped(path, [report.pk, coordinator_a.pk], {}, jobs.time_reason(path, 600))
    report.refresh_from_db()
    assert report.build_status == BuildStatus.FAILED and report.progress == 0
    assert report.build_error == "The build was stopped after 600 s: the report is too large to build in time."
    ReportDefinition.objects.filter(pk=report.pk).update(build_status=BuildStatus.READY, build_error="")
    jobs.notify_stopped(path, [report.pk, coordinator_a.pk], {}, jobs.memory_reason(100))
    report.refresh_from_db()
    assert report.build_status == BuildStatus.READY and report.build_error == ""


@pytest.mark.parametrize(("mb", "text"), [(300, "300 MB"), (1024, "1 GB"), (1536, "1.5 GB"), (2560, "2.5 GB")])
def test_memory_in_words(mb, text):
    assert jobs.memory_text(mb) == text


# --- The API token's last use ----------------------------------------------------------------------------


@pytest.fixture
def token(coordinator_a):
    token, key = ApiToken.issue(coordinator_a, "t")
    return token, Client(HTTP_AUTHORIZATION=f"Bearer {key}")


def test_token_last_use_is_written_at_most_once_a_minute(token):
    api_token, client = token
    assert client.get("/api/me").status_code == 200
    api_token.refresh_from_db()
    first = api_token.last_used_at
    assert first is not None
    assert client.get("/api/me").status_code == 200
    api_token.refresh_from_db()
    assert api_token.last_used_at == first  # used again within the minute: not written
    earlier = timezone.now() - datetime.timedelta(minutes=2)
    ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=earlier)
    assert client.get("/api/me").status_code == 200
    api_token.refresh_from_db()
    assert api_token.last_used_at > earlier


def test_a_busy_database_never_fails_a_token_read(token, monkeypatch, caplog):
    api_token, client = token
    from django.db.models import QuerySet

    real_update = QuerySet.update

    def locked(self, **kwargs):
        if self.model is ApiToken:
            raise OperationalError("database is locked")
        return real_update(self, **kwargs)

    monkeypatch.setattr(QuerySet, "update", locked)
    with caplog.at_level(logging.WARNING, logger="rightstrack.api"):
        response = client.get("/api/me")
    assert response.status_code == 200 and response.json()["username"] == "coordinator_a"
    assert "could not be recorded" in caplog.text
    api_token.refresh_from_db()
    assert api_token.last_used_at is None


@pytest.mark.django_db(transaction=True)  # housekeeping closes connections between chores, like a request
def test_housekeeping_fails_the_jobs_of_a_worker_that_is_gone(queued, settings):
    from rightstrack.core import housekeeping

    settings.BACKUP_EVERY_HOURS = 0  # only the job chore here (a backup needs a transactional test)
    _document, run = queued
    IngestionRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING)
    row = claimed_by(f"rt:{socket.gethostname()[:32]}:0:99999:gone")
    housekeeping.run_once()
    row.refresh_from_db()
    run.refresh_from_db()
    assert row.status == "FAILED" and run.status == RunStatus.FAILED
