"""Stage 5: turn the pipeline's result into suggestions, each tied to the passage it came from.

Pure: no database. ``passage`` is the pipeline's 0-based passage index (None for document-wide
findings such as a symbol that only appears in a heading); the job maps it to a stored Passage.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from . import acceptors
from .detect import dates, figures, recommendations, speakers, symbols, upr

VERSION = "suggest-1.0"

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

    @property
    def key(self) -> str:
        """Identity within a run: the same finding in the same passage is proposed once."""
        raw = json.dumps([self.kind, self.data, self.passage], sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(raw.encode()).hexdigest()


def proposals(result: dict[str, Any]) -> tuple[list[Proposal], dict[str, int]]:
    """Suggestions from an ``extract(..., detail=True)`` result, and how many were left out per kind."""
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
            "period": figure["period"],
        }
        if figure["speaker"]:
            # A figure someone said is a claim to verify, not yet a data point.
            out.append(
                Proposal(
                    acceptors.CLAIM,
                    {**data, "speaker": figure["speaker"]},
                    figure["passage"],
                    "speakers",
                    speakers.VERSION,
                )
            )
        else:
            out.append(Proposal(acceptors.FIGURE, data, figure["passage"], "figures", figures.VERSION))
    for mention in mentions.get("dates", []):
        data = {"date": mention["date"], "end": mention["end"], "text": mention["text"]}
        out.append(Proposal(acceptors.DATE, data, mention["passage"], "dates", dates.VERSION))

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
