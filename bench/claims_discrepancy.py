"""Benchmark the claims vs evidence (discrepancy) view, the claims page and the claims export.

Generates (seeded) 2 organisations, 60 indicators with 10 years of official, NGO and international figures
(1,800 data points, a fifth restricted), N State claims (default 3,000) with one or two figures each linked
to an indicator, topics and ICCPR articles, and verdicts on a third of them; then times, for an analyst
with restricted access (the visibility filter is part of every query):

* `queries.discrepancies(user)`: every claim compared with independent figures, grouped and sorted by gap,
  plus the official-vs-independent pairs; and with `limit=25` as the page asks (gaps of every claim, full
  rows for the 25 biggest per group);
* the discrepancy page (and with ?all=1) and the first claims page through Django's test client;
* the CSV export of every claim with its evidence and verdict.

Baseline: one hand-written SQL query that joins claim figures to the independent data points of the same
indicator and overlapping period and computes the gap in the database, then sorts in Python — the bare
join the view cannot avoid, without visibility rules, grouping, verdicts or citations.

    .venv/bin/python bench/claims_discrepancy.py [--claims 3000] [--repeat 5]
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/rt_claims_bench .venv/bin/python bench/claims_discrepancy.py

SQLite runs in a temporary directory. With DATABASE_URL, use a throw-away database: the script migrates it
and deletes the rows it created at the end. Goal: the discrepancy view < 1 s for 3,000 claims.
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
TMP = tempfile.mkdtemp(prefix="rt-bench-claims-")
os.environ.setdefault("RIGHTSTRACK_DATA_DIR", TMP)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rightstrack.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

YEARS = list(range(2015, 2025))
ARTICLES = [7, 9, 10, 14, 19, 21, 22]
THEMES = ["torture-and-other-cid-treatment", "detention", "justice", "human-rights-defenders", "impunity"]


def generate(n_claims: int, seed: int):
    from django.contrib.auth import get_user_model

    from rightstrack.claims.models import Claim, ClaimFigure, DataPoint, Indicator, Verdict
    from rightstrack.core.models import IccprArticle, Membership, Organisation, Theme

    rng = random.Random(seed)
    orgs = [Organisation.objects.create(name=f"Bench claims org {i} (synthetic)", slug=f"bench-cl-{i}") for i in (1, 2)]
    user = get_user_model().objects.create_user("bench-claims-analyst", password="x")  # noqa: S106
    Membership.objects.create(user=user, organisation=orgs[0], role="analyst", restricted_access=True)
    articles = {a.number: a for a in IccprArticle.objects.filter(number__in=ARTICLES)}
    themes = list(Theme.objects.filter(code__in=THEMES))
    indicators = Indicator.objects.bulk_create(
        Indicator(
            organisation=orgs[i % 4 == 3],
            confidentiality="internal",
            name=f"Bench indicator {i}",
            unit="cases",
            article=articles[ARTICLES[i % len(ARTICLES)]],
        )
        for i in range(60)
    )
    points = []
    for indicator in indicators:
        base = rng.randint(50, 5000)
        for year in YEARS:
            for kind, factor in (
                ("official", 1.0),
                ("ngo", rng.uniform(1.1, 9)),
                ("international", rng.uniform(0.8, 3)),
            ):
                points.append(
                    DataPoint(
                        organisation_id=indicator.organisation_id,
                        confidentiality="restricted" if rng.random() < 0.2 else "internal",
                        indicator=indicator,
                        value=round(base * factor * rng.uniform(0.7, 1.3)),
                        source_kind=kind,
                        period_label=str(year),
                        period_start=datetime.date(year, 1, 1),
                        period_end=datetime.date(year, 12, 31),
                        precision="year",
                    )
                )
    DataPoint.objects.bulk_create(points, batch_size=1000)
    claims = Claim.objects.bulk_create(
        (
            Claim(
                organisation=orgs[0] if rng.random() < 0.9 else orgs[1],
                confidentiality=rng.choice(["internal", "internal", "restricted", "public"]),
                speaker_kind="state",
                forum_kind="dialogue",
                date=datetime.date(2024, 1, 1) + datetime.timedelta(days=rng.randrange(300)),
                text=f"Bench claim {i}: the figure fell sharply (synthetic).",
                article=articles[rng.choice(ARTICLES)],
            )
            for i in range(n_claims)
        ),
        batch_size=1000,
    )
    through = Claim.themes.through
    through.objects.bulk_create(
        [through(claim_id=c.pk, theme_id=rng.choice(themes).pk) for c in claims], batch_size=1000
    )
    figures = []
    for claim in claims:
        for _ in range(rng.choice([1, 1, 2])):
            indicator = rng.choice(indicators)
            year = rng.choice(YEARS)
            figures.append(
                ClaimFigure(
                    claim=claim,
                    value=rng.randint(10, 3000),
                    unit="cases",
                    indicator=indicator,
                    period_label=str(year),
                    period_start=datetime.date(year, 1, 1),
                    period_end=datetime.date(year, 12, 31),
                    precision="year",
                )
            )
    ClaimFigure.objects.bulk_create(figures, batch_size=1000)
    now = datetime.datetime.now(datetime.UTC)
    Verdict.objects.bulk_create(
        (
            Verdict(
                claim=c,
                rating=rng.choice(["supported", "partly", "contradicted", "unverifiable"]),
                rationale="bench",
                analyst=user,
                reviewed_at=now if rng.random() < 0.7 else None,
            )
            for c in claims[::3]
        ),
        batch_size=1000,
    )
    return user, orgs, len(points), len(figures)


BASELINE_SQL = """
SELECT f.claim_id, f.id, p.id,
       ABS(f.value - p.value) / (CASE WHEN ABS(f.value) > ABS(p.value) THEN ABS(f.value) ELSE ABS(p.value) END)
