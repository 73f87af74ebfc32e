"""Benchmark the incidents statistics page (four breakdowns + HRD threat index) over 200,000 acts against pandas.

Generates (seeded) 2 organisations, 20,000 events (public / internal / restricted), 3,000 persons (a fifth of
them defenders), 200,000 acts over 2021–2024 and ~1.3 involvements per act, then times, for a coordinator
with restricted access (the visibility filter is part of every query):

* `queries.statistics(user)`: acts by type, region, period and perpetrator unit and the threat index (one
  grouped scan of the acts, one of the involvements), with each of its SQL queries timed on its own;
* `queries.threat_index(user)` alone (the API's path, and the page's when a year is picked);
* the whole statistics page through Django's test client: the first request of the process (URL conf and
  templates loaded, five charts drawn), then warm (charts cached by their data), then with the chart cache
  emptied before each request (what the first view after new data costs).

Baseline: pandas on the same visible rows: loading them into DataFrames (one query each for acts, involvements
and visible defenders), then the four groupbys and the defenders per year; both the groupbys alone and
load + groupbys are printed, with the ratio. Figures are p50 / p95 over `--repeat` runs; on SQLite the CPU time
of this process is printed too (the database runs in-process, so it is steadier than wall time when other
programs share the cores).

    .venv/bin/python bench/incidents_stats.py [--acts 200000] [--repeat 15]
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/rt_incidents_bench .venv/bin/python bench/incidents_stats.py

SQLite runs in a temporary directory. With DATABASE_URL, use a throw-away database: the script migrates it
and deletes the rows it created at the end. Goal: the whole page < 300 ms.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
TMP = tempfile.mkdtemp(prefix="rt-bench-incidents-")
os.environ.setdefault("RIGHTSTRACK_DATA_DIR", TMP)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rightstrack.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")  # the page is fetched through Django's test client

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

TYPES = [
    "torture",
    "ill_treatment",
    "arbitrary_detention",
    "threat",
    "surveillance",
    "prosecution",
    "obstruction_of_lawyer",
    "internet_shutdown",
    "killing",
    "enforced_disappearance",
]
UNITS = ["police", "national_security", "penitentiary", "prosecutor", "court", "military"]


def generate(n_acts: int, seed: int):
    from django.contrib.auth import get_user_model

    from rightstrack.core.models import Membership, Organisation, Person, Place
    from rightstrack.incidents.models import Act, Event, Involvement

    rng = random.Random(seed)
    orgs = [Organisation.objects.create(name=f"Bench org {i} (synthetic)", slug=f"bench-inc-{i}") for i in (1, 2)]
    user = get_user_model().objects.create_user("bench-inc-coordinator", password="x")  # noqa: S106
    Membership.objects.create(user=user, organisation=orgs[0], role="coordinator", restricted_access=True)
    places = list(Place.objects.values_list("pk", flat=True)) + [None]
    levels = ["internal", "internal", "restricted", "public"]
    persons = Person.objects.bulk_create(
        Person(organisation=orgs[i % 2], confidentiality=rng.choice(levels), pseudonym=f"B-{i}", is_hrd=i % 5 == 0)
        for i in range(3000)
    )
    n_events = max(1, n_acts // 10)
    start = datetime.date(2021, 1, 1)
    events = Event.objects.bulk_create(
        Event(
            organisation=orgs[i % 2],
            confidentiality=rng.choice(levels),
            title=f"Bench event {i}",
            start_date=start + datetime.timedelta(days=rng.randrange(1400)),
            place_id=rng.choice(places),
        )
        for i in range(n_events)
    )
    batch = 20_000
    made = 0
    while made < n_acts:
        size = min(batch, n_acts - made)
        acts = []
        for k in range(size):
            event = events[(made + k) % n_events]
            act = Act(
                event=event,
                act_type=rng.choice(TYPES),
                victim=rng.choice(persons),
                date=event.start_date + datetime.timedelta(days=rng.randrange(3)) if rng.random() < 0.9 else None,
                place_id=rng.choice(places) if rng.random() < 0.5 else None,
                has_perpetrator=rng.random() < 0.8,
            )
            act.refresh_stats(event)  # what actions.add_act does; bulk_create bypasses it
            acts.append(act)
        acts = Act.objects.bulk_create(acts)
        involvements = []
        for act in acts:
            units = [rng.choice(UNITS) for _ in range(rng.choice([1, 1, 1, 2]) if act.has_perpetrator else 0)]
            for n, unit in enumerate(units):
                # first_of_unit as actions.add_involvement sets it (bulk_create bypasses it).
                involvements.append(
                    Involvement(event_id=act.event_id, act=act, unit=unit, first_of_unit=unit not in units[:n])
                )
        Involvement.objects.bulk_create(involvements, batch_size=5000)
        made += size
    return user, orgs


def pandas_baseline(user) -> tuple[float, float, dict]:
    """(load seconds, groupby seconds, totals) for the same visible rows and figures in pandas."""
    import pandas as pd
    from django.db.models.functions import Coalesce, ExtractYear

    from rightstrack.core import visibility
    from rightstrack.core.models import Person
    from rightstrack.incidents import queries
    from rightstrack.incidents.models import Act, Involvement

    t0 = time.perf_counter()
    acts = pd.DataFrame.from_records(
        visibility.visible(user, Act)
        .annotate(
            place_key=Coalesce("place_id", "event__place_id"), year=ExtractYear(Coalesce("date", "event__start_date"))
        )
        .order_by()
        .values_list("pk", "act_type", "place_key", "year", "victim_id"),
        columns=["pk", "act_type", "place", "year", "victim"],
    )
    units = pd.DataFrame.from_records(
        visibility.visible(user, Involvement).values_list("act_id", "unit"), columns=["pk", "unit"]
    )
    defenders = list(
        visibility.visible(user, Person).filter(queries.defender_q(prefix="")).values_list("pk", flat=True)
    )
    t1 = time.perf_counter()
    by_type = acts.groupby("act_type").size()
    by_place = acts.groupby("place", dropna=False).size()
    by_year = acts.groupby("year").size()
    merged = acts[["pk"]].merge(units.drop_duplicates(), on="pk", how="left")
    by_unit = merged.groupby("unit", dropna=False)["pk"].nunique()
    threat = acts[acts["victim"].isin(defenders)].groupby("year").size()
    t2 = time.perf_counter()
    totals = {"total": int(by_type.sum()), "units": int(by_unit.sum()), "years": len(by_year), "places": len(by_place)}
    totals["threat"] = {int(year): int(n) for year, n in threat.items()}
    return t1 - t0, t2 - t1, totals


def pct(values: list[float], q: int) -> float:
    """Nearest-rank percentile, in milliseconds."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, -(-q * len(ordered) // 100) - 1))] * 1000


