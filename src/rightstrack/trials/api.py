"""API for trial monitoring: cases, hearings, observations (with answers) and findings, all visibility-filtered."""

from __future__ import annotations

import datetime

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import field_validator

from rightstrack.core.actions import get_visible
from rightstrack.core.errors import InvalidInput
from rightstrack.core.paging import Paging

from . import actions, findings, queries
from .models import Case, Hearing, Observation

router = Router(tags=["trials"])


class CaseOut(Schema):
    id: int
    organisation_id: int
    confidentiality: str
    number: str
    court_id: int
    court: str
    city: str
    charges: list[str]
    context: str
    status: str
    opened_on: datetime.date | None
    closed_on: datetime.date | None

    @staticmethod
    def resolve_court(obj: Case) -> str:
        return obj.court.name

    @staticmethod
    def resolve_city(obj: Case) -> str:
        return obj.court.city

    @staticmethod
    def resolve_charges(obj: Case) -> list[str]:
        return obj.charge_list()


class DefendantOut(Schema):
    id: int
    label: str
    charges: str
    custody: str
    counsel: str


class CaseDetailOut(CaseOut):
    defendants: list[DefendantOut]

    @staticmethod
    def resolve_defendants(obj: Case) -> list[dict]:
        return obj.defendants_out


class HearingOut(Schema):
    id: int
    case_id: int
    date: datetime.date
    start_time: datetime.time | None
    end_time: datetime.time | None
    courtroom: str
    kind: str
    status: str
    version: int


class AnswerOut(Schema):
    indicator: str
    defendant_id: int | None
    value: str
    text: str
    note: str
    auto: bool
    counted: bool


class ObservationOut(Schema):
    id: int
    hearing_id: int
    case_id: int
    monitor: str
    checklist: str
    status: str
    review_comment: str
    answers: list[AnswerOut]


class AnswerIn(Schema):
    indicator: str
    value: str | int | None = None
    defendant_id: int | None = None
    note: str = ""

    @field_validator("value", mode="before")
    @classmethod
    def no_booleans(cls, value):
        # JSON true/false would otherwise pass as 1/0 for counts.
        if isinstance(value, bool):
            raise ValueError('a boolean is not an answer; use "yes" or "no"')
        return value


class FigureOut(Schema):
    n: int
    d: int
    excluded: int
    percent: float | None
    total: int | None = None
    median: float | None = None


class FindingOut(Schema):
    key: str
    code: str
    label: str
    unit: str
    kind: str
    total: FigureOut
    by: dict[str, FigureOut]


def _observation_out(observation: Observation) -> dict:
    return {
        "id": observation.pk,
        "hearing_id": observation.hearing_id,
        "case_id": observation.case_id,
        "monitor": observation.monitor.get_username(),
        "checklist": str(observation.checklist),
        "status": observation.status,
        "review_comment": observation.review_comment,
        "answers": [
            {
                "indicator": a.indicator.code,
                "defendant_id": a.defendant_id,
                "value": a.value,
                "text": a.text,
                "note": a.note,
                "auto": a.auto,
                "counted": a.counted,
            }
            for a in observation.answers.select_related("indicator").order_by("indicator__position", "defendant_id")
        ],
    }


@router.get("/cases", response=list[CaseOut])
@paginate(Paging)
def list_cases(request: HttpRequest, q: str = ""):
    return queries.search_cases(request.user, q)


@router.get("/cases/{case_id}", response=CaseDetailOut)
def get_case(request: HttpRequest, case_id: int):
    case = get_visible(request.user, Case, case_id)
    # Defendants are named by pseudonym, and only where the caller may see the person.
    case.defendants_out = [
        {"id": d.pk, "label": d.label, "charges": d.charges, "custody": d.custody, "counsel": d.counsel}
        for d in queries.case_defendants(request.user, case)
    ]
    return case


@router.get("/cases/{case_id}/hearings", response=list[HearingOut])
def case_hearings(request: HttpRequest, case_id: int):
    case = get_visible(request.user, Case, case_id)
    return list(case.hearings.order_by("date", "start_time"))


