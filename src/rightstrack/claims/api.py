"""API: indicators and data points, claims with figures, verdicts, the discrepancy view and period parsing."""

from __future__ import annotations

import datetime

from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from rightstrack.core.actions import get_visible
from rightstrack.core.errors import InvalidInput
from rightstrack.core.paging import Paging
from rightstrack.evidence.api import CitationIn, cited_passages, one_cited_passage

from . import actions, periods, queries
from .models import Claim, DataPoint, Indicator, Verdict

router = Router(tags=["claims"])


class IndicatorOut(Schema):
    id: int
    organisation_id: int
    confidentiality: str
    version: int
    name: str
    unit: str
    definition: str
    disaggregations: str
    article: int | None = None
    themes: list[str]
    is_synthetic: bool

    @staticmethod
    def resolve_article(obj: Indicator):
        return obj.article.number if obj.article_id else None

    @staticmethod
    def resolve_themes(obj: Indicator):
        return [t.code for t in obj.themes.all()]


class IndicatorIn(Schema):
    organisation_id: int
    name: str
    unit: str
    definition: str = ""
    disaggregations: str = ""
    article: int | None = None
    themes: list[str] = []
    confidentiality: str = "internal"


class PointOut(Schema):
    id: int
    indicator_id: int
    confidentiality: str
    version: int
    period: str
    period_start: datetime.date
    period_end: datetime.date
    precision: str
    value: float
    source_kind: str
    source_name: str
    disaggregation: str
    partial: bool
    notes: str
    is_synthetic: bool

    @staticmethod
    def resolve_period(obj: DataPoint):
        return obj.period_label


class PointIn(Schema):
    period: str
    value: float | str
    source_kind: str
    source_name: str = ""
    disaggregation: str = ""
    partial: bool = False
    notes: str = ""
    passage_id: int | None = None
    citation: CitationIn | None = None  # or the passage as document + its own label
    quote: str = ""
    confidentiality: str | None = None
    replace: list[int] = []


class FigureIO(Schema):
    value: float | str | None = None
    unit: str | None = None
    period: str | None = None
    indicator_id: int | None = None


class FigureOut(Schema):
    id: int
    value: float
    unit: str
    period: str
    period_start: datetime.date
    period_end: datetime.date
    indicator_id: int | None


class VerdictOut(Schema):
    id: int
    claim_id: int
    rating: str
    rationale: str
    analyst: str | None
    created_at: datetime.datetime
    reviewed: bool
    reviewed_at: datetime.datetime | None
    is_synthetic: bool

    @staticmethod
    def resolve_analyst(obj: Verdict):
        return obj.analyst.username if obj.analyst_id else None

    @staticmethod
    def resolve_reviewed(obj: Verdict):
        return obj.reviewed_at is not None


class ClaimOut(Schema):
    id: int
    organisation_id: int
    confidentiality: str
    version: int
    speaker_kind: str
    speaker: str
    forum_kind: str
    forum: str
    date: datetime.date
    text: str
    article: int | None = None
    themes: list[str]
    figures: list[FigureOut]
    verdict: VerdictOut | None = None
    is_synthetic: bool

    @staticmethod
    def resolve_article(obj: Claim):
        return obj.article.number if obj.article_id else None

    @staticmethod
    def resolve_themes(obj: Claim):
        return [t.code for t in obj.topics]

    @staticmethod
    def resolve_figures(obj: Claim, context):
        # A figure's indicator is named only when the caller may see that indicator.
        request = context["request"]
        seen = getattr(request, "_claims_visible_indicators", None)
        if seen is None:  # once per request, not once per claim
            seen = set(queries.indicators(request.user).values_list("pk", flat=True))
            request._claims_visible_indicators = seen
        return [
            {
                "id": f.pk,
                "value": float(f.value),
                "unit": f.unit,
                "period": f.period_label,
                "period_start": f.period_start,
                "period_end": f.period_end,
                "indicator_id": f.indicator_id if f.indicator_id in seen else None,
            }
            for f in obj.figure_list
        ]

    @staticmethod
    def resolve_verdict(obj: Claim):
        return queries.shown_verdict(obj)


