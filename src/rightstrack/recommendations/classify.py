"""Suggest UPR themes (multi-label) and action category (1-5) for recommendation texts.

The model is a linear one over TF-IDF features (word 1-2-grams, "first words" markers and
character 2-5-grams inside words), one linear SVM per theme with per-theme thresholds tuned
on a held-out slice of the *latest training sessions*, and a one-vs-rest linear SVM for the
action category.

Prediction needs only numpy: the vectoriser is implemented here (so training and prediction
share exactly the same code path) and the shipped artefact is a plain ``.npz`` (no pickle,
``allow_pickle=False``) plus a JSON file of labels and metadata.  scikit-learn is needed
only by :func:`train` / :func:`fit_model`, and is imported lazily there.

Suggestions are meant for analysts to confirm, never as final labels.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import math
import re
import threading
import time
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

__all__ = [
    "ACTION_CATEGORIES",
    "MODEL_DIR",
    "Classifier",
    "Prediction",
    "fit_model",
    "load_model",
    "predict",
    "read_training_csv",
    "train",
]

MODEL_DIR = Path(__file__).resolve().parent / "model"
MODEL_NPZ = "classifier.npz"
MODEL_JSON = "classifier.json"
FORMAT_VERSION = 1
ACTION_CATEGORIES = (1, 2, 3, 4, 5)

# Hyper-parameters, chosen on a validation split inside the training sessions (train on
# sessions <= 14, validate on 15-16); sessions 17-18 were only used for the final report.
WORD_MIN_DF = 2
CHAR_MIN_DF = 3
CHAR_NGRAMS = (2, 5)
PREFIX_WORDS = 3
THEME_C = 0.7
ACTION_C = 1.0
HOLDOUT_FRACTION = 0.15
THRESHOLD_GRID = tuple(round(x, 2) for x in np.arange(-0.8, 0.41, 0.05))
# Labels with fewer held-out positives than this get a threshold shrunk towards the global one:
# a per-label optimum over a handful of examples is mostly noise.
THRESHOLD_MIN_SUPPORT = 40

_TOKEN = re.compile(r"[a-z0-9]+")


# --------------------------------------------------------------------------- features


def _normalise(text: str) -> str:
    """Lower-case and strip accents so "Protocole"/"protocole" and "é"/"e" match."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return text.lower()


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(_normalise(text))


def _word_features(tokens: list[str]) -> list[str]:
    feats = list(tokens)
    feats.extend(f"{a} {b}" for a, b in zip(tokens, tokens[1:], strict=False))
    # The opening verb phrase ("continue", "consider", "seek assistance", "ratify") is what
    # UPR Info's action category is mostly about, so mark the first words explicitly.
    for k in range(1, min(PREFIX_WORDS, len(tokens)) + 1):
        feats.append("^" + "_".join(tokens[:k]))
    return feats


def _char_features(tokens: list[str]) -> list[str]:
    lo, hi = CHAR_NGRAMS
    feats: list[str] = []
    for tok in tokens:
        w = f" {tok} "
        n_chars = len(w)
        for n in range(lo, hi + 1):
            feats.extend(w[i : i + n] for i in range(n_chars - n + 1))
    return feats


def _features(text: str) -> tuple[list[str], list[str]]:
    toks = _tokens(text)
    return _word_features(toks), _char_features(toks)


@dataclass
class _Block:
    """One TF-IDF block: vocabulary (sorted) and idf weights."""

    vocab: dict[str, int]
    idf: np.ndarray

    @classmethod
    def fit(cls, docs: Sequence[list[str]], min_df: int) -> _Block:
        df: Counter[str] = Counter()
        for feats in docs:
            df.update(set(feats))
        terms = sorted(t for t, c in df.items() if c >= min_df)
        n = len(docs)
        # Same smoothed idf as scikit-learn's TfidfVectorizer(smooth_idf=True).
        idf = np.array([math.log((1 + n) / (1 + df[t])) + 1.0 for t in terms], dtype=np.float32)
        return cls({t: i for i, t in enumerate(terms)}, idf)


