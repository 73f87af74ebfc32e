"""Every write of the incidents app: validates, checks permission, writes the audit event, in one transaction."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from rightstrack.core import visibility
from rightstrack.core.actions import (
    create_person,
    create_record,
    get_visible,
    require_write,
    soft_delete,
    stale_edit,
    update_record,
)
from rightstrack.core.audit import record_event, snapshot
from rightstrack.core.errors import DomainError, InvalidInput, NotFound
from rightstrack.core.models import Confidentiality, Organisation, Person, Place

from .models import (
    CONSENT_RANK,
    Act,
    ActType,
    AgeGroup,
    Consent,
    DatePrecision,
    Degree,
    Event,
    EventLink,
    Group,
    Intervention,
    InterventionType,
    Involvement,
    LinkType,
    Outcome,
    PerpetratorUnit,
    PersonProfile,
    date_bounds,
    show_date,
)

# --- Validation helpers ------------------------------------------------------------------------------


def _choice(value: Any, choices, field: str, message: str) -> str:
    if value not in choices.values:
        raise InvalidInput(message, field=field)
    return value


def _date(value: Any, field: str, *, required: bool = True) -> datetime.date | None:
    if value in (None, ""):
        if required:
            raise InvalidInput(_("A date is required."), field=field)
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        raise InvalidInput(_("Not a date: use YYYY-MM-DD."), field=field)


def _place(value: Any) -> Place | None:
    if value in (None, ""):
        return None
    if isinstance(value, Place):
        return value
    place = Place.objects.filter(pk=value).first() if str(value).isdigit() else Place.objects.filter(code=value).first()
    if place is None:
        raise InvalidInput(_("Unknown place."), field="place")
    return place


def check_event_dates(
    start: datetime.date, start_precision: str, end: datetime.date | None, end_precision: str
) -> None:
    """Refuse an end that lies entirely before the start (precision taken into account)."""
    if end is None:
        return
    start_bounds = date_bounds(start, start_precision)
    end_bounds = date_bounds(end, end_precision)
    if end_bounds[1] < start_bounds[0]:
        raise InvalidInput(
            _("The end date (%(end)s) is before the start date (%(start)s).")
            % {"end": show_date(end, end_precision), "start": show_date(start, start_precision)},
            field="end_date",
        )


def check_act_in_event(event: Event, day: datetime.date | None, precision: str) -> None:
    """Refuse an act whose date cannot fall within its event's period."""
    bounds = date_bounds(day, precision)
    if bounds is None:
        return
    first, last = event.span()
    if bounds[1] < first or (last is not None and bounds[0] > last):
        raise InvalidInput(
            _("The act's date (%(date)s) is outside its event's dates (%(start)s – %(end)s).")
            % {
                "date": show_date(day, precision),
                "start": event.start_display,
                "end": event.end_display or _("ongoing"),
            },
            field="date",
        )


def _visible_person(user, value: Any, field: str) -> Person | None:
    """A person the user may see; the same error for a missing one and one of another organisation."""
    if value in (None, ""):
        return None
    pk = value.pk if isinstance(value, Person) else value
    try:
        return get_visible(user, Person, pk)
    except NotFound:
        raise NotFound(_("No such person, or you do not have access to them."), field=field)


def _visible_group(user, value: Any, field: str) -> Group | None:
    if value in (None, ""):
        return None
    pk = value.pk if isinstance(value, Group) else value
    try:
        return get_visible(user, Group, pk)
    except NotFound:
        raise NotFound(_("No such group, or you do not have access to it."), field=field)


def _same_ref(value: Any, pk: int | None) -> bool:
    """Whether a submitted reference (instance, id or id string) names the record `pk`."""
    if value in (None, ""):
        return pk is None
    return str(getattr(value, "pk", value)) == str(pk)


def _kept_or_visible(user, fields: dict[str, Any], name: str, current, check):
    """A reference field of an edit: left as it was, it is kept even if the editor cannot see the record
    (an edit must not drop a restricted person); changed, it must be a record the editor may see."""
    value = fields.get(name)
    if current is not None and _same_ref(value, getattr(current, f"{name}_id")):
        return getattr(current, name)
    return check(user, value, name)


def _require_event_write(user, event: Event) -> None:
    require_write(user, event.organisation_id, visibility.WRITE_ROLES, event.confidentiality)


# --- Consent -------------------------------------------------------------------------------------------


def consent_of(person: Person) -> str:
    profile = getattr(person, "incident_profile", None) if person.pk else None
    try:
        return profile.consent if profile else Consent.NONE
    except PersonProfile.DoesNotExist:
        return Consent.NONE