def fmt(values: list[float]) -> str:
    return f"p50 {pct(values, 50):.0f} ms, p95 {pct(values, 95):.0f} ms"


def query_label(sql: str) -> str:
    if "core_place" in sql:
        return "places of the region rows"
    if 'FROM "incidents_involvement"' in sql:
        return "acts per perpetrator unit"
    return "type, region, period, no perpetrator + threat index"


def timed(fn, repeat: int, cpu: list[float] | None = None) -> list[float]:
    """Wall seconds per call; with `cpu`, also this process's CPU seconds (SQLite runs in-process, so its CPU
    time does not grow when other programs share the cores, unlike wall time)."""
    out = []
    for _ in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        fn()
        out.append(time.perf_counter() - t)
        if cpu is not None:
            cpu.append(time.process_time() - c)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--acts", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--keep", action="store_true", help="keep the generated rows (PostgreSQL) for profiling")
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    from django.test.utils import CaptureQueriesContext

    from rightstrack.core.models import Organisation
    from rightstrack.incidents import queries

    t = time.perf_counter()
    with transaction.atomic():
        user, orgs = generate(args.acts, args.seed)
    print(f"database: {connection.vendor}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"generated: {args.acts} acts in {time.perf_counter() - t:.1f} s")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # fresh tables: give the planner statistics, as autovacuum would
    try:
        from django.test import Client

        client = Client()
        client.force_login(user)
        t = time.perf_counter()
        first = client.get("/incidents/statistics/")
        first_page = time.perf_counter() - t
        assert first.status_code == 200 and first.content.count(b"data:image/svg+xml") == 5

        stats = queries.statistics(user)
        print(f"visible acts: {stats.total} (coordinator of one organisation, restricted access)")
        ours_cpu: list[float] = []
        ours = timed(lambda: queries.statistics(user), args.repeat, ours_cpu)
        # Each SQL query of statistics() on its own, fetched to the end (SQLite computes streamed groups while
        # they are fetched, so the time Django records for execute() alone would be too short).
        with CaptureQueriesContext(connection) as captured:
            queries.statistics(user)
        per_query: dict[str, list[float]] = {}
        with connection.cursor() as cursor:
            for query in captured.captured_queries:
                times = per_query.setdefault(query_label(query["sql"]), [])
                for _ in range(args.repeat):
                    t = time.perf_counter()
                    cursor.execute(query["sql"])
                    cursor.fetchall()
                    times.append(time.perf_counter() - t)
        index = timed(lambda: queries.threat_index(user), args.repeat)

        loads, groupbys = [], []
        for _ in range(args.repeat):
            lo, gb, totals = pandas_baseline(user)
            loads.append(lo)
            groupbys.append(gb)
        assert totals["total"] == stats.total, (totals, stats.total)
        assert totals["threat"] == {p.year: p.count for p in stats.threat if p.count}, (totals, stats.threat)

        page_cpu: list[float] = []
        page = timed(lambda: client.get("/incidents/statistics/"), args.repeat, page_cpu)

        from rightstrack.incidents import charts

        def redrawn() -> None:
            charts._bars.cache_clear()
            charts._lines.cache_clear()
            client.get("/incidents/statistics/")

        page_redrawn = timed(redrawn, args.repeat)

        p50 = statistics.median
        print(f"statistics(), four breakdowns + threat index (database): {fmt(ours)}")
        if connection.vendor == "sqlite":
            print(f"  CPU time of this process (SQLite in-process): {fmt(ours_cpu)}")
        for label, times in per_query.items():
            print(f"  query: {label}: {fmt(times)}")
        print(f"threat_index() alone (database): {fmt(index)}")
        print(
            f"pandas groupbys only: {fmt(groupbys)}; load + groupbys: p50 {(p50(loads) + p50(groupbys)) * 1000:.0f} ms"
        )
        print(f"ratio ours / pandas groupbys: {p50(ours) / p50(groupbys):.2f}")
        print(f"ratio ours / pandas load+groupbys: {p50(ours) / (p50(loads) + p50(groupbys)):.2f}")
        print(
            f"statistics page, first request of the process (URL conf and templates loaded, charts drawn): "
            f"{first_page * 1000:.0f} ms"
        )
        print(f"statistics page, chart cache warm: {fmt(page)} [goal < 300 ms]")
        if connection.vendor == "sqlite":
            print(f"  CPU time of this process: {fmt(page_cpu)}")
        print(f"statistics page, charts redrawn (first view after new data): {fmt(page_redrawn)}")
        print(f"ratio page (warm) / pandas load+groupbys: {p50(page) / (p50(loads) + p50(groupbys)):.2f}")
        print(f"load average at the end: {os.getloadavg()[0]:.1f}")
    finally:
        if connection.vendor != "sqlite" and not args.keep:
            from rightstrack.core.models import Membership, Person
            from rightstrack.incidents.models import Event

            with transaction.atomic():
                Event.objects.filter(organisation__in=orgs).delete()
                Person.objects.filter(organisation__in=orgs).delete()
                Membership.objects.filter(user=user).delete()
                user.delete()
                Organisation.objects.filter(pk__in=[o.pk for o in orgs]).delete()
        connection.close()
        shutil.rmtree(TMP, ignore_errors=True)  # the SQLite database, when it was made there


if __name__ == "__main__":
    main()
