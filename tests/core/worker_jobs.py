"""Jobs for the worker tests. A worker subprocess imports them by path, so they live in a module of their own."""

from __future__ import annotations

import os
import time
from pathlib import Path

from django_tasks import task

from rightstrack.core import jobs


@task()
def sleepy(seconds: float, limit: float = 30, marker: str = "") -> str:
    """Sleeps; writes its pid to `marker` first so a test can watch the process."""
    if marker:
        Path(marker).write_text(str(os.getpid()))
    time.sleep(seconds)
    return "slept"


@task()
def greedy(step_mb: int = 20, limit: float = 30, marker: str = "") -> None:
    """Takes memory bit by bit and holds it (each block written, so it is resident)."""
    hoard = []
    while True:
        hoard.append(b"\x01" * (step_mb * 1024 * 1024))
        time.sleep(0.02)


@task()
def gulp(megabytes: int = 4096, limit: float = 30, marker: str = "") -> int:
    """One allocation far beyond the limit at once: the address-space limit refuses it."""
    return len(b"\x01" * (megabytes * 1024 * 1024))


@task()
def quick(limit: float = 30, marker: str = "") -> str:
    if marker:
        Path(marker).write_text("ran")
    return "ok"


def _limits(*args, limit: float = 30, **kwargs) -> jobs.Limits:
    return jobs.Limits(seconds=limit, memory_mb=int(os.environ.get("RT_TEST_JOB_MEMORY_MB", "400")))


def _stopped(*args, reason: str, marker: str = "", **kwargs) -> None:
    if marker:
        Path(marker + ".stopped").write_text(reason)


for _task in (sleepy, greedy, gulp, quick):
    jobs.register(_task, jobs.JobKind(limits=_limits, too_slow="the test job is too slow", on_stopped=_stopped))