def require_publication_consent(user, persons: list[Person], level: str = Consent.ANONYMISED) -> None:
    """Refuse a publication unless every person consented to at least `level` (names only those the user sees)."""
    from .queries import persons_lacking_consent

    lacking = persons_lacking_consent(persons, level)
    if not lacking:
        return
    seen = [p for p in lacking if visibility.visible(user, Person).filter(pk=p.pk).exists()]
    names = ", ".join(sorted(p.pseudonym for p in seen))
    hidden = len(lacking) - len(seen)
    message = _("Publication needs the consent of every victim (%(level)s or more). Missing for: %(names)s") % {
        "level": Consent(level).label,
        "names": names or "—",
    }
    if hidden:
        message += " " + _("and %(n)d person(s) you cannot see.") % {"n": hidden}
    # Each victim the user may see links to the form where their consent is recorded.
    fixes = [
        (_("Record the consent of %(name)s") % {"name": p.pseudonym}, reverse("incidents:victim_profile", args=[p.pk]))
        for p in sorted(seen, key=lambda p: p.pseudonym)
    ]
    raise InvalidInput(message, field="confidentiality", links=fixes)


def _event_persons(event: Event) -> list[Person]:
    ids = set(event.acts.exclude(victim=None).values_list("victim_id", flat=True))
    ids |= set(event.interventions.exclude(victim=None).values_list("victim_id", flat=True))
    return list(Person.objects.filter(pk__in=ids).select_related("incident_profile"))


# --- Events --------------------------------------------------------------------------------------------

EVENT_DEFAULTS = {
    "start_precision": DatePrecision.DAY,
    "end_precision": DatePrecision.DAY,
    "description": "",
    "context": "",
}


def _clean_event_fields(fields: dict[str, Any]) -> dict[str, Any]:
    data = {**EVENT_DEFAULTS, **fields}
    data["title"] = str(data.get("title", "")).strip()
    if not data["title"]:
        raise InvalidInput(_("A title is required."), field="title")
    data["start_date"] = _date(data.get("start_date"), "start_date")
    data["end_date"] = _date(data.get("end_date"), "end_date", required=False)
    for name in ("start_precision", "end_precision"):
        _choice(data[name], DatePrecision, name, _("Unknown date precision."))
    data["place"] = _place(data.get("place"))
    check_event_dates(data["start_date"], data["start_precision"], data["end_date"], data["end_precision"])
    return data


@transaction.atomic
def create_event(user, organisation: Organisation | int, **fields: Any) -> Event:
    """Record an event. Dates are checked (end not before start)."""
    # A new event has no victims yet, so even a public one needs no consent; acts added later are checked.
    data = _clean_event_fields(fields)
    return create_record(user, Event, organisation=organisation, verb="event.create", **data)


@transaction.atomic
def update_event(user, event: Event, *, expected_version: int, changes: dict[str, Any]) -> Event:
    """Edit an event; its acts must still fit its dates, and publishing needs the victims' consent."""
    unknown = set(changes) - set(Event.EDITABLE_FIELDS)
    if unknown:
        raise InvalidInput(_("These fields cannot be changed: %s") % ", ".join(sorted(unknown)))
    current = {name: getattr(event, name) for name in Event.EDITABLE_FIELDS}
    merged = _clean_event_fields({**current, **changes})
    changes = {k: merged[k] for k in changes}
    trial = Event(**{**current, **changes})
    for act in event.acts.all():
        check_act_in_event(trial, act.date, act.date_precision)
    if changes.get("confidentiality") == Confidentiality.PUBLIC and event.confidentiality != Confidentiality.PUBLIC:
        require_publication_consent(user, _event_persons(event))
    event = update_record(user, event, expected_version=expected_version, changes=changes, verb="event.update")
    if {"start_date", "place"} & set(changes):
        # Acts without their own date or place are counted under the event's: keep their statistics columns true.
        acts = list(event.acts.all())
        for act in acts:
            act.refresh_stats(event)
        Act.objects.bulk_update(acts, ["stat_year", "stat_month", "stat_place"])
    return event


def publish_event(user, event: Event, *, expected_version: int) -> Event:
    """Make an event public (for the portal and reports) if every victim consented to publication."""
    # Publishing is a reviewer's decision, like deleting.
    require_write(user, event.organisation_id, visibility.REVIEW_ROLES, event.confidentiality)
    return update_event(user, event, expected_version=expected_version, changes={"confidentiality": "public"})


