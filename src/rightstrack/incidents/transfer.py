"""Spreadsheet import/export of events and acts (one row per act), and the ESF-structured JSON export.

Imports are idempotent: an event is found again by its key (`rt-<id>` for rows this app exported, else the
spreadsheet's own key) and an act by its key within the event, so importing the same file twice changes
nothing. Every import is previewed first; applying it is all or nothing.
"""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rightstrack.core import limits, visibility
from rightstrack.core.actions import create_person, require_level, require_write
from rightstrack.core.audit import record_event
from rightstrack.core.errors import DomainError, InvalidInput, TooLarge
from rightstrack.core.exports import is_formula
from rightstrack.core.models import Person, Place

from . import actions
from .models import (
    Act,
    ActType,
    DatePrecision,
    Degree,
    Event,
    ImportBatch,
    PerpetratorUnit,
    format_date,
)

COLUMNS = [
    "event_key",
    "event_title",
    "event_start",
    "event_start_precision",
    "event_end",
    "event_end_precision",
    "event_place",
    "event_context",
    "event_description",
    "act_key",
    "act_type",
    "act_date",
    "act_date_precision",
    "act_place",
    "victim",
    "method",
    "perpetrator_unit",
    "degree",
]
REQUIRED = ("event_key", "event_title", "event_start", "act_type")
MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000


# --- Export --------------------------------------------------------------------------------------------


def event_key(event: Event) -> str:
    return event.external_key or f"rt-{event.pk}"


def act_key(act: Act) -> str:
    return act.external_key or f"rt-{act.pk}"


def export_rows(user, acts) -> list[list[Any]]:
    """Rows of the spreadsheet for visible acts (victims shown by pseudonym, and only when visible)."""
    acts = list(acts.select_related("event__place", "place", "victim").prefetch_related("involvements"))
    persons = set(
        visibility.visible(user, Person)
        .filter(pk__in={a.victim_id for a in acts if a.victim_id})
        .values_list("pk", flat=True)
    )
    rows = []
    for act in acts:
        event = act.event
        first = next(iter(act.involvements.all()), None)
        rows.append(
            [
                event_key(event),
                event.title,
                event.start_date.isoformat(),
                event.start_precision,
                event.end_date.isoformat() if event.end_date else "",
                event.end_precision if event.end_date else "",
                event.place.code if event.place else "",
                event.context,
                event.description,
                act_key(act),
                act.act_type,
                act.date.isoformat() if act.date else "",
                act.date_precision if act.date else "",
                act.place.code if act.place else "",
                act.victim.pseudonym if act.victim_id in persons else "",
                act.method,
                first.unit if first else "",
                first.degree if first else "",
            ]
        )
    return rows


# --- Parsing -------------------------------------------------------------------------------------------


def read_table(content: bytes, filename: str) -> list[dict[str, str]]:
    """Rows of a CSV or XLSX file as dicts keyed by the header row (names lower-cased)."""
    if len(content) > MAX_BYTES:
        raise TooLarge(_("The file is larger than %(mb)d MB.") % {"mb": MAX_BYTES // (1024 * 1024)})
    name = filename.lower()
    if name.endswith(".xlsx") or content[:2] == b"PK":
        table = _read_xlsx(content)
    elif name.endswith(".csv") or name.endswith(".txt"):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise InvalidInput(_("The CSV file is not UTF-8 text."), field="file")
        table = list(csv.reader(io.StringIO(text)))
    else:
        raise InvalidInput(_("Upload a .csv or .xlsx file."), field="file")
    if not table:
        raise InvalidInput(_("The file is empty."), field="file")
    header = [str(h or "").strip().lower() for h in table[0]]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise InvalidInput(_("Missing columns: %s") % ", ".join(missing), field="file")
    rows = []
    for values in table[1:]:
        if not any(str(v or "").strip() for v in values):
            continue
        rows.append({h: _cell(values[i]) if i < len(values) else "" for i, h in enumerate(header) if h})
    if len(rows) > MAX_ROWS:
        raise TooLarge(_("At most %(n)d rows can be imported at once.") % {"n": MAX_ROWS})
    return rows


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)  # as typed: the formula check sees a leading tab before it is stripped


def _clean(text: str) -> str:
    text = text.strip()
    # Our own exports prefix formula-like text with an apostrophe; take it off again (after the formula check).
    return text[1:] if text.startswith("'") and text[1:2] in ("=", "+", "-", "@") else text


def _read_xlsx(content: bytes) -> list[list[Any]]:
    import zipfile

    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            # A zip bomb would expand far beyond the upload; refuse before openpyxl inflates it.
            if sum(info.file_size for info in archive.infolist()) > 20 * MAX_BYTES:
                raise TooLarge(_("The spreadsheet expands to too much data."))
        # data_only=False: a formula cell reads as its formula ("=…") and is refused, not as a cached result.
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise InvalidInput(_("This is not a readable XLSX file."), field="file")
    sheet = workbook.worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


# --- Preview and apply ---------------------------------------------------------------------------------------


@dataclass
class RowPlan:
    number: int  # spreadsheet row number (header = 1)
    event_key: str
    act_key: str
    event_action: str = ""  # "create" | "update" | "unchanged"
    act_action: str = ""
    victim_action: str = ""  # "" | "existing" | "create"
    errors: list[str] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)


