"""Stage 5: turn the pipeline's result into suggestions, each tied to the passage it came from.

Pure: no database. ``passage`` is the pipeline's 0-based passage index (None for document-wide
findings such as a symbol that only appears in a heading); the job maps it to a stored Passage.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from . import acceptors
from .detect import dates, figures, recommendations, speakers, symbols, upr

VERSION = "suggest-1.2"

#: Sides whose figures become claims (said by someone, to verify); the others' become figures.
CLAIM_SIDES = frozenset({speakers.STATE, speakers.EXPERT})

# A 2,000-page document can hold tens of thousands of numbers; nobody reviews that many, and the
# review screen must stay usable. The cap is per kind and is reported on the run.
MAX_PER_KIND = 1000


@dataclass(frozen=True, slots=True)
class Proposal:
    kind: str
    data: dict[str, Any]
    passage: int | None
    stage: str
    stage_version: str
    confidence: float | None = None  # figures and claims: how sure the detector is (the review screen's order)

    @property
    def key(self) -> str:
        """Identity within a run: the same finding in the same passage is proposed once."""
        raw = json.dumps([self.kind, self.data, self.passage], sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(raw.encode()).hexdigest()


def document_date(result: dict[str, Any], given: datetime.date | None = None) -> datetime.date | None:
    """The date periods are read against: the one the uploader gave, else the one found in the document."""
    if given is not None:
        return given
    found = result.get("document_date") or {}
    try:
        return datetime.date.fromisoformat(str(found.get("date") or ""))
    except ValueError:
        return None


def figure_period(found: dict[str, Any] | None, date: datetime.date | None) -> dict[str, Any]:
    """``period`` (resolved against ``date``) and, when it depends on that date, the rule to redo it with."""
    out: dict[str, Any] = {"period": figures.resolve_period(found, date)}
    resolved = out["period"]
    if resolved is None or resolved.get("basis") in ("relative", "document"):
        out["period_rule"] = found  # None: no period in the text; the document's year was used
    return out


def proposals(result: dict[str, Any], given_date: datetime.date | None = None) -> tuple[list[Proposal], dict[str, int]]:
    """Suggestions from an ``extract(..., detail=True)`` result, and how many were left out per kind.

    Figure periods written relative to the document ("this year") or missing are read against
    ``given_date`` (the date the uploader gave) or else the date found in the document.
    """
    date = document_date(result, given_date)
    out: list[Proposal] = []
    for rec in result["recommendations"]:
        data = {"text": rec["text"], "section": rec["section"] or "", "article": rec["article"] or ""}
        out.append(Proposal(acceptors.RECOMMENDATION, data, rec["passage"], "recommendations", recommendations.VERSION))
    mentions = result.get("mentions", {})
    where = {m["upr_id"]: m["passage"] for m in mentions.get("upr_ids", [])}
    for upr_id in result["upr_ids"]:
        out.append(Proposal(acceptors.UPR_ID, {"upr_id": upr_id}, where.get(upr_id), "upr_ids", upr.VERSION))
    where = {m["symbol"]: m["passage"] for m in mentions.get("symbols", [])}
    for symbol in result["symbols"]:
        out.append(Proposal(acceptors.SYMBOL, {"symbol": symbol}, where.get(symbol), "symbols", symbols.VERSION))
    for figure in result["figures"]:
        data = {
            "value": figure["value"],
            "unit": figure["unit"] or "",
            "text": figure["text"],
            **figure_period(figure["period"], date),
        }
        for extra in ("high", "qualifier", "counts"):
            if figure.get(extra) is not None:
                data[extra] = figure[extra]
        side = figure.get("side")
        if side:
            data["speaker"] = side  # the acceptors map the side to who said it / the kind of source
            if figure.get("speaker"):
                data["speaker_name"] = figure["speaker"]
        confidence = figure.get("confidence")
        if side in CLAIM_SIDES:
            # A figure the State or an expert gives is a claim to verify, not yet a data point.
            out.append(Proposal(acceptors.CLAIM, data, figure["passage"], "speakers", speakers.VERSION, confidence))
        else:
            # Civil society's and UN bodies' figures are data points, with their source kind.
            out.append(Proposal(acceptors.FIGURE, data, figure["passage"], "figures", figures.VERSION, confidence))
    for mention in mentions.get("dates", []):
        data = {"date": mention["date"], "end": mention["end"], "text": mention["text"]}
        out.append(Proposal(acceptors.DATE, data, mention["passage"], "dates", dates.VERSION))

    # Figures and claims are reviewed most certain first (the sort is stable: document order otherwise).
    out.sort(key=lambda p: -(p.confidence or 0) if p.kind in (acceptors.FIGURE, acceptors.CLAIM) else 0)
    kept: list[Proposal] = []
    per_kind: dict[str, int] = {}
    left_out: dict[str, int] = {}
    seen: set[str] = set()
    for proposal in out:
        if proposal.key in seen:
            continue
        seen.add(proposal.key)
        if per_kind.get(proposal.kind, 0) >= MAX_PER_KIND:
            left_out[proposal.kind] = left_out.get(proposal.kind, 0) + 1
            continue
        per_kind[proposal.kind] = per_kind.get(proposal.kind, 0) + 1
        kept.append(proposal)
    return kept, left_out