def delete_event(user, event: Event) -> None:
    soft_delete(user, event)


# --- Acts ----------------------------------------------------------------------------------------------


def _clean_act_fields(user, event: Event, fields: dict[str, Any], current: Act | None = None) -> dict[str, Any]:
    data = dict(fields)
    _choice(data.get("act_type"), ActType, "act_type", _("Choose an act type from the list."))
    data["date"] = _date(data.get("date"), "date", required=False)
    data["date_precision"] = data.get("date_precision") or DatePrecision.DAY
    _choice(data["date_precision"], DatePrecision, "date_precision", _("Unknown date precision."))
    data["place"] = _place(data.get("place"))
    data["victim"] = _kept_or_visible(user, data, "victim", current, _visible_person)
    data["victim_group"] = _kept_or_visible(user, data, "victim_group", current, _visible_group)
    data["method"] = str(data.get("method") or "").strip()[:300]
    data["description"] = str(data.get("description") or "")
    check_act_in_event(event, data["date"], data["date_precision"])
    if event.confidentiality == Confidentiality.PUBLIC and data["victim"] is not None:
        require_publication_consent(user, [data["victim"]])
    return data


@transaction.atomic
def add_act(user, event: Event, **fields: Any) -> Act:
    """Add an act to an event: act type from the vocabulary, a visible victim, a date within the event."""
    event = get_visible(user, Event, event.pk)
    _require_event_write(user, event)
    external_key = str(fields.pop("external_key", "") or "")
    data = _clean_act_fields(user, event, fields)
    act = Act(event=event, external_key=external_key, **data)
    act.refresh_stats(event)
    act.save()
    record_event(user, "act.create", act, after=snapshot(act))
    return act


@transaction.atomic
def update_act(user, act: Act, *, expected_version: int, changes: dict[str, Any]) -> Act:
    """Edit an act if nobody saved it since `expected_version`."""
    unknown = set(changes) - set(Act.EDITABLE_FIELDS)
    if unknown:
        raise InvalidInput(_("These fields cannot be changed: %s") % ", ".join(sorted(unknown)))
    current = Act.objects.select_for_update().select_related("event").get(pk=act.pk)
    _require_event_write(user, current.event)
    before = snapshot(current)
    if current.version != expected_version:
        raise stale_edit(user, current, changes)
    merged = {name: getattr(current, name) for name in Act.EDITABLE_FIELDS}
    data = _clean_act_fields(user, current.event, {**merged, **changes}, current)
    for name in changes:
        setattr(current, name, data[name])
    if snapshot(current) == before:
        return current  # saved unchanged: no new version, no audit event
    current.refresh_stats(current.event)
    current.version += 1
    current.save()
    after = snapshot(current)
    changed = {k for k in after if after[k] != before.get(k)}
    record_event(
        user, "act.update", current, before={k: before[k] for k in changed}, after={k: after[k] for k in changed}
    )
    return current


@transaction.atomic
def delete_act(user, act: Act) -> None:
    """Remove an act (and its involvements); the audit event keeps what it was."""
    event = act.event
    require_write(user, event.organisation_id, visibility.REVIEW_ROLES, event.confidentiality)
    record_event(user, "act.delete", act, before=snapshot(act))
    act.delete()


# --- Involvements, interventions, chains -----------------------------------------------------------------


def _clean_involvement_fields(user, fields: dict[str, Any], current: Involvement | None = None) -> dict[str, Any]:
    unit = fields.get("unit") or PerpetratorUnit.UNKNOWN
    _choice(unit, PerpetratorUnit, "unit", _("Choose a perpetrator unit from the list."))
    degree = fields.get("degree") or Degree.DIRECT
    _choice(degree, Degree, "degree", _("Choose a degree of involvement from the list."))
    perpetrator = _kept_or_visible(user, fields, "perpetrator", current, _visible_person)
    group = _kept_or_visible(user, fields, "perpetrator_group", current, _visible_group)
    if perpetrator is None and group is None and unit == PerpetratorUnit.UNKNOWN:
        raise InvalidInput(_("Name a perpetrator: a person, a group or at least a unit."), field="unit")
    return {
        "unit": unit,
        "degree": degree,
        "perpetrator": perpetrator,
        "perpetrator_group": group,
        "notes": str(fields.get("notes") or "")[:300],
    }


