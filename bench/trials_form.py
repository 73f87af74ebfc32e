"""Benchmark the observation form page: 50 indicators × 10 defendants (500 answer forms) on one page.

A synthetic checklist version of 50 defendant-scope questions in 10 groups is imported and made active; a
monitor is assigned to a hearing of a case with 10 defendants and half the answers are filled. The script
times GET /trials/observations/<pk>/?group=all (every question on one page, the worst case) and the
default one-group page, through Django's test client (middleware, templates, queries). Baseline in the
same run: the People list page with 50 persons.

    .venv/bin/python bench/trials_form.py [--repeat 20]
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
os.environ.setdefault("RIGHTSTRACK_DATA_DIR", tempfile.mkdtemp(prefix="rt-bench-form-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rightstrack.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")

import django  # noqa: E402

django.setup()

import yaml  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402


def checklist_yaml() -> str:
    groups = [{"id": f"GR{chr(65 + g)}", "title_en": f"Group {g + 1}"} for g in range(10)]
    indicators = []
    for n in range(50):
        group = groups[n // 5]["id"]
        indicators.append(
            {
                "id": f"{group}-{n % 5 + 1}",
                "group": group,
                "scope": "defendant",
                "repeat": "per_hearing",
                "type": "yes_no_not_observed_na",
                "question_en": f"Benchmark question {n + 1}: did the thing happen?",
                "guidance_en": "Answer what you saw.",
                "negative_when": "yes",
                "severity": "concern",
            }
        )
    return yaml.safe_dump(
        {
            "id": "bench-form",
            "version": 1,
            "status": "active",
            "title": "Bench checklist",
            "groups": groups,
            "indicators": indicators,
        }
    )


def timed(client: Client, url: str, repeat: int) -> tuple[float, float, int, int]:
    client.get(url)  # warm caches (templates, translations)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - start)
        assert response.status_code == 200, response.status_code
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return statistics.median(times), max(times), len(queries), len(response.content)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=20)
    args = ap.parse_args()
    if connection.vendor != "sqlite" and "bench" not in connection.settings_dict["NAME"]:
        print("use a throw-away database whose name contains 'bench' (it is flushed at the end)")
        return 2
    call_command("migrate", verbosity=0)
    from django.contrib.auth import get_user_model

    from rightstrack.core import actions as core_actions
    from rightstrack.core.models import Membership, Organisation
    from rightstrack.trials import actions
    from rightstrack.trials.models import Checklist

    try:
        org = Organisation.objects.create(name="Bench form org (synthetic)", slug="bench-form-org")
        users = get_user_model().objects
        coordinator = users.create_user("bench-form-coordinator", password="x")  # noqa: S106
        monitor = users.create_user("bench-form-monitor", password="x")  # noqa: S106
        Membership.objects.create(user=coordinator, organisation=org, role="coordinator", restricted_access=True)
        Membership.objects.create(user=monitor, organisation=org, role="monitor")
        Checklist.objects.update(status="retired")
        _import_as_admin(org, checklist_yaml())
        court = actions.create_court(coordinator, org, name="Bench court", city="Almaty", confidentiality="public")
        case = actions.create_case(coordinator, org, court=court, number="BENCH-1")
        for n in range(10):
            person = core_actions.create_person(coordinator, org, pseudonym=f"Bench defendant {n + 1}")
            actions.add_defendant(coordinator, case, person=person)
        for n in range(40):
            core_actions.create_person(coordinator, org, pseudonym=f"Bench person {n + 1}")
        import datetime

        hearing = actions.add_hearing(coordinator, case, date=datetime.date(2022, 6, 1))
        actions.assign_monitor(coordinator, hearing, monitor)
        observation = actions.start_observation(monitor, hearing)
        assert observation.checklist.key == "bench-form"
        codes = list(observation.checklist.indicators.values_list("code", flat=True))
        defendants = list(case.defendants.values_list("pk", flat=True))
        for i, code in enumerate(codes):
            for j, defendant in enumerate(defendants):
                if (i + j) % 2 == 0:
                    actions.save_answer(monitor, observation, indicator=code, value="no", defendant=defendant)

        client = Client()
        client.force_login(monitor)
        base = f"/trials/observations/{observation.pk}/"
        forms = len(codes) * len(defendants)
        full, full_max, full_queries, size = timed(client, base + "?group=all", args.repeat)
        print(
            f"observation form, all {len(codes)} indicators x {len(defendants)} defendants ({forms} answer forms): "
            f"median {full * 1000:.1f} ms  max {full_max * 1000:.1f} ms  queries {full_queries}  "
            f"{size // 1024} KB"
        )
        group, group_max, group_queries, _size = timed(client, base, args.repeat)
        print(
            f"observation form, one group (5 indicators x 10 defendants): median {group * 1000:.1f} ms  "
            f"max {group_max * 1000:.1f} ms  queries {group_queries}"
        )
        people = Client()
        people.force_login(coordinator)
        baseline, _bmax, _bq, _bs = timed(people, "/people/", args.repeat)
        print(f"baseline: people list (50 rows): median {baseline * 1000:.1f} ms")
        print(f"ratio all-groups form / people list: {full / baseline:.2f}")
        print(f"goal < 150 ms (all groups): {'PASS' if full < 0.150 else 'SLOW'}")
    finally:
        if connection.vendor != "sqlite":
            call_command("flush", interactive=False, verbosity=0)
    return 0


def _import_as_admin(org, text: str) -> None:
    from django.contrib.auth import get_user_model

    from rightstrack.core.models import Membership
    from rightstrack.trials import actions

    admin = get_user_model().objects.create_user("bench-form-admin", password="x")  # noqa: S106
    Membership.objects.create(user=admin, organisation=org, role="admin", restricted_access=True)
    actions.import_checklist(admin, text)


if __name__ == "__main__":
    raise SystemExit(main())
