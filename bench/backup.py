"""Benchmark: backup, verify and restore at many recommendations, and writes while the backup runs.

Generates N recommendations (default 100,000; seeded, as bench/recommendations_search.py), then times
`create_backup` while another thread saves a row every 20 ms on its own connection (latency p50/p95/max and
errors: a backup must not stop the site), then `verify_backup` and an in-place `restore_backup`. The
baseline is a plain copy of the database in the same run: SQLite's backup API into a file, or `pg_dump`
when it is installed. Runs against DATABASE_URL (a throw-away database!) or a temporary SQLite file.

    .venv/bin/python bench/backup.py [--rows 100000]
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/rt_bench .venv/bin/python bench/backup.py
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rightstrack.settings")
os.environ.setdefault("RIGHTSTRACK_DATA_DIR", tempfile.mkdtemp(prefix="rt-bench-backup-"))


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p))] if values else 0.0


def baseline_copy(target: Path) -> float:
    """Seconds for a plain copy of the database, the least a backup can cost."""
    from django.db import connection

    started = time.perf_counter()
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        copy = sqlite3.connect(target)
        connection.connection.backup(copy)
        copy.close()
    else:
        if not shutil.which("pg_dump"):
            return float("nan")
        s = connection.settings_dict
        env = {**os.environ, "PGPASSWORD": s.get("PASSWORD") or ""}
        args = ["pg_dump", "-h", s["HOST"] or "127.0.0.1", "-p", str(s["PORT"] or 5432), "-U", s["USER"]]
        subprocess.run([*args, "-Fc", "-f", str(target), s["NAME"]], check=True, env=env)
    return time.perf_counter() - started


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=100_000)
    args = ap.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import close_old_connections, connection
    from recommendations_search import generate

    from rightstrack.core import backup
    from rightstrack.core.models import Membership, Organisation
    from rightstrack.recommendations.models import Recommendation

    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor}")
    org, _ = Organisation.objects.get_or_create(slug="bench", defaults={"name": "Bench"})
    user, _ = get_user_model().objects.get_or_create(username="bench-analyst")
    Membership.objects.get_or_create(user=user, organisation=org, defaults={"role": "analyst"})
    existing = Recommendation.objects.filter(organisation=org).count()
    if existing < args.rows:
        generate(args.rows - existing, org, user)
    print(f"recommendations: {Recommendation.objects.count()}")
    work = Path(tempfile.mkdtemp(prefix="rt-bench-backup-out-"))
    try:
        base = baseline_copy(work / "baseline.db")
        print(f"baseline plain copy: {base:.2f} s")

        latencies: list[float] = []
        errors: list[str] = []
        stop = threading.Event()

        def writer() -> None:
            while not stop.is_set():
                started = time.perf_counter()
                try:
                    Organisation.objects.filter(pk=org.pk).update(name=f"Bench {started}")
                except Exception as exc:  # noqa: BLE001 - counted, the point of the benchmark
                    errors.append(str(exc).splitlines()[0])
                latencies.append(time.perf_counter() - started)
                time.sleep(0.02)
            close_old_connections()
            connection.close()

        thread = threading.Thread(target=writer)
        thread.start()
        started = time.perf_counter()
        archive = backup.create_backup(work / "bench.tar.gz", passphrase="")
        took = time.perf_counter() - started
        stop.set()
        thread.join()
        size = archive.stat().st_size / 2**20
        print(f"backup: {took:.2f} s, {size:.1f} MB, ours/baseline {took / base:.1f}x")
        print(
            f"writes during the backup: {len(latencies)}, errors {len(errors)}, "
            f"p50 {pct(latencies, 0.5) * 1000:.1f} ms, p95 {pct(latencies, 0.95) * 1000:.1f} ms, "
            f"max {max(latencies, default=0) * 1000:.1f} ms"
        )
        started = time.perf_counter()
        backup.verify_backup(archive, passphrase="")
        print(f"verify: {time.perf_counter() - started:.2f} s")
        started = time.perf_counter()
        backup.restore_backup(archive, passphrase="")
        print(f"restore in place: {time.perf_counter() - started:.2f} s")
        print(f"files dir: {settings.FILES_DIR}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