@transaction.atomic
def add_involvement(user, act: Act, **fields: Any) -> Involvement:
    """Name who did an act: a person, a group and/or a unit, with the degree of involvement."""
    act = get_visible(user, Act, act.pk)
    _require_event_write(user, act.event)
    data = _clean_involvement_fields(user, fields)
    # Saving keeps the act's statistics flags (first involvement of a unit, has a perpetrator) up to date.
    involvement = Involvement.objects.create(event=act.event, act=act, **data)
    record_event(
        user, "involvement.create", involvement, after=snapshot(involvement, ("act", *Involvement.EDITABLE_FIELDS))
    )
    return involvement


def _update_child(user, model, obj, *, expected_version: int, changes: dict[str, Any], clean, verb: str):
    """Edit an involvement or intervention if nobody saved it since `expected_version` (else Conflict).

    `clean(current, merged)` validates the merged fields and returns them; only `changes` are written.
    """
    unknown = set(changes) - set(model.EDITABLE_FIELDS)
    if unknown:
        raise InvalidInput(_("These fields cannot be changed: %s") % ", ".join(sorted(unknown)))
    current = model.objects.select_for_update(of=("self",)).select_related("event").filter(pk=obj.pk).first()
    if current is None:  # deleted meanwhile
        raise NotFound(_("No such record, or you do not have access to it."))
    _require_event_write(user, current.event)
    before = snapshot(current)
    if current.version != expected_version:
        raise stale_edit(user, current, changes)
    merged = {name: getattr(current, name) for name in model.EDITABLE_FIELDS}
    data = clean(current, {**merged, **changes})
    for name in changes:
        setattr(current, name, data[name])
    if snapshot(current) == before:
        return current  # saved unchanged: no new version, no audit event
    current.version += 1
    current.save()
    after = snapshot(current)
    changed = {k for k in after if after[k] != before.get(k)}
    record_event(user, verb, current, before={k: before[k] for k in changed}, after={k: after[k] for k in changed})
    return current


@transaction.atomic
def update_involvement(
    user, involvement: Involvement, *, expected_version: int, changes: dict[str, Any]
) -> Involvement:
    """Change the unit, degree, perpetrator or notes of an involvement (optimistic version check)."""
    return _update_child(
        user,
        Involvement,
        involvement,
        expected_version=expected_version,
        changes=changes,
        clean=lambda current, merged: _clean_involvement_fields(user, merged, current),
        verb="involvement.update",
    )


def delete_involvement(user, involvement: Involvement) -> None:
    """Move an involvement to the trash (reviewers); the act's statistics no longer count it until restored."""
    soft_delete(user, involvement)


def _clean_intervention_fields(
    user, event: Event, fields: dict[str, Any], current: Intervention | None = None
) -> dict[str, Any]:
    kind = _choice(
        fields.get("intervention_type"), InterventionType, "intervention_type", _("Choose an intervention type.")
    )
    outcome = _choice(fields.get("outcome") or Outcome.PENDING, Outcome, "outcome", _("Unknown outcome."))
    day = _date(fields.get("date"), "date")
    precision = fields.get("date_precision") or DatePrecision.DAY
    _choice(precision, DatePrecision, "date_precision", _("Unknown date precision."))
    # An intervention reacts to the event, so it cannot end before the event begins.
    if date_bounds(day, precision)[1] < event.span()[0]:
        raise InvalidInput(_("The intervention is dated before the event began."), field="date")
    outcome_date = _date(fields.get("outcome_date"), "outcome_date", required=False)
    if outcome_date and outcome_date < date_bounds(day, precision)[0]:
        raise InvalidInput(_("The outcome date is before the intervention."), field="outcome_date")
    by = str(fields.get("by") or "").strip()
    if not by:
        raise InvalidInput(_("Say who acted."), field="by")
    act = None
    if fields.get("act") not in (None, ""):
        act_pk = getattr(fields["act"], "pk", fields["act"])
        act = event.acts.filter(pk=act_pk).first() if str(act_pk).isdigit() else None
        if act is None:
            raise InvalidInput(_("That act does not belong to this event."), field="act")
    victim = _kept_or_visible(user, fields, "victim", current, _visible_person)
    if victim is None and act is not None:
        victim = act.victim
    return {
        "act": act,
        "victim": victim,
        "intervention_type": kind,
        "date": day,
        "date_precision": precision,
        "by": by[:200],
        "addressee": str(fields.get("addressee") or "")[:200],
        "outcome": outcome,
        "outcome_date": outcome_date,
        "outcome_note": str(fields.get("outcome_note") or ""),
    }


