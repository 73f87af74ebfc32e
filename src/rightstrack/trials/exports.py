"""CSV/XLSX downloads of answers and findings, limited to what the user may see (through `findings`)."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.translation import gettext as _

from rightstrack.core.errors import InvalidInput
from rightstrack.core.exports import download

from . import findings, queries

ANSWER_HEADERS = [
    "hearing_id",
    "hearing_date",
    "case",
    "court",
    "city",
    "checklist",
    "indicator",
    "question",
    "defendant",
    "value",
    "text",
    "note",
    "monitor",
]
FINDING_HEADERS = [
    "finding",
    "label",
    "unit",
    "breakdown",
    "group",
    "numerator",
    "denominator",
    "excluded",
    "percent",
    "too_few_to_report",
]


def _fmt(fmt: str) -> str:
    if fmt not in ("csv", "xlsx"):
        raise InvalidInput(_("Choose csv or xlsx."), field="fmt")
    return fmt


def answer_rows(user, filters: findings.Filters | None = None):
    """One row per answer that counts (reviewed observations), with hearing, case, court, indicator and value."""
    answers = list(
        findings.counted_answers(user, filters)
        .select_related(
            "indicator", "indicator__checklist", "hearing", "case", "court", "defendant", "observation__monitor"
        )
        .order_by("hearing_date", "hearing_id", "indicator__position", "defendant__position")
    )
    names = queries.defendant_labels(user, [a.defendant for a in answers if a.defendant])
    for a in answers:
        yield [
            a.hearing_id,
            a.hearing_date.isoformat(),
            a.case.number,
            a.court.name,
            a.court.city,
            str(a.indicator.checklist),
            a.indicator.code,
            a.indicator.question_en,
            names.get(a.defendant_id, "") if a.defendant_id else "",
            a.value,
            a.text,
            a.note,
            a.observation.monitor.get_username(),
        ]


def answers_download(user, *, filters: findings.Filters | None = None, fmt: str = "csv") -> HttpResponse:
    return download(ANSWER_HEADERS, answer_rows(user, filters), filename="trial-answers", fmt=_fmt(fmt))


def finding_rows(user, *, breakdown: list[str], period: str, filters: findings.Filters | None = None):
    rows = findings.indicator_findings(user, breakdown=breakdown, period=period, filters=filters)
    derived = findings.derived_findings(user, breakdown=breakdown, period=period, filters=filters)
    every = [f for f in [*derived, *rows] if f.kind != "text"]
    labels = findings.labels(user, breakdown, sorted({k for f in every for k in f.by}))
    for f in every:
        yield [
            f.key,
            f.label,
            f.unit,
            "",
            _("all"),
            f.total.n,
            f.total.d,
            f.total.excluded,
            f.total.percent,
            f.total.too_few,
        ]
        for key in sorted(f.by):
            figure = f.by[key]
            yield [
                f.key,
                f.label,
                f.unit,
                ",".join(breakdown),
                labels.get(key, key),
                figure.n,
                figure.d,
                figure.excluded,
                figure.percent,
                figure.too_few,
            ]


def findings_download(user, *, breakdown: list[str], period: str, filters=None, fmt: str = "csv") -> HttpResponse:
    fmt = _fmt(fmt)
    return download(
        FINDING_HEADERS,
        list(finding_rows(user, breakdown=breakdown, period=period, filters=filters)),
        filename="trial-findings",
        fmt=fmt,
    )
