"""Findings: denominators without not_observed / not_applicable, breakdowns, drill-down, derived findings,
confidentiality, and that the work happens in the database."""

from __future__ import annotations

import datetime

import pytest

from rightstrack.core import visibility
from rightstrack.core.errors import InvalidInput
from rightstrack.trials import actions, findings
from rightstrack.trials.models import Answer

from .conftest import build_trial, observe


def by_key(rows):
    return {f.key: f for f in rows}


@pytest.fixture
def programme(org_a, coordinator_a, monitor_a):
    """Three hearings in two courts and two quarters, with yes / no / not observed / not applicable answers."""
    a = build_trial(coordinator_a, org_a, monitor_a, number="A-1", city="Almaty", date=datetime.date(2022, 2, 1))
    b = build_trial(coordinator_a, org_a, monitor_a, number="B-1", city="Taraz", date=datetime.date(2022, 5, 1))
    observe(
        a,
        answers={
            "PUB-3": "yes",
            "PUB-4": "no",
            ("DET-1", 0): "yes",
            ("DET-1", 1): "no",
            ("DET-4", 0): "custody",
            ("DET-4", 1): "house_arrest",
            "EQA-1": "4",
            "EQA-2": "3",
            ("DEL-1", 0): "30",
            ("DEL-1", 1): "90",
            ("CNS-1", 0): "no_counsel",
            ("CNS-1", 1): "appointed_counsel",
        },
    )
    observe(
        b,
        answers={
            "PUB-3": "no",
            ("DET-1", 0): "not_observed",
            ("DET-1", 1): "no",
            ("DET-4", 0): "custody",
            "EQA-1": "2",
            "EQA-2": "0",
            ("DEL-1", 0): "60",
        },
    )
    a2 = actions.add_hearing(coordinator_a, a.case, date=datetime.date(2022, 2, 20))
    actions.assign_monitor(coordinator_a, a2, monitor_a)
    a.hearing = a2
    observe(a, answers={"PUB-3": "not_observed", ("DET-1", 0): "not_applicable", ("DET-1", 1): "not_applicable"})
    return a, b


def test_denominator_excludes_not_observed_and_not_applicable(programme, coordinator_a):
    rows = by_key(findings.indicator_findings(coordinator_a))
    pub3 = rows["PUB-3"].total
    assert (pub3.n, pub3.d, pub3.excluded) == (1, 2, 1)
    det1 = rows["DET-1"].total  # per defendant-hearing: yes, no, no; three excluded
    assert (det1.n, det1.d, det1.excluded, det1.percent) == (1, 3, 3, 33.3)
    assert rows["DET-1"].unit == "defendant-hearings"
    assert rows["EQA-1"].kind == "numeric" and rows["EQA-1"].total.total == 6
    cns1 = rows["CNS-1"].total
    assert (cns1.n, cns1.d) == (1, 2)
    assert "1 of 2 hearings where observed (50%); 1 excluded" in rows["PUB-3"].text()


def test_only_reviewed_answers_count(programme, org_a, coordinator_a, monitor_a):
    c = build_trial(coordinator_a, org_a, monitor_a, number="C-1")
    observe(c, answers={"PUB-3": "yes"}, accept=False)  # a draft
    assert by_key(findings.indicator_findings(coordinator_a))["PUB-3"].total.d == 2


def test_breakdowns(programme, coordinator_a):
    a, b = programme
    rows = by_key(findings.indicator_findings(coordinator_a, breakdown=["court"]))
    assert {k: (f.n, f.d) for k, f in rows["PUB-3"].by.items()} == {str(a.court.pk): (1, 1), str(b.court.pk): (0, 1)}
    rows = by_key(findings.indicator_findings(coordinator_a, breakdown=["city", "period"], period="quarter"))
    assert set(rows["PUB-3"].by) == {"Almaty|2022-Q1", "Taraz|2022-Q2"}
    assert rows["PUB-3"].by["Almaty|2022-Q1"].excluded == 1
    rows = by_key(findings.indicator_findings(coordinator_a, breakdown=["period"], period="year"))
    assert set(rows["PUB-3"].by) == {"2022"}
    rows = by_key(findings.indicator_findings(coordinator_a, breakdown=["case"]))
    assert set(rows["PUB-3"].by) == {str(a.case.pk), str(b.case.pk)}
    rows = by_key(findings.indicator_findings(coordinator_a, breakdown=["charge"]))
    # Both cases carry both charges: each charge sees both hearings, the total counts them once.
    assert {k: f.d for k, f in rows["PUB-3"].by.items()} == {"272(2)": 2, "293": 2}
    assert rows["PUB-3"].total.d == 2
    rows = by_key(findings.indicator_findings(coordinator_a, breakdown=["version"]))
    assert len(rows["PUB-3"].by) == 1
    labels = findings.labels(coordinator_a, ["court"], [str(a.court.pk)])
    assert labels[str(a.court.pk)] == str(a.court)