class ClaimIn(Schema):
    organisation_id: int
    text: str
    date: datetime.date
    speaker_kind: str = "state"
    speaker: str = ""
    forum_kind: str = "dialogue"
    forum: str = ""
    article: int | None = None
    themes: list[str] = []
    figures: list[FigureIO] = []
    passage_id: int | None = None
    citation: CitationIn | None = None  # or the passage as document + its own label
    quote: str = ""
    confidentiality: str = "internal"


class EvidenceRef(Schema):
    kind: str
    id: int


class VerdictIn(Schema):
    rating: str
    rationale: str
    passage_ids: list[int] = []
    citations: list[CitationIn] = []  # passages as document + their own label, e.g. {"document_id": 3, "label": "27"}
    evidence: list[EvidenceRef] = []


class EvidenceOut(Schema):
    kind: str
    label: str
    url: str


class ComparisonOut(Schema):
    figure: FigureOut
    gap: float | None
    evidence: list[PointOut]


class ClaimRowOut(Schema):
    claim_id: int
    text: str
    gap: float | None
    rating: str | None
    comparisons: list[ComparisonOut]


class PairOut(Schema):
    indicator_id: int
    period: str
    official: PointOut
    independent: PointOut
    gap: float
    ratio: float | None


class GroupOut(Schema):
    key: str
    title: str
    claims: list[ClaimRowOut]
    pairs: list[PairOut]


class PeriodOut(Schema):
    label: str
    start: datetime.date
    end: datetime.date
    precision: str


def _figure(f) -> dict:
    return {
        "id": f.pk,
        "value": float(f.value),
        "unit": f.unit,
        "period": f.period_label,
        "period_start": f.period_start,
        "period_end": f.period_end,
        "indicator_id": f.indicator_id,
    }


# --- Indicators and data points --------------------------------------------------------------------


@router.get("/indicators", response=list[IndicatorOut])
@paginate(Paging)
def list_indicators(request: HttpRequest, q: str = ""):
    items = queries.indicators(request.user).prefetch_related("themes")
    return items.filter(name__icontains=q) if q else items


@router.post("/indicators", response={201: IndicatorOut})
def create_indicator(request: HttpRequest, payload: IndicatorIn):
    data = payload.dict()
    return Status(201, actions.create_indicator(request.user, organisation=data.pop("organisation_id"), **data))


@router.get("/indicators/{indicator_id}", response=IndicatorOut)
def get_indicator(request: HttpRequest, indicator_id: int):
    return get_visible(request.user, Indicator, indicator_id)


@router.get("/indicators/{indicator_id}/points", response=list[PointOut])
@paginate(Paging)
def list_points(request: HttpRequest, indicator_id: int):
    indicator = get_visible(request.user, Indicator, indicator_id)
    return queries.data_points(request.user, indicator)


@router.post("/indicators/{indicator_id}/points", response={201: PointOut})
def add_point(request: HttpRequest, indicator_id: int, payload: PointIn):
    """Add a figure. An overlapping figure of the same source answers 409 unless `replace` lists it."""
    indicator = get_visible(request.user, Indicator, indicator_id)
    data = payload.dict()
    passage = one_cited_passage(request.user, data.pop("passage_id"), data.pop("citation"))
    return Status(201, actions.add_data_point(request.user, indicator, passage=passage, **data))


# --- Claims and verdicts ---------------------------------------------------------------------------


@router.get("/claims", response=list[ClaimOut])
@paginate(Paging)
def list_claims(
    request: HttpRequest,
    q: str = "",
    speaker_kind: str = "",
    article: int | None = None,
    theme: str = "",
    verdict: str = "",
):
    return queries.claims(request.user, q=q, speaker_kind=speaker_kind, article=article, theme=theme, verdict=verdict)


