"""Benchmark what account security costs: the per-request session checks and "sign out everywhere".

1. A signed-in GET of the People list, through Django's test client, with and without
   `AccountSecurityMiddleware` (idle/absolute limits, second-factor and policy checks, time zone):
   p50/p95 and the ratio ours / baseline, plus the extra queries per request.
2. "Sign out everywhere else" for a user with 20 open sessions in a session table of N other users'
   sessions (each decoded once to find sessions that started before sign-ins were recorded), against the
   baseline of deleting the 20 session rows by key.

    .venv/bin/python bench/accounts_sessions.py [--repeat 200] [--others 5000]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("RIGHTSTRACK_DATA_DIR", tempfile.mkdtemp(prefix="rt-bench-accounts-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rightstrack.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.contrib.sessions.models import Session  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402

MIDDLEWARE = "rightstrack.accounts.security.AccountSecurityMiddleware"


def timed(fn, repeat: int) -> list[float]:
    out = []
    for _n in range(repeat):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def p95(values: list[float]) -> float:
    return sorted(values)[int(len(values) * 0.95) - 1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--others", type=int, default=5000)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    from rightstrack.accounts import actions
    from rightstrack.accounts.models import SecurityPolicy, SignIn
    from rightstrack.core.models import Membership, Organisation, Role

    org, _c = Organisation.objects.get_or_create(name="Bench org (synthetic)", slug="bench-accounts")
    SecurityPolicy.objects.update_or_create(organisation=org, defaults={"two_factor": "restricted"})
    User = get_user_model()
    user, _c = User.objects.get_or_create(username="bench_accounts_user")
    Membership.objects.get_or_create(user=user, organisation=org, defaults={"role": Role.MONITOR})
    other_user, _c = User.objects.get_or_create(username="bench_accounts_others")

    def page_times(with_middleware: bool) -> tuple[list[float], int]:
        middleware = list(settings.MIDDLEWARE)
        if not with_middleware:
            middleware.remove(MIDDLEWARE)
        with override_settings(MIDDLEWARE=middleware):
            client = Client()
            client.force_login(user)
            client.get("/people/")  # warm up
            # request_started resets connection.queries, so count through an execute wrapper instead.
            count = []
            with connection.execute_wrapper(lambda execute, *a: count.append(1) or execute(*a)):
                client.get("/people/")
            return timed(lambda: client.get("/people/"), args.repeat), len(count)

    ours, our_queries = page_times(True)
    base, base_queries = page_times(False)
    print(f"database: {connection.vendor}")
    print(f"people list, signed in, {args.repeat} requests")
    print(f"  with account checks:    p50 {statistics.median(ours):.2f} ms  p95 {p95(ours):.2f} ms  {our_queries} q.")
    print(f"  without (baseline):     p50 {statistics.median(base):.2f} ms  p95 {p95(base):.2f} ms  {base_queries} q.")
    print(f"  ratio ours / baseline (p50): {statistics.median(ours) / statistics.median(base):.2f}")

    # Sign out everywhere: N other users' sessions in the table, 20 of this user's.
    Session.objects.all().delete()
    others = []
    for n in range(args.others):
        store = SessionStore()
        store["_auth_user_id"] = str(10_000_000 + n)
        store.create()
        others.append(store.session_key)
    # Since the accounts app is installed every sign-in has its SignIn row (here: all under one user).
    SignIn.objects.bulk_create(SignIn(user=other_user, session_key=k, device="bench (synthetic)") for k in others)
    keys = []
    for _n in range(20):
        store = SessionStore()
        store["_auth_user_id"] = str(user.pk)
        store.create()
        keys.append(store.session_key)
        SignIn.objects.create(user=user, session_key=store.session_key, device="bench (synthetic)")
    start = time.perf_counter()
    ended = actions.sign_out_everywhere_else(user, current_key=None)
    ours_ms = (time.perf_counter() - start) * 1000
    for _n in range(20):
        store = SessionStore()
        store.create()
        keys.append(store.session_key)
    start = time.perf_counter()
    Session.objects.filter(session_key__in=keys[20:]).delete()
    base_ms = (time.perf_counter() - start) * 1000
    print(f"sign out everywhere else: {ended} sessions ended among {args.others} others' sessions")
    print(
        f"  ours {ours_ms:.1f} ms   baseline (delete 20 rows by key) {base_ms:.1f} ms   ratio {ours_ms / base_ms:.1f}"
    )
    Session.objects.filter(session_key__in=others).delete()
    SignIn.objects.filter(user__in=[user, other_user]).delete()


if __name__ == "__main__":
    main()
