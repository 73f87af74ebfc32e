"""Background jobs: reading an uploaded document (``rightstrack serve`` runs the worker)."""

from __future__ import annotations

from django.conf import settings
from django_tasks import task

from rightstrack.core import jobs

from . import actions


@task()
def ingest_document(run_id: int) -> str:
    """Read the run's document and store its passages and suggestions ('done', 'failed', 'skipped', 'abandoned')."""
    outcome = actions.execute_run(run_id)
    if outcome in ("done", "failed"):
        _alert(run_id, outcome)
    return outcome


def _alert(run_id: int, outcome: str) -> None:
    """Tell whoever uploaded the document that its reading ended (in their language)."""
    from django.urls import reverse
    from django.utils import translation
    from django.utils.translation import gettext as _

    from rightstrack.core.notifications import language_of, notify

    from .models import IngestionRun

    run = IngestionRun.objects.select_related("document", "created_by").filter(pk=run_id).first()
    if run is None or run.created_by is None:
        return
    with translation.override(language_of(run.created_by)):
        if outcome == "done":
            total = sum(n for kind, n in (run.counts or {}).items() if not kind.endswith("_left_out"))
            title = _("“%(title)s” has been read: %(n)s suggestions to review") % {
                "title": run.document.title,
                "n": total,
            }
        else:
            title = _("“%(title)s” could not be read: open it to see why and try again") % {"title": run.document.title}
    notify(
        run.created_by,
        "ingest.finished",
        title,
        reverse("ingest_document", args=[run.document_id]),
        about=run.document,
    )


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
