"""Reads: statistics and the threat index (counted in the database, within visibility), case files, consent."""

from __future__ import annotations

import pytest

from rightstrack.core.models import Confidentiality, Person
from rightstrack.incidents import actions, queries
from rightstrack.incidents.queries import StatFilters

from .conftest import D


@pytest.fixture
def documented(org_a, coordinator_a, event, victim, defender):
    """Four acts in org A's internal event, plus a restricted event with one act."""
    a1 = actions.add_act(coordinator_a, event, act_type="torture", victim=victim, date=D(2022, 1, 7), place="kz-almaty")
    a2 = actions.add_act(coordinator_a, event, act_type="torture", victim=defender, date=D(2022, 1, 8))
    a3 = actions.add_act(coordinator_a, event, act_type="threat", victim=defender, date=D(2022, 1, 9))
    actions.add_involvement(coordinator_a, a1, unit="police")
    actions.add_involvement(coordinator_a, a1, unit="national_security", degree="command")
    actions.add_involvement(coordinator_a, a2, unit="police")
    actions.add_involvement(coordinator_a, a1, unit="police", degree="complicity")  # same unit twice: one act
    secret = actions.create_event(
        coordinator_a, org_a, title="Secret", start_date=D(2023, 5, 1), confidentiality="restricted", place="kz-abai"
    )
    a4 = actions.add_act(coordinator_a, secret, act_type="killing", victim=defender, date=D(2023, 5, 2))
    return a1, a2, a3, a4


def rows(breakdown) -> dict[str, int]:
    return {r["label"]: r["count"] for r in breakdown.rows}


def test_breakdowns_by_type_region_period_unit(documented, coordinator_a):
    stats = queries.statistics(coordinator_a, today=D(2024, 6, 30))
    assert stats.total == 4
    assert rows(stats.by_type) == {"Torture": 2, "Threat or intimidation": 1, "Killing": 1}
    assert rows(stats.by_region) == {"Almaty": 1, "Place not recorded": 2, "Abai Region": 1}
    assert rows(stats.by_period) == {"2022": 3, "2023": 1, "2024*": 0}
    # An act with two units counts once per unit; acts without a perpetrator have their own row.
    assert rows(stats.by_unit) == {"Police": 2, "National security": 1, "Perpetrator not recorded": 2}


def test_statistics_respect_visibility(documented, monitor_a, viewer_b):
    assert queries.statistics(monitor_a).total == 3  # the restricted event's act is not counted
    assert queries.statistics(viewer_b).total == 0


def test_filters_and_drill_down(documented, coordinator_a, monitor_a):
    a1, a2, a3, a4 = documented
    assert list(queries.acts_list(coordinator_a, StatFilters(act_type="torture")).order_by("pk")) == [a1, a2]
    assert list(queries.acts_list(coordinator_a, StatFilters(unit="police")).order_by("pk")) == [a1, a2]
    assert list(queries.acts_list(coordinator_a, StatFilters(unit="none")).order_by("pk")) == [a3, a4]
    assert list(queries.acts_list(coordinator_a, StatFilters(region="none")).order_by("pk")) == [a2, a3]
    assert list(queries.acts_list(coordinator_a, StatFilters(year=2023))) == [a4]
    assert list(queries.acts_list(monitor_a, StatFilters(year=2023))) == []
    # A figure's link reproduces exactly its count.
    stats = queries.statistics(coordinator_a, StatFilters(act_type="torture"))
    unit_row = next(r for r in stats.by_unit.rows if r["label"] == "Police")
    assert "act_type=torture" in unit_row["query"] and "unit=police" in unit_row["query"]


def test_month_breakdown_inside_a_year(documented, coordinator_a):
    stats = queries.statistics(coordinator_a, StatFilters(year=2022), today=D(2022, 3, 15))
    assert rows(stats.by_period) == {"2022-01": 3, "2022-02": 0, "2022-03*": 0}


def test_threat_index_flags_partial_year_and_keeps_raw_apart(org_a, coordinator_a, defender):
    for year, n in ((2021, 4), (2022, 9), (2023, 6), (2024, 5)):
        event = actions.create_event(
            coordinator_a, org_a, title=f"P{year}", start_date=D(year, 1, 1), start_precision="year"
        )
        for i in range(n):
            actions.add_act(coordinator_a, event, act_type="threat", victim=defender, date=D(year, 1 + i, 1))
    index = queries.threat_index(coordinator_a, StatFilters(until=D(2024, 10, 31)))
    assert [(p.label, p.count, p.partial) for p in index] == [
        ("2021", 4, False),
        ("2022", 9, False),
        ("2023", 6, False),
        ("2024", 5, True),
    ]
    partial = index[-1]
    assert partial.covered_days == 305 and partial.total_days == 366
    assert partial.annualised == pytest.approx(6.0)
    assert partial.count == 5  # the raw figure stays raw
    assert all(p.annualised is None for p in index[:-1])  # full years have no annualised figure to mix in


