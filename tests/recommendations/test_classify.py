"""Tests for the recommendation theme / action-category classifier."""

from __future__ import annotations

import csv
import zipfile
from pathlib import Path

import numpy as np
import pytest

from rightstrack.recommendations import classify
from rightstrack.recommendations.classify import Prediction, load_model, predict, train

from .upr_synthetic import upr_info_csv

TEXTS = [
    "Ratify the Optional Protocol to the Convention against Torture",
    "Continue its efforts to combat trafficking in persons, especially women and children",
    "Consider abolishing the death penalty",
    "Seek technical assistance from OHCHR to build the capacity of the national human rights institution",
    "Take measures to ensure access to education for girls in rural areas",
    "Extend a standing invitation to all special procedures",
]


@pytest.fixture(scope="module")
def shipped() -> classify.Classifier:
    return load_model()


def test_shipped_model_is_small_and_pickle_free() -> None:
    npz = classify.MODEL_DIR / classify.MODEL_NPZ
    assert npz.is_file() and (classify.MODEL_DIR / classify.MODEL_JSON).is_file()
    assert npz.stat().st_size < 5_000_000
    with zipfile.ZipFile(npz) as zf:
        assert all(name.endswith(".npy") for name in zf.namelist())
    with np.load(npz, allow_pickle=False) as z:  # would raise on any object array
        assert {"theme_w", "action_w", "word_vocab", "char_vocab", "thresholds"} <= set(z.files)


def test_prediction_shape_and_labels(shipped: classify.Classifier) -> None:
    preds = predict(TEXTS)
    assert len(preds) == len(TEXTS)
    labels = set(shipped.theme_labels)
    assert len(labels) == 54
    for p in preds:
        assert isinstance(p, Prediction)
        assert p.themes, "at least one theme per text"
        assert set(p.themes) <= labels
        assert set(p.theme_scores) == labels
        assert all(p.theme_scores[t] > 0 for t in p.themes[1:])
        assert p.action_category in (1, 2, 3, 4, 5)
        assert set(p.action_scores) == {1, 2, 3, 4, 5}
        assert p.action_category == max(p.action_scores, key=p.action_scores.__getitem__)


def test_deterministic() -> None:
    assert predict(TEXTS) == predict(TEXTS)
    assert predict(TEXTS[:1]) == predict(TEXTS)[:1]


def test_sensible_predictions() -> None:
    opcat, trafficking, death, assistance, education, invitation = predict(TEXTS)
    assert opcat.action_category == 5
    assert "Torture and other CID treatment" in opcat.themes
    assert "International instruments" in opcat.themes
    assert trafficking.action_category == 2 and "Trafficking" in trafficking.themes
    assert death.action_category == 3 and death.themes[0] == "Death penalty"
    assert assistance.action_category == 1 and "Technical assistance and cooperation" in assistance.themes
    assert education.action_category == 4 and "Right to education" in education.themes
    assert "Special procedures" in invitation.themes


def test_short_and_accented_text() -> None:
    (p,) = predict(["Ratify CAT"])
    assert p.action_category == 5
    (q,) = predict(["Ratifier la Convention contre la torture — protocole facultatif"])
    assert q.themes


def test_empty_input_list() -> None:
    assert predict([]) == []


@pytest.mark.parametrize("bad", [[""], ["   "], ["--- ..."], [None], [42], ["ok text", b"bytes"]])
def test_invalid_texts_raise(bad: list) -> None:
    with pytest.raises(ValueError):
        predict(bad)


def test_bare_string_raises() -> None:
    with pytest.raises(ValueError, match="list of texts"):
        predict("Ratify CAT")


def test_missing_model_dir(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        load_model(tmp_path)


def _write_slice(source: Path, path: Path, per_session: int = 250) -> None:
    """First rows of a few sessions, so the slice has several sessions and all categories."""
    with open(source, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        fields = reader.fieldnames
        kept: dict[str, int] = {}
        rows = []
        for r in reader:
            if r["session"] in {"1", "2", "3", "4"} and kept.get(r["session"], 0) < per_session:
                kept[r["session"]] = kept.get(r["session"], 0) + 1
                rows.append(r)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=fields)
        w.writeheader()
        w.writerows(rows)


def test_quick_train_on_slice(tmp_path: Path) -> None:
    csv_path = tmp_path / "slice.csv"
    _write_slice(upr_info_csv(tmp_path), csv_path)
    summary = train(csv_path, tmp_path / "m1")
    assert summary["rows"] == 1000
    model = load_model(tmp_path / "m1")
    assert model.meta["threshold_sessions"] == [4]
    preds = model.predict(TEXTS)
    assert len(preds) == len(TEXTS) and all(p.themes for p in preds)
    assert predict(TEXTS[:1], model_dir=tmp_path / "m1")[0] == preds[0]
    # Reproducible artefact: a second run writes identical bytes.
    train(csv_path, tmp_path / "m2")
    for name in (classify.MODEL_NPZ, classify.MODEL_JSON):
        assert (tmp_path / "m1" / name).read_bytes() == (tmp_path / "m2" / name).read_bytes()


def test_fit_model_needs_data() -> None:
    with pytest.raises(ValueError):
        classify.fit_model([{"session": 1, "text": "x", "themes": ["General"], "action_category": 4}])