@transaction.atomic
def add_intervention(user, event: Event, **fields: Any) -> Intervention:
    """Record a complaint, ruling, appeal, UN communication… about an event (optionally one act or victim)."""
    event = get_visible(user, Event, event.pk)
    _require_event_write(user, event)
    intervention = Intervention.objects.create(event=event, **_clean_intervention_fields(user, event, fields))
    record_event(user, "intervention.create", intervention, after=snapshot(intervention))
    return intervention


@transaction.atomic
def update_intervention(
    user, intervention: Intervention, *, expected_version: int, changes: dict[str, Any]
) -> Intervention:
    """Change an intervention (type, dates, who acted, outcome…) if nobody saved it since `expected_version`."""
    return _update_child(
        user,
        Intervention,
        intervention,
        expected_version=expected_version,
        changes=changes,
        clean=lambda current, merged: _clean_intervention_fields(user, current.event, merged, current),
        verb="intervention.update",
    )


def delete_intervention(user, intervention: Intervention) -> None:
    """Move an intervention to the trash (reviewers can restore it)."""
    soft_delete(user, intervention)


@transaction.atomic
def link_events(user, from_event: Event, to_event: Event, link_type: str = LinkType.RELATED) -> EventLink:
    """Chain two events the user may see; the user must be able to edit the first."""
    from_event = get_visible(user, Event, from_event.pk)
    to_event = get_visible(user, Event, to_event.pk)
    _require_event_write(user, from_event)
    _choice(link_type, LinkType, "link_type", _("Unknown relation."))
    if from_event.pk == to_event.pk:
        raise InvalidInput(_("An event cannot be linked to itself."), field="to_event")
    if EventLink.objects.filter(from_event=from_event, to_event=to_event).exists():
        raise InvalidInput(_("These events are already linked."), field="to_event")
    link = EventLink.objects.create(from_event=from_event, to_event=to_event, link_type=link_type)
    record_event(user, "eventlink.create", link, after={"to_event": to_event.pk, "link_type": link_type})
    return link


@transaction.atomic
def create_group(user, organisation: Organisation | int, **fields: Any) -> Group:
    if not str(fields.get("name", "")).strip():
        raise InvalidInput(_("A name is required."), field="name")
    return create_record(user, Group, organisation=organisation, verb="group.create", **fields)


# --- Victims: duplicates and consent -------------------------------------------------------------------------


class PossibleDuplicate(InvalidInput):
    """A new person looks like one already recorded: the user chooses, nothing is merged silently."""

    def __init__(self, message: str, candidates: list[Person]):
        super().__init__(message, field="pseudonym")
        self.candidates = candidates


@transaction.atomic
def create_victim(
    user,
    organisation: Organisation | int,
    *,
    confirm_new: bool = False,
    age_group: str = AgeGroup.UNKNOWN,
    consent: str = Consent.NONE,
    consent_date: datetime.date | None = None,
    consent_note: str = "",
    **person_fields: Any,
) -> Person:
    """Create a person with an incident profile. A possible duplicate stops it unless `confirm_new`."""
    from .queries import possible_duplicates

    org_id = organisation if isinstance(organisation, int) else organisation.pk
    _choice(age_group, AgeGroup, "age_group", _("Unknown age group."))
    _choice(consent, Consent, "consent", _("Unknown consent level."))
    if not confirm_new:
        candidates = possible_duplicates(
            user,
            org_id,
            pseudonym=person_fields.get("pseudonym", ""),
            real_name=person_fields.get("real_name", ""),
            birth_date=person_fields.get("birth_date"),
        )
        if candidates:
            raise PossibleDuplicate(
                _("This person may already be recorded. Open the existing record, or confirm this is someone else."),
                candidates,
            )
    person = create_person(user, org_id, **person_fields)
    profile = PersonProfile.objects.create(
        person=person, age_group=age_group, consent=consent, consent_date=consent_date, consent_note=consent_note
    )
    record_event(user, "personprofile.set", profile, after=snapshot(profile, _PROFILE_FIELDS))
    return person


_PROFILE_FIELDS = ("age_group", "consent", "consent_date", "consent_note")