def _date_cell(value: str, label: str, errors: list[str]) -> datetime.date | None:
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value[:10])
    except ValueError:
        errors.append(_("%(label)s: not a date (YYYY-MM-DD): %(value)s") % {"label": label, "value": value[:40]})
        return None


def _precision(value: str, label: str, errors: list[str]) -> str:
    value = (value or DatePrecision.DAY).lower()
    if value not in DatePrecision.values:
        errors.append(_("%(label)s: unknown precision %(value)s") % {"label": label, "value": value[:40]})
    return value


def _place_cell(value: str, places: dict[str, Place], errors: list[str]) -> Place | None:
    if not value:
        return None
    place = places.get(value.lower())
    if place is None:
        errors.append(_("Unknown place code: %s") % value[:60])
    return place


def _find_event(user, org_id: int, key: str) -> Event | None:
    events = visibility.visible(user, Event).filter(organisation_id=org_id)
    if key.startswith("rt-") and key[3:].isdigit():
        found = events.filter(pk=int(key[3:])).first()
        if found:
            return found
    return events.filter(external_key=key).first()


def _find_act(event: Event, key: str) -> Act | None:
    if key.startswith("rt-") and key[3:].isdigit():
        found = event.acts.filter(pk=int(key[3:])).first()
        if found:
            return found
    return event.acts.filter(external_key=key).first() if key else None


EVENT_COMPARE = (
    "title",
    "start_date",
    "start_precision",
    "end_date",
    "end_precision",
    "place",
    "context",
    "description",
)
ACT_COMPARE = ("act_type", "date", "date_precision", "place", "method", "victim")


# Spreadsheet column of each model field, for errors.
EVENT_COLUMNS = {
    "title": "event_title",
    "context": "event_context",
    "description": "event_description",
    "external_key": "event_key",
}
ACT_COLUMNS = {"method": "method", "external_key": "act_key"}


