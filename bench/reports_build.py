"""Benchmark the report renderers: a shadow report of 300 paragraphs, 20 charts and 500 footnotes as DOCX and PDF.

Goal: < 10 s each. The baseline, measured in the same run, is the plain HTML render of the same document
(string building only); the script prints seconds per format and the ratio to that baseline. Charts are drawn
once beforehand (matplotlib, timed separately) because a report build draws them once too.

    .venv/bin/python bench/reports_build.py [--repeat 1] [--out DIR]

Needs no database; writes only to a temporary directory (or --out).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
TMP = tempfile.mkdtemp(prefix="rt-bench-reports-")
os.environ.setdefault("RIGHTSTRACK_DATA_DIR", TMP)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rightstrack.settings")

import django  # noqa: E402

django.setup()

from rightstrack.core.charts import bar_chart  # noqa: E402
from rightstrack.reports.document import Document, Figure, Footnote, Paragraph, Section, Table  # noqa: E402
from rightstrack.reports.render import render  # noqa: E402

ARTICLES = [2, 6, 7, 9, 10, 12, 14, 17, 18, 19, 20, 21, 22, 24, 25, 26, 27, 3, 8, 16]
TEXT = (
    "monitors observed hearing court defendant lawyer detention torture complaint investigation "
    "наблюдатели заседание суд защитник задержание пытки жалоба расследование Қазақстан әділ сот"
)
WORDS = TEXT.split()


def make_document(seed: int = 7) -> tuple[Document, float]:
    """300 paragraphs (15 per article), 500 footnotes, 20 tables and 20 charts; returns it and the chart time."""
    rng = random.Random(seed)
    started = time.perf_counter()
    charts = [
        bar_chart(
            [f"Город {i}" for i in range(6)], [rng.randint(1, 40) for _ in range(6)], title=f"Hearings, article {n}"
        )
        for n in ARTICLES
    ]
    chart_seconds = time.perf_counter() - started
    footnotes_left = 500
    sections = []
    paragraph_index = 0
    for a, number in enumerate(ARTICLES):
        blocks = []
        for p in range(15):
            paragraph_index += 1
            remaining = 300 - paragraph_index + 1
            count = min(footnotes_left, -(-footnotes_left // remaining))  # spread 500 notes over 300 paragraphs
            footnotes_left -= count
            text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(40, 90))).capitalize() + "."
            notes = [
                Footnote(f"CCPR/C/KAZ/CO/2, para. {rng.randint(1, 60)}; monitoring record {paragraph_index}-{k}")
                for k in range(count)
            ]
            blocks.append(
                Paragraph(text, footnotes=notes, key=f"art-{number}-p{p}", style="recommendation" if p == 14 else "")
            )
            if p == 5:
                blocks.append(
                    Table(
                        ["Город", "Hearings", "Observed"],
                        [[f"Город {i}", str(rng.randint(1, 40)), str(rng.randint(0, 40))] for i in range(6)],
                        caption=f"Article {number} hearings",
                    )
                )
            if p == 9:
                blocks.append(Figure(charts[a], caption=f"Article {number}"))
        sections.append(Section(f"Article {number} / Статья {number}", blocks, key=f"art-{number}"))
    document = Document("Benchmark alternative report / Альтернативный доклад", sections=sections, synthetic=True)
    assert len(document.paragraphs()) == 300
    assert sum(len(p.footnotes) for p in document.paragraphs()) == 500
    return document, chart_seconds


def timed(document: Document, fmt: str, repeat: int) -> tuple[float, float, int]:
    """Best wall-clock and CPU seconds over `repeat` runs (CPU time is the fairer figure on a shared machine)."""
    best, best_cpu, size = float("inf"), float("inf"), 0
    for _ in range(repeat):
        started, cpu = time.perf_counter(), time.process_time()
        content, _type, _ext = render(document, fmt)
        best = min(best, time.perf_counter() - started)
        best_cpu = min(best_cpu, time.process_time() - cpu)
        size = len(content)
    return best, best_cpu, size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--out", default="")
    args = parser.parse_args()
    document, chart_seconds = make_document()
    print("document: 300 paragraphs, 500 footnotes, 20 tables, 20 charts")
    print(f"charts drawn (matplotlib, once): {chart_seconds:.2f} s")
    render(document, "html")  # warm-up: imports and translations
    baseline, baseline_cpu, html_size = timed(document, "html", max(args.repeat, 3))
    print(f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"baseline html render: {baseline:.3f} s wall, {baseline_cpu:.3f} s CPU ({html_size / 1e6:.1f} MB)")
    for fmt in ("md", "docx", "pdf"):
        seconds, cpu, size = timed(document, fmt, args.repeat)
        goal = "  (goal < 10 s: " + ("met" if seconds < 10 else "MISSED") + ")" if fmt in ("docx", "pdf") else ""
        print(
            f"{fmt}: {seconds:.2f} s wall, {cpu:.2f} s CPU, {size / 1e6:.2f} MB, "
            f"ratio to html baseline {cpu / baseline_cpu:.0f}x (CPU){goal}"
        )
        if args.out:
            Path(args.out).mkdir(parents=True, exist_ok=True)
            Path(args.out, f"bench-report.{fmt}").write_bytes(render(document, fmt)[0])
    if args.out:
        from pypdf import PdfReader

        print(f"pdf pages: {len(PdfReader(str(Path(args.out, 'bench-report.pdf'))).pages)}")


if __name__ == "__main__":
    main()
