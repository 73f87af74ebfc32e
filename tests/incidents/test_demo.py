"""The demo: synthetic, labelled, idempotent, with the threat index 2021–2024 and 2024 partial."""

from __future__ import annotations

from rightstrack.core.demo import DemoContext, ensure_users, load_core
from rightstrack.incidents import demo, queries
from rightstrack.incidents.demo import DOCUMENTED_UNTIL
from rightstrack.incidents.models import Act, Event


def load_demo() -> DemoContext:
    """Core's demo plus this app's (other apps' demos are tested by their own suites)."""
    ctx = DemoContext()
    ensure_users(ctx)
    load_core(ctx)
    demo.load(ctx)
    return ctx


def test_demo_is_synthetic_idempotent_and_shows_partial_year(db):
    ctx = load_demo()
    events = Event.objects.all()
    assert events.count() == 6 and all(e.is_synthetic and "synthetic" in e.title for e in events)
    acts = Act.objects.count()
    assert {"torture", "internet_shutdown", "threat"} <= set(Act.objects.values_list("act_type", flat=True))
    load_demo()
    assert Event.objects.count() == 6 and Act.objects.count() == acts
    index = queries.threat_index(ctx.users["admin"], queries.StatFilters(until=DOCUMENTED_UNTIL))
    assert [(p.label, p.partial) for p in index] == [("2021", False), ("2022", False), ("2023", False), ("2024", True)]
    assert index[-1].annualised > index[-1].count