def plan(user, org_id: int, rows: list[dict[str, str]]) -> list[RowPlan]:
    """What importing these rows would do, row by row, with every error found (nothing is written)."""
    places = {p.code.lower(): p for p in Place.objects.all()}
    people = {p.pseudonym.casefold(): p for p in visibility.visible(user, Person).filter(organisation_id=org_id)}
    plans: list[RowPlan] = []
    seen_events: dict[str, dict] = {}
    seen_acts: set[tuple[str, str]] = set()
    for n, row in enumerate(rows, start=2):
        errors: list[str] = [
            _("%(column)s starts like a spreadsheet formula (=, +, @); refused.") % {"column": column}
            for column, value in row.items()
            if is_formula(value)
        ]
        row = {column: _clean(value) for column, value in row.items()}
        p = RowPlan(number=n, event_key=row.get("event_key", ""), act_key=row.get("act_key", ""))
        for column in REQUIRED:
            if not row.get(column):
                errors.append(_("%s is empty.") % column)
        ev = {
            "title": row.get("event_title", ""),
            "start_date": _date_cell(row.get("event_start", ""), "event_start", errors),
            "start_precision": _precision(row.get("event_start_precision", ""), "event_start_precision", errors),
            "end_date": _date_cell(row.get("event_end", ""), "event_end", errors),
            "end_precision": _precision(row.get("event_end_precision", ""), "event_end_precision", errors),
            "place": _place_cell(row.get("event_place", ""), places, errors),
            "context": row.get("event_context", ""),
            "description": row.get("event_description", ""),
        }
        act_type = row.get("act_type", "").lower()
        if act_type and act_type not in ActType.values:
            errors.append(_("Unknown act type: %s") % act_type[:60])
        act = {
            "act_type": act_type,
            "date": _date_cell(row.get("act_date", ""), "act_date", errors),
            "date_precision": _precision(row.get("act_date_precision", ""), "act_date_precision", errors),
            "place": _place_cell(row.get("act_place", ""), places, errors),
            "method": row.get("method", ""),
        }
        unit = row.get("perpetrator_unit", "").lower()
        degree = row.get("degree", "").lower() or Degree.DIRECT
        if unit and unit not in PerpetratorUnit.values:
            errors.append(_("Unknown perpetrator unit: %s") % unit[:60])
        if degree not in Degree.values:
            errors.append(_("Unknown degree of involvement: %s") % degree[:60])
        victim_name = row.get("victim", "").strip()
        # Too long for its field: an error, never cut short (a cut key could merge two events).
        for model, values, columns in (
            (Event, {**ev, "external_key": p.event_key}, EVENT_COLUMNS),
            (Act, {**act, "external_key": p.act_key}, ACT_COLUMNS),
            (Person, {"pseudonym": victim_name}, {"pseudonym": "victim"}),
        ):
            for name, limit, length in limits.overflows(model, {k: v for k, v in values.items() if k in columns}):
                errors.append(limits.message(columns[name], limit, length))
        victim = people.get(victim_name.casefold()) if victim_name else None
        p.victim_action = "" if not victim_name else ("existing" if victim else "create")
        if not errors and ev["start_date"]:
            try:
                actions.check_event_dates(ev["start_date"], ev["start_precision"], ev["end_date"], ev["end_precision"])
                probe = Event(**{k: v for k, v in ev.items() if k != "place"})
                actions.check_act_in_event(probe, act["date"], act["date_precision"])
            except InvalidInput as exc:
                errors.append(exc.message)
        # Rows of one event must agree on the event's columns.
        if p.event_key in seen_events and seen_events[p.event_key] != ev:
            errors.append(_("This row describes event %s differently from an earlier row.") % p.event_key)
        seen_events.setdefault(p.event_key, ev)
        if p.act_key and (p.event_key, p.act_key) in seen_acts:
            errors.append(_("Act key %s appears twice for this event.") % p.act_key)
        seen_acts.add((p.event_key, p.act_key))
        existing_event = _find_event(user, org_id, p.event_key) if p.event_key else None
        existing_act = _find_act(existing_event, p.act_key) if existing_event else None
        if existing_event is not None:
            same = all(getattr(existing_event, k) == v for k, v in ev.items())
            p.event_action = "unchanged" if same else "update"
        else:
            p.event_action = "create"
        if existing_act is not None:
            current = {k: getattr(existing_act, k) for k in ACT_COMPARE if k != "victim"}
            wanted = dict(act.items())
            same = current == wanted and (not victim_name or existing_act.victim_id == (victim.pk if victim else None))
            p.act_action = "unchanged" if same else "update"
        else:
            p.act_action = "create"
            if not p.act_key:
                # Without a key a row could never be found again: importing twice would duplicate it.
                errors.append(_("act_key is empty: every act needs a key so re-imports do not duplicate it."))
        p.errors = errors
        p.data = {"event": ev, "act": act, "victim": victim_name, "unit": unit, "degree": degree}
        plans.append(p)
    return plans


def summary(plans: list[RowPlan]) -> dict[str, int]:
    out = {"rows": len(plans), "errors": sum(1 for p in plans if p.errors)}
    for kind in ("create", "update", "unchanged"):
        out[f"acts_{kind}"] = sum(1 for p in plans if p.act_action == kind and not p.errors)
    out["events_create"] = len({p.event_key for p in plans if p.event_action == "create" and not p.errors})
    out["persons_create"] = len({p.data["victim"].casefold() for p in plans if p.victim_action == "create"})
    return out