@router.post("/claims", response={201: ClaimOut})
def create_claim(request: HttpRequest, payload: ClaimIn):
    data = payload.dict()
    figures = [
        {"value": f["value"], "unit": f["unit"], "period": f["period"], "indicator": f["indicator_id"]}
        for f in data.pop("figures")
    ]
    passage = one_cited_passage(request.user, data.pop("passage_id"), data.pop("citation"))
    claim = actions.create_claim(
        request.user, organisation=data.pop("organisation_id"), passage=passage, figures=figures, **data
    )
    return Status(201, queries.claim_detail(request.user, claim.pk))


@router.get("/claims/{claim_id}", response=ClaimOut)
def get_claim(request: HttpRequest, claim_id: int):
    return queries.claim_detail(request.user, claim_id)


@router.get("/claims/{claim_id}/verdicts", response=list[VerdictOut])
def list_verdicts(request: HttpRequest, claim_id: int):
    """Every verdict given on the claim, newest first (the history)."""
    return queries.claim_detail(request.user, claim_id).verdict_list


@router.post("/claims/{claim_id}/verdicts", response={201: VerdictOut})
def give_verdict(request: HttpRequest, claim_id: int, payload: VerdictIn):
    claim = queries.claim_detail(request.user, claim_id)
    verdict = actions.give_verdict(
        request.user,
        claim,
        rating=payload.rating,
        rationale=payload.rationale,
        passages=cited_passages(request.user, payload.passage_ids, [c.dict() for c in payload.citations]),
        evidence=[(e.kind, e.id) for e in payload.evidence],
    )
    return Status(201, verdict)


@router.get("/verdicts/{verdict_id}/evidence", response=list[EvidenceOut])
def verdict_evidence(request: HttpRequest, verdict_id: int):
    verdict = get_visible(request.user, Verdict, verdict_id)
    return [
        {"kind": str(e.kind), "label": e.label, "url": e.url}
        for e in queries.verdict_evidence(request.user, [verdict])[verdict.pk]
    ]


@router.post("/verdicts/{verdict_id}/review", response=VerdictOut)
def review_verdict(request: HttpRequest, verdict_id: int):
    verdict = get_visible(request.user, Verdict, verdict_id)
    return actions.review_verdict(request.user, verdict)


# --- Discrepancies and periods ---------------------------------------------------------------------


@router.get("/discrepancies", response=list[GroupOut])
def discrepancies(
    request: HttpRequest,
    group_by: str = "article",
    theme: str = "",
    article: int | None = None,
    speaker_kind: str = "state",
):
    """Claims next to independent figures, and official vs independent figures, grouped, biggest gap first."""
    if group_by not in ("article", "topic"):
        raise InvalidInput("group_by must be 'article' or 'topic'.", field="group_by")
    out = []
    for g in queries.discrepancies(
        request.user, group_by=group_by, theme=theme, article=article, speaker_kind=speaker_kind
    ):
        out.append(
            {
                "key": g.key,
                "title": g.title,
                "claims": [
                    {
                        "claim_id": r.claim.pk,
                        "text": r.claim.text,
                        "gap": r.gap,
                        "rating": r.verdict.rating if r.verdict else None,
                        "comparisons": [
                            {"figure": _figure(c.figure), "gap": c.gap, "evidence": [e.point for e in c.evidence]}
                            for c in r.comparisons
                        ],
                    }
                    for r in g.claims
                ],
                "pairs": [
                    {
                        "indicator_id": p.indicator.pk,
                        "period": p.official.period_label,
                        "official": p.official,
                        "independent": p.independent,
                        "gap": p.gap,
                        "ratio": p.ratio,
                    }
                    for p in g.pairs
                ],
            }
        )
    return out


@router.get("/periods/parse", response=PeriodOut, auth=None)
def parse_period(request: HttpRequest, text: str):
    """How a period text is read ("Jan–Oct 2024" → 2024-01-01..2024-10-31, months); 400 when it is not a period."""
    try:
        period = periods.parse(text)
    except periods.PeriodError as exc:
        raise InvalidInput(str(exc), field="text")
    return {"label": period.label, "start": period.start, "end": period.end, "precision": period.precision}
