"""API: events, acts, involvements, interventions, victims' consent, case files, statistics, ESF export."""

import datetime

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from rightstrack.core import visibility
from rightstrack.core.actions import get_visible
from rightstrack.core.errors import InvalidInput
from rightstrack.core.models import Person
from rightstrack.core.paging import Paging

from . import actions, queries, transfer
from .models import Act, Event, Intervention, Involvement, format_date

router = Router(tags=["incidents"])


class EventOut(Schema):
    id: int
    organisation_id: int
    confidentiality: str
    version: int
    title: str
    start_date: datetime.date
    start_precision: str
    end_date: datetime.date | None
    end_precision: str
    place: str | None
    context: str
    description: str
    is_synthetic: bool

    @staticmethod
    def resolve_place(obj):
        return obj.place.code if obj.place_id else None


class EventIn(Schema):
    organisation_id: int
    title: str
    start_date: datetime.date
    start_precision: str = "day"
    end_date: datetime.date | None = None
    end_precision: str = "day"
    place: str | None = None
    context: str = ""
    description: str = ""
    confidentiality: str = "internal"


class EventPatch(Schema):
    version: int
    title: str | None = None
    start_date: datetime.date | None = None
    start_precision: str | None = None
    end_date: datetime.date | None = None
    end_precision: str | None = None
    place: str | None = None
    context: str | None = None
    description: str | None = None
    confidentiality: str | None = None


class PersonRef(Schema):
    id: int | None
    pseudonym: str | None


class InvolvementOut(Schema):
    id: int
    version: int
    unit: str
    degree: str
    perpetrator: PersonRef | None = None
    notes: str = ""


class ActOut(Schema):
    id: int
    event_id: int
    version: int
    act_type: str
    date: datetime.date | None
    date_precision: str
    place: str | None
    method: str
    victim: PersonRef | None = None
    involvements: list[InvolvementOut] = []


class ActIn(Schema):
    act_type: str
    victim_id: int | None = None
    victim_group_id: int | None = None
    date: datetime.date | None = None
    date_precision: str = "day"
    place: str | None = None
    method: str = ""
    description: str = ""


class InvolvementIn(Schema):
    unit: str = "unknown"
    degree: str = "direct"
    perpetrator_id: int | None = None
    perpetrator_group_id: int | None = None
    notes: str = ""


class InvolvementPatch(Schema):
    version: int
    unit: str | None = None
    degree: str | None = None
    perpetrator_id: int | None = None
    perpetrator_group_id: int | None = None
    notes: str | None = None


class InterventionIn(Schema):
    intervention_type: str
    date: datetime.date
    date_precision: str = "day"
    by: str
    addressee: str = ""
    act_id: int | None = None
    victim_id: int | None = None
    outcome: str = "pending"
    outcome_date: datetime.date | None = None
    outcome_note: str = ""


class InterventionPatch(Schema):
    version: int
    intervention_type: str | None = None
    date: datetime.date | None = None
    date_precision: str | None = None
    by: str | None = None
    addressee: str | None = None
    act_id: int | None = None
    victim_id: int | None = None
    outcome: str | None = None
    outcome_date: datetime.date | None = None
    outcome_note: str | None = None


class InterventionOut(Schema):
    id: int
    event_id: int
    version: int
    act_id: int | None
    intervention_type: str
    date: datetime.date
    date_precision: str
    by: str
    addressee: str
    outcome: str
    outcome_date: datetime.date | None
    outcome_note: str


class VictimIn(Schema):
    organisation_id: int
    pseudonym: str
    confidentiality: str = "restricted"
    sex: str = "unknown"
    occupation: str = ""
    is_hrd: bool = False
    is_lawyer: bool = False
    is_journalist: bool = False
    is_activist: bool = False
    real_name: str = ""
    birth_date: datetime.date | None = None
    age_group: str = "unknown"
    consent: str = "none"
    consent_date: datetime.date | None = None
    confirm_new: bool = False


class VictimOut(Schema):
    id: int
    pseudonym: str
    confidentiality: str


class ConsentIn(Schema):
    consent: str
    consent_date: datetime.date | None = None
    consent_note: str = ""
    age_group: str | None = None


class ConsentOut(Schema):
    person_id: int
    consent: str
    consent_date: datetime.date | None
    age_group: str


class TimelineOut(Schema):
    kind: str
    id: int
    date: str
    label: str
    event_id: int


class CaseFileOut(Schema):
    title: str
    events: list[int]
    timeline: list[TimelineOut]


class StatRow(Schema):
    label: str
    count: int


class StatisticsOut(Schema):
    total: int
    by_type: list[StatRow]
    by_region: list[StatRow]
    by_period: list[StatRow]
    by_unit: list[StatRow]


class PeriodOut(Schema):
    period: str
    raw: int
    partial: bool
    covered_days: int
    total_days: int
    annualised: float | None