@transaction.atomic
def stage(user, org_id: int, filename: str, content: bytes, confidentiality: str) -> tuple[ImportBatch, list[RowPlan]]:
    """Parse and plan an upload, keep it for confirmation, and return the preview. Nothing else is written."""
    require_write(user, org_id, visibility.WRITE_ROLES, confidentiality)
    require_level(user, org_id, None, confidentiality)  # importing as public is publishing
    plans = plan(user, org_id, read_table(content, filename))
    # Only the latest staged file per user is kept: older previews are dropped.
    ImportBatch.objects.filter(created_by=user, applied_at__isnull=True).delete()
    batch = ImportBatch.objects.create(
        organisation_id=org_id,
        created_by=user,
        filename=filename[:255],
        content=content,
        confidentiality=confidentiality,
        summary=summary(plans),
    )
    return batch, plans


@transaction.atomic
def apply(user, batch: ImportBatch) -> dict[str, int]:
    """Apply a previewed import, all or nothing. Re-planned first: the data may have changed since."""
    if batch.applied_at is not None:
        raise InvalidInput(_("This import was already applied."))
    require_write(user, batch.organisation_id, visibility.WRITE_ROLES, batch.confidentiality)
    require_level(user, batch.organisation_id, None, batch.confidentiality)
    plans = plan(user, batch.organisation_id, read_table(bytes(batch.content), batch.filename))
    if any(p.errors for p in plans):
        raise InvalidInput(_("The file has errors; fix them and upload it again. Nothing was imported."))
    org_id, level = batch.organisation_id, batch.confidentiality
    events: dict[str, Event] = {}
    persons: dict[str, Person] = {}
    counts = {"events_created": 0, "events_updated": 0, "acts_created": 0, "acts_updated": 0, "persons_created": 0}
    try:
        for p in plans:
            ev, act_data = p.data["event"], p.data["act"]
            event = events.get(p.event_key) or _find_event(user, org_id, p.event_key)
            if event is None:
                event = actions.create_event(user, org_id, confidentiality=level, external_key=p.event_key, **ev)
                counts["events_created"] += 1
            elif p.event_key not in events and p.event_action == "update":
                changes = {k: v for k, v in ev.items() if getattr(event, k) != v}
                event = actions.update_event(user, event, expected_version=event.version, changes=changes)
                counts["events_updated"] += 1
            events[p.event_key] = event
            victim = None
            if p.data["victim"]:
                key = p.data["victim"].casefold()
                victim = persons.get(key) or (
                    visibility.visible(user, Person)
                    .filter(organisation_id=org_id, pseudonym__iexact=p.data["victim"])
                    .first()
                )
                if victim is None:
                    victim = create_person(user, org_id, pseudonym=p.data["victim"], confidentiality=level)
                    counts["persons_created"] += 1
                persons[key] = victim
            act = _find_act(event, p.act_key)
            if act is None:
                act = actions.add_act(user, event, external_key=p.act_key, victim=victim, **act_data)
                counts["acts_created"] += 1
                if p.data["unit"]:
                    actions.add_involvement(user, act, unit=p.data["unit"], degree=p.data["degree"])
            elif p.act_action == "update":
                changes = {k: v for k, v in act_data.items() if getattr(act, k) != v}
                if victim is not None and act.victim_id != victim.pk:
                    changes["victim"] = victim
                actions.update_act(user, act, expected_version=act.version, changes=changes)
                counts["acts_updated"] += 1
    except DomainError as exc:
        raise InvalidInput(_("Row could not be imported: %s Nothing was imported.") % exc.message)
    batch.applied_at = timezone.now()
    batch.summary = {**batch.summary, **counts}
    batch.save(update_fields=["applied_at", "summary"])
    record_event(user, "incidents.import", batch, after={"file": batch.filename, **counts})
    return counts


# --- ESF JSON --------------------------------------------------------------------------------------------


