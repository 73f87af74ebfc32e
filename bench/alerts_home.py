"""Benchmark the role-aware home page, the bell on every page, and the deadline housekeeping.

1. The home page of a coordinator (GET / through Django's test client) over a synthetic organisation with
   N suggestions in 200 documents, 2,000 UN reviews, 3,000 victims (half without consent) and 200 unread
   alerts: p50/p95 and queries, against the baseline of the same page with only the count tiles (the home
   page before: no sections, no alerts).
2. The bell: `notifications.unread_count` (unread alerts the user may still see, each checked against its
   record's visibility) for a user with 5,000 alerts of which 200 unread, against a plain COUNT of unread rows.
3. `deadlines.alert_upcoming()` over the 2,000 reviews for 10 analysts and coordinators: the first run (stores
   the alerts) and a repeat run (every alert already sent: nothing stored), against the baseline of listing the
   reviews whose deadline falls in the window.

    .venv/bin/python bench/alerts_home.py [--suggestions 20000] [--repeat 50]
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("RIGHTSTRACK_DATA_DIR", tempfile.mkdtemp(prefix="rt-bench-alerts-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rightstrack.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402


def timed(fn, repeat: int) -> list[float]:
    out = []
    for _n in range(repeat):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def p95(values: list[float]) -> float:
    return sorted(values)[max(0, int(len(values) * 0.95) - 1)]


def queries_of(fn) -> int:
    count: list[int] = []
    with connection.execute_wrapper(lambda execute, *a: count.append(1) or execute(*a)):
        fn()
    return len(count)


def build(n_suggestions: int):
    from rightstrack.core.models import Membership, Notification, Organisation, Person, Role
    from rightstrack.evidence.models import SourceDocument
    from rightstrack.incidents.models import Act, Consent, Event, PersonProfile
    from rightstrack.ingest.models import IngestionRun, Suggestion
    from rightstrack.recommendations.models import Mechanism, Review, SourceKind, State

    User = get_user_model()
    org, _c = Organisation.objects.get_or_create(name="Bench alerts org (synthetic)", slug="bench-alerts")
    users = []
    for n in range(10):
        user, _c = User.objects.get_or_create(username=f"bench_alerts_{n}")
        role = Role.COORDINATOR if n == 0 else Role.ANALYST
        Membership.objects.get_or_create(
            user=user, organisation=org, defaults={"role": role, "restricted_access": True}
        )
        users.append(user)
    coordinator = users[0]
    if SourceDocument.objects.filter(organisation=org).exists():
        return org, coordinator, users
    docs = SourceDocument.objects.bulk_create(
        SourceDocument(
            organisation=org,
            confidentiality="internal",
            title=f"Synthetic report {n}",
            sha256=f"{n:064d}",
            size=1,
            kind="txt",
            original_filename=f"s{n}.txt",
            is_synthetic=True,
        )
        for n in range(200)
    )
    runs = IngestionRun.objects.bulk_create(IngestionRun(document=d, sha256=d.sha256, status="done") for d in docs)
    Suggestion.objects.bulk_create(
        (
            Suggestion(
                run=runs[n % 200],
                document=docs[n % 200],
                position=n,
                kind="recommendation",
                key=f"k{n}",
                data={},
                proposed={},
                stage="bench",
                stage_version="1",
            )
            for n in range(n_suggestions)
        ),
        batch_size=2000,
    )
    upr = Mechanism.objects.filter(kind=Mechanism.Kind.UPR).first()
    treaty = Mechanism.objects.filter(kind=Mechanism.Kind.TREATY_BODY).first()
    state = State.objects.first()
    today = timezone.localdate()
    Review.objects.bulk_create(
        Review(
            organisation=org,
            confidentiality="internal",
            source_kind=SourceKind.UN,
            mechanism=upr if n % 2 else treaty,
            state=state,
            cycle=n % 5,
            session=str(n),
            symbol=f"SYN/{n}",
            date=today - datetime.timedelta(days=n),
        )
        for n in range(2000)
    )
    people = Person.objects.bulk_create(
        Person(organisation=org, confidentiality="internal", pseudonym=f"Synthetic V-{n}") for n in range(3000)
    )
    PersonProfile.objects.bulk_create(PersonProfile(person=p, consent=Consent.ANONYMISED) for p in people[::2])
    event = Event.objects.create(
        organisation=org, confidentiality="internal", title="Synthetic event", start_date=datetime.date(2024, 1, 1)
    )
    Act.objects.bulk_create(
        Act(event=event, act_type="threat", victim=p, date=datetime.date(2024, 1, 1)) for p in people
    )
    Notification.objects.bulk_create(
        Notification(
            user=coordinator,
            kind="report.ready",
            title=f"Synthetic alert {n}",
            url="/",
            read_at=None if n < 200 else timezone.now(),
            about_type_id=None,
        )
        for n in range(5000)
    )
    return org, coordinator, users


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--suggestions", type=int, default=20000)
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    from rightstrack.core import home, notifications
    from rightstrack.core.models import Notification
    from rightstrack.recommendations import deadlines

    start = time.perf_counter()
    org, coordinator, users = build(args.suggestions)
    print(f"database: {connection.vendor}; data built in {time.perf_counter() - start:.1f} s")

    client = Client()
    client.force_login(coordinator)
    client.get("/")  # warm up
    ours = timed(lambda: client.get("/"), args.repeat)
    our_q = queries_of(lambda: client.get("/"))
    real_sections, real_for_user = home.sections, notifications.for_user
    home.sections = lambda user: []  # the baseline: the tiles-only home page
    notifications.for_user = lambda user, **kw: []
    try:
        client.get("/")
        base = timed(lambda: client.get("/"), args.repeat)
        base_q = queries_of(lambda: client.get("/"))
    finally:
        home.sections, notifications.for_user = real_sections, real_for_user
    print(
        f"home page of a coordinator ({args.suggestions} suggestions, 2000 reviews, 3000 victims), {args.repeat} runs"
    )
    print(f"  role-aware:            p50 {statistics.median(ours):.1f} ms  p95 {p95(ours):.1f} ms  {our_q} queries")
    print(f"  tiles only (baseline): p50 {statistics.median(base):.1f} ms  p95 {p95(base):.1f} ms  {base_q} queries")
    print(f"  ratio ours / baseline (p50): {statistics.median(ours) / statistics.median(base):.2f}")

    bell = timed(lambda: notifications.unread_count(coordinator), args.repeat * 4)
    plain = timed(lambda: Notification.objects.filter(user=coordinator, read_at__isnull=True).count(), args.repeat * 4)
    print("bell (5000 alerts, 200 unread): unread_count vs plain COUNT")
    ratio = statistics.median(bell) / statistics.median(plain)
    print(
        f"  ours p50 {statistics.median(bell):.2f} ms  p95 {p95(bell):.2f} ms;"
        f"  baseline p50 {statistics.median(plain):.2f} ms;  ratio {ratio:.1f}"
    )

    Notification.objects.filter(kind="deadline").delete()
    start = time.perf_counter()
    stored = deadlines.alert_upcoming()
    first = (time.perf_counter() - start) * 1000
    start = time.perf_counter()
    again = deadlines.alert_upcoming()
    repeat = (time.perf_counter() - start) * 1000
    start = time.perf_counter()
    listed = len(deadlines.upcoming())
    base_ms = (time.perf_counter() - start) * 1000
    print(f"deadline housekeeping ({listed} deadlines in 30 days, 10 recipients)")
    print(
        f"  first run {first:.0f} ms ({stored} alerts stored); repeat {repeat:.0f} ms ({again} stored);"
        f" baseline (list the deadlines) {base_ms:.0f} ms; ratio repeat / baseline {repeat / max(base_ms, 0.01):.1f}"
    )


if __name__ == "__main__":
    main()
