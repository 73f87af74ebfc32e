"""Statistics at scale: the fast visibility test matches visible(), the threat index counted in the breakdown scan
matches `threat_index`, perpetrator counts follow edits and deletions, and SQLite reads the statistics indexes
in GROUP BY order (the plan the 200,000-act goal relies on, see bench/incidents_stats.py)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.db.models import Count

from rightstrack.core import visibility
from rightstrack.core.actions import soft_delete
from rightstrack.core.models import Confidentiality
from rightstrack.incidents import actions, queries
from rightstrack.incidents.models import Act, Involvement
from rightstrack.incidents.queries import StatFilters

from ..conftest import make_user
from .conftest import D, client_for


@pytest.fixture
def world(org_a, org_b, coordinator_a, event, victim, defender):
    """Acts in internal, restricted, public and deleted events of org A and an internal event of org B; one victim
    is a defender only coordinators of org A may see."""
    coordinator_b = make_user("coordinator-b", org_b, "coordinator", restricted=True)
    other = actions.create_victim(coordinator_b, org_b, pseudonym="HRD B", is_hrd=True)
    a1 = actions.add_act(coordinator_a, event, act_type="torture", victim=victim, date=D(2022, 1, 7))
    actions.add_act(coordinator_a, event, act_type="threat", victim=defender, date=D(2022, 1, 9))
    hidden = actions.create_victim(
        coordinator_a, org_a, pseudonym="Hidden HRD", is_hrd=True, confidentiality=Confidentiality.RESTRICTED
    )
    actions.add_act(coordinator_a, event, act_type="threat", victim=hidden, date=D(2022, 1, 10))
    secret = actions.create_event(
        coordinator_a, org_a, title="Secret", start_date=D(2023, 5, 1), confidentiality=Confidentiality.RESTRICTED
    )
    actions.add_act(coordinator_a, secret, act_type="killing", victim=defender, date=D(2023, 5, 2))
    public = actions.create_event(
        coordinator_a, org_a, title="Open", start_date=D(2021, 3, 1), confidentiality="public"
    )
    actions.add_act(coordinator_a, public, act_type="threat", date=D(2021, 3, 2))
    gone = actions.create_event(coordinator_a, org_a, title="Gone", start_date=D(2022, 6, 1))
    gone_act = actions.add_act(coordinator_a, gone, act_type="threat", victim=defender, date=D(2022, 6, 1))
    actions.add_involvement(coordinator_a, gone_act, unit="police")
    soft_delete(coordinator_a, gone)
    theirs = actions.create_event(coordinator_b, org_b, title="B's", start_date=D(2022, 2, 1))
    b_act = actions.add_act(coordinator_b, theirs, act_type="threat", victim=other, date=D(2022, 2, 2))
    actions.add_involvement(coordinator_b, b_act, unit="court")
    actions.add_involvement(coordinator_a, a1, unit="police")
    actions.add_involvement(coordinator_a, a1, unit="court")
    return {"a1": a1}


@pytest.mark.parametrize("model", [Act, Involvement])
def test_visibility_through_events_matches_visible(world, model, coordinator_a, monitor_a, viewer_a, viewer_b):
    deleted = Involvement.objects.get(act=world["a1"], unit="court")
    actions.delete_involvement(coordinator_a, deleted)
    for user in (coordinator_a, monitor_a, viewer_a, viewer_b, AnonymousUser()):
        expected = set(visibility.visible(user, model).values_list("pk", flat=True))
        assert set(queries._through_visible_events(user, model).values_list("pk", flat=True)) == expected
    assert deleted.pk not in set(
        queries._through_visible_events(coordinator_a, Involvement).values_list("pk", flat=True)
    )


@pytest.mark.parametrize(
    "filters",
    [
        StatFilters(),
        StatFilters(act_type="threat"),
        StatFilters(until=D(2022, 10, 31)),
        StatFilters(since=D(2021, 6, 1)),
        StatFilters(unit="police"),
        StatFilters(year=2022),  # the index spans every year: counted by its own query here
        StatFilters(month=1),
    ],
)
def test_threat_index_from_the_breakdown_scan_matches_threat_index(world, filters, coordinator_a, monitor_a, viewer_b):
    for user in (coordinator_a, monitor_a, viewer_b):
        stats = queries.statistics(user, filters, today=D(2024, 6, 30))
        expected = queries.threat_index(user, filters, today=D(2024, 6, 30))
        assert [(p.key, p.count, p.partial, p.annualised) for p in stats.threat] == [
            (p.key, p.count, p.partial, p.annualised) for p in expected
        ]


def test_threat_index_costs_no_query_of_its_own_unless_a_year_is_picked(
    world, coordinator_a, django_assert_num_queries
):
    assert queries.statistics(coordinator_a).threat  # memberships now cached on the user
    with django_assert_num_queries(2):  # breakdowns + threat index, units (no places to name)
        stats = queries.statistics(coordinator_a)
        assert stats.threat
    with django_assert_num_queries(2):
        stats = queries.statistics(coordinator_a, StatFilters(year=2022))
    with django_assert_num_queries(1):  # asked for: counted over every year by threat_index
        assert [p.key for p in stats.threat][:2] == ["2022", "2023"]


def test_threat_index_starts_at_the_first_year_with_defenders(org_a, coordinator_a, event, victim, defender):
    """A year with acts but none against defenders does not start the index earlier than threat_index does."""
    early = actions.create_event(coordinator_a, org_a, title="Early", start_date=D(2019, 2, 1))
    actions.add_act(coordinator_a, early, act_type="torture", victim=victim, date=D(2019, 2, 1))
    actions.add_act(coordinator_a, event, act_type="threat", victim=defender, date=D(2022, 1, 9))
    stats = queries.statistics(coordinator_a, today=D(2023, 6, 30))
    assert [(p.key, p.count) for p in stats.threat] == [("2022", 1), ("2023", 0)]
    assert stats.threat[-1].partial and stats.threat[-1].annualised == 0


def test_counts_only_what_the_user_may_see(world, coordinator_a, monitor_a, viewer_b):
    full = queries.statistics(coordinator_a, today=D(2024, 6, 30))
    assert full.total == 5  # internal ×3, restricted, public; not the deleted event nor org B's internal one
    assert {r["label"]: r["count"] for r in full.by_unit.rows} == {
        "Police": 1,
        "Court": 1,
        "Perpetrator not recorded": 4,
    }
    assert [(p.key, p.count) for p in full.threat] == [("2022", 2), ("2023", 1), ("2024", 0)]
    monitor = queries.statistics(monitor_a, today=D(2024, 6, 30))
    assert monitor.total == 4  # no restricted access: the restricted event is not counted
    # …and the act against the restricted defender counts as an act, not as one against a defender.
    assert [(p.key, p.count) for p in monitor.threat] == [("2022", 1), ("2023", 0), ("2024", 0)]
    other = queries.statistics(viewer_b, today=D(2024, 6, 30))
    assert other.total == 2  # org A's public act and org B's own act
    assert {r["label"]: r["count"] for r in other.by_unit.rows} == {"Court": 1, "Perpetrator not recorded": 1}
    assert [(p.key, p.count) for p in other.threat] == [("2022", 1), ("2023", 0), ("2024", 0)]


def test_unit_counts_follow_edits_and_deletions(world, coordinator_a):
    def units() -> dict[str, int]:
        return {r["label"]: r["count"] for r in queries.statistics(coordinator_a).by_unit.rows}

    assert units()["Police"] == 1
    police = Involvement.objects.get(act=world["a1"], unit="police")
    second = actions.add_involvement(coordinator_a, world["a1"], unit="police", degree="command")
    assert units()["Police"] == 1  # two involvements of one unit: one act
    actions.delete_involvement(coordinator_a, police)
    assert units()["Police"] == 1  # the other one still names the police
    second = Involvement.objects.get(pk=second.pk)
    actions.update_involvement(coordinator_a, second, expected_version=second.version, changes={"unit": "court"})
    assert "Police" not in units() and units()["Court"] == 1  # now two court involvements: still one act
    actions.delete_involvement(coordinator_a, Involvement.objects.get(pk=second.pk))
    assert units()["Court"] == 1
    actions.delete_involvement(coordinator_a, Involvement.objects.get(act=world["a1"], unit="court"))
    assert units() == {"Perpetrator not recorded": 5}
    assert queries.acts_list(coordinator_a, StatFilters(unit="none")).count() == 5


def test_statistics_page_reads_a_fixed_number_of_queries(world, coordinator_a, django_assert_max_num_queries):
    client = client_for(coordinator_a)
    client.get("/incidents/statistics/")  # session, user and memberships warm
    with django_assert_max_num_queries(10):
        assert client.get("/incidents/statistics/").status_code == 200


def test_page_charts_are_plain_svg_with_alt_text_and_png_on_demand(world, coordinator_a, monkeypatch):
    """The page writes its SVG charts directly (matplotlib draws nothing); a document asking for the PNG of the
    same chart gets matplotlib's drawing of the same data."""
    from rightstrack.core import charts as core_charts
    from rightstrack.incidents import charts

    charts._bars.cache_clear()
    charts._lines.cache_clear()
    drawn: list[str] = []
    save = core_charts._save
    monkeypatch.setattr(core_charts, "_save", lambda figure, fmt: drawn.append(fmt) or save(figure, fmt))
    response = client_for(coordinator_a).get("/incidents/statistics/?until=2024-06-30")
    assert drawn == []
    by_type = response.context["breakdowns"][0]["chart"]
    svg = by_type.svg.decode()
    assert svg.startswith("<svg") and "Torture" in svg and "Acts by type" in svg
    assert by_type.alt.startswith("Acts by type: ") and "Torture 1 acts" in by_type.alt
    index = response.context["index_chart"]
    assert "2024*" in index.svg.decode() and "(* partial period)" in index.svg.decode()
    assert index.png.startswith(b"\x89PNG") and drawn == ["png"]
    body = response.content.decode()
    assert body.count('<img class="chart" src="data:image/svg+xml;base64,') == 5
    assert body.count(' alt="Acts by ') == 4 and ' alt="HRD threat index' in body


def _plan(qs) -> str:
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        return "\n".join(str(row[-1]) for row in cursor.fetchall())


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's planner needs the index hint; PostgreSQL hashes")
def test_sqlite_reads_the_statistics_indexes_in_group_order(world, coordinator_a):
    columns = ["act_type", "stat_place", "stat_year", "has_perpetrator"]
    grouped = queries.acts_for(coordinator_a).values(*columns).annotate(n=Count("pk")).order_by()
    plan = _plan(grouped)
    assert "COVERING INDEX act_stats" in plan and "TEMP B-TREE" not in plan, plan
    units = queries._through_visible_events(coordinator_a, Involvement).filter(first_of_unit=True)
    plan = _plan(units.values("unit").annotate(n=Count("pk")).order_by())
    assert "COVERING INDEX involvement_stats" in plan and "TEMP B-TREE" not in plan, plan