def _vectorise(docs: Sequence[list[str]], block: _Block, weight: float) -> Any:
    """Sublinear-tf * idf, L2-normalised per row, then scaled by ``weight`` (scipy CSR)."""
    from scipy import sparse

    indptr = [0]
    indices: list[int] = []
    data: list[float] = []
    vocab = block.vocab
    for feats in docs:
        counts = Counter(vocab[f] for f in feats if f in vocab)
        cols = sorted(counts)
        vals = np.array([1.0 + math.log(counts[c]) for c in cols], dtype=np.float64)
        if cols:
            vals *= block.idf[cols]
            vals *= weight / np.linalg.norm(vals)
        indices.extend(cols)
        data.extend(vals.tolist())
        indptr.append(len(indices))
    return sparse.csr_matrix(
        (np.array(data, dtype=np.float32), np.array(indices, dtype=np.int32), np.array(indptr)),
        shape=(len(docs), len(vocab)),
    )


def _matrix(texts: Sequence[str], words: _Block, chars: _Block) -> Any:
    from scipy import sparse

    feats = [_features(t) for t in texts]
    # Each block has unit norm before scaling, so the full row has unit norm.
    w = 1.0 / math.sqrt(2.0)
    xw = _vectorise([f[0] for f in feats], words, w)
    xc = _vectorise([f[1] for f in feats], chars, w)
    return sparse.hstack([xw, xc], format="csr")


# --------------------------------------------------------------------------- model


@dataclass(frozen=True)
class Prediction:
    """Suggested labels for one text.

    ``theme_scores`` holds, for every label, the SVM margin minus that label's threshold:
    a label is suggested when its score is > 0 (and the best label is always suggested).
    ``action_scores`` holds the one-vs-rest SVM margin of each category (highest wins).
    """

    themes: list[str]
    theme_scores: dict[str, float]
    action_category: int
    action_scores: dict[int, float]


