"""Background jobs: reading an uploaded document (``rightstrack serve`` runs the worker)."""

from __future__ import annotations

from django.conf import settings
from django_tasks import task

from rightstrack.core import jobs

from . import actions


@task()
def ingest_document(run_id: int) -> str:
    """Read the run's document and store its passages and suggestions ('done', 'failed', 'skipped', 'abandoned')."""
    return actions.execute_run(run_id)


def _limits(run_id: int) -> jobs.Limits:
    """A bigger file may take longer: INGEST_TIME_LIMIT plus INGEST_SECONDS_PER_MB per megabyte."""
    from .models import IngestionRun

    size = IngestionRun.objects.filter(pk=run_id).values_list("document__size", flat=True).first() or 0
    seconds = settings.INGEST_TIME_LIMIT + settings.INGEST_SECONDS_PER_MB * size / (1024 * 1024)
    return jobs.Limits(seconds=round(seconds), memory_mb=settings.JOB_MEMORY_MB)


def _stopped(run_id: int, *, reason: str) -> None:
    """The job was stopped: the run fails with the reason, and its page offers to read it again."""
    from .models import IngestionRun, RunStatus

    # A run whose job died before starting it would otherwise wait for ever.
    IngestionRun.objects.filter(pk=run_id, status=RunStatus.QUEUED).update(status=RunStatus.RUNNING)
    run = IngestionRun.objects.select_related("document").filter(pk=run_id).first()
    if run is not None:
        actions._fail(run, "Stopped", f"The reading was {reason}.")


jobs.register(
    ingest_document,
    jobs.JobKind(limits=_limits, too_slow="the document is too large to read in time", on_stopped=_stopped),
)
