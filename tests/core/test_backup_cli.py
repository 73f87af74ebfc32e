"""`rightstrack backup / restore` as a deployer runs them: separate processes, real database files.

* The demo of every module goes from SQLite to PostgreSQL and back and comes back identical.
* While a backup runs (held half-way by a hook), the site keeps logging people in, answering token API
  reads and saving; what was saved meanwhile is not in the backup (it is one consistent moment).

PostgreSQL tests use throwaway databases on the server of RIGHTSTRACK_TEST_POSTGRES_URL (default: the
server of DATABASE_URL when that is PostgreSQL, else postgresql://postgres@127.0.0.1:5432/postgres) and
are skipped when it cannot be reached.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import socket
import subprocess
import sys
import tarfile
import time
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest

RIGHTSTRACK = Path(sys.executable).parent / "rightstrack"
FINGERPRINT = (
    "import json, hashlib; from pathlib import Path; from django.conf import settings; "
    "from rightstrack.core.backup import fingerprints, row_counts; "
    "files = {p.relative_to(settings.FILES_DIR).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() "
    "for p in Path(settings.FILES_DIR).rglob('*') if p.is_file() "
    "and p.relative_to(settings.FILES_DIR).parts[0] != 'tmp'}; "
    "print('FINGERPRINT' + json.dumps([fingerprints(), row_counts(), files]))"
)


def server_url() -> str:
    url = os.environ.get("RIGHTSTRACK_TEST_POSTGRES_URL") or os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        url = "postgresql://postgres@127.0.0.1:5432/postgres"
    return url


def with_database(url: str, name: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))


@pytest.fixture
def postgres():
    """Makes throwaway PostgreSQL databases; drops them afterwards."""
    psycopg = pytest.importorskip("psycopg")
    url = server_url()
    try:
        admin = psycopg.connect(with_database(url, "postgres"), autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as exc:
        pytest.skip(f"PostgreSQL is not reachable at {url.split('@')[-1]}: {str(exc).splitlines()[0]}")
    made = []

    def make() -> str:
        name = f"rt_backup_{uuid.uuid4().hex[:10]}"
        admin.execute(f'CREATE DATABASE "{name}"')
        made.append(name)
        return with_database(url, name)

    yield make
    for name in made:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def environment(tmp_path: Path, name: str, database_url: str | None, **extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "RIGHTSTRACK_", "DJANGO_"))}
    env.update(RIGHTSTRACK_DATA_DIR=str(tmp_path / name), RIGHTSTRACK_DEMO_PASSWORD="demo password 1", **extra)
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def cli(env: dict, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    done = subprocess.run([str(RIGHTSTRACK), *args], env=env, capture_output=True, text=True, timeout=600)
    if check and done.returncode:
        raise AssertionError(f"rightstrack {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done


def fingerprint(env: dict) -> list:
    out = cli(env, "shell", "-c", FINGERPRINT).stdout
    return json.loads(out[out.index("FINGERPRINT") + len("FINGERPRINT") :])


@pytest.mark.parametrize(
    "source, target, sealed",
    [("sqlite", "postgresql", False), ("postgresql", "sqlite", True), ("sqlite", "sqlite", True)],
)
def test_demo_round_trip_across_databases(tmp_path, request, source, target, sealed):
    """The demo of every module, backed up on one database and restored into a fresh data dir on another."""
    make = request.getfixturevalue("postgres") if "postgresql" in (source, target) else None
    extra = {"RIGHTSTRACK_BACKUP_PASSPHRASE": "a coalition passphrase"} if sealed else {}
    src = environment(tmp_path, "source", make() if source == "postgresql" else None, **extra)
    dst = environment(tmp_path, "target", make() if target == "postgresql" else None, **extra)
    cli(src, "demo", "--reset")
    archive = tmp_path / ("demo.tar.gz.sealed" if sealed else "demo.tar.gz")
    started = time.monotonic()
    written = cli(src, "backup", "--out", str(archive)).stdout
    backed_up = time.monotonic() - started
    assert ("Not sealed" in written) != sealed
    expected = fingerprint(src)
    assert expected[1]["evidence.citation"] and expected[1]["contenttypes.contenttype"] and expected[2]

    assert "Backup verified" in cli(dst, "backup", "--verify", str(archive)).stdout
    cli(dst, "init")
    started = time.monotonic()
    restored = cli(dst, "restore", str(archive), "--yes").stdout
    print(  # shown with -s: the figures the README quotes
        f"\n{source}->{target}: backup {backed_up:.1f} s, restore {time.monotonic() - started:.1f} s, "
        f"{archive.stat().st_size / 2**20:.2f} MB, {expected[1]['core.person']} people"
    )
    assert "Restored" in restored
    assert fingerprint(dst) == expected
    # Restoring again in place, over the same data, gives the same again.
    cli(dst, "restore", str(archive), "--yes")
    assert fingerprint(dst) == expected


def test_a_failed_restore_prints_one_line_and_exits_non_zero(tmp_path):
    env = environment(tmp_path, "data", None)
    cli(env, "init")
    bad = tmp_path / "bad.tar.gz"
    bad.write_bytes(b"\x1f\x8b not really gzip")
    done = cli(env, "restore", str(bad), "--yes", check=False)
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert done.stderr.strip().count("\n") == 0 and "Restore failed, nothing changed" in done.stderr
    done = cli(env, "backup", "--verify", str(bad), check=False)
    assert done.returncode != 0 and "Verification failed" in done.stderr and "Traceback" not in done.stderr


# --- Backing up while the site is in use ------------------------------------------------------------------

HELD_BACKUP = """
import os, sys, time
from pathlib import Path
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rightstrack.settings")
django.setup()
from rightstrack.core import backup

