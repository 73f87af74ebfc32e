"""Cost of the detectors (figures with sides, recommendations) against the rest of the reading, per language.

A long text is built from the synthetic test documents of tests/ingest/test_detect_kinds.py (every kind of
document, repeated to ~200 pages of 3,000 characters) and read with ``extract_text``. In the same run the
baseline is reading, normalising and segmenting it without any detector; the ratio says what the
detectors add. Goal: the whole reading stays >= 20 pages/s (issue 17), so detectors must not dominate.

Run: .venv/bin/python bench/ingest_detect.py
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests" / "ingest")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rightstrack.settings")

import django  # noqa: E402

django.setup()

from test_detect_kinds import DOCS, _answers  # noqa: E402

from rightstrack.ingest import normalise, readers, segment  # noqa: E402
from rightstrack.ingest.detect import figures, recommendations, speakers  # noqa: E402
from rightstrack.ingest.pipeline import extract_text  # noqa: E402

PAGE = 3000
PAGES = 200


def _text(language: str) -> str:
    docs = [_answers(text)[0] for (_kind, lang), (text, _recs) in sorted(DOCS.items()) if lang == language]
    one = "\n\n".join(docs)
    return "\n\n".join([one] * (PAGE * PAGES // len(one) + 1))


def _best(fn, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> int:
    head = ("lang", "pages", "read s", "pages/s", "base s", "detect s", "ratio", "figures")
    print(f"{head[0]:<5} " + " ".join(f"{h:>8}" for h in head[1:]))
    for language in ("en", "ru", "kk"):
        text = _text(language)
        data = text.encode()
        pages = len(text) / PAGE

        def baseline(data: bytes = data) -> list:
            return segment.segment(normalise.paragraphs(readers.open_bytes(data, "bench.txt").pages))

        def detectors(data: bytes = data) -> int:
            blocks = baseline(data)
            model = speakers.SpeakerModel([b.text for b in blocks])
            found = 0
            for block in blocks:
                if block.kind == "heading":
                    continue
                said = model.paragraph(block.text, block.heading)
                for figure in figures.find_figures(block.text, block.language):
                    model.sentence(figure.text, said)
                    found += 1
            recommendations.detect(blocks)
            return found

        whole = _best(lambda data=data: extract_text(data, "bench.txt"))
        base = _best(baseline)
        detect = _best(detectors) - base
        found = detectors()
        row = (f"{pages:.0f}", f"{whole:.2f}", f"{pages / whole:.1f}", f"{base:.2f}", f"{detect:.2f}")
        print(f"{language:<5} " + " ".join(f"{c:>8}" for c in (*row, f"{(base + detect) / base:.2f}", found)))
    print("read s: extract_text whole; base s: read + normalise + segment only; detect s: figures, sides and")
    print("recommendations on top; ratio: (base + detect) / base. Goal: pages/s >= 20.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