class Filters(Schema):
    act_type: str = ""
    region: str = ""
    unit: str = ""
    year: int | None = None
    since: datetime.date | None = None
    until: datetime.date | None = None
    defenders: bool = False


def _person_ref(user, person_id: int | None, seen: set[int]) -> dict | None:
    if person_id is None:
        return None
    if person_id in seen:
        return {"id": person_id, "pseudonym": Person.objects.get(pk=person_id).pseudonym}
    return {"id": None, "pseudonym": None}  # a person the caller may not see: neither id nor name


def _act_out(user, act: Act, seen: set[int]) -> dict:
    return {
        "id": act.pk,
        "event_id": act.event_id,
        "version": act.version,
        "act_type": act.act_type,
        "date": act.date,
        "date_precision": act.date_precision,
        "place": act.place.code if act.place_id else None,
        "method": act.method,
        "victim": _person_ref(user, act.victim_id, seen),
        "involvements": [_involvement_out(user, inv, seen) for inv in act.involvements.all()],
    }


def _involvement_out(user, inv: Involvement, seen: set[int]) -> dict:
    return {
        "id": inv.pk,
        "version": inv.version,
        "unit": inv.unit,
        "degree": inv.degree,
        "perpetrator": _person_ref(user, inv.perpetrator_id, seen),
        "notes": inv.notes,
    }


def _renamed(changes: dict, names: dict[str, str]) -> dict:
    """API field names (`perpetrator_id`) to action field names (`perpetrator`)."""
    return {names.get(k, k): v for k, v in changes.items()}


def _filters(f: Filters) -> queries.StatFilters:
    if f.region and f.region != "none" and not f.region.isdigit():
        raise InvalidInput("Unknown region.", field="region")
    return queries.StatFilters(**f.dict())


@router.get("/events", response=list[EventOut])
@paginate(Paging)
def list_events(request: HttpRequest, q: str = ""):
    return queries.events_for(request.user, q).select_related("place")


@router.get("/events/{event_id}", response=EventOut)
def get_event(request: HttpRequest, event_id: int):
    return get_visible(request.user, Event, event_id)


@router.post("/events", response={201: EventOut})
def create_event(request: HttpRequest, payload: EventIn):
    data = payload.dict()
    org = data.pop("organisation_id")
    return Status(201, actions.create_event(request.user, org, **data))


@router.patch("/events/{event_id}", response=EventOut)
def update_event(request: HttpRequest, event_id: int, payload: EventPatch):
    event = get_visible(request.user, Event, event_id)
    changes = payload.dict(exclude_unset=True)
    version = changes.pop("version")
    if "place" in changes:
        changes["place"] = actions._place(changes["place"])
    return actions.update_event(request.user, event, expected_version=version, changes=changes)


@router.get("/events/{event_id}/acts", response=list[ActOut])
def list_acts(request: HttpRequest, event_id: int):
    event = get_visible(request.user, Event, event_id)
    acts = list(visibility.visible(request.user, Act).filter(event=event).prefetch_related("involvements"))
    ids = [a.victim_id for a in acts] + [i.perpetrator_id for a in acts for i in a.involvements.all()]
    seen = queries.visible_person_ids(request.user, ids)
    return [_act_out(request.user, a, seen) for a in acts]


@router.post("/events/{event_id}/acts", response={201: ActOut})
def create_act(request: HttpRequest, event_id: int, payload: ActIn):
    event = get_visible(request.user, Event, event_id)
    data = payload.dict()
    data["victim"] = data.pop("victim_id")
    data["victim_group"] = data.pop("victim_group_id")
    act = actions.add_act(request.user, event, **data)
    return Status(201, _act_out(request.user, act, queries.visible_person_ids(request.user, [act.victim_id])))


@router.post("/acts/{act_id}/involvements", response={201: InvolvementOut})
def create_involvement(request: HttpRequest, act_id: int, payload: InvolvementIn):
    act = get_visible(request.user, Act, act_id)
    data = payload.dict()
    data["perpetrator"] = data.pop("perpetrator_id")
    data["perpetrator_group"] = data.pop("perpetrator_group_id")
    inv = actions.add_involvement(request.user, act, **data)
    return Status(
        201, _involvement_out(request.user, inv, queries.visible_person_ids(request.user, [inv.perpetrator_id]))
    )


@router.patch("/involvements/{involvement_id}", response=InvolvementOut)
def update_involvement(request: HttpRequest, involvement_id: int, payload: InvolvementPatch):
    """Change an involvement; `version` is the one read (a stale one answers 409 with the current values)."""
    involvement = get_visible(request.user, Involvement, involvement_id)
    changes = payload.dict(exclude_unset=True)
    version = changes.pop("version")
    changes = _renamed(changes, {"perpetrator_id": "perpetrator", "perpetrator_group_id": "perpetrator_group"})
    inv = actions.update_involvement(request.user, involvement, expected_version=version, changes=changes)
    return _involvement_out(request.user, inv, queries.visible_person_ids(request.user, [inv.perpetrator_id]))


