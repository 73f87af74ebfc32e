"""The demo: a synthetic dialogue with a dozen State claims, series and verdicts, all labelled synthetic."""

from __future__ import annotations

import pytest

from rightstrack.claims import demo, queries
from rightstrack.claims.models import Claim, DataPoint, Indicator, Verdict
from rightstrack.core import demo as core_demo


@pytest.fixture
def ctx(db):
    context = core_demo.DemoContext()
    core_demo.ensure_users(context)
    core_demo.load_core(context)
    demo.load(context)
    return context


def test_demo_content(ctx):
    claims = Claim.objects.all()
    assert claims.count() == 12 and all(c.is_synthetic and c.speaker_kind == "state" for c in claims)
    assert {c.article.number for c in claims} == {7, 9, 14, 19}
    assert all(c.figures.count() == 0 or c.figures.first().unit for c in claims)
    assert Indicator.objects.filter(is_synthetic=True).count() == 5
    assert all("(synthetic)" in i.name for i in Indicator.objects.all())
    assert not DataPoint.objects.filter(is_synthetic=False).exists()
    hrd = Indicator.objects.get(name__startswith="HRD threat index")
    ngo = hrd.points.filter(source_kind="ngo").order_by("period_start")
    assert [p.period_start.year for p in ngo] == [2021, 2022, 2023, 2024]
    assert [p.partial for p in ngo] == [False, False, False, True]
    assert hrd.points.filter(source_kind="official").exists()  # official vs NGO on one chart
    verdicts = Verdict.objects.all()
    assert verdicts.count() == 8 and all(v.is_synthetic and "Synthetic verdict" in v.rationale for v in verdicts)
    assert verdicts.filter(reviewed_at__isnull=True).count() == 2  # a second opinion and one awaiting review


def test_demo_views_for_the_analyst(ctx):
    analyst = ctx.users["analyst"]
    groups = queries.discrepancies(analyst)
    assert {g.key for g in groups} == {"7", "9", "14", "19"}
    assert groups[0].gap >= groups[-1].gap
    hrd = Indicator.objects.get(name__startswith="HRD threat index")
    series = queries.series(analyst, hrd)
    assert series.partial == ["2024"] and series.chart is not None
    # The partner organisation's viewer sees none of the coalition's internal claims.
    assert queries.discrepancies(ctx.users["viewer"]) == []


def test_demo_is_idempotent(ctx):
    demo.load(ctx)
    assert Claim.objects.count() == 12 and Verdict.objects.count() == 8 and DataPoint.objects.count() == 22
