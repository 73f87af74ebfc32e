"""Benchmark trial-monitoring findings over 1,000,000 answers against a pandas groupby of the same rows.

Generates (seeded) 5 courts, 40 cases, 140 defendants, 20,000 hearings with one reviewed observation each
and 50 answers per observation, then times `findings.indicator_findings(user, breakdown=["court",
"period"])` (every indicator, court × month, one GROUP BY in the database, visibility filter included) and
the derived findings. The baseline is pandas: the same rows loaded into a DataFrame, then
`groupby([indicator, court, month, value]).size()`; both the groupby alone and load + groupby are given.

    .venv/bin/python bench/trials_findings.py [--answers 1000000] [--repeat 3]
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/rt_trials_bench .venv/bin/python bench/trials_findings.py

SQLite runs in a temporary directory. With DATABASE_URL, use a throw-away database: the script migrates it
and deletes the trials rows it created at the end.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
TMP = tempfile.mkdtemp(prefix="rt-bench-trials-")
os.environ.setdefault("RIGHTSTRACK_DATA_DIR", TMP)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rightstrack.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

CITIES = ["Almaty", "Kyzylorda", "Semey", "Taldykorgan", "Taraz"]


def generate(n_answers: int, seed: int):
    from django.contrib.auth import get_user_model

    from rightstrack.core.models import Membership, Organisation, Person
    from rightstrack.trials.checklists import current_checklist
    from rightstrack.trials.models import Case, Court, Defendant, Hearing, Observation

    rng = random.Random(seed)
    org = Organisation.objects.create(name="Bench org (synthetic)", slug="bench-org")
    user = get_user_model().objects.create_user("bench-coordinator", password="x")  # noqa: S106
    Membership.objects.create(user=user, organisation=org, role="coordinator", restricted_access=True)
    checklist = current_checklist()
    indicators = list(checklist.indicators.order_by("position"))[:50]
    courts = [
        Court.objects.create(organisation=org, confidentiality="public", name=f"Court {c}", city=c) for c in CITIES
    ]
    cases, defendants = [], {}
    for n in range(40):
        case = Case.objects.create(
            organisation=org,
            confidentiality=rng.choice(["internal", "restricted"]),
            number=f"B-{n}",
            court=courts[n % 5],
            charges="272(2)",
        )
        cases.append(case)
        defendants[case.pk] = []
        for k in range(1 + n % 6):
            person = Person.objects.create(organisation=org, pseudonym=f"B-{n}-{k}")
            defendants[case.pk].append(Defendant.objects.create(case=case, person=person, position=k + 1).pk)
    n_hearings = max(1, n_answers // len(indicators))
    start = datetime.date(2022, 1, 10)
    hearings = Hearing.objects.bulk_create(
        Hearing(case=cases[i % len(cases)], date=start + datetime.timedelta(days=rng.randrange(700)))
        for i in range(n_hearings)
    )
    observations = Observation.objects.bulk_create(
        Observation(case_id=h.case_id, hearing=h, monitor=user, checklist=checklist, status="reviewed")
        for h in hearings
    )
    yes_no = ["yes", "no", "yes", "no", "no", "not_observed", "not_applicable"]

    def value_of(indicator):
        if indicator.type == "yes_no_not_observed_na":
            return rng.choice(yes_no), None
        if indicator.type == "choice":
            return rng.choice([o["code"] for o in indicator.options] + ["not_observed"]), None
        if indicator.type in ("count", "duration_minutes"):
            number = rng.randrange(0, 60)
            return str(number), number
        return "", None

    court_of = {c.pk: c.court_id for c in cases}
    rows = []
    for h, o in zip(hearings, observations, strict=True):
        for indicator in indicators:
            defendant = rng.choice(defendants[h.case_id]) if indicator.scope == "defendant" else None
            value, number = value_of(indicator)
            rows.append(
                (
                    o.pk,
                    indicator.pk,
                    defendant,
                    h.case_id,
                    court_of[h.case_id],
                    h.pk,
                    h.date.isoformat(),
                    h.date.isoformat()[:7],
                    value,
                    number,
                )
            )
    insert(rows)
    return user, len(rows)


def insert(rows) -> None:
    columns = (
        "observation_id, indicator_id, defendant_id, case_id, court_id, hearing_id, hearing_date, month, value, "
        "number, text, note, auto, counted, updated_at"
    )
    now = datetime.datetime.now(datetime.UTC).isoformat()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            raw = connection.cursor().cursor
            with raw.copy(f"COPY trials_answer ({columns}) FROM STDIN") as copy:
                for r in rows:
                    copy.write_row((*r, "", "", False, True, now))
        else:
            with connection.cursor() as cursor:
                sql = f"INSERT INTO trials_answer ({columns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', '', 0, 1, ?)"
                for i in range(0, len(rows), 50_000):
                    cursor.executemany(sql, [(*r, now) for r in rows[i : i + 50_000]])
    if connection.vendor == "postgresql":
        # As autovacuum would after a bulk load: statistics, and the visibility map for index-only scans.
        autocommit = connection.get_autocommit()
        connection.set_autocommit(True)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE trials_answer")
        connection.set_autocommit(autocommit)
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def pandas_rows():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT a.indicator_id, a.court_id, a.hearing_date, a.value FROM trials_answer a WHERE a.counted"
        )
        return cursor.fetchall()


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--answers", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--seed", type=int, default=2022)
    args = ap.parse_args()
    import pandas as pd

    from rightstrack.trials import findings

    if connection.vendor != "sqlite" and "bench" not in connection.settings_dict["NAME"]:
        print("use a throw-away database whose name contains 'bench' (it is flushed at the end)")
        return 2
    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor}")
    t0 = time.perf_counter()
    user, n = generate(args.answers, args.seed)
    print(f"generated answers: {n}  in {time.perf_counter() - t0:.1f}s")
    try:
        times = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            result = findings.indicator_findings(user, breakdown=["court", "period"])
            times.append(time.perf_counter() - t)
        cells = sum(len(f.by) for f in result)
        ours = statistics.median(times)
        print(
            f"indicator findings (court x month): median {ours:.3f}s  best {min(times):.3f}s  "
            f"findings {len(result)}  breakdown cells {cells}"
        )
        t = time.perf_counter()
        derived = findings.derived_findings(user, breakdown=["court", "period"])
        print(f"derived findings (court x month): {time.perf_counter() - t:.3f}s  findings {len(derived)}")

        t = time.perf_counter()
        frame = pd.DataFrame(pandas_rows(), columns=["indicator", "court", "date", "value"])
        frame["month"] = frame["date"].astype(str).str.slice(0, 7)
        load = time.perf_counter() - t
        group_times = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            grouped = frame.groupby(["indicator", "court", "month", "value"]).size()
            group_times.append(time.perf_counter() - t)
        baseline = statistics.median(group_times)
        print(f"pandas: load {load:.3f}s  groupby median {baseline:.3f}s  groups {len(grouped)}")
        print(f"ratio ours / pandas groupby: {ours / baseline:.2f}")
        print(f"ratio ours / pandas load+groupby: {ours / (load + baseline):.2f}")
        verdict = "PASS" if ours < 1.0 else "SLOW"
        print(f"goal < 1 s: {verdict}")
    finally:
        if connection.vendor != "sqlite":
            call_command("flush", interactive=False, verbosity=0)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
