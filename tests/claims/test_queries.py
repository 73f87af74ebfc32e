"""Reads: discrepancies sorted by gap, comparisons, series charts, the report table, and visibility."""

from __future__ import annotations

import pytest

from rightstrack.claims import actions, queries
from rightstrack.claims.reports import claims_vs_evidence_table, series_figure
from rightstrack.evidence.citing import citation_text
from rightstrack.reports.document import Figure, Table
from tests.conftest import make_user


def test_gap_and_ratio():
    assert queries.gap(100, 980) == pytest.approx(0.898, abs=1e-3)
    assert queries.gap(980, 100) == queries.gap(100, 980)
    assert queries.gap(0, 0) == 0 and queries.gap(0, 5) == 1
    assert queries.ratio(100, 980) == pytest.approx(9.8) and queries.ratio(0, 5) is None


def test_claim_compared_with_independent_figure_same_period(analyst_a, claim, series, passage):
    row = queries.claim_rows(analyst_a, [queries.claim_detail(analyst_a, claim.pk)])[0]
    (comparison,) = row.comparisons
    assert [e.point for e in comparison.evidence] == [series[("ngo", "2023")]]  # official figures are not evidence
    assert comparison.evidence[0].same_period and row.gap == pytest.approx(0.898, abs=1e-3)
    assert [c.passage for c in row.passages] == [passage]
    assert "980" in comparison.evidence[0].point.cited_passages[0].passage.text


def test_overlapping_period_counts_but_is_flagged(org_a, analyst_a, indicator):
    actions.add_data_point(analyst_a, indicator, period="Jan–Jun 2023", value=400, source_kind="ngo")
    claim = actions.create_claim(
        analyst_a,
        organisation=org_a,
        text="c",
        date="2024-01-01",
        figures=[{"value": 100, "unit": "complaints", "period": "2023", "indicator": indicator}],
    )
    row = queries.claim_rows(analyst_a, [queries.claim_detail(analyst_a, claim.pk)])[0]
    (evidence,) = row.comparisons[0].evidence
    assert not evidence.same_period and row.gap == pytest.approx(0.75)


def test_discrepancies_sorted_by_gap_and_grouped(org_a, analyst_a, indicator, series, claim):
    detention = actions.create_indicator(analyst_a, organisation=org_a, name="Detainees", unit="persons", article=9)
    actions.add_data_point(analyst_a, detention, period="2023", value=6000, source_kind="official")
    actions.add_data_point(analyst_a, detention, period="2023", value=9800, source_kind="international")
    small = actions.create_claim(
        analyst_a,
        organisation=org_a,
        text="Detention fell to 6,000",
        date="2024-10-15",
        article=9,
        figures=[{"value": 6000, "unit": "persons", "period": "2023", "indicator": detention}],
    )
    no_figure = actions.create_claim(
        analyst_a, organisation=org_a, text="All hearings open", date="2024-10-15", article=7
    )
    ngo_claim = actions.create_claim(
        analyst_a, organisation=org_a, text="NGO says", date="2024-10-15", speaker_kind="ngo"
    )
    groups = queries.discrepancies(analyst_a)
    assert [g.key for g in groups] == ["7", "9"]  # torture gap 0.90 before detention gap 0.39
    torture = groups[0]
    assert [r.claim for r in torture.claims] == [claim, no_figure]  # no gap last
    assert [(p.official.period_label, round(p.gap, 2)) for p in torture.pairs] == [("2023", 0.9), ("2019", 0.45)]
    assert groups[1].claims[0].claim == small
    assert ngo_claim not in [r.claim for g in groups for r in g.claims]  # State claims by default
    everyone = queries.discrepancies(analyst_a, speaker_kind="")
    assert ngo_claim in [r.claim for g in everyone for r in g.claims]
    by_topic = queries.discrepancies(analyst_a, group_by="topic")
    assert by_topic[0].key == "torture-and-other-cid-treatment"
    only_9 = queries.discrepancies(analyst_a, article=9)
    assert [g.key for g in only_9] == ["9"]


def test_discrepancies_respect_visibility(org_a, org_b, analyst_a, monitor_a, viewer_b, indicator, series, claim):
    # A restricted NGO figure on an internal indicator is not compared for a member without restricted access.
    actions.add_data_point(
        analyst_a, indicator, period="2023", value=5000, source_kind="media", confidentiality="restricted"
    )
    seen_by_analyst = {e.point.value for e in queries.discrepancies(analyst_a)[0].claims[0].comparisons[0].evidence}
    seen_by_monitor = {e.point.value for e in queries.discrepancies(monitor_a)[0].claims[0].comparisons[0].evidence}
    assert 5000 in seen_by_analyst and 5000 not in seen_by_monitor
    assert queries.discrepancies(viewer_b) == []


def test_figure_hides_an_indicator_the_reader_cannot_see(org_a, analyst_a, monitor_a):
    secret = actions.create_indicator(
        analyst_a, organisation=org_a, name="Secret", unit="x", confidentiality="restricted"
    )
    actions.add_data_point(analyst_a, secret, period="2023", value=9, source_kind="ngo")
    claim = actions.create_claim(
        analyst_a,
        organisation=org_a,
        text="c",
        date="2024-01-01",
        figures=[{"value": 1, "unit": "x", "period": "2023", "indicator": secret}],
    )
    row = queries.claim_rows(monitor_a, [queries.claim_detail(monitor_a, claim.pk)])[0]
    assert row.comparisons[0].figure.indicator is None and row.comparisons[0].evidence == []
    # Points of an invisible indicator are not listed even when the point itself is less confidential.
    assert not queries.data_points(monitor_a).filter(indicator=secret).exists()


