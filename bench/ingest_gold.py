"""Precision / recall / F1 of the ingestion pipeline against ../shared/corpus/gold, per document and kind.

Each corpus document is scored as plain text and as PDF and DOCX built from it (in a temporary
folder). Run: .venv/bin/python bench/ingest_gold.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests" / "ingest")]

import docgen  # noqa: E402
from gold import GOLD, gold_documents, score  # noqa: E402

from rightstrack.ingest.pipeline import extract  # noqa: E402


def main() -> int:
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
