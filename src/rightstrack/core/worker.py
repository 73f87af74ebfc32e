"""The background-job worker, its heartbeat and the supervisor `rightstrack serve` runs.

Jobs wait in django_tasks_db's table. A worker owns a *slot* (a lock file under DATA_DIR/run, held with
flock so a killed worker frees it at once and two workers can never share one), takes one job at a time
and runs it in a forked child process with a wall-clock and a memory limit (core/jobs.py). A job over a
limit is killed, marked failed with a reason a person can read, and its record (an ingestion run, a report
build) says why and can be retried; the next job then runs. The worker writes a heartbeat file every few
seconds, which /health/ reads.
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import json
import logging
import os
import resource
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connections, transaction
from django.db.utils import OperationalError
from django.utils import timezone
from django.utils.crypto import get_random_string

from . import jobs

logger = logging.getLogger(__name__)

EXIT_MEMORY = 86  # the job's child ran out of its address space (MemoryError)
EXIT_SLOT_BUSY = 75  # another live worker holds the slot
MAX_SLOTS = 64
STOP_GRACE_SECONDS = 5.0  # a job may finish this long after SIGTERM before it is killed
POLL_SECONDS = 0.2
SHUTDOWN_REASON = "stopped: the server was shutting down; try again"
ORPHAN_REASON = "stopped: the worker running it ended (crash, kill or restart); try again"
STOPPED_CLASS = "rightstrack.core.worker.JobStopped"


# --- Files under DATA_DIR/run ---------------------------------------------------------------------------


def run_dir() -> Path:
    path = Path(settings.DATA_DIR) / "run"
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def _write_json(path: Path, data: dict) -> None:
    """Atomic (temporary file, then rename): a reader never sees half a heartbeat."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}")
    tmp.write_text(json.dumps(data))
    tmp.replace(path)


def _read_json(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None


def _pid_alive(pid: Any) -> bool:
    try:
        os.kill(int(pid), 0)
    except (OSError, ValueError, TypeError):
        return False
    return True


def heartbeat_path(slot: int) -> Path:
    return run_dir() / f"worker-{slot}.json"


def _lock_path(slot: int) -> Path:
    return run_dir() / f"worker-{slot}.lock"


def _slot_held(slot: int) -> bool:
    """True while a live process holds the slot's lock (flock: a killed holder releases it at once)."""
    try:
        fd = os.open(_lock_path(slot), os.O_RDONLY)
    except FileNotFoundError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)  # closing also drops the shared lock just taken
    return False


def _held_slots() -> list[int]:
    slots = []
    for path in run_dir().glob("worker-*.lock"):
        with contextlib.suppress(ValueError):
            slot = int(path.stem.split("-", 1)[1])
            if _slot_held(slot):
                slots.append(slot)
    return slots


def read_serve_state() -> dict | None:
    """What a running `rightstrack serve` expects (workers, started_at), or None when none runs."""
    state = _read_json(run_dir() / "serve.json")
    if state is None or not _pid_alive(state.get("pid")):
        return None
    return state


def worker_health(now: float | None = None) -> dict:
    """Whether the expected workers are alive: {expected, heartbeat_age_seconds, ok}.

    Under `serve` the workers it runs are expected. Without it, a worker is expected once one has written
    a heartbeat (a worker stopped on purpose removes its file): a site that never ran one is not failing.
    """
    now = time.time() if now is None else now
    stale = float(settings.WORKER_STALE_SECONDS)
    serve = read_serve_state()
    if serve is not None:
        slots = range(int(serve.get("workers", 0)))
        since = float(serve.get("started_at", now))
    else:
        slots = sorted(int(p.stem.split("-", 1)[1]) for p in run_dir().glob("worker-*.json"))
        since = 0.0
    ages = []
    for slot in slots:
        beat = _read_json(heartbeat_path(slot)) or {}
        # A worker (re)starting has not written yet: count from when serve started it.
        seen = max(float(beat.get("seen_at", 0)), since)
        ages.append(max(0.0, now - seen))
    age = round(max(ages), 1) if ages else None
    return {"expected": len(ages), "heartbeat_age_seconds": age, "ok": age is None or age <= stale}


# --- Process helpers --------------------------------------------------------------------------------------


def _parent_death_signal(sig: int) -> None:
    """Ask Linux to send `sig` when our parent dies (a `kill -9` of it must not leave us orphaned)."""
    if not sys.platform.startswith("linux"):
        return
    libc = ctypes.CDLL(None, use_errno=True)
    pr_set_pdeathsig = 1
    libc.prctl(pr_set_pdeathsig, sig, 0, 0, 0)


def _kill_group(pid: int) -> None:
    """SIGKILL the job's process group (the job and anything it started, e.g. tesseract)."""
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


_PAGE = os.sysconf("SC_PAGE_SIZE")


