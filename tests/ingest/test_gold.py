"""Gold tests on the shared corpus, as text and as PDF and DOCX built from it (skipped without ../shared)."""

from __future__ import annotations

from pathlib import Path

import pytest
from gold import gold_documents, score

from rightstrack.ingest.normalise import search_key
from rightstrack.ingest.pipeline import extract

# Required F1 per kind: recommendations >= 0.98; symbols and UPR IDs exact; passage numbers exact.
THRESHOLDS = {"recommendations": 0.98, "symbols": 1.0, "upr_ids": 1.0, "passages": 1.0}


def _build(kind: str, source: Path, tmp_path: Path) -> Path:
    if kind == "txt":
        return source
    import docgen

    if kind == "pdf":
        if not docgen.have_fonts():
            pytest.skip("DejaVu fonts are not installed")
        pytest.importorskip("fpdf")
        return docgen.text_to_pdf(source.read_text(encoding="utf-8"), tmp_path / f"{source.stem}.pdf")
    return docgen.text_to_docx(source.read_text(encoding="utf-8"), tmp_path / f"{source.stem}.docx")


def _documents() -> list:
    try:
        return gold_documents()
    except OSError:
        return []


@pytest.mark.shared
@pytest.mark.parametrize("kind", ["txt", "pdf", "docx"])
def test_gold_scores(corpus: Path, tmp_path: Path, kind: str) -> None:
    documents = _documents()
    assert documents
    for source, gold in documents:
        result = extract(_build(kind, source, tmp_path))
        for what, s in score(result, gold).items():
            if what in THRESHOLDS:
                assert s["f1"] >= THRESHOLDS[what], (source.name, kind, what, s)


def _result(corpus: Path, prefix: str, kind: str, tmp_path: Path) -> dict:
    source = next(corpus.glob(f"{prefix}_*.txt"))
    return extract(_build(kind, source, tmp_path))


@pytest.mark.shared
@pytest.mark.parametrize("kind", ["txt", "pdf", "docx"])
def test_alternative_report_structure(corpus: Path, tmp_path: Path, kind: str) -> None:
    result = _result(corpus, "001", kind, tmp_path)
    assert [int(p["number"]) for p in result["passages"] if p["number"]] == list(range(1, 38))
    recs = result["recommendations"]
    assert len(recs) == 44
    assert list(dict.fromkeys(r["article"] for r in recs)) == ["4", "2.3", "6", "7", "8", "9", "10", "14"]
    assert result["symbols"] == ["CAT/C/KAZ/CO/4", "E/CN.4/2005/60/Add.2"]
    # Recommendations that continue across a page break come out whole, on the page they start.
    assert all(r["text"].endswith((";", ".")) for r in recs)
    if kind == "pdf":
        pages = [result["passages"][r["passage"]]["page"] for r in recs]
        assert pages == sorted(pages) and pages[-1] > pages[0]


@pytest.mark.shared
@pytest.mark.parametrize("kind", ["txt", "pdf", "docx"])
def test_slides_upr_ranges(corpus: Path, tmp_path: Path, kind: str) -> None:
    result = _result(corpus, "003", kind, tmp_path)
    assert result["upr_ids"] == [f"139.{n}" for n in (61, 62, 63, 64, 65, 66, 67, 79, 80, 81)]
    partial = [f for f in result["figures"] if f["value"] == 447]
    assert partial and partial[0]["period"]["partial"] and partial[0]["period"]["end"] == "2024-10"


@pytest.mark.shared
@pytest.mark.parametrize("kind", ["txt", "pdf", "docx"])
def test_statement_title_homoglyph(corpus: Path, tmp_path: Path, kind: str) -> None:
    result = _result(corpus, "004", kind, tmp_path)
    assert "\u0430" in result["title"]  # display keeps what the author typed
    assert "facing" in search_key(result["title"])


@pytest.mark.shared
def test_meeting_summary_speakers(corpus: Path, tmp_path: Path) -> None:
    result = _result(corpus, "002", "txt", tmp_path)
    assert {"CCPR/C/KAZ/3", "CCPR/C/GNB/1"} == set(result["symbols"])
    sides = {f["side"] for f in result["figures"]}
    assert {"state", "expert"} <= sides
    assert all(f["side"] == "state" for f in result["figures"] if "delegation said" in f["text"])
