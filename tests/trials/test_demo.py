"""The synthetic demo programme."""

from __future__ import annotations

import pytest

from rightstrack.core.demo import DemoContext, ensure_users
from rightstrack.trials import demo, findings
from rightstrack.trials.models import Case, Court, Observation


@pytest.mark.django_db
def test_demo_programme_is_synthetic_and_idempotent(monkeypatch):
    monkeypatch.setenv("RIGHTSTRACK_DEMO_PASSWORD", "demo-pass-123")
    ctx = DemoContext()
    ensure_users(ctx)
    demo.load(ctx)
    assert sorted(Court.objects.values_list("city", flat=True)) == [
        "Almaty",
        "Kyzylorda",
        "Semey",
        "Taldykorgan",
        "Taraz",
    ]
    assert all(c.is_synthetic for c in Court.objects.all()) and all(c.is_synthetic for c in Case.objects.all())
    assert Court.objects.get(city="Semey").region.code == "kz-abai"
    assert Observation.objects.filter(status="reviewed").exists()
    assert Observation.objects.filter(status="submitted").count() == 2  # one waiting, one second monitor
    rows = {f.key: f for f in findings.derived_findings(ctx.users["coordinator"])}
    assert rows["F-CAGE"].total.d > 0
    count = Observation.objects.count()
    demo.load(ctx)
    assert Observation.objects.count() == count
