"""A run whose worker died is failed once it stops reporting, says so on the page, and can be tried again."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from rightstrack.core.models import ApiToken, AuditEvent
from rightstrack.evidence.models import Passage, SourceDocument
from rightstrack.ingest import actions
from rightstrack.ingest.models import IngestionRun, RunStatus, Suggestion

TEXT = b"# Report (test)\n\n1. See CCPR/C/KAZ/CO/2 and 139.61.\n\n2. In 2023 monitors attended 120 hearings.\n"


@pytest.fixture
def queued(org_a, coordinator_a, settings):
    """A document uploaded while the queue waits for a worker: (document, run)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    document, run, _ = actions.upload_for_ingestion(
        coordinator_a, organisation_id=org_a.pk, upload=SimpleUploadedFile("r.md", TEXT)
    )
    return document, run


def running(run: IngestionRun, *, silent_for: datetime.timedelta) -> None:
    """Put the run where a worker left it: running, last heard of ``silent_for`` ago."""
    last = timezone.now() - silent_for
    IngestionRun.objects.filter(pk=run.pk).update(
        status=RunStatus.RUNNING, started_at=last, progress=40, stage="reading", updated_at=last
    )


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


STALE = actions.STALLED_AFTER + datetime.timedelta(minutes=1)


def test_stalled_run_is_failed_with_a_clear_message_and_retried(queued, coordinator_a, capture):
    document, run = queued
    running(run, silent_for=STALE)
    client = client_for(coordinator_a)
    page = client.get(f"/ingest/documents/{document.pk}/").content.decode()
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED and run.error_code == "Stalled" and run.finished_at
    assert "The reading stopped." in page and "no progress for more than 15 minutes" in page
    assert "Try again" in page and 'hx-trigger="every 1s"' not in page
    event = AuditEvent.objects.get(verb="ingest.failed")
    assert event.after["error"] == "Stalled"
    document.refresh_from_db()
    assert document.text_status == "failed" and "stopped" in document.text_error
    # Retry from the page: a new run is queued and read; the failed one is kept as history.
    with capture(execute=True):
        response = client.post(f"/ingest/documents/{document.pk}/start/")
    assert response.status_code == 302 and response["Location"] == f"/ingest/documents/{document.pk}/"
    assert execute(IngestionRun.objects.get(status=RunStatus.QUEUED)) == "done"
    assert list(IngestionRun.objects.order_by("pk").values_list("status", flat=True)) == ["failed", "done"]
    document.refresh_from_db()
    assert document.text_status == "ready" and document.passages.exists()
    again = client.get(f"/ingest/documents/{document.pk}/").content.decode()
    assert "The reading stopped." not in again and "suggestions were found" in again


def execute(run: IngestionRun) -> str:
    return actions.execute_run(run.pk)


def test_run_that_reported_recently_is_left_running(queued, coordinator_a):
    document, run = queued
    running(run, silent_for=actions.STALLED_AFTER - datetime.timedelta(minutes=1))
    assert actions.fail_stalled_runs() == 0
    fragment = client_for(coordinator_a).get(f"/ingest/documents/{document.pk}/progress/", HTTP_HX_REQUEST="true")
    assert 'value="40"' in fragment.content.decode() and "HX-Refresh" not in fragment
    run.refresh_from_db()
    assert run.status == RunStatus.RUNNING and not AuditEvent.objects.filter(verb="ingest.failed").exists()
    # A queued run waits for a worker however long it takes: it is not stalled.
    IngestionRun.objects.filter(pk=run.pk).update(status=RunStatus.QUEUED, updated_at=timezone.now() - STALE)
    assert actions.fail_stalled_runs() == 0


def test_polling_page_reloads_when_the_run_is_found_stalled(queued, coordinator_a):
    document, run = queued
    running(run, silent_for=STALE)
    fragment = client_for(coordinator_a).get(f"/ingest/documents/{document.pk}/progress/", HTTP_HX_REQUEST="true")
    assert fragment["HX-Refresh"] == "true" and "The reading stopped." in fragment.content.decode()


def test_api_and_home_show_the_stalled_run_failed(queued, coordinator_a):
    document, run = queued
    running(run, silent_for=STALE)
    assert "Failed" in client_for(coordinator_a).get("/ingest/").content.decode()
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED
    # Detection is idempotent: the second look fails nothing more.
    _token, key = ApiToken.issue(coordinator_a, "t")
    body = Client(HTTP_AUTHORIZATION=f"Bearer {key}").get(f"/api/ingest/documents/{document.pk}/run").json()
    assert body["status"] == "failed" and body["error_code"] == "Stalled" and "no progress" in body["message"]
    assert AuditEvent.objects.filter(verb="ingest.failed").count() == 1


def test_message_in_russian(queued, coordinator_a):
    document, run = queued
    running(run, silent_for=STALE)
    actions.fail_stalled_runs()
    run.refresh_from_db()
    from django.utils import translation

    with translation.override("ru"):
        assert run.user_message() != run.message  # the translated summary, not the stored English detail


def test_progress_is_the_heartbeat(queued):
    document, run = queued
    running(run, silent_for=STALE)
    assert actions._set_progress(run.pk, 50, "reading")
    run.refresh_from_db()
    assert run.progress == 50 and timezone.now() - run.updated_at < datetime.timedelta(minutes=1)
    assert actions.fail_stalled_runs() == 0


def test_worker_that_comes_back_after_being_failed_keeps_nothing(queued, monkeypatch):
    """The worker was only slow: once its run is failed as stalled it stops at its next report."""
    document, run = queued
    real_extract = actions.text.extract

    def slow_extract(path, progress=None):
        extraction = real_extract(path)
        IngestionRun.objects.filter(pk=run.pk).update(updated_at=timezone.now() - STALE)
        assert actions.fail_stalled_runs() == 1
        progress(1, 1)  # the reader reports the next page
        return extraction

    monkeypatch.setattr(actions.text, "extract", slow_extract)
    assert execute(run) == "abandoned"
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED and run.error_code == "Stalled"
    assert not Passage.objects.exists() and not Suggestion.objects.exists()
    assert SourceDocument.objects.get().text_status == "failed"


def test_worker_failed_while_saving_keeps_nothing(queued, monkeypatch):
    """Failed between its last report and its save: the locked check before saving stops it."""
    document, run = queued
    real_progress = actions._set_progress

    def report(run_id, progress, stage):
        ok = real_progress(run_id, progress, stage)
        if stage == "saving":
            IngestionRun.objects.filter(pk=run_id).update(updated_at=timezone.now() - STALE)
            actions.fail_stalled_runs()
        return ok

    monkeypatch.setattr(actions, "_set_progress", report)
    assert execute(run) == "abandoned"
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED and not Passage.objects.exists() and not Suggestion.objects.exists()
    assert not AuditEvent.objects.filter(verb="ingest.done").exists()


def test_retry_is_refused_to_others(queued, viewer_a, viewer_b):
    document, run = queued
    running(run, silent_for=STALE)
    actions.fail_stalled_runs()
    events = AuditEvent.objects.count()
    assert client_for(viewer_a).post(f"/ingest/documents/{document.pk}/start/").status_code == 403
    assert client_for(viewer_b).post(f"/ingest/documents/{document.pk}/start/").status_code == 404
    assert IngestionRun.objects.count() == 1 and AuditEvent.objects.count() == events
