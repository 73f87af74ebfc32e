"""The synthetic UPR Info file stands in for ../shared's: it must have what the tests that use it rely on."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

import tests.conftest
from rightstrack.core.vocabularies import THEMES
from rightstrack.recommendations.vocabularies import STATES_BY_GROUP

from . import upr_synthetic


def test_without_shared_data_the_synthetic_file_is_written(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(tests.conftest, "SHARED", tmp_path / "no-shared-here")
    path = upr_synthetic.upr_info_csv(tmp_path)
    assert path.parent == tmp_path
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        assert reader.fieldnames == upr_synthetic.HEADER
        assert list(reader) == upr_synthetic.rows()


def test_with_shared_data_the_shared_file_is_used(tmp_path: Path, monkeypatch) -> None:
    shared = tmp_path / "shared"
    (shared / "data" / "upr-info").mkdir(parents=True)
    real = shared / "data" / "upr-info" / "recommendations.csv"
    real.write_text(",".join(upr_synthetic.HEADER) + "\n", encoding="utf-8")
    monkeypatch.setattr(tests.conftest, "SHARED", shared)
    assert upr_synthetic.upr_info_csv(tmp_path) == real


def test_rows_fit_the_vocabularies_and_the_slices_taken() -> None:
    rows = upr_synthetic.rows()
    assert len({r["id"] for r in rows}) == len(rows)
    assert [int(r["session"]) for r in rows] == sorted(int(r["session"]) for r in rows)
    states = {s for group in STATES_BY_GROUP.values() for s in group}
    themes = {en for en, _ru in THEMES}
    for r in rows:
        assert r["state_under_review"] in states and r["recommending_state"] in states
        assert set(r["issues"].split("|")) <= themes
    # The classifier test takes 250 rows of each of sessions 1-4 and needs every action category.
    for session in ("1", "2", "3", "4"):
        in_session = [r for r in rows if r["session"] == session]
        assert len(in_session) >= 250
        assert {r["action_category"] for r in in_session[:250]} == {"1", "2", "3", "4", "5"}
    # Recurrence needs a State recommended the same thing in two cycles.
    texts = Counter((r["state_under_review"], r["text"]) for r in rows if r["state_under_review"] == "Canada")
    assert max(texts.values()) == 2


@pytest.mark.parametrize("state", sorted(upr_synthetic.REVIEWED))
def test_each_state_is_reviewed_twice(state: str) -> None:
    sessions = {r["session"] for r in upr_synthetic.rows() if r["state_under_review"] == state}
    first = upr_synthetic.REVIEWED[state]
    assert sessions == {str(first), str(first + 4)}
