"""Writing dates for people (core.dates.day / moment, Babel) against Django's |date filter, per language.

A list page writes one or two dates a row; this checks that the one date style per language stays cheap:
prints µs per date for ours and for the baseline (`django.utils.dateformat.format(value, "Y-m-d")`, what the
pages used before) and the ratio ours / baseline, for a 100-row page and per date.
"""

from __future__ import annotations

import datetime
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rightstrack.settings")
os.environ.setdefault("RIGHTSTRACK_DATA_DIR", "/tmp/rightstrack-bench-dates")

import django  # noqa: E402

django.setup()

from django.utils import dateformat, timezone, translation  # noqa: E402

from rightstrack.core import dates  # noqa: E402

N = 20_000


def timed(fn, values) -> float:
    start = time.perf_counter()
    for value in values:
        fn(value)
    return (time.perf_counter() - start) / len(values) * 1e6


def main() -> None:
    rng = random.Random(13)
    days = [datetime.date(2000, 1, 1) + datetime.timedelta(days=rng.randrange(9000)) for _ in range(N)]
    moments = [
        datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC) + datetime.timedelta(minutes=rng.randrange(3_000_000))
        for _ in range(N)
    ]
    print(f"dates: {N} random days and {N} random moments")
    for code in ("en", "ru", "kk"):
        with translation.override(code):
            dates.day(days[0])  # load the locale once, as a running server has
            ours = timed(dates.day, days)
            base = timed(lambda d: dateformat.format(d, "Y-m-d"), days)
            ours_m = timed(dates.moment, moments)
            base_m = timed(lambda m: dateformat.format(timezone.localtime(m), "Y-m-d H:i"), moments)
        print(
            f"{code}: day {ours:.1f} µs (baseline {base:.1f} µs, ratio {ours / base:.2f}); "
            f"moment {ours_m:.1f} µs (baseline {base_m:.1f} µs, ratio {ours_m / base_m:.2f}); "
            f"100-row page with two dates: {(ours + ours_m - base - base_m) * 100 / 1000:+.2f} ms"
        )


if __name__ == "__main__":
    main()
