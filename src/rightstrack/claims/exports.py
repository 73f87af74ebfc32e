"""Rows for the CSV/XLSX downloads (written through core.exports, which makes every cell formula-safe)."""

from __future__ import annotations

import decimal
from collections.abc import Iterable, Iterator

from django.utils.translation import gettext as _

from rightstrack.evidence.citing import citation_text

from .models import DataPoint
from .queries import ClaimRow
from .templatetags.claims_tags import number_text


def number(value: decimal.Decimal) -> int | float:
    """A spreadsheet number: integers stay integers."""
    return int(value) if value == value.to_integral_value() else float(value)


def _gap(value: float | None) -> float | str:
    return round(value * 100, 1) if value is not None else ""


CLAIM_HEADERS = [
    "id",
    "date",
    "speaker_kind",
    "speaker",
    "forum_kind",
    "forum",
    "iccpr_article",
    "topics",
    "claim",
    "figures",
    "independent_evidence",
    "gap_percent",
    "verdict",
    "verdict_reviewed_at",
    "verdict_rationale",
    "verdicts_awaiting_review",
    "quoted_passages",
    "confidentiality",
    "synthetic",
]


def figure_text(figure) -> str:
    return f"{number_text(figure.value)} {figure.unit} ({figure.period_label})"


def evidence_text(row: ClaimRow) -> str:
    parts = []
    for comparison in row.comparisons:
        for e in comparison.evidence:
            p = e.point
            source = p.get_source_kind_display() + (f", {p.source_name}" if p.source_name else "")
            partial = f" {_('partial')}" if p.partial else ""
            parts.append(f"{number_text(p.value)} {p.indicator.unit} ({p.period_label}{partial}; {source})")
    return "; ".join(parts)


def claim_rows(rows: Iterable[ClaimRow]) -> Iterator[list]:
    for row in rows:
        claim, verdict = row.claim, row.verdict
        yield [
            claim.pk,
            claim.date.isoformat(),
            claim.speaker_kind,
            claim.speaker,
            claim.forum_kind,
            claim.forum,
            claim.article.number if claim.article else "",
            ", ".join(t.code for t in claim.topics),
            claim.text,
            "; ".join(figure_text(c.figure) for c in row.comparisons),
            evidence_text(row),
            _gap(row.gap),
            verdict.rating if verdict else "",
            verdict.reviewed_at.isoformat() if verdict else "",
            verdict.rationale if verdict else "",
            row.pending,
            "; ".join(citation_text(c.passage) for c in row.passages),
            claim.confidentiality,
            claim.is_synthetic,
        ]


POINT_HEADERS = [
    "id",
    "indicator",
    "unit",
    "period",
    "period_start",
    "period_end",
    "precision",
    "value",
    "source_kind",
    "source",
    "breakdown",
    "partial",
    "notes",
    "passages",
    "confidentiality",
    "synthetic",
]


def point_rows(points: Iterable[DataPoint], cited: dict[int, list]) -> Iterator[list]:
    for p in points:
        yield [
            p.pk,
            p.indicator.name,
            p.indicator.unit,
            p.period_label,
            p.period_start.isoformat(),
            p.period_end.isoformat(),
            p.precision,
            number(p.value),
            p.source_kind,
            p.source_name,
            p.disaggregation,
            p.partial,
            p.notes,
            "; ".join(citation_text(c.passage) for c in cited.get(p.pk, [])),
            p.confidentiality,
            p.is_synthetic,
        ]
