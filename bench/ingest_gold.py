"""Precision / recall / F1 of the ingestion pipeline, per document (or layout and language) and kind.

1. The synthetic layout suite (tests/ingest/layoutgen.py, always available): concluding
   observations and a UPR report in English, Russian and Kazakh, rendered as two columns, running
   headers/footers, flattened inline text, footnotes and UPR numbering, as PDF, DOCX and text.
   Goals: numbered-paragraph recall >= 0.95 and symbols F1 >= 0.98 in every row.
2. The annotated corpus (../shared/corpus/gold, skipped when absent), as text and as PDF and DOCX
   built from it.

Run: .venv/bin/python bench/ingest_gold.py [--layouts-only | --corpus-only]
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests" / "ingest")]

import docgen  # noqa: E402
import layoutgen  # noqa: E402
from gold import GOLD, gold_documents, score  # noqa: E402

from rightstrack.ingest.pipeline import extract  # noqa: E402

KINDS = ("paragraphs", "subitems", "symbols", "recommendations", "figures", "side")


def layouts() -> bool:
    """Print the per-layout table; True when every row meets the paragraph and symbol goals."""
    print(f"{'layout':<16} {'lang':<4} {'fmt':<4} " + " ".join(f"{k[:10]:>16}" for k in KINDS))
    print(f"{'':<26} " + " ".join(f"{'P/R/F1':>16}" for _ in KINDS))
    ok = True
    totals: dict[str, list[float]] = {k: [] for k in KINDS}
    with tempfile.TemporaryDirectory() as tmp:
        for layout, lang, fmt in layoutgen.cases():
            path, answers = layoutgen.build(layout, lang, fmt, Path(tmp))
            scores = layoutgen.score(extract(path), answers)
            cells = []
            for kind in KINDS:
                s = scores[kind]
                totals[kind].append(s["f1"])
                cells.append(f"{s['p']:.2f}/{s['r']:.2f}/{s['f1']:.2f}" if kind != "side" else f"{s['r']:.2f}")
            good = scores["paragraphs"]["r"] >= 0.95 and scores["symbols"]["f1"] >= 0.98
            ok = ok and good
            print(
                f"{layout:<16} {lang:<4} {fmt:<4} "
                + " ".join(f"{c:>16}" for c in cells)
                + ("" if good else "  <- below goal")
            )
    print(f"{'mean F1':<26} " + " ".join(f"{sum(v) / len(v):>16.3f}" for v in totals.values()))
    print("side: share of the document's figures found with the right side (state/ngo/body/expert).")
    return ok


def main() -> int:
    only = sys.argv[1] if len(sys.argv) > 1 else ""
    ok = True
    if only != "--corpus-only":
        ok = layouts()
        print()
    if only == "--layouts-only":
        return 0 if ok else 1
    return corpus() or (0 if ok else 1)


def corpus() -> int:
    if not GOLD.is_dir():
        print(f"no gold answers at {GOLD}; nothing to score")
        return 0
    kinds = ["txt", "docx"] + (["pdf"] if docgen.have_fonts() else [])
    print(f"{'document':<28} {'format':<5} {'kind':<16} {'P':>6} {'R':>6} {'F1':>6} {'pred':>5} {'gold':>5}")
    with tempfile.TemporaryDirectory() as tmp:
        for source, gold in gold_documents():
            text = source.read_text(encoding="utf-8")
            for kind in kinds:
                if kind == "txt":
                    path = source
                elif kind == "pdf":
                    path = docgen.text_to_pdf(text, Path(tmp) / f"{source.stem}.pdf")
                else:
                    path = docgen.text_to_docx(text, Path(tmp) / f"{source.stem}.docx")
                for what, s in score(extract(path), gold).items():
                    print(
                        f"{source.name:<28} {kind:<5} {what:<16} {s['p']:>6.3f} {s['r']:>6.3f} {s['f1']:>6.3f} "
                        f"{s['pred']:>5} {s['gold']:>5}"
                    )
    print(
        "\nfigures: gold lists a document's statistics only, so other numbers the pipeline reports "
        "(e.g. '10 recommendations') count against precision."
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
