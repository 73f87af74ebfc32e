"""Scoring of pipeline output against the hand-made gold answers in ../shared/corpus/gold."""

from __future__ import annotations

import json
import os
import re
import unicodedata
from collections import Counter
from pathlib import Path

# Same rule as tests/conftest.py's SHARED, written out because the benchmarks import this file on its own.
SHARED = Path(os.environ.get("RIGHTSTRACK_SHARED_DIR") or Path(__file__).resolve().parents[2].parent / "shared")
CORPUS = SHARED / "corpus"
GOLD = CORPUS / "gold"


def key(text: str) -> str:
    """Compare texts by their letters and digits only (quotes, dashes and spacing vary by format)."""
    return re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", text).casefold())


def prf(predicted: list, expected: list) -> dict[str, float]:
    """Precision, recall and F1 with multiset matching."""
    pred, gold = Counter(predicted), Counter(expected)
    tp = sum((pred & gold).values())
    p = tp / sum(pred.values()) if pred else (1.0 if not gold else 0.0)
    r = tp / sum(gold.values()) if gold else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": p, "r": r, "f1": f, "pred": sum(pred.values()), "gold": sum(gold.values())}


def gold_documents() -> list[tuple[Path, dict]]:
    """(corpus text path, gold answers) for every document that has gold."""
    out = []
    for gold_path in sorted(GOLD.glob("*.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        out.append((CORPUS / gold["document"], gold))
    return out


def _period_label(period: dict | None) -> str | None:
    if not period:
        return None
    if period.get("start") == period.get("end"):
        return str(period.get("start"))
    return f"{period.get('start')}..{period.get('end')}"


def score(result: dict, gold: dict) -> dict[str, dict[str, float]]:
    """Scores per kind for which the gold has answers."""
    scores: dict[str, dict[str, float]] = {}
    if "numbered_paragraphs" in gold:
        numbers = [int(p["number"]) for p in result["passages"] if (p["number"] or "").isdigit()]
        scores["passages"] = prf(numbers, gold["numbered_paragraphs"])
    if "recommendations" in gold:
        scores["recommendations"] = prf(
            [(r["article"], key(r["text"])) for r in result["recommendations"]],
            [(r["article"], key(r["text"])) for r in gold["recommendations"]],
        )
    elif "recommendation_groups" in gold:
        predicted = [key(r["section"] or "") for r in result["recommendations"]]
        expected = [key(group) for group, n in gold["recommendation_groups"].items() for _ in range(n)]
        scores["recommendations"] = prf(predicted, expected)
    if "document_symbols_cited" in gold:
        scores["symbols"] = prf(result["symbols"], gold["document_symbols_cited"])
    if "upr_recommendation_ids_cited" in gold:
        scores["upr_ids"] = prf(result["upr_ids"], gold["upr_recommendation_ids_cited"])
    statistics = list(gold.get("statistics", []))
    programme = gold.get("trial_monitoring_programme", {})
    for field in ("cases", "defendants", "hearings_min"):
        if field in programme:
            statistics.append({"value": programme[field]})
    if "participating_states_osce" in gold:
        statistics.append({"value": gold["participating_states_osce"]})
    if statistics:
        # A predicted figure matches a gold statistic on its value, and on its period where the
        # gold gives one. Gold lists the document's statistics only, so precision counts every
        # other number the pipeline reports (e.g. "10 recommendations") as a miss.
        expected = [(s["value"], s.get("period")) for s in statistics]
        with_period = {s["value"] for s in statistics if s.get("period")}
        predicted = [
            (f["value"], _period_label(f["period"]) if f["value"] in with_period else None) for f in result["figures"]
        ]
        scores["figures"] = prf(predicted, expected)
    return scores
