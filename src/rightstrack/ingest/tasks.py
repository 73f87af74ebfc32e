"""Background jobs: reading an uploaded document (``rightstrack serve`` runs the worker)."""

from __future__ import annotations

from django_tasks import task

from . import actions


@task()
def ingest_document(run_id: int) -> str:
    """Read the run's document and store its passages and suggestions ('done', 'failed', 'skipped', 'abandoned')."""
    return actions.execute_run(run_id)