def test_claim_filters(org_a, analyst_a, coordinator_a, claim, ngo_passage):
    other = actions.create_claim(
        analyst_a, organisation=org_a, text="Cameras everywhere", date="2024-01-01", speaker="Head of delegation"
    )
    assert list(queries.claims(analyst_a, q="camera")) == [other]
    assert list(queries.claims(analyst_a, q="head of")) == [other]
    assert list(queries.claims(analyst_a, article=7)) == [claim]
    assert list(queries.claims(analyst_a, theme="torture-and-other-cid-treatment")) == [claim]
    verdict = actions.give_verdict(analyst_a, claim, rating="contradicted", rationale="r", passages=[ngo_passage])
    assert list(queries.claims(analyst_a, verdict="pending")) == [claim]
    assert set(queries.claims(analyst_a, verdict="none")) == {claim, other}
    actions.review_verdict(coordinator_a, verdict)
    assert list(queries.claims(analyst_a, verdict="contradicted")) == [claim]
    assert list(queries.claims(analyst_a, verdict="none")) == [other]


def test_verdict_evidence_limited_to_what_the_reader_sees(org_a, analyst_a, monitor_a, claim, indicator, ngo_passage):
    hidden = actions.add_data_point(
        analyst_a, indicator, period="2023", value=7, source_kind="ngo", confidentiality="restricted"
    )
    verdict = actions.give_verdict(
        analyst_a, claim, rating="contradicted", rationale="r", passages=[ngo_passage], evidence=[hidden]
    )
    kinds = [e.kind for e in queries.verdict_evidence(analyst_a, [verdict])[verdict.pk]]
    assert sorted(kinds) == ["data point", "passage"]
    assert [e.kind for e in queries.verdict_evidence(monitor_a, [verdict])[verdict.pk]] == ["passage"]


def test_series_chart_official_and_ngo_with_partial(analyst_a, indicator, series):
    actions.add_data_point(
        analyst_a, indicator, period="Jan–Oct 2024", value=700, source_kind="ngo", source_name="Coalition", partial=True
    )
    data = queries.series(analyst_a, indicator)
    assert data.partial == ["2024"]
    assert {name for name, _p, _v in data.chart.rows} == {"Official — Prosecutor", "NGO — Coalition"}
    assert ("NGO — Coalition", "2024", 700.0) in data.chart.rows
    assert "partial period" in data.chart.svg.decode()
    figure = series_figure(analyst_a, indicator)
    assert isinstance(figure, Figure) and "2024" in figure.caption


def test_series_without_points(analyst_a, indicator):
    assert queries.series(analyst_a, indicator).chart is None
    assert series_figure(analyst_a, indicator) is None


def test_claims_vs_evidence_table(org_a, analyst_a, coordinator_a, claim, series, ngo_passage, passage):
    actions.create_claim(analyst_a, organisation=org_a, text="Unrelated", date="2024-01-01", themes=["justice"])
    verdict = actions.give_verdict(
        analyst_a, claim, rating="contradicted", rationale="980 recorded", passages=[ngo_passage]
    )
    actions.review_verdict(coordinator_a, verdict)
    table = claims_vs_evidence_table(analyst_a)
    assert isinstance(table, Table) and len(table.headers) == 6
    first = table.rows[0]
    assert first[0].startswith("Complaints of torture") and f"{citation_text(passage)}]" in first[0]
    assert "100 complaints (2023)" in first[2] and "980 complaints (2023; NGO, Coalition)" in first[3]
    assert first[4] == "90 %" and first[5] == "Contradicted: 980 recorded"
    assert table.rows[1][4] == "—"
    if hasattr(table, "sources"):  # the report model's list of records a block rests on
        assert ("claims.Claim", claim.pk) in table.sources
        assert ("claims.DataPoint", series[("ngo", "2023")].pk) in table.sources
    outsider = make_user("outsider", None)
    assert claims_vs_evidence_table(outsider).rows == []


def test_claim_list_query_count_is_fixed(org_a, analyst_a, indicator, series, django_assert_max_num_queries):
    for n in range(15):
        actions.create_claim(
            analyst_a,
            organisation=org_a,
            text=f"claim {n}",
            date="2024-01-01",
            themes=["justice"],
            figures=[{"value": n, "unit": "complaints", "period": "2023", "indicator": indicator}],
        )
    analyst_a._rt_memberships = None
    with django_assert_max_num_queries(17):
        everything = queries.discrepancies(analyst_a)
    # With a limit, each group keeps its biggest gaps as full rows and counts the rest.
    top = queries.discrepancies(analyst_a, limit=5)
    assert [g.key for g in top] == [g.key for g in everything]
    for limited, full in zip(top, everything, strict=True):
        assert limited.claim_total == len(full.claims)
        assert [r.claim.pk for r in limited.claims] == [r.claim.pk for r in full.claims][:5]
    assert sum(g.claim_total for g in top) == 15