@router.delete("/involvements/{involvement_id}", response={204: None})
def delete_involvement(request: HttpRequest, involvement_id: int):
    """Move an involvement to the trash (coordinators and administrators)."""
    actions.delete_involvement(request.user, get_visible(request.user, Involvement, involvement_id))
    return Status(204, None)


@router.post("/events/{event_id}/interventions", response={201: InterventionOut})
def create_intervention(request: HttpRequest, event_id: int, payload: InterventionIn):
    event = get_visible(request.user, Event, event_id)
    data = payload.dict()
    data["act"] = data.pop("act_id")
    data["victim"] = data.pop("victim_id")
    return Status(201, actions.add_intervention(request.user, event, **data))


@router.patch("/interventions/{intervention_id}", response=InterventionOut)
def update_intervention(request: HttpRequest, intervention_id: int, payload: InterventionPatch):
    """Change an intervention; `version` is the one read (a stale one answers 409 with the current values)."""
    intervention = get_visible(request.user, Intervention, intervention_id)
    changes = payload.dict(exclude_unset=True)
    version = changes.pop("version")
    changes = _renamed(changes, {"act_id": "act", "victim_id": "victim"})
    return actions.update_intervention(request.user, intervention, expected_version=version, changes=changes)


@router.delete("/interventions/{intervention_id}", response={204: None})
def delete_intervention(request: HttpRequest, intervention_id: int):
    """Move an intervention to the trash (coordinators and administrators)."""
    actions.delete_intervention(request.user, get_visible(request.user, Intervention, intervention_id))
    return Status(204, None)


@router.post("/victims", response={201: VictimOut})
def create_victim(request: HttpRequest, payload: VictimIn):
    data = payload.dict()
    org = data.pop("organisation_id")
    if org not in visibility.org_ids(request.user, restricted=True):
        for name in ("real_name", "birth_date"):
            data.pop(name, None)
    return Status(201, actions.create_victim(request.user, org, **data))


@router.put("/persons/{person_id}/consent", response=ConsentOut)
def set_consent(request: HttpRequest, person_id: int, payload: ConsentIn):
    person = get_visible(request.user, Person, person_id)
    data = payload.dict(exclude_none=True)
    profile = actions.set_profile(request.user, person, **data)
    return {
        "person_id": person.pk,
        "consent": profile.consent,
        "consent_date": profile.consent_date,
        "age_group": profile.age_group,
    }


def _case_out(case: queries.CaseFile) -> dict:
    return {
        "title": case.title,
        "events": [e.pk for e in case.events],
        "timeline": [
            {
                "kind": e.kind,
                "id": e.record.pk,
                "date": format_date(e.record.date, e.record.date_precision),  # data: ISO, as precise as known
                "label": e.record.get_act_type_display()
                if e.kind == "act"
                else e.record.get_intervention_type_display(),
                "event_id": e.record.event_id,
            }
            for e in case.timeline
        ],
    }


@router.get("/events/{event_id}/case-file", response=CaseFileOut)
def event_case_file(request: HttpRequest, event_id: int):
    event = get_visible(request.user, Event, event_id)
    return _case_out(queries.event_case_file(request.user, event))


@router.get("/persons/{person_id}/case-file", response=CaseFileOut)
def person_case_file(request: HttpRequest, person_id: int):
    person = get_visible(request.user, Person, person_id)
    return _case_out(queries.person_case_file(request.user, person))


@router.get("/statistics", response=StatisticsOut)
def statistics(request: HttpRequest, filters: Query[Filters]):
    stats = queries.statistics(request.user, _filters(filters))

    def rows(b):
        return [{"label": r["label"], "count": r["count"]} for r in b.rows]

    return {
        "total": stats.total,
        "by_type": rows(stats.by_type),
        "by_region": rows(stats.by_region),
        "by_period": rows(stats.by_period),
        "by_unit": rows(stats.by_unit),
    }


@router.get("/threat-index", response=list[PeriodOut])
def threat_index(request: HttpRequest, filters: Query[Filters]):
    """Acts against defenders per year; `annualised` is set only for partial years (raw stays raw)."""
    return [
        {
            "period": p.label,
            "raw": p.count,
            "partial": p.partial,
            "covered_days": p.covered_days,
            "total_days": p.total_days,
            "annualised": p.annualised,
        }
        for p in queries.threat_index(request.user, _filters(filters))
    ]


@router.get("/export/esf")
def export_esf(request: HttpRequest):
    """All visible events in the HURIDOCS ESF structure (JSON)."""
    return transfer.esf_document(request.user, visibility.visible(request.user, Event).order_by("start_date", "pk"))
