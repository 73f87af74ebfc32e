"""The job worker and `rightstrack serve` supervising it, run as real processes on a temporary data directory.

Jobs come from tests/core/worker_jobs.py (sleep, hoard memory, allocate at once, quick), each with its own
limits. On PostgreSQL (DATABASE_URL) every test gets a fresh database copied from a migrated template.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest

from rightstrack.core import worker

ROOT = Path(__file__).resolve().parents[2]
TABLE = "django_tasks_database_dbtaskresult"
MEMORY_MB = 300
PG_URL = os.environ.get("DATABASE_URL", "") if os.environ.get("DATABASE_URL", "").startswith("postgres") else ""

ENQUEUE = """
import json, sys
import django
django.setup()
from tests.core import worker_jobs
for name, kwargs in json.loads(sys.argv[1]):
    getattr(worker_jobs, name).enqueue(**kwargs)
"""

TOKEN = """
import django
django.setup()
from django.contrib.auth import get_user_model
from rightstrack.core.models import ApiToken
user = get_user_model().objects.create_user(username="reader", password="long enough password")
print(ApiToken.issue(user, "script")[1])
"""

UPLOAD = """
import sys
import django
django.setup()
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from rightstrack.core.models import Membership, Organisation, Role
from rightstrack.ingest import actions
org = Organisation.objects.create(name="Org", slug="org")
user = get_user_model().objects.create_user(username="coordinator", password="long enough password")
Membership.objects.create(user=user, organisation=org, role=Role.COORDINATOR)
upload = SimpleUploadedFile("long.md", open(sys.argv[1], "rb").read())
print(actions.upload_for_ingestion(user, organisation_id=org.pk, upload=upload)[1].pk)
"""


def wait_until(check: Callable[[], object], timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"waited {timeout} s for {what}")


def alive(pid: int) -> bool:
    """Running (a zombie waiting to be reaped counts as gone)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _pg(dbname: str, sql: str) -> None:
    import psycopg

    url = urllib.parse.urlsplit(PG_URL)
    with psycopg.connect(url._replace(path="/postgres").geturl(), autocommit=True) as conn:
        conn.execute(sql.format(db=dbname))


