"""Tests for recurring-recommendation grouping."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from rightstrack.recommendations.recurrence import (
    Record,
    group_recommendations,
    recurring_groups,
    signature,
)

from .upr_synthetic import upr_info_csv


def _ids(groups: list) -> list[set]:
    return [set(g.ids) for g in groups]


def test_empty_input() -> None:
    assert group_recommendations([]) == []
    assert recurring_groups(iter([])) == []


def test_identical_text_across_sessions_groups() -> None:
    recs = [
        Record("a", "Chad", 5, "Establish a national human rights institution in line with the Paris Principles."),
        Record("b", "Chad", 17, "Establish a national human rights institution in line with the Paris Principles"),
    ]
    (g,) = recurring_groups(recs)
    assert g.ids == ["a", "b"]
    assert (g.first, g.last, g.periods, g.span) == (5, 17, [5, 17], 12)
    assert g.recurring and g.state == "Chad"
    assert "nhri" in g.label


def test_near_identical_wording_groups() -> None:
    recs = [
        Record(1, "Kenya", 8, "Ratify the Optional Protocol to the Convention against Torture"),
        Record(2, "Kenya", 21, "Ratify OP-CAT"),
        Record(3, "Kenya", 21, "Consider ratifying the OPCAT as soon as possible"),
    ]
    (g,) = recurring_groups(recs)
    assert set(g.ids) == {1, 2, 3}
    assert signature("Ratify OP-CAT") == ("ratify", frozenset({"i_opcat"}))


def test_different_asks_do_not_group() -> None:
    recs = [
        Record(1, "Kenya", 8, "Ratify the Optional Protocol to the Convention against Torture"),
        Record(2, "Kenya", 21, "Abolish the death penalty"),
        Record(
            3,
            "Kenya",
            21,
            "Ratify the International Convention for the Protection of All Persons from Enforced Disappearance",
        ),
        Record(
            4, "Kenya", 21, "Ratify the Optional Protocol to the Convention on the Rights of Persons with Disabilities"
        ),
        Record(5, "Kenya", 9, "Criminalise torture in line with the Convention against Torture"),
        Record(6, "Kenya", 22, "Decriminalise same-sex relations between consenting adults"),
        Record(7, "Kenya", 23, "Criminalise same-sex relations between consenting adults"),
    ]
    assert group_recommendations(recs) == []


def test_same_text_other_state_does_not_group() -> None:
    recs = [
        Record(1, "Kenya", 8, "Abolish the death penalty"),
        Record(2, "Ghana", 21, "Abolish the death penalty"),
    ]
    assert group_recommendations(recs) == []


def test_same_session_duplicates_are_not_recurrence() -> None:
    text = "Issue a standing invitation to all special procedures"
    recs = [Record(i, "Peru", 2, text) for i in range(3)]
    (g,) = group_recommendations(recs)
    assert sorted(g.ids) == [0, 1, 2]
    assert g.periods == [2] and g.span == 0 and not g.recurring
    assert recurring_groups(recs) == []
    # One more session makes it a recurrence, and the duplicates stay in the group.
    (r,) = recurring_groups([*recs, Record(9, "Peru", 14, text + ".")])
    assert sorted(r.ids) == [0, 1, 2, 9] and r.periods == [2, 14] and r.span == 12
    assert r.ids[-1] == 9  # members ordered by session


def test_min_size_and_singletons() -> None:
    recs = [Record(1, "Peru", 2, "Abolish the death penalty")]
    assert group_recommendations(recs) == []
    assert len(group_recommendations(recs, min_size=1)) == 1


def test_mapping_input_dates_and_mechanisms() -> None:
    recs = [
        {
            "id": "x",
            "state_under_review": "Nepal",
            "date": "2011-01-25",
            "mechanism": "UPR",
            "text": "Ratify the Rome Statute of the International Criminal Court",
        },
        {
            "id": "y",
            "state": "Nepal",
            "date": dt.date(2015, 11, 4),
            "mechanism": "CAT",
            "text": "Accede to the Rome Statute of the ICC",
        },
    ]
    (g,) = recurring_groups(recs)
    assert g.first == dt.date(2011, 1, 25) and g.last == dt.date(2015, 11, 4)
    assert g.span == (dt.date(2015, 11, 4) - dt.date(2011, 1, 25)).days
    assert g.mechanisms == ["CAT", "UPR"]


def test_missing_fields_raise() -> None:
    with pytest.raises(ValueError):
        group_recommendations([{"id": 1, "state": "Chad", "text": "Abolish the death penalty"}])


def test_no_chaining_through_a_bridge() -> None:
    # B is similar to both A and C, but A and C ask for different things: complete-link
    # must not put all three together.
    recs = [
        Record("A", "Iran", 7, "Ensure freedom of expression and release detained journalists"),
        Record(
            "B",
            "Iran",
            20,
            "Ensure freedom of expression and release detained journalists and human rights defenders and lawyers",
        ),
        Record("C", "Iran", 34, "Release detained human rights defenders and lawyers"),
    ]
    for g in group_recommendations(recs):
        assert not {"A", "C"} <= set(g.ids)


def test_upr_info_subset_groups_are_per_state(tmp_path: Path) -> None:
    with open(upr_info_csv(tmp_path), encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r["state_under_review"] in {"Canada", "Cuba", "Kenya"}]
    state_of = {r["id"]: r["state_under_review"] for r in rows}
    groups = group_recommendations(
        {"id": r["id"], "state": r["state_under_review"], "session": int(r["session"]), "text": r["text"]} for r in rows
    )
    assert groups
    assert any(g.recurring for g in groups)
    for g in groups:
        assert len({state_of[i] for i in g.ids}) == 1
        assert len(g.ids) == len(set(g.ids))
    assert (
        group_recommendations(
            {"id": r["id"], "state": r["state_under_review"], "session": int(r["session"]), "text": r["text"]}
            for r in rows
        )
        == groups
    )