@router.get("/hearings/{hearing_id}", response=HearingOut)
def get_hearing(request: HttpRequest, hearing_id: int):
    return get_visible(request.user, Hearing, hearing_id)


@router.post("/hearings/{hearing_id}/observations", response={200: ObservationOut, 201: ObservationOut})
def start_observation(request: HttpRequest, hearing_id: int):
    """Open (or create) the caller's observation of a hearing they are assigned to."""
    hearing = get_visible(request.user, Hearing, hearing_id)
    existed = Observation.objects.filter(hearing=hearing, monitor=request.user).exists()
    observation = actions.start_observation(request.user, hearing)
    return Status(200 if existed else 201, _observation_out(observation))


@router.get("/observations", response=list[ObservationOut])
@paginate(Paging)
def list_observations(request: HttpRequest, status: str = ""):
    from rightstrack.core import visibility

    qs = visibility.visible(request.user, Observation).select_related("monitor", "checklist").order_by("-pk")
    if status:
        qs = qs.filter(status=status)
    return [_observation_out(o) for o in qs[:500]]


@router.get("/observations/{observation_id}", response=ObservationOut)
def get_observation(request: HttpRequest, observation_id: int):
    return _observation_out(get_visible(request.user, Observation, observation_id))


@router.post("/observations/{observation_id}/answers", response=ObservationOut)
def save_answers(request: HttpRequest, observation_id: int, payload: list[AnswerIn]):
    """Save several answers at once; all or nothing."""
    from django.db import transaction

    observation = get_visible(request.user, Observation, observation_id)
    if len(payload) > 1000:
        raise InvalidInput("At most 1000 answers per request.")
    with transaction.atomic():
        for item in payload:
            actions.save_answer(
                request.user,
                observation,
                indicator=item.indicator,
                value=item.value,
                defendant=item.defendant_id,
                note=item.note,
            )
    return _observation_out(observation)


@router.post("/observations/{observation_id}/submit", response=ObservationOut)
def submit(request: HttpRequest, observation_id: int):
    observation = get_visible(request.user, Observation, observation_id)
    return _observation_out(actions.submit_observation(request.user, observation))


class ReviewIn(Schema):
    decision: str
    comment: str = ""


@router.post("/observations/{observation_id}/review", response=ObservationOut)
def review(request: HttpRequest, observation_id: int, payload: ReviewIn):
    observation = get_visible(request.user, Observation, observation_id)
    if payload.decision == "accept":
        observation = actions.accept_observation(request.user, observation, comment=payload.comment)
    elif payload.decision == "return":
        observation = actions.return_observation(request.user, observation, comment=payload.comment)
    else:
        raise InvalidInput("decision must be accept or return.", field="decision")
    return _observation_out(observation)


class FindingsQuery(Schema):
    breakdown: str = ""
    period: str = "month"
    court: int | None = None
    case: int | None = None
    city: str = ""
    charge: str = ""
    since: datetime.date | None = None
    until: datetime.date | None = None
    version: int | None = None


def _figure(f: findings.Figure) -> dict:
    return {"n": f.n, "d": f.d, "excluded": f.excluded, "percent": f.percent, "total": f.total, "median": f.median}


@router.get("/findings", response=list[FindingOut])
def get_findings(request: HttpRequest, params: Query[FindingsQuery]):
    """Every indicator and derived finding: n of d where observed, excluded units, optional breakdown."""
    breakdown = [b for b in params.breakdown.split(",") if b]
    filters = findings.Filters(
        court=params.court,
        case=params.case,
        city=params.city,
        charge=params.charge,
        since=params.since,
        until=params.until,
        version=params.version,
    )
    rows = [
        *findings.derived_findings(request.user, breakdown=breakdown, period=params.period, filters=filters),
        *findings.indicator_findings(request.user, breakdown=breakdown, period=params.period, filters=filters),
    ]
    return [
        {
            "key": f.key,
            "code": f.code,
            "label": f.label,
            "unit": f.unit,
            "kind": f.kind,
            "total": _figure(f.total),
            "by": {k: _figure(v) for k, v in f.by.items()},
        }
        for f in rows
        if f.kind != "text"
    ]
