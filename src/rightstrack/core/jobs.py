"""Limits of background jobs, per kind, and what a stopped job tells its domain record.

The worker (core/worker.py) runs every job in a child process with a wall-clock and a memory limit. A kind
of job (a task in some app's tasks.py) registers here how long and how much memory it may take, the reason
a user reads when it is stopped, and how its record (an ingestion run, a report build) is marked failed so
the app's own retry works.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Limits:
    seconds: float
    memory_mb: int


@dataclass(frozen=True)
class JobKind:
    #: Limits for one job from its arguments (None: the settings' defaults).
    limits: Callable[..., Limits] | None = None
    #: Why a job over its time limit was stopped, after "stopped after N s: ".
    too_slow: str = "the job took longer than its time limit"
    #: Marks the job's record failed with the reason (args are the job's arguments, then reason=...).
    on_stopped: Callable[..., None] | None = None


_KINDS: dict[str, JobKind] = {}


def register(task: Any, kind: JobKind) -> None:
    """Declare a task's limits and failure hook (called at import of the app's tasks.py)."""
    _KINDS[task.module_path] = kind


def default_limits() -> Limits:
    return Limits(seconds=float(settings.JOB_TIME_LIMIT), memory_mb=int(settings.JOB_MEMORY_MB))


def kind_of(task_path: str) -> JobKind:
    if task_path not in _KINDS:
        # Kinds register when their tasks module is imported; the worker may not have imported it yet.
        with contextlib.suppress(ImportError):
            import_string(task_path)
    return _KINDS.get(task_path, JobKind())


def limits_for(task_path: str, args: list, kwargs: dict) -> Limits:
    """The job's limits; a kind whose limit function fails gets the defaults (logged), never none."""
    kind = kind_of(task_path)
    if kind.limits is None:
        return default_limits()
    try:
        return kind.limits(*args, **kwargs)
    except Exception:
        logger.exception("limits of %s could not be computed; using the defaults", task_path)
        return default_limits()


def memory_text(megabytes: float) -> str:
    """1536 → "1.5 GB", 300 → "300 MB"."""
    if megabytes >= 1024:
        return f"{megabytes / 1024:.1f}".rstrip("0").rstrip(".") + " GB"
    return f"{int(megabytes)} MB"


def time_reason(task_path: str, seconds: float) -> str:
    return f"stopped after {int(seconds)} s: {kind_of(task_path).too_slow}"


def memory_reason(megabytes: float) -> str:
    return f"stopped: used more than {memory_text(megabytes)} of memory"


def notify_stopped(task_path: str, args: list, kwargs: dict, reason: str) -> None:
    """Tell the job's record why it ended; a failing hook is logged, the job stays failed anyway."""
    hook = kind_of(task_path).on_stopped
    if hook is None:
        return
    try:
        hook(*args, reason=reason, **kwargs)
    except Exception:
        logger.exception("could not mark the record of %s failed", task_path)
