"""Ingestion speed and memory.

* pages/s through the whole pipeline for a 300-page text-layer PDF built from the corpus (or from
  synthetic text when ../shared is absent), against raw pypdf text extraction of the same file;
* the layout-aware reader's own cost: the pipeline with it (the default) against the same pipeline
  reading with pypdf alone, as a ratio measured in the same run;
* the same text as DOCX, against python-docx reading its paragraphs;
* peak memory of a 2,000-page PDF through the pipeline, in a fresh process, against raw pypdf.

Run: .venv/bin/python bench/ingest_pages.py [--pages 300] [--big 2000]
Goal: >= 20 pages/s, < 500 MB.
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests" / "ingest")]

import docgen  # noqa: E402
from gold import CORPUS  # noqa: E402

from rightstrack.ingest.pipeline import extract  # noqa: E402


def source_text() -> tuple[str, str]:
    files = sorted(CORPUS.glob("*.txt")) if CORPUS.is_dir() else []
    if files:
        return "\n\n".join(f.read_text(encoding="utf-8") for f in files), "corpus"
    rng = random.Random(7)
    words = [
        "court",
        "hearing",
        "detention",
        "torture",
        "report",
        "committee",
        "state",
        "party",
        "article",
        "recommendation",
        "lawyer",
        "defendant",
        "monitoring",
        "case",
        "judge",
        "prosecutor",
        "evidence",
        "trial",
        "rights",
    ]
    paras = []
    for n in range(1, 200):
        sentence = " ".join(rng.choice(words) for _ in range(rng.randint(40, 120)))
        paras.append(f"{n}. {sentence.capitalize()} in 2023 with {rng.randint(2, 900)} cases.")
    return "# Synthetic report\n\n" + "\n\n".join(paras), "synthetic"


def timed(fn, *args):
    start = time.perf_counter()
    value = fn(*args)
    return value, time.perf_counter() - start


def raw_pypdf(path: Path) -> int:
    from pypdf import PdfReader

    return sum(len(page.extract_text()) for page in PdfReader(path).pages)


def pypdf_only(path: Path) -> dict:
    """The pipeline as it read PDFs before the layout reader: pypdf text for every page."""
    from unittest import mock

    from rightstrack.ingest import readers

    with mock.patch.object(readers, "_layout_document", lambda stream: None):
        return extract(path)


def raw_docx(path: Path) -> int:
    import docx

    return sum(len(p.text) for p in docx.Document(str(path)).paragraphs)


def peak_rss_mb(code: str) -> tuple[float, float]:
    """Run ``code`` in a fresh interpreter; return (its own peak RSS in MB, seconds)."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", code + "\nimport resource; print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"],
        check=True,
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"},
    )
    seconds = time.perf_counter() - start
    return int(done.stdout.strip().splitlines()[-1]) / 1024, seconds


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--big", type=int, default=2000)
    args = parser.parse_args()
    if not docgen.have_fonts():
        print("DejaVu fonts missing: cannot build test PDFs")
        return 1
    text, origin = source_text()
    with tempfile.TemporaryDirectory() as tmp:
        pdf = docgen.text_to_pdf(text, Path(tmp) / "bench.pdf", min_pages=args.pages)
        from pypdf import PdfReader

        pages = len(PdfReader(pdf).pages)
        result, seconds = timed(extract, pdf)
        _, raw_seconds = timed(raw_pypdf, pdf)
        print(f"text source: {origin}")
        print(
            f"PDF  {pages} pages: pipeline {pages / seconds:7.1f} pages/s ({seconds:.1f} s, "
            f"{len(result['passages'])} passages); raw pypdf {pages / raw_seconds:7.1f} pages/s; "
            f"ratio pipeline/raw = {raw_seconds / seconds:.2f}"
        )
        plain, plain_seconds = timed(pypdf_only, pdf)
        print(
            f"PDF  {pages} pages: pipeline with the layout reader {pages / seconds:7.1f} pages/s; with pypdf alone "
            f"{pages / plain_seconds:7.1f} pages/s; layout reader cost = {seconds / plain_seconds:.2f}x "
            f"(goal: the pipeline >= 20 pages/s)"
        )

        repeat = max(
            1,
            round(
                len(PdfReader(pdf).pages)
                / max(1, len(PdfReader(docgen.text_to_pdf(text, Path(tmp) / "one.pdf")).pages))
            ),
        )
        docx_path = docgen.text_to_docx(text, Path(tmp) / "bench.docx", repeat=repeat)
        result, seconds = timed(extract, docx_path)
        _, raw_seconds = timed(raw_docx, docx_path)
        print(
            f"DOCX same text x{repeat} (~{pages} pages): pipeline {pages / seconds:7.1f} pages/s ({seconds:.1f} s); "
            f"raw python-docx {pages / raw_seconds:7.1f} pages/s; ratio pipeline/raw = {raw_seconds / seconds:.2f}"
        )

        big = docgen.text_to_pdf(text, Path(tmp) / "big.pdf", min_pages=args.big)
        big_pages = len(PdfReader(big).pages)
        mem, secs = peak_rss_mb(
            "from pathlib import Path; from rightstrack.ingest.pipeline import extract; "
            f"extract(Path({str(big)!r}), max_pages={big_pages})"
        )
        raw_mem, raw_secs = peak_rss_mb(
            f"from pypdf import PdfReader; [p.extract_text() for p in PdfReader({str(big)!r}).pages]"
        )
        print(
            f"PDF  {big_pages} pages: pipeline peak RSS {mem:6.0f} MB ({big_pages / secs:.1f} pages/s incl. start-up); "
            f"raw pypdf peak RSS {raw_mem:6.0f} MB; ratio = {mem / raw_mem:.2f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