def test_threat_index_counts_only_defenders_the_user_may_see(org_a, coordinator_a, monitor_a, event):
    hidden_hrd = actions.create_victim(coordinator_a, org_a, pseudonym="H", is_hrd=True, confidentiality="restricted")
    not_hrd = actions.create_victim(coordinator_a, org_a, pseudonym="N", confidentiality="internal")
    actions.add_act(coordinator_a, event, act_type="threat", victim=hidden_hrd, date=D(2022, 1, 7))
    actions.add_act(coordinator_a, event, act_type="threat", victim=not_hrd, date=D(2022, 1, 7))
    assert [p.count for p in queries.threat_index(coordinator_a, today=D(2022, 12, 31))] == [1]
    assert [p.count for p in queries.threat_index(monitor_a, today=D(2022, 12, 31))] == []


def test_statistics_run_a_fixed_number_of_queries(documented, coordinator_a, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        queries.statistics(coordinator_a)


def test_event_case_file_timeline_and_hidden_persons(documented, event, coordinator_a, monitor_a, victim):
    actions.add_intervention(
        coordinator_a, event, act=documented[0].pk, intervention_type="complaint", date=D(2022, 1, 7), by="Lawyer"
    )
    case = queries.event_case_file(coordinator_a, event)
    assert [e.kind for e in case.timeline] == ["act", "intervention", "act", "act"]
    assert victim.pk in case.person_ids
    monitor_case = queries.event_case_file(monitor_a, event)
    assert victim.pk not in monitor_case.person_ids  # shown as "a person you cannot see"


def test_person_case_file(documented, defender, coordinator_a, monitor_a):
    case = queries.person_case_file(coordinator_a, defender)
    assert len(case.acts) == 3 and len(case.events) == 2
    assert len(queries.person_case_file(monitor_a, defender).acts) == 2


def test_case_file_lists_cited_passages_within_visibility(event, coordinator_a, monitor_a, org_a):
    import hashlib

    from rightstrack.evidence.models import Passage, SourceDocument

    doc = SourceDocument.objects.create(
        organisation=org_a,
        confidentiality="restricted",
        title="Secret doc",
        sha256=hashlib.sha256(b"x").hexdigest(),
        size=1,
        kind="txt",
        original_filename="x.txt",
    )
    passage = Passage.objects.create(document=doc, number=1, text="Beaten in custody.")
    actions.cite(coordinator_a, event, passage.pk, quote="Beaten")
    assert [c.passage for c in queries.event_case_file(coordinator_a, event).citations] == [passage]
    assert queries.event_case_file(monitor_a, event).citations == []


def test_related_records_degrade_gracefully(coordinator_a, victim):
    # Whatever the trials and recommendations apps hold now, the lookup never fails and returns a list.
    assert isinstance(queries.related_records(coordinator_a, [victim]), list)
    assert queries.related_records(coordinator_a, []) == []


def test_publishable_persons(org_a, coordinator_a, viewer_b):
    people = {
        level: actions.create_victim(
            coordinator_a, org_a, pseudonym=level, consent=level, consent_date=D(2022, 1, 1), confidentiality="public"
        )
        for level in ("none", "internal", "anonymised", "named")
    }
    plain = Person.objects.create(organisation=org_a, confidentiality=Confidentiality.PUBLIC, pseudonym="no profile")
    anonymised = set(queries.publishable_persons(coordinator_a).values_list("pseudonym", flat=True))
    assert anonymised == {"anonymised", "named"}
    named = set(queries.publishable_persons(coordinator_a, named=True).values_list("pseudonym", flat=True))
    assert named == {"named"}
    assert list(queries.publishable_persons(coordinator_a, [plain, people["none"]])) == []
    assert queries.persons_lacking_consent([plain, people["named"]]) == [plain]
    # Visibility still applies.
    Person.objects.filter(pk=people["named"].pk).update(confidentiality="internal")
    assert "named" not in set(queries.publishable_persons(viewer_b).values_list("pseudonym", flat=True))
