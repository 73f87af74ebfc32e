"""Benchmark recurring-recommendation grouping over all shared UPR Info rows.

Prints the run time, the number of groups, how many recommendations they hold, and a
seeded random sample of 15 recurring groups with their texts, so a person can judge
precision.

    .venv/bin/python bench/recommendations_recurrence.py [--sample N] [--seed S]
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from rightstrack.recommendations.recurrence import Record, group_recommendations  # noqa: E402

CSV = ROOT.parent / "shared" / "data" / "upr-info" / "recommendations.csv"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sample", type=int, default=15)
    ap.add_argument("--seed", type=int, default=20240617)
    args = ap.parse_args()
    if not CSV.is_file():
        print(f"shared data not found at {CSV}; nothing to benchmark")
        return 0
    with open(CSV, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    records = [Record(r["id"], r["state_under_review"], int(r["session"]), r["text"]) for r in rows]
    by_id = {r["id"]: r for r in rows}

    t0 = time.perf_counter()
    groups = group_recommendations(records)
    seconds = time.perf_counter() - t0
    recurring = [g for g in groups if g.recurring]
    print(f"records: {len(records)}  time: {seconds:.1f}s")
    print(f"groups (>= 2 records): {len(groups)}  holding {sum(len(g.ids) for g in groups)} records")
    print(f"  same-session duplicate groups: {len(groups) - len(recurring)}")
    print(
        f"  recurring groups (>= 2 sessions): {len(recurring)}  holding {sum(len(g.ids) for g in recurring)} "
        f"records, {sum(len({by_id[i]['text'] for i in g.ids}) for g in recurring)} distinct texts"
    )

    rng = random.Random(args.seed)
    for n, g in enumerate(rng.sample(recurring, min(args.sample, len(recurring))), 1):
        print(f"\n#{n} {g.state}  sessions {g.periods}  span {g.span}  label: {g.label}")
        seen = set()
        for i in g.ids:
            r = by_id[i]
            key = (r["session"], r["text"])
            if key in seen:
                continue
            seen.add(key)
            k = sum(1 for j in g.ids if (by_id[j]["session"], by_id[j]["text"]) == key)
            print(f"   s{r['session']:>2} x{k}  {r['text'][:200]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
