"""Background jobs of the recommendations app."""

from __future__ import annotations

from django_tasks import task


@task()
def run_import(job_pk: int) -> str:
    """Import a confirmed file (see actions.execute_import); returns the final status."""
    from .actions import execute_import

    return execute_import(job_pk).status
