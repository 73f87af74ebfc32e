"""Benchmark: import every row of ../shared/data/upr-info/recommendations.csv, then import it again.

Prints rows, seconds and rows/s for the first import (parse + check + write in one transaction,
search index included, classifier not needed: the file has labels), and the counts of the second
import, which must change 0 rows. Baseline in the same run: a plain csv.DictReader + bulk_create of
the same rows into the same table (no checks, no idempotency, no index), so the ratio shows what the
checks and the idempotent diff cost. Uses a temporary SQLite file unless DATABASE_URL is set
(a throw-away database!).

    .venv/bin/python bench/recommendations_import.py
"""

from __future__ import annotations

import csv
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rightstrack.settings")
os.environ.setdefault("RIGHTSTRACK_DATA_DIR", tempfile.mkdtemp(prefix="rt-bench-import-"))
CSV = ROOT.parent / "shared" / "data" / "upr-info" / "recommendations.csv"


def main() -> int:
    if not CSV.is_file():
        print(f"skipped: {CSV} is not present")
        return 0
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection, transaction

    from rightstrack.core.models import Membership, Organisation
    from rightstrack.recommendations import importer
    from rightstrack.recommendations.models import Recommendation, Review, State

    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor}")
    org, _ = Organisation.objects.get_or_create(slug="bench-import", defaults={"name": "Bench import"})
    base_org, _ = Organisation.objects.get_or_create(slug="bench-baseline", defaults={"name": "Bench baseline"})
    user, _ = get_user_model().objects.get_or_create(username="bench-importer")
    Membership.objects.get_or_create(user=user, organisation=org, defaults={"role": "analyst"})
    content = CSV.read_bytes()

    t0 = time.perf_counter()
    rows, _sha = importer.parse(content, CSV.name)
    t_parse = time.perf_counter() - t0
    first = importer.apply(user, org, rows, filename=CSV.name, suggest=False)
    t_first = time.perf_counter() - t0
    print(
        f"first import: {first['total']} rows in {t_first:.1f} s ({first['total'] / t_first:.0f} rows/s; "
        f"parse+check {t_parse:.1f} s) created={first['create']} reviews={first['new_reviews']}"
    )

    t0 = time.perf_counter()
    rows, _sha = importer.parse(content, CSV.name)
    second = importer.apply(user, org, rows, filename=CSV.name, suggest=False)
    t_second = time.perf_counter() - t0
    changed = second["create"] + second["update"]
    print(
        f"second import: {t_second:.1f} s created={second['create']} updated={second['update']} "
        f"unchanged={second['unchanged']} → rows changed: {changed}"
    )

    # Baseline: naive load of the same rows (no checks, no diff, no M2M, no search index).
    t0 = time.perf_counter()
    with transaction.atomic():
        review = Review.objects.create(organisation=base_org, mechanism_id=1, state=State.objects.first())
        with CSV.open(encoding="utf-8", newline="") as handle:
            Recommendation.objects.bulk_create(
                (
                    Recommendation(organisation=base_org, review=review, source_id=r["id"], text=r["text"],
                                   response="supported")
                    for r in csv.DictReader(handle)
                ),
                batch_size=2000,
            )  # fmt: skip
    t_base = time.perf_counter() - t0
    print(
        f"baseline (DictReader + bulk_create, no checks): {t_base:.1f} s → ratio ours/baseline {t_first / t_base:.1f}"
    )
    return 0 if changed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