def _group_rss_mb(pgid: int) -> float:
    """Resident memory of every process in the group, in MB (from /proc; 0 where unreadable)."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[2]) != pgid:  # fields after "(comm)": state ppid pgrp ... rss is the 22nd
                continue
            total += int(fields[21]) * _PAGE
        except (OSError, IndexError, ValueError):
            continue
    return total / (1024 * 1024)


def _address_space_now() -> int:
    try:
        return int(Path("/proc/self/statm").read_text().split()[0]) * _PAGE
    except (OSError, ValueError, IndexError):
        return 0


# --- The worker ---------------------------------------------------------------------------------------------


class Worker:
    """One worker slot: claim a job, run it in a limited child process, record how it ended, repeat."""

    def __init__(
        self,
        slot: int | None = None,
        *,
        interval: float = 1.0,
        lock_wait: float = 0.0,
        parent_pid: int | None = None,
        max_jobs: int | None = None,
    ) -> None:
        self.slot = slot
        self.interval = interval
        self.lock_wait = lock_wait
        self.parent_pid = parent_pid
        self.max_jobs = max_jobs
        self.stopping = False
        self.stop_requested_at = 0.0
        self.job_pid: int | None = None
        self.lock_fd: int | None = None
        self.worker_id = ""
        self.started_at = time.time()
        self._last_beat = 0.0
        self.heartbeat_every = max(0.2, min(5.0, float(settings.WORKER_STALE_SECONDS) / 4))

    # Slot and heartbeat

    def _try_lock(self, slot: int) -> bool:
        fd = os.open(_lock_path(slot), os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        self.lock_fd, self.slot = fd, slot
        return True

    def _acquire_slot(self) -> bool:
        if self.slot is None:  # `rightstrack worker` by hand: the first free slot
            return any(self._try_lock(slot) for slot in range(MAX_SLOTS))
        deadline = time.monotonic() + self.lock_wait
        while not self._try_lock(self.slot):
            if time.monotonic() >= deadline or self.stopping:
                return False
            time.sleep(POLL_SECONDS)
        return True

    def beat(self, force: bool = False) -> None:
        now = time.time()
        if not force and now - self._last_beat < self.heartbeat_every:
            return
        self._last_beat = now
        _write_json(
            heartbeat_path(self.slot),
            {
                "worker_id": self.worker_id,
                "pid": os.getpid(),
                "started_at": self.started_at,
                "seen_at": now,
                "job_pid": self.job_pid,
            },
        )

    def _on_signal(self, signum: int, frame: Any) -> None:
        if not self.stopping:
            logger.info("worker %s: %s, stopping", self.worker_id, signal.strsignal(signum))
            self.stopping = True
            self.stop_requested_at = time.monotonic()

    def _sleep(self, seconds: float) -> None:
        end = time.monotonic() + seconds
        while not self.stopping and time.monotonic() < end:
            self.beat()
            time.sleep(min(POLL_SECONDS, max(0.0, end - time.monotonic())))

    def run(self) -> int:
        """Work until SIGTERM/SIGINT (or max_jobs); the exit code: 0, or EXIT_SLOT_BUSY."""
        if self.parent_pid is not None:
            _parent_death_signal(signal.SIGTERM)
            if os.getppid() != self.parent_pid:  # the parent died before we asked
                return 0
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, self._on_signal)
        if not self._acquire_slot():
            holder = _read_json(heartbeat_path(self.slot)) if self.slot is not None else None
            logger.error(
                "worker slot %s is taken by a live worker (pid %s); not starting a second one",
                self.slot if self.slot is not None else "(all)",
                (holder or {}).get("pid", "?"),
            )
            return EXIT_SLOT_BUSY
        host = socket.gethostname()[:32]
        self.worker_id = f"rt:{host}:{self.slot}:{os.getpid()}:{get_random_string(6)}"
        try:
            self.beat(force=True)
            recovered = recover_orphaned_jobs()
            if recovered:
                logger.warning("marked %d job(s) of a stopped worker failed", recovered)
            done = 0
            while not self.stopping and (self.max_jobs is None or done < self.max_jobs):
                row = self._claim()
                if row is None:
                    self._sleep(self.interval)
                    continue
                self._run(row)
                done += 1
        finally:
            with contextlib.suppress(OSError):
                heartbeat_path(self.slot).unlink()  # stopped on purpose: nobody should wait for its beat
            os.close(self.lock_fd)
            connections.close_all()
        return 0

    def _claim(self):
        from django_tasks_db.compat import DEFAULT_TASK_BACKEND_ALIAS
        from django_tasks_db.models import DBTaskResult
        from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

        close_old_connections()
        tasks = DBTaskResult.objects.ready().filter(backend_name=DEFAULT_TASK_BACKEND_ALIAS)
        try:
            with exclusive_transaction(tasks.db):
                row = tasks.get_locked()
                if row is not None:
                    row.claim(self.worker_id)
                return row
        except OperationalError as exc:
            if is_locked_database_exception(exc):
                return None  # another writer is busy; try again at the next turn
            raise

    # One job

    def _run(self, row) -> None:
        args, kwargs = row.args_kwargs.get("args", []), row.args_kwargs.get("kwargs", {})
        limits = jobs.limits_for(row.task_path, args, kwargs)
        connections.close_all()  # the child must open its own connection, never share ours
        me = os.getpid()
        pid = os.fork()
        if pid == 0:
            _child(row, limits, self.lock_fd, me)
        with contextlib.suppress(OSError):
            os.setpgid(pid, pid)  # also done in the child: whichever runs first wins the race
        self.job_pid = pid
        self.beat(force=True)
        started = time.monotonic()
        reason = None
        last_memory_check = 0.0
        while True:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                break
            now = time.monotonic()
            if reason is None:
                if now - started > limits.seconds:
                    reason = jobs.time_reason(row.task_path, limits.seconds)
                elif now - last_memory_check >= 0.5:
                    last_memory_check = now
                    if _group_rss_mb(pid) > limits.memory_mb:
                        reason = jobs.memory_reason(limits.memory_mb)
                if reason is None and self.stopping and now - self.stop_requested_at > STOP_GRACE_SECONDS:
                    reason = SHUTDOWN_REASON
                if reason is not None:
                    logger.warning("job %s (%s) %s", row.pk, row.task_path, reason)
                    _kill_group(pid)
            self.beat()
            time.sleep(POLL_SECONDS if reason is None else 0.05)
        self.job_pid = None
        self.beat(force=True)
        if reason is None:
            if os.WIFEXITED(status) and os.WEXITSTATUS(status) == EXIT_MEMORY:
                reason = jobs.memory_reason(limits.memory_mb)
            elif os.WIFSIGNALED(status):
                reason = f"stopped: the job's process ended unexpectedly (signal {os.WTERMSIG(status)})"
            elif os.WEXITSTATUS(status) != 0:
                reason = "stopped: the job's process ended unexpectedly"
            else:
                reason = "stopped: the job ended without recording its result"
        # A job that recorded its own result is left as it is; only one still "running" gets the reason.
        if mark_failed(row, reason):
            jobs.notify_stopped(row.task_path, args, kwargs, reason)
        connections.close_all()


def _child(row, limits: jobs.Limits, lock_fd: int | None, parent: int) -> None:
    """In the forked child: limit ourselves, run the task, record its result, exit (never returns)."""
    code = 1
    try:
        os.setpgid(0, 0)
        _parent_death_signal(signal.SIGKILL)  # a killed worker takes its job with it
        if os.getppid() != parent:
            os._exit(1)  # the worker died before we asked; its successor fails the job
        if lock_fd is not None:
            os.close(lock_fd)  # only the worker holds the slot
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, signal.SIG_DFL)
        # The parent watches resident memory; the address-space limit is the backstop for an allocation
        # too fast to watch (it raises MemoryError). Room is left for what is already mapped.
        room = _address_space_now() + 2 * limits.memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (room, room))
        _execute(row)
        code = 0
    except MemoryError:
        code = EXIT_MEMORY
    except BaseException:
        with contextlib.suppress(BaseException):
            logger.exception("job %s could not be run", row.pk)
    finally:
        with contextlib.suppress(BaseException):
            connections.close_all()
        os._exit(code)


def _execute(row) -> None:
    """Run the task and record success or its error, like django_tasks_db's worker does."""
    from django_tasks_db.compat import TaskContext, task_finished, task_started

    try:
        task = row.task  # an import error is the job's failure, recorded like any other
        result = row.task_result
        backend = type(task.get_backend())
        task_started.send(sender=backend, task_result=result)
        if task.takes_context:
            value = task.call(TaskContext(task_result=result), *result.args, **result.kwargs)
        else:
            value = task.call(*result.args, **result.kwargs)
        row.set_successful(value)
    except MemoryError:
        raise
    except Exception as exc:
        row.set_failed(exc)
        return
    task_finished.send(sender=backend, task_result=row.task_result)


