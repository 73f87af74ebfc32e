"""The pipeline on docgen's synthetic report, as text, PDF and DOCX: runs everywhere, with or without ../shared."""

from __future__ import annotations

from pathlib import Path

import docgen
import pytest

from rightstrack.ingest.pipeline import extract


def _build(kind: str, text: str, tmp_path: Path) -> Path:
    if kind == "txt":
        path = tmp_path / "report.txt"
        path.write_text(text, encoding="utf-8")
        return path
    if kind == "pdf":
        if not docgen.have_fonts():
            pytest.skip("DejaVu fonts are not installed")
        pytest.importorskip("fpdf")
        return docgen.text_to_pdf(text, tmp_path / "report.pdf")
    return docgen.text_to_docx(text, tmp_path / "report.docx")


@pytest.mark.parametrize("kind", ["txt", "pdf", "docx"])
def test_every_part_of_the_synthetic_report_is_found(tmp_path: Path, kind: str) -> None:
    report = docgen.synthetic_report(12)
    result = extract(_build(kind, report.text, tmp_path))
    recs = result["recommendations"]
    # The recommendation cut by a page break comes out whole, like every other one.
    assert [r["text"] for r in recs] == report.recommendations
    assert list(dict.fromkeys(r["article"] for r in recs)) == report.articles
    assert result["symbols"] == report.symbols
    assert result["upr_ids"] == report.upr_ids
    assert [int(p["number"]) for p in result["passages"] if p["number"]] == list(range(1, report.numbered_passages + 1))
    if kind == "pdf":
        pages = [result["passages"][r["passage"]]["page"] for r in recs]
        assert pages == sorted(pages) and pages[-1] > pages[0]


@pytest.mark.parametrize("count", [3, 4, 18])
def test_the_report_has_as_many_recommendations_as_asked(count: int) -> None:
    report = docgen.synthetic_report(count)
    assert len(report.recommendations) == len(set(report.recommendations)) == count
    assert len(report.articles) == len(set(report.articles)) == (count + 2) // 3


@pytest.mark.parametrize("count", [2, 19])
def test_a_count_outside_three_to_eighteen_is_refused(count: int) -> None:
    with pytest.raises(ValueError, match="from three to 18"):
        docgen.synthetic_report(count)