@transaction.atomic
def set_profile(user, person: Person, **fields: Any) -> PersonProfile:
    """Record age group and consent for use. Lowering consent is allowed; it never raises a publication."""
    person = get_visible(user, Person, person.pk)
    require_write(user, person.organisation_id, visibility.WRITE_ROLES, person.confidentiality)
    profile, created = PersonProfile.objects.select_for_update().get_or_create(person=person)
    before = snapshot(profile, _PROFILE_FIELDS)
    if "age_group" in fields:
        profile.age_group = _choice(fields["age_group"], AgeGroup, "age_group", _("Unknown age group."))
    if "consent" in fields:
        profile.consent = _choice(fields["consent"], Consent, "consent", _("Unknown consent level."))
        if CONSENT_RANK[profile.consent] >= CONSENT_RANK[Consent.ANONYMISED] and not fields.get("consent_date"):
            raise InvalidInput(_("Give the date consent for publication was given."), field="consent_date")
    if "consent_date" in fields:
        profile.consent_date = _date(fields["consent_date"], "consent_date", required=False)
    if "consent_note" in fields:
        profile.consent_note = str(fields["consent_note"] or "")[:300]
    after = snapshot(profile, _PROFILE_FIELDS)
    changed = {k for k in after if after[k] != before.get(k)}
    if not changed and not created:
        return profile  # saved unchanged: nothing to write or audit
    profile.save()
    record_event(
        user, "personprofile.set", profile, before={k: before[k] for k in changed}, after={k: after[k] for k in changed}
    )
    return profile


def cite(user, record: Event | Act, passage_id: Any, *, quote: str = "", note: str = ""):
    """Cite an evidence passage from an event (or an act's event)."""
    from rightstrack.evidence.actions import cite as evidence_cite
    from rightstrack.evidence.models import Passage

    event = record.event if isinstance(record, Act) else record
    passage = get_visible(user, Passage, passage_id)
    _require_event_write(user, event)
    return evidence_cite(user, event, passage, quote=quote, note=note)


# --- One-screen entry: an event with its victims and acts ---------------------------------------------------


def _at(exc: DomainError, prefix: str) -> DomainError:
    """The same refusal, located at the form row it came from (`victims-1-consent`, `acts-0-date`)."""
    exc.field = f"{prefix}-{exc.field}" if exc.field else prefix
    return exc


@transaction.atomic
def record_incident(
    user,
    organisation: Organisation | int,
    *,
    event: dict[str, Any],
    victims: list[dict[str, Any]],
    acts: list[dict[str, Any]],
) -> Event:
    """Record an event with its victims (new or existing persons, with consent) and acts in one transaction.

    Each act names its victim by position in `victims` (`victim_row`) or by an existing person (`victim`), and may
    carry a `perpetrator` ({unit, degree, perpetrator_group}). Any refusal undoes everything and is located at its
    row (`event-…`, `victims-N-…`, `acts-N-…`), so the form can show it beside the field.
    """
    try:
        created = create_event(user, organisation, **event)
    except DomainError as exc:
        raise _at(exc, "event")
    org_id = created.organisation_id
    persons: list[Person] = []
    for n, fields in enumerate(victims):
        fields = dict(fields)
        existing = fields.pop("existing", None)
        try:
            if existing:
                persons.append(_visible_person(user, existing, "existing"))
            else:
                persons.append(create_victim(user, org_id, **fields))
        except DomainError as exc:
            raise _at(exc, f"victims-{n}")
    for n, fields in enumerate(acts):
        fields = dict(fields)
        row = fields.pop("victim_row", None)
        perpetrator = fields.pop("perpetrator", None)
        try:
            if row is not None:
                if not 0 <= int(row) < len(persons):
                    raise InvalidInput(_("Choose one of the victims listed above."), field="victim_row")
                fields["victim"] = persons[int(row)]
            act = add_act(user, created, **fields)
            if perpetrator:
                add_involvement(user, act, **perpetrator)
        except DomainError as exc:
            raise _at(exc, f"acts-{n}")
    record_event(
        user,
        "incident.record",
        created,
        after={"victims": [p.pk for p in persons], "acts": created.acts.count()},
    )
    return created


@transaction.atomic
def add_act_for_new_victim(user, event: Event, *, victim: dict[str, Any], **fields: Any) -> Act:
    """Add an act whose victim is recorded at the same moment (the act form's "new victim" fields).

    The new person is restricted when the user handles restricted records in the event's organisation, else internal.
    """
    event = get_visible(user, Event, event.pk)
    _require_event_write(user, event)
    restricted = event.organisation_id in visibility.org_ids(user, restricted=True)
    victim = {"confidentiality": Confidentiality.RESTRICTED if restricted else Confidentiality.INTERNAL, **victim}
    try:
        person = create_victim(user, event.organisation_id, **victim)
    except DomainError as exc:
        raise _at(exc, "new_victim")
    return add_act(user, event, **{**fields, "victim": person})