def mark_failed(row, reason: str) -> bool:
    """Fail a job still running since this claim with a readable reason. False when it already ended."""
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    with transaction.atomic():
        changed = DBTaskResult.objects.filter(
            pk=row.pk, status=TaskResultStatus.RUNNING, started_at=row.started_at
        ).update(
            status=TaskResultStatus.FAILED,
            finished_at=timezone.now(),
            exception_class_path=STOPPED_CLASS,
            traceback=reason,
            return_value=None,
        )
    return bool(changed)


def recover_orphaned_jobs() -> int:
    """Fail jobs left "running" by a worker that is gone, and tell their records. Returns how many.

    A worker is alive while it holds its slot lock; jobs of workers on other machines (a shared PostgreSQL)
    are left alone. Jobs claimed by django_tasks_db's own worker (random ids) count as gone.
    """
    from django_tasks_db.models import DBTaskResult

    live = set()
    for slot in _held_slots():
        beat = _read_json(heartbeat_path(slot))
        if beat:
            live.add(beat.get("worker_id"))
    host = socket.gethostname()[:32]
    count = 0
    for row in DBTaskResult.objects.running():
        last = row.worker_ids[-1] if row.worker_ids else ""
        if last in live or (last.startswith("rt:") and not last.startswith(f"rt:{host}:")):
            continue
        if mark_failed(row, ORPHAN_REASON):
            count += 1
            args, kwargs = row.args_kwargs.get("args", []), row.args_kwargs.get("kwargs", {})
            jobs.notify_stopped(row.task_path, args, kwargs, ORPHAN_REASON)
    return count


