"""Benchmark the recommendation classifier against a plain TF-IDF + LinearSVC baseline.

Protocol (from the issue): train on UPR sessions <= 16, test on sessions 17-18.  Reports
micro-F1 for themes and macro-F1 for the action category, for our model and, in the same
run, for the baseline.  Sessions 17-18 are never used for fitting or tuning our model.

    .venv/bin/python bench/recommendations_classify.py
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from rightstrack.recommendations import classify  # noqa: E402

CSV = ROOT.parent / "shared" / "data" / "upr-info" / "recommendations.csv"
TRAIN_MAX_SESSION = 16


def f1_scores(y_true: np.ndarray, y_pred: np.ndarray, a_true: np.ndarray, a_pred: np.ndarray) -> tuple[float, float]:
    from sklearn.metrics import f1_score

    return (
        float(f1_score(y_true, y_pred, average="micro")),
        float(f1_score(a_true, a_pred, average="macro")),
    )


def baseline(train: list[dict], test: list[dict], labels: list[str]) -> tuple[np.ndarray, np.ndarray, float]:
    """Plain TF-IDF + LinearSVC (one-vs-rest for themes), scikit-learn defaults."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.multiclass import OneVsRestClassifier
    from sklearn.svm import LinearSVC

    t0 = time.perf_counter()
    vec = TfidfVectorizer()
    x_tr = vec.fit_transform([r["text"] for r in train])
    x_te = vec.transform([r["text"] for r in test])
    y_tr = classify._binarise([r["themes"] for r in train], labels)
    themes = OneVsRestClassifier(LinearSVC(random_state=0)).fit(x_tr, y_tr).predict(x_te)
    acts = LinearSVC(random_state=0).fit(x_tr, [r["action_category"] for r in train]).predict(x_te)
    return np.asarray(themes), np.asarray(acts), time.perf_counter() - t0


def main() -> int:
    if not CSV.is_file():
        print(f"shared data not found at {CSV}; nothing to benchmark")
        return 0
    rows = classify.read_training_csv(CSV)
    train = [r for r in rows if r["session"] <= TRAIN_MAX_SESSION]
    test = [r for r in rows if r["session"] > TRAIN_MAX_SESSION]
    print(
        f"rows: {len(rows)}  train (sessions <= {TRAIN_MAX_SESSION}): {len(train)}  test (sessions 17-18): {len(test)}"
    )

    t0 = time.perf_counter()
    model = classify.fit_model(train, log=lambda m: print("  ours:", m))
    t_ours = time.perf_counter() - t0
    labels = model.theme_labels
    unseen = sorted({t for r in test for t in r["themes"]} - set(labels))
    if unseen:
        print("labels only in test (counted as misses):", unseen)
        labels = labels + unseen
    y_te = classify._binarise([r["themes"] for r in test], labels)
    a_te = np.array([r["action_category"] for r in test])

    t0 = time.perf_counter()
    ours_bin, ours_act = model.predict_arrays([r["text"] for r in test])
    t_pred = time.perf_counter() - t0
    ours_bin = np.pad(ours_bin, ((0, 0), (0, len(labels) - ours_bin.shape[1])))
    ours = f1_scores(y_te, ours_bin, a_te, ours_act)

    with tempfile.TemporaryDirectory() as tmp:
        model.save(tmp)
        size = sum(p.stat().st_size for p in Path(tmp).iterdir())
        # Check the saved (int8-quantised) model scores the same as the in-memory one.
        q_bin, q_act = classify.load_model(tmp).predict_arrays([r["text"] for r in test])
        q_bin = np.pad(q_bin, ((0, 0), (0, len(labels) - q_bin.shape[1])))
        saved = f1_scores(y_te, q_bin, a_te, q_act)

    base_bin, base_act, t_base = baseline(train, test, labels)
    base = f1_scores(y_te, base_bin, a_te, base_act)

    print()
    print(f"{'':28} {'themes micro-F1':>16} {'action macro-F1':>16} {'train s':>8}")
    print(f"{'ours (in memory)':28} {ours[0]:16.4f} {ours[1]:16.4f} {t_ours:8.1f}")
    print(f"{'ours (saved, int8 weights)':28} {saved[0]:16.4f} {saved[1]:16.4f}")
    print(f"{'baseline TF-IDF+LinearSVC':28} {base[0]:16.4f} {base[1]:16.4f} {t_base:8.1f}")
    print(f"{'ratio ours/baseline':28} {saved[0] / base[0]:16.4f} {saved[1] / base[1]:16.4f}")
    print()
    print(f"prediction time for {len(test)} texts: {t_pred:.1f}s")
    print(f"model size (sessions <= {TRAIN_MAX_SESSION}): {size / 1e6:.2f} MB")
    shipped = [classify.MODEL_DIR / classify.MODEL_NPZ, classify.MODEL_DIR / classify.MODEL_JSON]
    if all(p.is_file() for p in shipped):
        print(f"shipped model size (all rows): {sum(p.stat().st_size for p in shipped) / 1e6:.2f} MB")
    beats = saved[0] > base[0] and saved[1] > base[1]
    print("ours beats baseline on both metrics:", "YES" if beats else "NO")
    return 0 if beats else 1


if __name__ == "__main__":
    raise SystemExit(main())