FROM claims_claimfigure f
JOIN claims_datapoint p ON p.indicator_id = f.indicator_id
     AND p.source_kind IN ('ngo', 'international', 'media') AND p.disaggregation = ''
     AND p.deleted_at IS NULL AND p.period_start <= f.period_end AND p.period_end >= f.period_start
WHERE (ABS(f.value) > 0 OR ABS(p.value) > 0)
"""


def baseline() -> int:
    with connection.cursor() as cursor:
        cursor.execute(BASELINE_SQL)
        rows = cursor.fetchall()
    best: dict[int, float] = {}
    for claim_id, _f, _p, gap in rows:
        best[claim_id] = max(best.get(claim_id, 0.0), float(gap))
    return len(sorted(best.items(), key=lambda kv: -kv[1]))


def timed(fn, repeat: int) -> tuple[float, float, object]:
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    times.sort()
    return statistics.median(times), times[int(0.95 * (len(times) - 1))], result


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--claims", type=int, default=3000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--seed", type=int, default=20241015)
    args = ap.parse_args()
    call_command("migrate", verbosity=0)
    from django.test import Client

    from rightstrack.claims import queries
    from rightstrack.core.models import Membership, Organisation

    print(f"database: {connection.vendor}")
    t0 = time.perf_counter()
    with transaction.atomic():
        user, orgs, n_points, n_figures = generate(args.claims, args.seed)
    seconds = time.perf_counter() - t0
    print(f"generated {args.claims} claims, {n_figures} figures, {n_points} data points in {seconds:.1f}s")
    try:
        fresh = lambda: type(user).objects.get(pk=user.pk)  # noqa: E731 - no cached memberships between runs
        p50, p95, groups = timed(lambda: queries.discrepancies(fresh()), args.repeat)
        rows = sum(len(g.claims) for g in groups)
        pairs = sum(len(g.pairs) for g in groups)
        print(f"discrepancies(): {len(groups)} groups, {rows} claim rows, {pairs} official/independent pairs")
        print(f"  p50 {p50 * 1000:.0f} ms  p95 {p95 * 1000:.0f} ms")
        b50, b95, matched = timed(baseline, args.repeat)
        print(f"baseline (one SQL join + sort, no visibility): {matched} claims with a gap, p50 {b50 * 1000:.0f} ms")
        print(f"ratio ours/baseline: {p50 / b50:.1f}x")
        l50, l95, _groups = timed(lambda: queries.discrepancies(fresh(), limit=25), args.repeat)
        print(f"discrepancies(limit=25), as the page asks: p50 {l50 * 1000:.0f} ms  p95 {l95 * 1000:.0f} ms", end="")
        print(f"  (ratio to baseline {l50 / b50:.1f}x)")

        client = Client()
        client.force_login(user)
        for name, url in (
            ("discrepancy page (25 biggest gaps per group)", "/claims/discrepancies/"),
            ("discrepancy page, every claim (?all=1)", "/claims/discrepancies/?all=1"),
            ("claims page (50 rows)", "/claims/"),
            ("claims CSV export", "/claims/export/?format=csv"),
        ):
            s50, s95, response = timed(lambda url=url: client.get(url), args.repeat)
            size = len(response.content)
            print(f"{name}: status {response.status_code}, {size / 1024:.0f} KiB, ", end="")
            print(f"p50 {s50 * 1000:.0f} ms  p95 {s95 * 1000:.0f} ms")
    finally:
        from rightstrack.claims.models import Claim, DataPoint, Indicator

        with transaction.atomic():
            Claim.objects.filter(organisation__in=orgs).delete()
            DataPoint.objects.filter(organisation__in=orgs).delete()
            Indicator.objects.filter(organisation__in=orgs).delete()
            Membership.objects.filter(organisation__in=orgs).delete()
            type(user).objects.filter(pk=user.pk).delete()
            Organisation.objects.filter(pk__in=[o.pk for o in orgs]).delete()
    return 0


if __name__ == "__main__":
    sys.exit(main())