class Site:
    """A data directory (and database) with helpers to run rightstrack commands on it."""

    def __init__(self, data: Path, database_url: str = "") -> None:
        self.data = data
        self.database_url = database_url
        self.env = {
            **os.environ,
            "RIGHTSTRACK_DATA_DIR": str(data),
            "PYTHONPATH": str(ROOT),
            "RIGHTSTRACK_BACKUP_EVERY_HOURS": "0",
            "RT_TEST_JOB_MEMORY_MB": str(MEMORY_MB),
            "DJANGO_SETTINGS_MODULE": "rightstrack.settings",
        }
        self.env.pop("DATABASE_URL", None)
        if database_url:
            self.env["DATABASE_URL"] = database_url
        self.procs: list[subprocess.Popen] = []

    def command(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "rightstrack.cli", *args]

    def run(self, *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
        return subprocess.run(
            self.command(*args), env=self.env, cwd=ROOT, capture_output=True, text=True, timeout=timeout
        )

    def python(self, code: str, *args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-c", code, *args], env=self.env, cwd=ROOT, capture_output=True, text=True, timeout=60
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    def enqueue(self, *jobs: tuple[str, dict]) -> None:
        self.python(ENQUEUE, json.dumps(jobs))

    def serve(self, *args: str, env: dict | None = None) -> subprocess.Popen:
        self.port = free_port()
        log = open(self.data / f"serve-{len(self.procs)}.log", "w")  # noqa: SIM115 - closed with the process
        proc = subprocess.Popen(
            self.command("serve", "--port", str(self.port), "--no-housekeeping", *args),
            env={**self.env, **(env or {})},
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self.procs.append(proc)
        wait_until(lambda: self.get("/health/", quiet=True) is not None, 60, "serve to answer")
        return proc

    def log(self) -> str:
        return "".join(p.read_text() for p in sorted(self.data.glob("serve-*.log")))

    def get(self, path: str, headers: dict | None = None, quiet: bool = False) -> tuple[int, bytes] | None:
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", headers=headers or {})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()
        except OSError:
            if quiet:
                return None
            raise

    def heartbeat(self, slot: int = 0) -> dict | None:
        try:
            return json.loads((self.data / "run" / f"worker-{slot}.json").read_text())
        except (OSError, ValueError):
            return None

    def wait_for_worker(self, not_pid: int | None = None, timeout: float = 30) -> dict:
        def fresh():
            beat = self.heartbeat()
            return beat if beat and beat["pid"] != not_pid and alive(beat["pid"]) else None

        return wait_until(fresh, timeout, "a worker heartbeat")

    def query(self, sql: str) -> list[tuple]:
        if self.database_url:
            import psycopg

            with psycopg.connect(self.database_url) as conn:
                return conn.execute(sql).fetchall()
        with sqlite3.connect(self.data / "rightstrack.sqlite3") as conn:
            return conn.execute(sql).fetchall()

    def jobs(self) -> dict[str, dict]:
        """Job rows by task name (the newest of each)."""
        rows = self.query(f"SELECT task_path, status, traceback FROM {TABLE} ORDER BY enqueued_at")  # noqa: S608
        return {path.rsplit(".", 1)[1]: {"status": status, "reason": reason} for path, status, reason in rows}

    def worker_pids(self) -> list[int]:
        """Every live worker process of this data directory, whoever started it."""
        pids = []
        marker = f"RIGHTSTRACK_DATA_DIR={self.data}".encode()
        for proc in Path("/proc").glob("[0-9]*"):
            try:
                cmdline = (proc / "cmdline").read_bytes().split(b"\0")
                environ = (proc / "environ").read_bytes().split(b"\0")
            except OSError:
                continue
            if b"worker" in cmdline and marker in environ and alive(int(proc.name)):
                pids.append(int(proc.name))
        return pids

    def stop(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    proc.kill()
        for pid in self.worker_pids():  # a failing test must not leave workers behind
            os.kill(pid, signal.SIGKILL)


def _migrate(site: Site) -> None:
    done = site.run("migrate", "-v0", timeout=300)
    assert done.returncode == 0, done.stderr


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    """A migrated SQLite database, copied for each test (migrating takes a while, copying does not)."""
    data = tmp_path_factory.mktemp("rt-worker-template")
    _migrate(Site(data))
    return data / "rightstrack.sqlite3"


@pytest.fixture(scope="session")
def pg_template() -> str | None:
    if not PG_URL:
        yield None
        return
    name = urllib.parse.urlsplit(PG_URL).path.lstrip("/") + "_proc_tpl"
    _pg(name, "DROP DATABASE IF EXISTS {db} WITH (FORCE)")
    _pg(name, "CREATE DATABASE {db}")
    site = Site(
        Path(os.environ.get("TMPDIR", "/tmp")), urllib.parse.urlsplit(PG_URL)._replace(path=f"/{name}").geturl()
    )
    _migrate(site)
    yield name
    _pg(name, "DROP DATABASE IF EXISTS {db} WITH (FORCE)")


def _sqlite_site(template: Path, tmp_path: Path) -> Site:
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(template, data / "rightstrack.sqlite3")
    return Site(data)


@pytest.fixture
def site(sqlite_template, pg_template, tmp_path):
    """A site on the database the suite runs on (SQLite file, or a fresh PostgreSQL database)."""
    if pg_template is None:
        site = _sqlite_site(sqlite_template, tmp_path)
        yield site
        site.stop()
        return
    name = f"{pg_template[: -len('_tpl')]}_{os.getpid()}"
    _pg(name, "DROP DATABASE IF EXISTS {db} WITH (FORCE)")
    _pg(name, f"CREATE DATABASE {{db}} TEMPLATE {pg_template}")
    data = tmp_path / "data"
    data.mkdir()
    site = Site(data, urllib.parse.urlsplit(PG_URL)._replace(path=f"/{name}").geturl())
    yield site
    site.stop()
    _pg(name, "DROP DATABASE IF EXISTS {db} WITH (FORCE)")


@pytest.fixture
def sqlite_site(sqlite_template, tmp_path):
    site = _sqlite_site(sqlite_template, tmp_path)
    yield site
    site.stop()


def test_jobs_over_their_time_or_memory_limit_are_stopped_and_the_next_one_runs(site):
    marks = {name: str(site.data / name) for name in ("sleepy", "greedy", "gulp", "quick")}
    site.enqueue(
        ("sleepy", {"seconds": 120, "limit": 2, "marker": marks["sleepy"]}),
        ("greedy", {"marker": marks["greedy"]}),  # takes 20 MB more every few milliseconds until stopped
        ("gulp", {"megabytes": 8 * 1024, "marker": marks["gulp"]}),  # 8 GB in one allocation
        ("quick", {"marker": marks["quick"]}),
    )
    started = time.monotonic()
    done = site.run("worker", "--max-jobs", "4", "--interval", "0.1", timeout=90)
    assert done.returncode == 0, done.stderr
    assert time.monotonic() - started < 60
    jobs = site.jobs()
    too_slow = "stopped after 2 s: the test job is too slow"
    too_big = f"stopped: used more than {MEMORY_MB} MB of memory"
    assert jobs["sleepy"] == {"status": "FAILED", "reason": too_slow}
    assert jobs["greedy"] == {"status": "FAILED", "reason": too_big}
    assert jobs["gulp"] == {"status": "FAILED", "reason": too_big}
    assert jobs["quick"]["status"] == "SUCCESSFUL" and Path(marks["quick"]).read_text() == "ran"
    # Each stopped job's record was told why (the hook of its kind), and the stopped process is gone.
    assert Path(marks["sleepy"] + ".stopped").read_text() == too_slow
    assert Path(marks["greedy"] + ".stopped").read_text() == too_big
    assert Path(marks["gulp"] + ".stopped").read_text() == too_big
    assert not alive(int(Path(marks["sleepy"]).read_text()))
    assert not Path(marks["quick"] + ".stopped").exists()
    assert not (site.data / "run" / "worker-0.json").exists()  # stopped on purpose: no heartbeat to miss


def test_a_reading_over_its_time_limit_is_stopped_and_its_run_says_why(site):
    # A long text: reading it (passages, detectors, suggestions) takes well over the one second allowed here.
    text = "A State party report, see CCPR/C/KAZ/CO/2 and 139.61; in 2023 monitors attended 120 hearings. "
    document = site.data / "long.md"
    document.write_text("# Report\n\n" + "\n\n".join(f"{i}. {text}" for i in range(10000)))
    run = int(site.python(UPLOAD, str(document)).strip())
    site.env.update({"RIGHTSTRACK_INGEST_TIME_LIMIT": "1", "RIGHTSTRACK_INGEST_SECONDS_PER_MB": "0"})
    done = site.run("worker", "--max-jobs", "1", "--interval", "0.1", timeout=60)
    assert done.returncode == 0, done.stderr
    reason = "stopped after 1 s: the document is too large to read in time"
    assert site.jobs()["ingest_document"] == {"status": "FAILED", "reason": reason}
    sql = f"SELECT status, error_code, message FROM ingest_ingestionrun WHERE id = {run}"  # noqa: S608
    status, code, message = site.query(sql)[0]
    assert (status, code, message) == ("failed", "Stopped", f"The reading was {reason}.")


def test_serve_restarts_a_killed_worker_and_stops_everything_on_sigterm(site):
    serve = site.serve(env={"RIGHTSTRACK_WORKER_STALE_SECONDS": "2"})
    first = site.wait_for_worker()
    marker = site.data / "long"
    site.enqueue(("sleepy", {"seconds": 120, "limit": 300, "marker": str(marker)}))
    job = int(wait_until(lambda: marker.exists() and marker.read_text(), 30, "the job to start"))

    # The worker dies mid-job: its job goes with it, serve starts another, the job is failed with a reason.
    os.kill(first["pid"], signal.SIGKILL)
    wait_until(lambda: not alive(job), 5, "the job to end with its worker")
    second = site.wait_for_worker(not_pid=first["pid"])
    assert site.jobs()["sleepy"] == {"status": "FAILED", "reason": worker.ORPHAN_REASON}
    assert Path(f"{marker}.stopped").read_text() == worker.ORPHAN_REASON
    assert "job worker 0" in site.log() and "restarting it" in site.log()
    assert site.worker_pids() == [second["pid"]]

    # /health/ is honest: a worker that stops beating (frozen here) makes it 503 until it beats again.
    assert site.get("/health/")[0] == 200
    os.kill(second["pid"], signal.SIGSTOP)
    try:
        status, body = wait_until(lambda: (r := site.get("/health/"))[0] == 503 and r, 15, "health to fail")
        assert json.loads(body)["problems"] == ["worker"]
    finally:
        os.kill(second["pid"], signal.SIGCONT)
    wait_until(lambda: site.get("/health/")[0] == 200, 15, "health to recover")

    # Nobody can start a second worker on the slot serve's worker holds.
    second_try = site.run("worker", "--slot", "0", timeout=60)
    assert second_try.returncode == worker.EXIT_SLOT_BUSY and "taken by a live worker" in second_try.stderr
    assert site.worker_pids() == [second["pid"]]

    # SIGTERM with a job running: serve, its worker and the job all end; the job says why.
    marker2 = site.data / "long2"
    site.enqueue(("sleepy", {"seconds": 120, "limit": 300, "marker": str(marker2)}))
    job2 = int(wait_until(lambda: marker2.exists() and marker2.read_text(), 30, "the second job to start"))
    serve.send_signal(signal.SIGTERM)
    assert serve.wait(timeout=40) == 0
    assert not alive(second["pid"]) and not alive(job2) and site.worker_pids() == []
    assert Path(f"{marker2}.stopped").read_text() == worker.SHUTDOWN_REASON
    assert site.jobs()["sleepy"] == {"status": "FAILED", "reason": worker.SHUTDOWN_REASON}


def test_restarting_serve_after_kill_9_never_gives_two_workers(site):
    serve = site.serve()
    first = site.wait_for_worker()
    serve.kill()  # kill -9: no chance to stop its worker
    serve.wait(timeout=10)
    site.serve()
    second = site.wait_for_worker(not_pid=first["pid"])
    wait_until(lambda: not alive(first["pid"]), 15, "the orphaned worker to stop")
    assert site.worker_pids() == [second["pid"]]
    # The new worker runs jobs.
    marker = site.data / "quick"
    site.enqueue(("quick", {"marker": str(marker)}))
    wait_until(marker.exists, 30, "the job to run")


def test_a_token_read_succeeds_while_another_writer_holds_the_database(sqlite_site):
    site = sqlite_site
    key = site.python(TOKEN).strip()
    site.serve("--no-worker")
    headers = {"Authorization": f"Bearer {key}"}
    holder = sqlite3.connect(site.data / "rightstrack.sqlite3", isolation_level=None, timeout=30)
    holder.execute("BEGIN IMMEDIATE")  # another writer (an import, the worker) holds the write lock
    holder.execute("UPDATE core_apitoken SET name = 'busy'")
    try:
        started = time.monotonic()
        status, body = site.get("/api/me", headers=headers)
        waited = time.monotonic() - started
    finally:
        holder.execute("ROLLBACK")
    assert status == 200 and json.loads(body)["username"] == "reader"
    assert waited < 2, f"the read waited {waited:.1f} s for the writer"
    # With the database free again the use is recorded (it was skipped while busy).
    assert site.get("/api/me", headers=headers)[0] == 200
    last_used = holder.execute("SELECT last_used_at FROM core_apitoken").fetchone()[0]
    holder.close()
    assert last_used is not None
