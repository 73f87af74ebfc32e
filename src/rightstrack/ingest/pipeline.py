"""The ingestion pipeline: read → normalise → segment → detect, returning plain data.

The result of ``extract`` is the contract shared with the CLI (``rightstrack extract PATH --json``)
and, later, the upload view that turns it into suggestions:

    language        'en' | 'ru' | 'kk' | 'und' — the language of most of the text
    title           the document's title as written (homoglyphs kept; use normalise.search_key)
    passages        [{number, text, section, page}] — every paragraph and list item except
                    headings; ``number`` is the document's own label ('12', 'a', '139.61') or None
    symbols         UN document symbols, unique, in order of first appearance
    upr_ids         UPR recommendation IDs, ranges expanded, unique, in order
    recommendations [{text, section, article, passage}]
    figures         [{value, unit, text, speaker, period, passage}]
    stage_versions  {stage: version} of the code that produced the above

In ``recommendations`` and ``figures``, ``passage`` is the 0-based index into ``passages``.
A figure's ``period`` is None or {start, end, partial, text} with ISO year or year-month values.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from . import language as language_mod
from . import normalise, readers, segment
from .detect import dates, figures, recommendations, speakers, symbols, upr
from .readers import Source

VERSION = "pipeline-1.0"

STAGE_VERSIONS = {
    "pipeline": VERSION,
    "readers": readers.VERSION,
    "normalise": normalise.VERSION,
    "segment": segment.VERSION,
    "language": language_mod.VERSION,
    "symbols": symbols.VERSION,
    "upr_ids": upr.VERSION,
    "dates": dates.VERSION,
    "figures": figures.VERSION,
    "speakers": speakers.VERSION,
    "recommendations": recommendations.VERSION,
}


def extract(path: Path, *, max_pages: int = 2000) -> dict[str, Any]:
    """Extract passages and suggestions from the document at ``path``."""
    return _run(readers.open_path(Path(path), max_pages=max_pages))


def extract_text(data: bytes, filename: str = "", *, max_pages: int = 2000) -> dict[str, Any]:
    """Same as ``extract`` for a document held in memory (an upload); ``filename`` is a hint only."""
    return _run(readers.open_bytes(data, filename, max_pages=max_pages))


def _run(source: Source) -> dict[str, Any]:
    lines = normalise.paragraphs(source.pages)
    if not any(any(ch.isalnum() for ch in line.text) for line in lines):
        raise readers.EmptyFile("No text was found in the document.")
    blocks = segment.segment(lines)
    passages = [b for b in blocks if b.kind != "heading"]
    texts = [b.text for b in blocks]

    model = speakers.SpeakerModel(texts)
    found_figures = []
    for block in passages:
        side = model.paragraph(block.text, block.heading)
        for figure in figures.find_figures(block.text, block.language):
            found_figures.append(
                {
                    "value": figure.value,
                    "unit": figure.unit,
                    "text": figure.text,
                    "speaker": model.sentence(figure.text, side),
                    "period": figure.period,
                    "passage": block.passage,
                }
            )

    upr_ids = upr.detect(texts)
    # A UPR report numbers its recommendations "139.61 Ratify ...": the segmenter takes the ID as
    # the item's label, so labelled items under a recommendations heading count as cited IDs.
    listed = [
        b.number
        for b in passages
        if b.number
        and b.number.count(".") == 1
        and b.number.split(".")[0].isdigit()
        and int(b.number.split(".")[0]) >= 10
        and b.heading
        and segment.REC_HEADING.match(b.heading)
    ]
    ids = list(dict.fromkeys([*upr_ids.ids, *listed]))

    return {
        "language": language_mod.dominant([(b.language, len(b.text)) for b in passages]),
        "title": segment.title(blocks, lines),
        "passages": [{"number": b.number, "text": b.text, "section": b.section, "page": b.page} for b in passages],
        "symbols": symbols.detect(texts),
        "upr_ids": ids,
        "recommendations": [
            {"text": r.text, "section": r.section, "article": r.article, "passage": r.passage}
            for r in recommendations.detect(blocks)
        ],
        "figures": found_figures,
        "stage_versions": dict(STAGE_VERSIONS),
    }