def test_filters(programme, coordinator_a):
    a, _b = programme
    rows = by_key(findings.indicator_findings(coordinator_a, filters=findings.Filters(court=a.court.pk)))
    assert rows["PUB-3"].total.d == 1
    rows = by_key(findings.indicator_findings(coordinator_a, filters=findings.Filters(since=datetime.date(2022, 4, 1))))
    assert (rows["PUB-3"].total.n, rows["PUB-3"].total.d) == (0, 1)


def test_derived_findings(programme, coordinator_a):
    rows = by_key(findings.derived_findings(coordinator_a))
    cage = rows["F-CAGE"].total  # hearing 1: a defendant yes; hearing 2: no (+ one not observed); hearing 3: n/a
    assert (cage.n, cage.d, cage.excluded) == (1, 2, 1)
    assert rows["F-CAGE"].text().startswith("In 1 of 2 hearings where this was observed")
    custody = rows["F-CAGE-CUSTODY"].total  # only defendants in custody: A-1 #1 yes (B-1 #1 was not observed)
    assert (custody.n, custody.d, custody.excluded) == (1, 1, 1)
    assert (rows["F-CLOSED"].total.n, rows["F-CLOSED"].total.d) == (1, 2)
    assert (rows["F-NO-COUNSEL"].total.n, rows["F-NO-COUNSEL"].total.d) == (1, 2)
    motions = rows["F-MOTIONS-REFUSED"].total
    assert (motions.n, motions.d) == (3, 6)
    assert rows["F-DAYS-TO-TRIAL"].total.median == 60.0 and rows["F-DAYS-TO-TRIAL"].total.d == 3
    by_court = by_key(findings.derived_findings(coordinator_a, breakdown=["court"]))
    assert sorted((f.n, f.d) for f in by_court["F-CAGE"].by.values()) == [(0, 1), (1, 1)]


def test_drill_down_matches_the_figures(programme, coordinator_a):
    a, _b = programme
    for key in ("DET-1", "PUB-3", "F-CAGE", "F-CAGE-CUSTODY"):
        finding = next(
            f
            for f in [*findings.indicator_findings(coordinator_a), *findings.derived_findings(coordinator_a)]
            if f.key == key
        )
        for part, expected in (("n", finding.total.n), ("x", finding.total.excluded)):
            _f, answers = findings.drill(coordinator_a, key, part=part)
            if key == "F-CAGE":
                expected = {"n": 1, "x": 1}[part]  # answers of the hearings behind the figure
            assert len({(x.hearing_id, x.defendant_id) for x in answers}) >= expected, (key, part)
    _f, answers = findings.drill(coordinator_a, "PUB-3", part="d", breakdown=["court"], key=str(a.court.pk))
    assert [x.value for x in answers] == ["yes"]
    _f, answers = findings.drill(coordinator_a, "DET-1", part="n")
    assert [x.value for x in answers] == ["yes"]
    with pytest.raises(InvalidInput):
        findings.drill(coordinator_a, "PUB-3", part="everything")
    with pytest.raises(InvalidInput):
        findings.drill(coordinator_a, "NOPE-1")
    with pytest.raises(InvalidInput):
        findings.drill(coordinator_a, "PUB-3", breakdown=["period"], key="last week")


def test_bad_breakdowns(programme, coordinator_a):
    for breakdown, period in ((["colour"], "month"), (["court", "city", "case"], "month"), (["court"], "decade")):
        with pytest.raises(InvalidInput):
            findings.indicator_findings(coordinator_a, breakdown=breakdown, period=period)


def test_findings_obey_confidentiality(programme, org_a, coordinator_a, monitor_a, viewer_b, admin_a):
    secret = build_trial(coordinator_a, org_a, admin_a, number="S-1", confidentiality="restricted")
    secret.monitor = admin_a
    observe(secret, answers={"PUB-3": "yes"})
    assert by_key(findings.indicator_findings(coordinator_a))["PUB-3"].total.d == 3
    assert by_key(findings.indicator_findings(monitor_a))["PUB-3"].total.d == 2  # no restricted access
    assert by_key(findings.indicator_findings(viewer_b))["PUB-3"].total.d == 0  # another organisation
    assert by_key(findings.derived_findings(viewer_b))["F-CAGE"].total.d == 0
    for user in (coordinator_a, monitor_a, viewer_b):
        # counted_answers is the visibility rule for answers, written without a join.
        assert set(findings.counted_answers(user).values_list("pk", flat=True)) == set(
            visibility.visible(user, Answer).filter(counted=True).values_list("pk", flat=True)
        )


def test_indicator_findings_are_one_query_whatever_the_data(programme, coordinator_a, django_assert_max_num_queries):
    findings.indicator_findings(coordinator_a)  # warm the checklist
    # A fixed handful: the GROUP BY, the indicator list, the visible cases (plus planner settings on PostgreSQL).
    with django_assert_max_num_queries(12):
        findings.indicator_findings(coordinator_a, breakdown=["court", "period"])
