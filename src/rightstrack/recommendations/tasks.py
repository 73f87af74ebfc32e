"""Background jobs of the recommendations app."""

from __future__ import annotations

from django_tasks import task

from rightstrack.core import jobs


@task()
def run_import(job_pk: int) -> str:
    """Import a confirmed file (see actions.execute_import); returns the final status."""
    from .actions import execute_import

    return execute_import(job_pk).status


def _stopped(job_pk: int, *, reason: str) -> None:
    """The import was stopped; its transaction rolled back, so nothing was written and it can be run again."""
    from django.utils import timezone

    from .models import ImportJob

    ImportJob.objects.filter(pk=job_pk, status__in=[ImportJob.JobStatus.QUEUED, ImportJob.JobStatus.RUNNING]).update(
        status=ImportJob.JobStatus.FAILED,
        error=f"The import was {reason}; nothing was written.",
        finished_at=timezone.now(),
    )


jobs.register(run_import, jobs.JobKind(too_slow="the file is too large to import in time", on_stopped=_stopped))