started, go = Path(sys.argv[1]), Path(sys.argv[2])

def hold(step):
    # Half-way through reading the rows: tell the test, then wait until it has used the site.
    if step.startswith("dump") and not started.exists():
        started.write_text(step)
        deadline = time.monotonic() + 120
        while not go.exists() and time.monotonic() < deadline:
            time.sleep(0.05)

backup.STEP_HOOK = hold
print(backup.create_backup(Path(sys.argv[3])))
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(predicate, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def port_open(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_the_site_keeps_working_while_a_backup_runs(tmp_path, request, database):
    url = request.getfixturevalue("postgres")() if database == "postgresql" else None
    env = environment(tmp_path, "data", url)
    cli(env, "init")
    cli(
        env,
        "createuser",
        "maria",
        "--organisation",
        "Coalition",
        "--role",
        "coordinator",
        "--password",
        "plum kettle " * 2,
    )
    out = cli(
        env,
        "shell",
        "-c",
        "from django.contrib.auth.models import User; from rightstrack.core.models import ApiToken; "
        "print('TOKEN', ApiToken.issue(User.objects.get(username='maria'), 'laptop')[1], "
        "User.objects.get(username='maria').memberships.get().organisation_id)",
    ).stdout
    token, org_id = re.search(r"TOKEN (\S+) (\d+)", out).groups()
    port = free_port()
    server = subprocess.Popen(
        [str(RIGHTSTRACK), "serve", "--port", str(port), "--no-worker", "--no-housekeeping"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    started, go, archive = tmp_path / "started", tmp_path / "go", tmp_path / "held.tar.gz"
    held = None
    try:
        wait_for(lambda: port_open(port), 60, "the server")
        held = subprocess.Popen(
            [sys.executable, "-c", HELD_BACKUP, str(started), str(go), str(archive)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        wait_for(started.exists, 120, "the backup to start reading rows")
        base = f"http://127.0.0.1:{port}"
        timing = {}

        def timed(name: str, call):
            t = time.monotonic()
            result = call()
            timing[name] = time.monotonic() - t
            return result

        # A log-in (writes the session, the last login and the login log).
        jar = http.cookiejar.CookieJar()
        browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        page = browser.open(f"{base}/accounts/login/", timeout=15).read().decode()
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        form = urllib.parse.urlencode(
            {"username": "maria", "password": "plum kettle " * 2, "csrfmiddlewaretoken": csrf}
        )
        request_ = urllib.request.Request(f"{base}/accounts/login/", data=form.encode(), headers={"Referer": base})
        response = timed("login", lambda: browser.open(request_, timeout=15))
        assert response.status == 200 and "/accounts/login/" not in response.url  # redirected onwards
        # A token API read (which also notes when the token was last used).
        api = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        me = timed("api read", lambda: urllib.request.urlopen(urllib.request.Request(f"{base}/api/me", headers=api)))
        assert json.loads(me.read())["username"] == "maria"
        # A save.
        body = json.dumps({"organisation_id": int(org_id), "pseudonym": "Saved during the backup"}).encode()
        saved = timed(
            "save",
            lambda: urllib.request.urlopen(
                urllib.request.Request(f"{base}/api/persons", data=body, headers=api, method="POST"), timeout=15
            ),
        )
        assert saved.status == 201
        assert held.poll() is None, "the backup should still be held half-way"
        assert max(timing.values()) < 5, timing  # nothing waited for the backup
        go.write_text("go")
        stdout, stderr = held.communicate(timeout=300)
        assert held.returncode == 0, stderr
    finally:
        go.write_text("go")
        if held is not None and held.poll() is None:
            held.kill()
        server.terminate()
        server.wait(timeout=30)
    # The archive is the moment the backup began: the person saved meanwhile is not in it, and it verifies.
    with tarfile.open(archive) as tar:
        data = tar.extractfile("data.json").read().decode()
    assert '"username": "maria"' in data and "Saved during the backup" not in data
    assert "Backup verified" in cli(env, "backup", "--verify", str(archive)).stdout
