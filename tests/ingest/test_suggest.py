"""The suggestion stage: pipeline result → proposals with their passages (no database)."""

from __future__ import annotations

from rightstrack.ingest import suggest
from rightstrack.ingest.pipeline import extract_text

TEXT = b"""# Meeting summary (test)

## Responses by the delegation

1. The delegation said that 45 judges had been trained since 2021, citing CCPR/C/KAZ/3.

## Questions by Committee experts

2. A Committee Expert said that 300 complaints were filed in 2022 and asked about 139.61-139.62.

### Recommendations

- adopt a law on peaceful assembly by 1 March 2025;
"""


def test_proposals_cover_every_kind_with_passages() -> None:
    result = extract_text(TEXT, "m.md", detail=True)
    proposals, left_out = suggest.proposals(result)
    by_kind: dict[str, list] = {}
    for p in proposals:
        by_kind.setdefault(p.kind, []).append(p)
    assert left_out == {}
    assert [p.data["upr_id"] for p in by_kind["upr_id"]] == ["139.61", "139.62"]
    assert by_kind["symbol"][0].data == {"symbol": "CCPR/C/KAZ/3"} and by_kind["symbol"][0].passage == 0
    claims = {p.data["value"]: p.data["speaker"] for p in by_kind["claim"]}
    assert claims[45] == "state" and claims[300] == "expert"
    assert by_kind["recommendation"][0].data["text"].startswith("adopt a law on peaceful assembly")
    assert by_kind["date"][0].data["date"] == "2025-03-01"
    passages = result["passages"]
    assert "45 judges" in passages[by_kind["claim"][0].passage]["text"]
    assert all(p.stage and p.stage_version for p in proposals)
    # Every proposal's key is unique, so a run stores each once.
    assert len({p.key for p in proposals}) == len(proposals)


def test_cap_per_kind(monkeypatch) -> None:
    monkeypatch.setattr(suggest, "MAX_PER_KIND", 1)
    proposals, left_out = suggest.proposals(extract_text(TEXT, "m.md", detail=True))
    assert sum(1 for p in proposals if p.kind == "claim") == 1 and left_out["claim"] >= 1


def test_detail_blocks_keep_headings_and_map_passages() -> None:
    result = extract_text(TEXT, "m.md", detail=True)
    blocks = result["blocks"]
    assert blocks[0]["heading"] and blocks[0]["passage"] is None
    indexed = [b for b in blocks if b["passage"] is not None]
    assert [b["text"] for b in indexed] == [p["text"] for p in result["passages"]]
    assert all(p["language"] == "en" for p in result["passages"])
    # The contract without detail is unchanged.
    plain = extract_text(TEXT, "m.md")
    assert "blocks" not in plain and "mentions" not in plain and "language" not in plain["passages"][0]