def esf_document(user, events) -> dict[str, Any]:
    """Events with their acts, involvements, interventions and chains, in the HURIDOCS ESF structure.

    Persons appear by pseudonym; identifying fields only where the user has restricted access to them.
    """
    events = list(events.select_related("place"))
    ids = [e.pk for e in events]
    acts = list(
        visibility.visible(user, Act)
        .filter(event_id__in=ids)
        .select_related("place", "victim", "victim_group")
        .prefetch_related("involvements__perpetrator", "involvements__perpetrator_group")
    )
    from .models import EventLink, Intervention

    interventions = list(visibility.visible(user, Intervention).filter(event_id__in=ids))
    person_ids = {a.victim_id for a in acts} | {i.victim_id for i in interventions}
    person_ids |= {inv.perpetrator_id for a in acts for inv in a.involvements.all()}
    persons = visibility.visible(user, Person).in_bulk([i for i in person_ids if i])
    from .queries import visible_group_ids

    groups = visible_group_ids(
        user,
        [a.victim_group_id for a in acts] + [inv.perpetrator_group_id for a in acts for inv in a.involvements.all()],
    )
    sensitive_orgs = set(visibility.org_ids(user, restricted=True))
    visible_events = set(visibility.visible(user, Event).filter(pk__in=ids).values_list("pk", flat=True))

    def person_ref(pk):
        person = persons.get(pk)
        if person is None:
            return None if pk is None else {"person_record_number": None, "name": _("(a person you cannot see)")}
        out = {
            "person_record_number": f"person-{person.pk}",
            "name": person.pseudonym,
            "sex": person.sex,
            "occupation": person.occupation,
            "hrd": person.is_hrd,
            "lawyer": person.is_lawyer,
            "journalist": person.is_journalist,
        }
        if person.organisation_id in sensitive_orgs:
            out["real_name"] = person.real_name
            out["date_of_birth"] = person.birth_date.isoformat() if person.birth_date else None
        return out

    def group_ref(group):
        if group is None:
            return None
        if group.pk not in groups:
            return {"name": _("(a group you cannot see)")}
        return {"group_record_number": f"group-{group.pk}", "name": group.name}

    by_event: dict[int, dict[str, list]] = {pk: {"acts": [], "interventions": []} for pk in ids}
    for act in acts:
        by_event[act.event_id]["acts"].append(
            {
                "act_record_number": act_key(act),
                "type_of_act": act.act_type,
                "initial_date": act.date.isoformat() if act.date else None,
                "initial_date_type": act.date_precision,
                "date_display": format_date(act.date, act.date_precision),
                "exact_location": act.place.code if act.place else None,
                "method_of_violence": act.method,
                "victim": person_ref(act.victim_id),
                "victim_group": group_ref(act.victim_group),
                "involvements": [
                    {
                        "perpetrator": person_ref(inv.perpetrator_id),
                        "perpetrator_group": group_ref(inv.perpetrator_group),
                        "type_of_perpetrator": inv.unit,
                        "degree_of_involvement": inv.degree,
                    }
                    for inv in act.involvements.all()
                ],
            }
        )
    for item in interventions:
        by_event[item.event_id]["interventions"].append(
            {
                "type_of_intervention": item.intervention_type,
                "date_of_intervention": item.date.isoformat(),
                "date_type": item.date_precision,
                "intervening_party": item.by,
                "addressee": item.addressee,
                "victim": person_ref(item.victim_id),
                "act_record_number": f"rt-{item.act_id}" if item.act_id else None,
                "status": item.outcome,
                "outcome_date": item.outcome_date.isoformat() if item.outcome_date else None,
                "outcome": item.outcome_note,
            }
        )
    links = EventLink.objects.filter(from_event_id__in=ids).values_list("from_event_id", "to_event_id", "link_type")
    chains: dict[int, list] = {}
    for src, dst, kind in links:
        if dst in visible_events or visibility.visible(user, Event).filter(pk=dst).exists():
            chains.setdefault(src, []).append({"event_record_number": f"event-{dst}", "type_of_chain_of_events": kind})
    return {
        "format": "HURIDOCS Events Standard Formats (RightsTrack JSON)",
        "events": [
            {
                "event_record_number": event_key(e),
                "event_title": e.title,
                "initial_date": e.start_date.isoformat(),
                "initial_date_type": e.start_precision,
                "final_date": e.end_date.isoformat() if e.end_date else None,
                "final_date_type": e.end_precision if e.end_date else None,
                "geographical_term": e.place.code if e.place else None,
                "local_geographical_area": str(e.place) if e.place else None,
                "event_description": e.description,
                "context": e.context,
                "confidentiality": e.confidentiality,
                "synthetic": e.is_synthetic,
                "acts": by_event[e.pk]["acts"],
                "interventions": by_event[e.pk]["interventions"],
                "chain_of_events": chains.get(e.pk, []),
            }
            for e in events
        ],
    }