def queue_status(now: Any = None) -> dict:
    """Jobs ready to run and how long the oldest has waited (seconds)."""
    from django_tasks_db.models import DBTaskResult

    now = timezone.now() if now is None else now
    ready = DBTaskResult.objects.ready()
    oldest = ready.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    return {
        "ready": ready.count(),
        "oldest_wait_seconds": round((now - oldest).total_seconds(), 1) if oldest else None,
    }


# --- The supervisor (inside `rightstrack serve`) -------------------------------------------------------------


class Supervisor:
    """Runs `count` worker processes, restarts one that dies (with backoff) and stops them all on stop()."""

    MAX_BACKOFF = 60.0
    HEALTHY_AFTER = 60.0  # a worker that ran this long restarts at once when it dies
    STOP_TIMEOUT = STOP_GRACE_SECONDS + 10.0

    def __init__(self, count: int = 1) -> None:
        self.count = count
        self.procs: dict[int, subprocess.Popen | None] = dict.fromkeys(range(count))
        self.started: dict[int, float] = {}
        self.backoff: dict[int, float] = dict.fromkeys(range(count), 0.0)
        self.next_start: dict[int, float] = dict.fromkeys(range(count), 0.0)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        _write_json(run_dir() / "serve.json", {"pid": os.getpid(), "workers": self.count, "started_at": time.time()})
        # Spawned and reaped by this one thread: Linux's parent-death signal follows the spawning thread.
        self._thread = threading.Thread(target=self._loop, name="rightstrack-workers", daemon=True)
        self._thread.start()

    def pids(self) -> list[int]:
        return [p.pid for p in self.procs.values() if p is not None and p.poll() is None]

    def _spawn(self, slot: int) -> None:
        command = [sys.executable, "-m", "rightstrack.cli", "worker", "--slot", str(slot)]
        command += ["--lock-wait", str(self.STOP_TIMEOUT + 5), "--parent", str(os.getpid())]
        # Its own process group, so stop() reaches it and nothing it started, and Ctrl+C reaches only us.
        self.procs[slot] = subprocess.Popen(command, start_new_session=True)
        self.started[slot] = time.monotonic()

    def _loop(self) -> None:
        try:
            while not self._stop.is_set():
                now = time.monotonic()
                for slot, proc in self.procs.items():
                    if proc is None:
                        if now >= self.next_start[slot]:
                            self._spawn(slot)
                        continue
                    code = proc.poll()
                    if code is None:
                        continue
                    ran = now - self.started[slot]
                    delay = (
                        1.0 if ran >= self.HEALTHY_AFTER else min(self.MAX_BACKOFF, max(1.0, self.backoff[slot] * 2))
                    )
                    self.backoff[slot] = delay
                    self.next_start[slot] = now + delay
                    self.procs[slot] = None
                    logger.warning(
                        "job worker %s (pid %s) ended with code %s after %.0f s; restarting it in %.0f s",
                        slot,
                        proc.pid,
                        code,
                        ran,
                        delay,
                    )
                self._stop.wait(0.5)
        finally:
            self._terminate()

    def _terminate(self) -> None:
        alive = [p for p in self.procs.values() if p is not None and p.poll() is None]
        for proc in alive:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
        deadline = time.monotonic() + self.STOP_TIMEOUT
        for proc in alive:
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                logger.warning("job worker pid %s did not stop in time; killing it", proc.pid)
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()

    def stop(self) -> None:
        """Stop every worker (SIGTERM to its group, SIGKILL after STOP_TIMEOUT) and wait for them."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(self.STOP_TIMEOUT + 5)
        state = _read_json(run_dir() / "serve.json")
        if state and state.get("pid") == os.getpid():
            with contextlib.suppress(OSError):
                (run_dir() / "serve.json").unlink()