@dataclass
class Classifier:
    """A trained model: vectoriser blocks, theme and action weight matrices."""

    words: _Block
    chars: _Block
    theme_labels: list[str]
    theme_w: np.ndarray  # (n_labels, n_features) float32
    theme_b: np.ndarray
    thresholds: np.ndarray
    action_w: np.ndarray  # (5, n_features)
    action_b: np.ndarray
    meta: dict[str, Any] = field(default_factory=dict)

    def scores(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """Raw theme margins (minus thresholds) and action margins, as dense arrays."""
        x = _matrix(texts, self.words, self.chars)
        theme = np.asarray(x @ self.theme_w.T) + self.theme_b - self.thresholds
        action = np.asarray(x @ self.action_w.T) + self.action_b
        return theme, action

    def predict_arrays(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """Binary theme matrix (at least one label per row) and action categories."""
        theme, action = self.scores(texts)
        binary = (theme > 0).astype(np.int8)
        if len(texts):
            binary[np.arange(len(texts)), theme.argmax(axis=1)] = 1
        cats = np.array(ACTION_CATEGORIES)[action.argmax(axis=1)] if len(texts) else np.array([], int)
        return binary, cats

    def predict(self, texts: Iterable[str]) -> list[Prediction]:
        """Predict themes and action category for each text (see :func:`predict`)."""
        items = _check_texts(texts)
        if not items:
            return []
        theme, action = self.scores(items)
        out = []
        for t_row, a_row in zip(theme, action, strict=True):
            order = np.argsort(-t_row, kind="stable")
            themes = [self.theme_labels[j] for j in order if t_row[j] > 0] or [self.theme_labels[order[0]]]
            out.append(
                Prediction(
                    themes=themes,
                    theme_scores={self.theme_labels[j]: round(float(t_row[j]), 4) for j in order},
                    action_category=int(ACTION_CATEGORIES[int(a_row.argmax())]),
                    action_scores={c: round(float(s), 4) for c, s in zip(ACTION_CATEGORIES, a_row, strict=True)},
                )
            )
        return out

    # ---- persistence (no pickle) ----

    def save(self, out_dir: str | Path) -> dict[str, Path]:
        """Write ``classifier.npz`` (int8-quantised weights) and ``classifier.json``."""
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        tq, ts = _quantise(self.theme_w)
        aq, as_ = _quantise(self.action_w)
        arrays = {
            "word_vocab": _join_terms(self.words.vocab),
            "word_idf": self.words.idf.astype(np.float32),
            "char_vocab": _join_terms(self.chars.vocab),
            "char_idf": self.chars.idf.astype(np.float32),
            "theme_w": tq,
            "theme_scale": ts,
            "theme_b": self.theme_b.astype(np.float32),
            "thresholds": self.thresholds.astype(np.float32),
            "action_w": aq,
            "action_scale": as_,
            "action_b": self.action_b.astype(np.float32),
        }
        npz = out / MODEL_NPZ
        _write_npz(npz, arrays)
        meta = dict(self.meta)
        meta.update(
            {
                "format_version": FORMAT_VERSION,
                "theme_labels": self.theme_labels,
                "action_categories": list(ACTION_CATEGORIES),
                "features": {
                    "word_min_df": WORD_MIN_DF,
                    "char_min_df": CHAR_MIN_DF,
                    "char_ngrams": list(CHAR_NGRAMS),
                    "prefix_words": PREFIX_WORDS,
                    "n_word_features": len(self.words.vocab),
                    "n_char_features": len(self.chars.vocab),
                },
                "npz_sha256": hashlib.sha256(npz.read_bytes()).hexdigest(),
            }
        )
        js = out / MODEL_JSON
        js.write_text(json.dumps(meta, indent=2, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
        return {"npz": npz, "json": js}


def _quantise(w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    # Per-row int8 quantisation: ~4x smaller than float32, and the error (<= scale/2 per
    # weight) moves margins by far less than the gaps that decide labels.
    scale = np.abs(w).max(axis=1) / 127.0
    scale[scale == 0] = 1.0
    q = np.clip(np.rint(w / scale[:, None]), -127, 127).astype(np.int8)
    return q, scale.astype(np.float32)


def _join_terms(vocab: dict[str, int]) -> np.ndarray:
    terms = sorted(vocab, key=vocab.__getitem__)
    # Stored as UTF-8 bytes joined by "\n": object/str arrays would need pickle or be bloated.
    return np.frombuffer("\n".join(terms).encode("utf-8"), dtype=np.uint8)


def _split_terms(arr: np.ndarray) -> dict[str, int]:
    text = arr.tobytes().decode("utf-8")
    terms = text.split("\n") if text else []
    return {t: i for i, t in enumerate(terms)}


def _write_npz(path: Path, arrays: dict[str, np.ndarray]) -> None:
    """Like ``np.savez_compressed`` but byte-for-byte reproducible (fixed zip timestamps)."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for name in sorted(arrays):
            buf = io.BytesIO()
            np.lib.format.write_array(buf, np.ascontiguousarray(arrays[name]), allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, buf.getvalue(), compresslevel=9)


def load_model(model_dir: str | Path = MODEL_DIR) -> Classifier:
    """Load a model written by :meth:`Classifier.save` (never unpickles anything)."""
    d = Path(model_dir)
    npz_path, json_path = d / MODEL_NPZ, d / MODEL_JSON
    if not npz_path.is_file() or not json_path.is_file():
        raise FileNotFoundError(f"no classifier model in {d} (expected {MODEL_NPZ} and {MODEL_JSON})")
    meta = json.loads(json_path.read_text(encoding="utf-8"))
    if meta.get("format_version") != FORMAT_VERSION:
        raise ValueError(f"unsupported classifier format {meta.get('format_version')!r} in {d}")
    with np.load(npz_path, allow_pickle=False) as z:
        a = {k: z[k] for k in z.files}
    words = _Block(_split_terms(a["word_vocab"]), a["word_idf"])
    chars = _Block(_split_terms(a["char_vocab"]), a["char_idf"])
    return Classifier(
        words=words,
        chars=chars,
        theme_labels=list(meta["theme_labels"]),
        theme_w=a["theme_w"].astype(np.float32) * a["theme_scale"][:, None],
        theme_b=a["theme_b"],
        thresholds=a["thresholds"],
        action_w=a["action_w"].astype(np.float32) * a["action_scale"][:, None],
        action_b=a["action_b"],
        meta=meta,
    )


_cache: dict[Path, Classifier] = {}
_cache_lock = threading.Lock()


def _cached_model(model_dir: str | Path | None) -> Classifier:
    key = Path(model_dir or MODEL_DIR).resolve()
    with _cache_lock:  # web workers may call predict() concurrently on first use
        if key not in _cache:
            _cache[key] = load_model(key)
        return _cache[key]


def _check_texts(texts: Iterable[str]) -> list[str]:
    if isinstance(texts, str | bytes):
        raise ValueError("predict() takes a list of texts, not a single string; wrap it in a list")
    items = list(texts)
    for i, t in enumerate(items):
        if not isinstance(t, str):
            raise ValueError(f"text #{i} is {type(t).__name__}, expected str")
        if not _tokens(t):
            raise ValueError(f"text #{i} is empty (no letters or digits)")
    return items


def predict(texts: Iterable[str], model_dir: str | Path | None = None) -> list[Prediction]:
    """Suggest themes and an action category for each recommendation text.

    Loads the shipped model (or ``model_dir``) once per process. Raises ``ValueError`` for a
    bare string, a non-string item or an empty text.
    """
    items = _check_texts(texts)
    if not items:
        return []
    return _cached_model(model_dir).predict(items)


# --------------------------------------------------------------------------- training


def read_training_csv(csv_path: str | Path) -> list[dict[str, Any]]:
    """Read a UPR Info style CSV (columns session, text, issues, action_category)."""
    rows = []
    with open(csv_path, encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            rows.append(
                {
                    "session": int(r["session"]),
                    "text": r["text"],
                    "themes": [x for x in r["issues"].split("|") if x],
                    "action_category": int(r["action_category"]),
                }
            )
    return rows


def _holdout_sessions(sessions: Sequence[int], fraction: float) -> set[int]:
    """The latest sessions holding about ``fraction`` of the rows (at least one session).

    Thresholds are tuned on *later* sessions than the ones the models are fitted on, which is
    how the model is used (new sessions) and guards against same-session duplicates leaking.
    """
    counts = Counter(sessions)
    ordered = sorted(counts, reverse=True)
    held: set[int] = set()
    total = 0
    for s in ordered[:-1]:  # always keep at least one session to fit on
        held.add(s)
        total += counts[s]
        if total >= fraction * len(sessions):
            break
    return held


def _fit_linear(x: Any, y: np.ndarray, c: float) -> tuple[np.ndarray, np.ndarray]:
    from sklearn.svm import LinearSVC

    classes = np.unique(y)
    if len(classes) < 2:
        # A label that is always (never) present: constant large (small) margin.
        return np.zeros((1, x.shape[1]), np.float32), np.array([1.0 if classes[0] else -1.0], np.float32)
    m = LinearSVC(C=c, random_state=0, max_iter=5000).fit(x, y)
    return m.coef_.astype(np.float32), m.intercept_.astype(np.float32)


def _theme_models(x: Any, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    ws, bs = [], []
    for j in range(y.shape[1]):
        w, b = _fit_linear(x, y[:, j], THEME_C)
        ws.append(w[0])
        bs.append(b[0])
    return np.vstack(ws), np.array(bs, dtype=np.float32)


def _tune_thresholds(margins: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float]:
    """Per-label decision thresholds maximising F1 on held-out rows, shrunk for rare labels."""
    grid = np.array(THRESHOLD_GRID)

    def micro_f1(th: float) -> float:
        p = margins > th
        p[np.arange(len(p)), margins.argmax(axis=1)] = True
        tp = float((p & (y == 1)).sum())
        return 2 * tp / max(1.0, float(p.sum() + y.sum()))

    global_th = float(max(grid, key=micro_f1))
    out = np.full(y.shape[1], global_th, dtype=np.float32)
    for j in range(y.shape[1]):
        pos = int(y[:, j].sum())
        if pos == 0:
            continue
        best, best_f1 = global_th, -1.0
        for th in grid:  # ties resolved towards the global threshold
            p = margins[:, j] > th
            tp = float((p & (y[:, j] == 1)).sum())
            f1 = 2 * tp / max(1.0, float(p.sum() + pos))
            if f1 > best_f1 + 1e-12 or (abs(f1 - best_f1) <= 1e-12 and abs(th - global_th) < abs(best - global_th)):
                best, best_f1 = float(th), f1
        share = min(1.0, pos / THRESHOLD_MIN_SUPPORT)
        out[j] = share * best + (1 - share) * global_th
    return out, global_th


def _binarise(themes: Sequence[Sequence[str]], labels: Sequence[str]) -> np.ndarray:
    index = {lab: i for i, lab in enumerate(labels)}
    y = np.zeros((len(themes), len(labels)), dtype=np.int8)
    for i, ts in enumerate(themes):
        for t in ts:
            y[i, index[t]] = 1
    return y


def fit_model(records: Sequence[dict[str, Any]], log: Any = None) -> Classifier:
    """Fit a :class:`Classifier` on records with keys session, text, themes, action_category.

    1. fit on all but the latest ~15% sessions, tune per-label thresholds on those;
    2. refit everything on all records and keep the tuned thresholds.
    Deterministic: sorted vocabularies, fixed solver seed.
    """
    if len(records) < 10:
        raise ValueError("need at least 10 training records")
    t0 = time.perf_counter()
    say = log or (lambda _msg: None)
    texts = [r["text"] for r in records]
    labels = sorted({t for r in records for t in r["themes"]})
    y = _binarise([r["themes"] for r in records], labels)
    acts = np.array([int(r["action_category"]) for r in records])
    sessions = [int(r["session"]) for r in records]
    held = _holdout_sessions(sessions, HOLDOUT_FRACTION)
    fit_mask = np.array([s not in held for s in sessions])

    feats = [_features(t) for t in texts]

    def blocks(mask: np.ndarray) -> tuple[_Block, _Block]:
        sel = [f for f, m in zip(feats, mask, strict=True) if m]
        return _Block.fit([f[0] for f in sel], WORD_MIN_DF), _Block.fit([f[1] for f in sel], CHAR_MIN_DF)

    # Step 1: thresholds from held-out later sessions.
    wb, cb = blocks(fit_mask)
    x_fit = _matrix([t for t, m in zip(texts, fit_mask, strict=True) if m], wb, cb)
    x_held = _matrix([t for t, m in zip(texts, fit_mask, strict=True) if not m], wb, cb)
    tw, tb = _theme_models(x_fit, y[fit_mask])
    margins = np.asarray(x_held @ tw.T) + tb
    thresholds, global_th = _tune_thresholds(margins, y[~fit_mask])
    say(f"thresholds tuned on sessions {sorted(held)} (global {global_th:+.2f}) in {time.perf_counter() - t0:.0f}s")

    # Step 2: refit on everything.
    wb, cb = blocks(np.ones(len(records), dtype=bool))
    x_all = _matrix(texts, wb, cb)
    tw, tb = _theme_models(x_all, y)
    aw, ab = _fit_linear(x_all, acts, ACTION_C)
    if aw.shape[0] != len(ACTION_CATEGORIES):
        raise ValueError("training data must contain all five action categories")
    say(f"fitted on {len(records)} rows in {time.perf_counter() - t0:.0f}s")
    return Classifier(
        words=wb,
        chars=cb,
        theme_labels=labels,
        theme_w=tw,
        theme_b=tb,
        thresholds=thresholds,
        action_w=aw,
        action_b=ab,
        meta={
            "n_train": len(records),
            "sessions": sorted(set(sessions)),
            "threshold_sessions": sorted(held),
            "global_threshold": round(global_th, 4),
        },
    )


def train(csv_path: str | Path, out_dir: str | Path = MODEL_DIR, log: Any = None) -> dict[str, Any]:
    """Train on every row of ``csv_path`` and write the model to ``out_dir``.

    This is the reproducible entry point for the shipped model (see ``model/README.md``).
    Returns a summary dict (rows, labels, files, sizes, seconds).
    """
    t0 = time.perf_counter()
    records = read_training_csv(csv_path)
    model = fit_model(records, log=log)
    model.meta["source_csv_sha256"] = hashlib.sha256(Path(csv_path).read_bytes()).hexdigest()
    model.meta["source_csv_rows"] = len(records)
    paths = model.save(out_dir)
    with _cache_lock:
        _cache.pop(Path(out_dir).resolve(), None)
    return {
        "rows": len(records),
        "theme_labels": len(model.theme_labels),
        "files": {k: str(p) for k, p in paths.items()},
        "bytes": sum(p.stat().st_size for p in paths.values()),
        "seconds": round(time.perf_counter() - t0, 1),
    }
