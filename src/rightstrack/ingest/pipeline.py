"""The ingestion pipeline: read → normalise → segment → detect, returning plain data.

The result of ``extract`` is the contract shared with the CLI (``rightstrack extract PATH --json``)
and, later, the upload view that turns it into suggestions:

    language        'en' | 'ru' | 'kk' | 'und' — the language of most of the text
    title           the document's title as written (homoglyphs kept; use normalise.search_key)
    passages        [{number, text, section, page, label_source}] — every paragraph and list item
                    except headings; ``number`` is the document's own label ('12', '12 (a)',
                    '139.61') or None; ``label_source`` how it was found: 'own_line', 'inline'
                    (split out of run-on text), 'layout' (set apart in a PDF's margin) or ''.
    symbols         UN document symbols, unique, in order of first appearance
    upr_ids         UPR recommendation IDs, ranges expanded, unique, in order
    recommendations [{text, section, article, passage}]
    figures         [{value, high, qualifier, unit, counts, text, side, speaker, period, confidence, passage}]
                    ``value`` is the number or a range's low end (``high`` its high end, else None);
                    ``qualifier`` "about" | "over" | "at least" | "up to" | "under" | "nearly" | None;
                    ``counts`` what is counted; ``side`` who gives it: "state" | "ngo" | "body" |
                    "expert" | None; ``speaker`` the person or body named, else None;
                    ``confidence`` 0..1 that it is a real statistic
    document_kind   "summary_record" | "meeting_summary" | "concluding_observations" |
                    "national_report" | "ngo_report" | None (how sides were defaulted)
    stage_versions  {stage: version} of the code that produced the above
    notes           what the reader had to leave out, in English (e.g. unreadable pages)

In ``recommendations`` and ``figures``, ``passage`` is the 0-based index into ``passages``.
A figure's ``period`` is None or {start, end, partial, text} with ISO year or year-month values.

``detail=True`` (the upload job) adds what storage and suggestions need beyond the contract: each
passage's ``language``; ``blocks``, every paragraph in order *including headings* (so nothing of the
text is lost when it is stored) as {text, number, section, page, language, heading, passage};
and ``mentions`` {symbols, upr_ids, dates} saying in which passage each was first found, and
``document_date``: None or {date, kind ("meeting" | "document"), text, passage} (see detect.docdate).
``progress(done, total)`` is called as pages are read (``total`` None when unknown).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from . import language as language_mod
from . import layout, normalise, readers, segment
from .detect import dates, docdate, figures, recommendations, speakers, symbols, upr
from .readers import Source

VERSION = "pipeline-1.1"

STAGE_VERSIONS = {
    "pipeline": VERSION,
    "readers": readers.VERSION,
    "layout": layout.VERSION,
    "normalise": normalise.VERSION,
    "segment": segment.VERSION,
    "language": language_mod.VERSION,
    "symbols": symbols.VERSION,
    "upr_ids": upr.VERSION,
    "dates": dates.VERSION,
    "docdate": docdate.VERSION,
    "figures": figures.VERSION,
    "speakers": speakers.VERSION,
    "recommendations": recommendations.VERSION,
}


Progress = Callable[[int, int | None], None]


def extract(
    path: Path, *, max_pages: int = 2000, detail: bool = False, progress: Progress | None = None
) -> dict[str, Any]:
    """Extract passages and suggestions from the document at ``path``."""
    return _run(readers.open_path(Path(path), max_pages=max_pages), detail, progress)


def extract_text(
    data: bytes, filename: str = "", *, max_pages: int = 2000, detail: bool = False, progress: Progress | None = None
) -> dict[str, Any]:
    """Same as ``extract`` for a document held in memory (an upload); ``filename`` is a hint only."""
    return _run(readers.open_bytes(data, filename, max_pages=max_pages), detail, progress)


def _counted(source: Source, progress: Progress) -> Iterator[readers.Page]:
    for done, page in enumerate(source.pages, start=1):
        yield page
        progress(done, source.page_count)


def _mentions(passages: list[segment.Block]) -> dict[str, list[dict[str, Any]]]:
    """Where each symbol, UPR ID and date first appears (0-based passage index), for suggestions."""
    found: dict[str, dict[str, dict[str, Any]]] = {"symbols": {}, "upr_ids": {}, "dates": {}}
    for block in passages:
        for symbol in symbols.find_symbols(block.text):
            found["symbols"].setdefault(symbol, {"symbol": symbol, "passage": block.passage})
        for upr_id in upr.find_ids(block.text).ids:
            found["upr_ids"].setdefault(upr_id, {"upr_id": upr_id, "passage": block.passage})
        for date in dates.find_dates(block.text):
            if not date.value.startswith("-"):  # a day and month without a year is no use on its own
                found["dates"].setdefault(
                    date.value, {"date": date.value, "end": date.end_value, "text": date.text, "passage": block.passage}
                )
    return {kind: list(values.values()) for kind, values in found.items()}


def _run(source: Source, detail: bool = False, progress: Progress | None = None) -> dict[str, Any]:
    pages = _counted(source, progress) if progress is not None else source.pages
    lines = normalise.paragraphs(pages)
    if not any(any(ch.isalnum() for ch in line.text) for line in lines):
        raise readers.EmptyFile("No text was found in the document.")
    blocks = segment.segment(lines)
    passages = [b for b in blocks if b.kind != "heading"]
    texts = [b.text for b in blocks]

    model = speakers.SpeakerModel(texts)
    found_figures = []
    for block in passages:
        said_by = model.paragraph(block.text, block.heading)
        for figure in figures.find_figures(block.text, block.language):
            who = model.sentence(figure.text, said_by)
            found_figures.append(
                {
                    "value": figure.value,
                    "high": figure.high,
                    "qualifier": figure.qualifier,
                    "unit": figure.unit,
                    "counts": figure.counts,
                    "text": figure.text,
                    "side": who.side if who else None,
                    "speaker": who.speaker if who else None,
                    "period": figure.period,
                    "confidence": figure.confidence,
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

    result = {
        "language": language_mod.dominant([(b.language, len(b.text)) for b in passages]),
        "title": segment.title(blocks, lines),
        "passages": [
            {"number": b.number, "text": b.text, "section": b.section, "page": b.page, "label_source": b.label_source}
            for b in passages
        ],
        "symbols": symbols.detect(texts),
        "upr_ids": ids,
        "recommendations": [
            {"text": r.text, "section": r.section, "article": r.article, "passage": r.passage}
            for r in recommendations.detect(blocks)
        ],
        "figures": found_figures,
        "document_kind": model.kind,
        "stage_versions": dict(STAGE_VERSIONS),
        # What the reader had to leave out (e.g. pages with a garbage text layer), in English.
        "notes": list(source.notes),
    }
    if detail:
        for out, block in zip(result["passages"], passages, strict=True):
            out["language"] = block.language
        result["blocks"] = [
            {
                "text": b.text,
                "number": b.number,
                "section": b.section,
                "page": b.page,
                "language": b.language,
                "heading": b.kind == "heading",
                "passage": b.passage,
                "label_source": b.label_source,
            }
            for b in blocks
        ]
        mentions = _mentions(passages)
        # IDs the document lists as item labels under a recommendations heading (see above).
        by_label = {b.number: b.passage for b in passages if b.number}
        where = {m["upr_id"]: m for m in mentions["upr_ids"]}
        mentions["upr_ids"] = [where.get(i) or {"upr_id": i, "passage": by_label.get(i)} for i in ids]
        result["mentions"] = mentions
        found = docdate.find_document_date(texts)
        result["document_date"] = found.as_dict(blocks[found.block].passage) if found is not None else None
    return result
