"""Benchmark: the real server under mixed load, alone and while `rightstrack backup` runs; waitress vs gunicorn.

Creates a temporary data directory with N generated recommendations (default 100,000, generated like
bench/recommendations_search.py), starts `rightstrack serve` on a free 127.0.0.1 port and sends it
mixed traffic from client threads (default 30 threads for 60 s, each a user pausing about 1 s between
requests; --think 0 sends as fast as the server answers): 70 % reads (list and detail pages, API
lists and records with a token), 30 % writes (assessments through the form and the API, edits of a
person through the API, logins). It measures twice: alone, then while `rightstrack backup` runs back
to back. Then the same two measurements against the same WSGI app under gunicorn with 2 workers.

Each measurement prints requests/s, p50/p95 of reads and writes, errors (any unexpected status or
failed connection) and lost writes: every write the server acknowledged is looked up in the database
afterwards (assessment ids and names, each person's final version and value, login session keys).
Goal: 0 errors and 0 lost writes in every run, reads p95 < 300 ms, reads p95 during a backup < 2x alone.

All traffic goes to 127.0.0.1; the servers are stopped and the run ends by itself. SQLite in the
temporary directory by default; --database-url points at a THROW-AWAY PostgreSQL database instead.

    .venv/bin/python bench/serve_load.py [--recommendations 100000] [--threads 30] [--seconds 60]
    .venv/bin/python bench/serve_load.py --recommendations 20000 --seconds 20 --no-gunicorn
    .venv/bin/python bench/serve_load.py --database-url postgresql://postgres@127.0.0.1:5432/rt_bench
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
PASSWORD = "load-bench-password-1"  # noqa: S105 - a throw-away user in a temporary database


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


# --- HTTP -----------------------------------------------------------------------------------------------


class Http:
    """One keep-alive connection to 127.0.0.1 with a cookie jar (enough for Django's session and CSRF)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.conn: http.client.HTTPConnection | None = None
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
        for attempt in (1, 2):
            reused = self.conn is not None
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
            sent = {"Host": f"127.0.0.1:{self.port}", **(headers or {})}
            if self.cookies:
                sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            try:
                self.conn.request(method, path, body=body, headers=sent)
                response = self.conn.getresponse()
                data = response.read()
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                self.close()
                # A keep-alive connection the server had already closed: the request never reached it.
                if reused and attempt == 1:
                    continue
                raise
            for value in response.headers.get_all("Set-Cookie") or []:
                name, _, rest = value.partition("=")
                cookie = rest.split(";")[0]
                if cookie in ("", '""'):
                    self.cookies.pop(name.strip(), None)
                else:
                    self.cookies[name.strip()] = cookie
            if (response.getheader("Connection") or "").lower() == "close":
                self.close()
            return response.status, data
        raise AssertionError("unreachable")

    def form(self, path: str, fields: dict) -> tuple[int, bytes]:
        body = urllib.parse.urlencode({**fields, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}).encode()
        return self.request("POST", path, body, {"Content-Type": "application/x-www-form-urlencoded"})

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
        self.conn = None


# --- Data -----------------------------------------------------------------------------------------------


@dataclass
class World:
    org_id: int
    rec_ids: list[int]
    users: list[tuple[str, str, int]]  # username, API token, own person id


def prepare(n: int, threads: int) -> World:
    """Migrate, create the users (one per client thread, each with a token and a person) and the data."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from rightstrack.core.models import ApiToken, Membership, Organisation, Person
    from rightstrack.recommendations.models import Recommendation

    sys.path.insert(0, str(ROOT / "bench"))
    from recommendations_search import analyze, generate

    call_command("init", verbosity=0)
    org, _ = Organisation.objects.get_or_create(slug="load", defaults={"name": "Load"})
    users = []
    for i in range(threads):
        user, created = get_user_model().objects.get_or_create(username=f"load-{i}")
        if created:
            user.set_password(PASSWORD)
            user.save()
        Membership.objects.get_or_create(
            user=user, organisation=org, defaults={"role": "analyst", "restricted_access": True}
        )
        _token, key = ApiToken.issue(user, "load bench")
        person, _ = Person.objects.get_or_create(organisation=org, pseudonym=f"load person {i}")
        users.append((user.username, key, person.pk))
    existing = Recommendation.objects.filter(organisation=org).count()
    if existing < n:
        generate(n - existing, org, None)
        analyze()
    ids = list(Recommendation.objects.filter(organisation=org).values_list("pk", flat=True))
    return World(org_id=org.pk, rec_ids=ids, users=users)


# --- Load -----------------------------------------------------------------------------------------------


@dataclass
class Acks:
    """Writes the server acknowledged, to be found in the database afterwards."""

    assessment_ids: list[int] = field(default_factory=list)
    assessment_names: list[str] = field(default_factory=list)
    persons: dict[int, tuple[int, str]] = field(default_factory=dict)  # id -> last acknowledged (version, value)
    sessions: list[str] = field(default_factory=list)
    edits: int = 0  # person edits acknowledged (only each person's last one can be checked)

    def count(self) -> int:
        return len(self.assessment_ids) + len(self.assessment_names) + self.edits + len(self.sessions)


@dataclass
class Result:
    reads: list[float] = field(default_factory=list)
    writes: list[float] = field(default_factory=list)
    by_kind: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: list[str] = field(default_factory=list)
    acks: Acks = field(default_factory=Acks)
    seconds: float = 0.0


WORDS = ["torture", "defenders", "assembly", "women", "judiciary", "trafficking", "death penalty"]


def why(body: bytes) -> str:
    """The gist of an error answer: the API's detail, or the first error shown on a page."""
    text = body.decode("utf-8", "replace")
    found = re.search(r'role="alert">\s*(.*?)\s*<', text, re.S)
    return (found.group(1) if found else text)[:120]


def login(port: int, username: str) -> tuple[Http, str | None, str]:
    """A fresh browser: log-in page, then the form. Returns the session, its key, and a problem if any."""
    http_ = Http(port)
    status, _ = http_.request("GET", "/accounts/login/")
    if status != 200:
        return http_, None, f"login page {status}"
    status, _ = http_.form("/accounts/login/", {"username": username, "password": PASSWORD, "next": "/"})
    key = http_.cookies.get("sessionid")
    if status != 302 or not key:
        return http_, None, f"login {status}"
    return http_, key, ""


def client(
    port: int, world: World, index: int, think: float, stop: threading.Event, result: Result, lock: threading.Lock
) -> None:
    """One user: log in, then requests until `stop`, pausing about `think` seconds between them."""
    rng = random.Random(1000 + index)
    username, token, person_id = world.users[index]
    auth = {"Authorization": f"Bearer {token}"}
    today = datetime.date.today().isoformat()
    local = Result()
    browser, key, problem = login(port, username)
    if problem:
        local.errors.append(problem)
    api = Http(port)
    n, version = 0, 1
    try:
        status, data = api.request("GET", f"/api/persons/{person_id}", headers=auth)
        version = json.loads(data)["version"] if status == 200 else version
    except (OSError, http.client.HTTPException, ValueError) as exc:
        local.errors.append(f"reading the person to edit: {exc}")
    while not stop.wait(rng.uniform(0.5, 1.5) * think):
        n += 1
        rec = rng.choice(world.rec_ids)
        roll = rng.random()
        kind = "?"
        started = time.perf_counter()
        try:
            if roll < 0.7:  # reads
                if roll < 0.18:
                    kind, params = "list page", {"page": rng.randint(1, 40)}
                    if rng.random() < 0.4:
                        params = {"q": rng.choice(WORDS)}
                    status, data = browser.request("GET", "/recommendations/?" + urllib.parse.urlencode(params))
                elif roll < 0.36:
                    kind, (status, data) = "detail page", browser.request("GET", f"/recommendations/{rec}/")
                elif roll < 0.54:
                    path = f"/api/recommendations/recommendations?limit=25&offset={rng.randint(0, 2000)}"
                    kind, (status, data) = "API list", api.request("GET", path, headers=auth)
                else:
                    path = f"/api/recommendations/recommendations/{rec}"
                    kind, (status, data) = "API record", api.request("GET", path, headers=auth)
                ok = status == 200
                bucket = local.reads
            else:  # writes
                bucket = local.writes
                if roll < 0.80:
                    kind, name = "API assessment", f"api {username} {n}"
                    body = {
                        "organisation_id": world.org_id,
                        "assessor_kind": "ngo",
                        "confidentiality": "restricted",  # never below the recommendation's level
                        "assessor_name": name,
                        "status": rng.choice(["partially", "not", "no_info"]),
                        "date": today,
                    }
                    status, data = api.request(
                        "POST",
                        f"/api/recommendations/recommendations/{rec}/assessments",
                        json.dumps(body).encode(),
                        {**auth, "Content-Type": "application/json"},
                    )
                    ok = status == 201
                    if ok:
                        local.acks.assessment_ids.append(json.loads(data)["id"])
                elif roll < 0.88:
                    kind, name = "form assessment", f"form {username} {n}"
                    fields = {
                        "organisation": world.org_id,
                        "confidentiality": "restricted",
                        "assessor_kind": "coalition",
                        "assessor_name": name,
                        "date": today,
                        "status": "partially",
                        "rationale": "",
                        "passages": "",
                    }
                    status, data = browser.form(f"/recommendations/{rec}/assess/", fields)
                    ok = status == 302
                    if ok:
                        local.acks.assessment_names.append(name)
                elif roll < 0.96:
                    kind, value = "API edit", f"edit {n}"
                    status, data = api.request(
                        "PATCH",
                        f"/api/persons/{person_id}",
                        json.dumps({"version": version, "occupation": value}).encode(),
                        {**auth, "Content-Type": "application/json"},
                    )
                    ok = status == 200
                    if ok:
                        version = json.loads(data)["version"]
                        local.acks.persons[person_id] = (version, value)
                        local.acks.edits += 1
                else:
                    kind = "login"
                    fresh, key, problem = login(port, username)
                    fresh.close()
                    status, ok, data = (problem or 302), not problem, b""
                    if ok:
                        local.acks.sessions.append(key)
        except (OSError, http.client.HTTPException) as exc:
            ok, status, data = False, f"{type(exc).__name__}: {exc}", b""
            browser.close()
            api.close()
        elapsed = (time.perf_counter() - started) * 1000
        if ok:
            bucket.append(elapsed)
            local.by_kind[kind].append(elapsed)
        else:
            local.errors.append(f"{kind}: {status} {why(data)}")
    browser.close()
    api.close()
    with lock:
        result.reads += local.reads
        result.writes += local.writes
        for kind, times in local.by_kind.items():
            result.by_kind[kind] += times
        result.errors += local.errors
        result.acks.assessment_ids += local.acks.assessment_ids
        result.acks.assessment_names += local.acks.assessment_names
        result.acks.persons.update(local.acks.persons)
        result.acks.sessions += local.acks.sessions
        result.acks.edits += local.acks.edits


def load(port: int, world: World, threads: int, seconds: float, think: float) -> Result:
    result, lock, stop = Result(), threading.Lock(), threading.Event()
    workers = [
        threading.Thread(target=client, args=(port, world, i, think, stop, result, lock), daemon=True)
        for i in range(threads)
    ]
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    time.sleep(seconds)
    stop.set()
    for worker in workers:
        worker.join(timeout=180)
    result.seconds = time.perf_counter() - started
    return result


def lost_writes(acks: Acks) -> int:
    """Acknowledged writes not found in the database."""
    from django.contrib.sessions.models import Session
    from django.db import connections

    from rightstrack.core.models import Person
    from rightstrack.recommendations.models import Assessment

    lost = len(set(acks.assessment_ids)) - Assessment.objects.filter(pk__in=acks.assessment_ids).count()
    names = set(
        Assessment.objects.filter(assessor_name__in=acks.assessment_names).values_list("assessor_name", flat=True)
    )
    lost += len(set(acks.assessment_names) - names)
    for person in Person.objects.filter(pk__in=list(acks.persons)):
        version, value = acks.persons[person.pk]
        # A later edit may have landed without its answer arriving (counted as an error), never an earlier state.
        if person.version < version or (person.version == version and person.occupation != value):
            lost += 1
    lost += len(set(acks.sessions)) - Session.objects.filter(session_key__in=acks.sessions).count()
    connections.close_all()  # hold no SQLite lock or PostgreSQL connection while the next run goes on
    return lost


def report(label: str, result: Result, lost: int) -> None:
    total = len(result.reads) + len(result.writes) + len(result.errors)
    print(
        f"{label}: {total} requests in {result.seconds:.0f} s = {total / result.seconds:.1f} req/s; "
        f"reads {len(result.reads)} p50 {pct(result.reads, 50):.0f} ms p95 {pct(result.reads, 95):.0f} ms; "
        f"writes {len(result.writes)} p50 {pct(result.writes, 50):.0f} ms p95 {pct(result.writes, 95):.0f} ms; "
        f"errors {len(result.errors)}; lost writes {lost} of {result.acks.count()} acknowledged"
    )
    for kind, times in sorted(result.by_kind.items()):
        print(f"    {kind:<16} {len(times):6d}  p50 {pct(times, 50):7.0f} ms  p95 {pct(times, 95):7.0f} ms")
    if result.errors:
        counts: dict[str, int] = defaultdict(int)
        for error in result.errors:
            counts[error[:160]] += 1
        for error, count in sorted(counts.items(), key=lambda kv: -kv[1])[:8]:
            print(f"    error x{count}: {error}")


# --- Servers --------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(kind: str, port: int, env: dict, log: Path) -> subprocess.Popen:
    if kind == "waitress":
        command = [str(BIN / "rightstrack"), "serve", "--host", "127.0.0.1", "--port", str(port)]
        command += ["--no-worker", "--no-housekeeping"]
    else:
        command = [
            str(BIN / "gunicorn"),
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "rightstrack.wsgi:application",
        ]
    process = subprocess.Popen(command, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.time() + 60
    while time.time() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{kind} stopped at start; see {log}")
        try:
            if Http(port).request("GET", "/accounts/login/")[0] == 200:
                return process
        except OSError:
            time.sleep(0.3)
    stop_server(process)
    raise SystemExit(f"{kind} did not answer within 60 s; see {log}")


def stop_server(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def backups_during(env: dict, out: Path, stop: threading.Event, runs: list) -> None:
    """`rightstrack backup` back to back until `stop`; each run's (seconds, exit code, last output line)."""
    n = 0
    while not stop.is_set():
        n += 1
        started = time.perf_counter()
        done = subprocess.run(
            [str(BIN / "rightstrack"), "backup", "--out", str(out / f"load-{n}.tar.gz")],
            env=env,
            capture_output=True,
            text=True,
            timeout=1800,
            check=False,
        )
        tail = (done.stderr or done.stdout).strip().splitlines()[-1:] or [""]
        runs.append((time.perf_counter() - started, done.returncode, tail[0][:200]))
        (out / f"load-{n}.tar.gz").unlink(missing_ok=True)


def measure(kind: str, world: World, args, env: dict, data: Path) -> dict[str, float]:
    port = free_port()
    process = start(kind, port, env, data / f"{kind}.log")
    figures: dict[str, float] = {}
    try:
        alone = load(port, world, args.threads, args.seconds, args.think)
        lost = lost_writes(alone.acks)
        report(f"[{kind}] alone", alone, lost)
        stop, runs = threading.Event(), []
        backups = threading.Thread(target=backups_during, args=(env, data, stop, runs), daemon=True)
        backups.start()
        time.sleep(1)  # the backup has started reading
        during = load(port, world, args.threads, args.seconds, args.think)
        stop.set()
        backups.join()
        lost_during = lost_writes(during.acks)
        report(f"[{kind}] during backup", during, lost_during)
        failed = [r for r in runs if r[1] != 0]
        print(
            f"    backups: {len(runs)} run, {len(failed)} failed; seconds "
            + ", ".join(f"{r[0]:.1f}" for r in runs)
            + "".join(f"\n    backup failed ({r[1]}): {r[2]}" for r in failed)
        )
        ratio = pct(during.reads, 95) / pct(alone.reads, 95)
        print(f"    reads p95 during backup / alone: {ratio:.2f}x (goal < 2x)")
        figures = {
            "rps": (len(alone.reads) + len(alone.writes)) / alone.seconds,
            "read_p95": pct(alone.reads, 95),
            "write_p95": pct(alone.writes, 95),
            "read_p95_backup": pct(during.reads, 95),
            "problems": len(alone.errors) + len(during.errors) + lost + lost_during + len(failed),
        }
    finally:
        stop_server(process)
    return figures


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--recommendations", type=int, default=100_000)
    ap.add_argument("--threads", type=int, default=30)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument(
        "--think",
        type=float,
        default=1.0,
        help="seconds each user pauses between requests, on average (0: as fast as the server answers)",
    )
    ap.add_argument("--database-url", help="a THROW-AWAY PostgreSQL database (default: SQLite in the temp dir)")
    ap.add_argument("--no-gunicorn", action="store_true", help="measure waitress only")
    ap.add_argument("--keep", action="store_true", help="keep the temporary data directory")
    args = ap.parse_args()

    data = Path(tempfile.mkdtemp(prefix="rt-bench-load-"))
    env = {
        **os.environ,
        "RIGHTSTRACK_DATA_DIR": str(data),
        "DJANGO_SETTINGS_MODULE": "rightstrack.settings",
        "RIGHTSTRACK_BACKUP_EVERY_HOURS": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DEBUG": "",
        "PYTHONPATH": str(ROOT / "src"),
    }
    env.pop("RIGHTSTRACK_BACKUP_PASSPHRASE", None)
    if args.database_url:
        env["DATABASE_URL"] = args.database_url
    else:
        env.pop("DATABASE_URL", None)
    os.environ.clear()
    os.environ.update(env)
    sys.path.insert(0, str(ROOT / "src"))
    try:
        started = time.perf_counter()
        world = prepare(args.recommendations, args.threads)
        from django.db import connection, connections

        vendor = connection.vendor
        connections.close_all()
        print(
            f"database: {vendor}; {len(world.rec_ids)} recommendations; {args.threads} client threads, "
            f"{args.seconds:.0f} s per run, {args.think:g} s pause between a user's requests; "
            f"prepared in {time.perf_counter() - started:.0f} s"
        )
        results = {"waitress": measure("waitress", world, args, env, data)}
        if not args.no_gunicorn:
            results["gunicorn"] = measure("gunicorn", world, args, env, data)
            w, g = results["waitress"], results["gunicorn"]
            print(
                f"waitress / gunicorn (2 workers): req/s {w['rps'] / g['rps']:.2f}; "
                f"reads p95 {w['read_p95'] / g['read_p95']:.2f}; writes p95 {w['write_p95'] / g['write_p95']:.2f}; "
                f"reads p95 during backup {w['read_p95_backup'] / g['read_p95_backup']:.2f}"
            )
        worst = max(r["read_p95"] for r in results.values())
        problems = sum(r["problems"] for r in results.values())
        print(f"worst reads p95 {worst:.0f} ms (goal < 300 ms); errors + lost writes + failed backups: {problems}")
        return 0 if problems == 0 else 1
    finally:
        if args.keep:
            print(f"data kept in {data}")
        else:
            shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
