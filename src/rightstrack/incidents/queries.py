"""Every read of the incidents app, always through `core.visibility`: lists, case files, statistics,
the HRD threat index, duplicate suggestions and the consent rules other apps (reports, portal) call.
"""

from __future__ import annotations

import calendar
import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property, partial
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldError
from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from rightstrack.core import visibility
from rightstrack.core.models import Person, Place, name_key

from .models import (
    CONSENT_RANK,
    Act,
    ActType,
    AgeGroup,
    Consent,
    Event,
    EventLink,
    Group,
    Intervention,
    Involvement,
    PerpetratorUnit,
)

# --- Consent: the rule publication paths call --------------------------------------------------------------


def publishable_persons(user, persons: QuerySet[Person] | Iterable[Person] | None = None, *, named: bool = False):
    """Persons the user may see whose recorded consent allows publication.

    `named=False`: anonymised publication (pseudonym, no identifying details) or more; `named=True`: only
    those who agreed to be named. A person with no recorded consent is never publishable. Reports and the
    public portal call this before printing anyone.
    """
    levels = [Consent.NAMED] if named else [Consent.ANONYMISED, Consent.NAMED]
    if persons is None:
        qs = visibility.visible(user, Person)
    elif isinstance(persons, QuerySet):
        qs = visibility.visible(user, persons)
    else:
        qs = visibility.visible(user, Person).filter(pk__in=[p.pk for p in persons])
    return qs.filter(incident_profile__consent__in=levels)


def persons_lacking_consent(persons: Iterable[Person], level: str = Consent.ANONYMISED) -> list[Person]:
    """The persons among `persons` whose consent is below `level` (no profile counts as no consent)."""
    persons = list(persons)
    from .models import PersonProfile

    consent = dict(PersonProfile.objects.filter(person__in=persons).values_list("person_id", "consent"))
    need = CONSENT_RANK[level]
    return [p for p in persons if CONSENT_RANK.get(consent.get(p.pk, Consent.NONE), 0) < need]


# --- Lists ------------------------------------------------------------------------------------------------


def events_for(user, query: str = "") -> QuerySet[Event]:
    events = visibility.visible(user, Event).select_related("place").annotate(act_count=Count("acts"))
    if query:
        events = events.filter(Q(title__icontains=query) | Q(context__icontains=query))
    return events.order_by("-start_date", "-pk")


def groups_for(user) -> QuerySet[Group]:
    return visibility.visible(user, Group).order_by("name")


VICTIM_ROLES = {"hrd": "is_hrd", "lawyer": "is_lawyer", "journalist": "is_journalist", "activist": "is_activist"}


def victims_for(
    user,
    *,
    query: str = "",
    roles: Iterable[str] = (),
    sex: str = "",
    age_group: str = "",
    consent: str = "",
    region: Place | int | None = None,
) -> QuerySet[Person]:
    """Visible persons with an incident profile or who are the victim of an act the user can see, with the
    number of those acts. Every filter and count goes through visibility, so hidden persons and acts change
    nothing; the search reads real names only where the user has restricted access."""
    acts = visibility.visible(user, Act)
    people = visibility.visible(user, Person).filter(
        Q(incident_profile__isnull=False) | Q(pk__in=acts.filter(victim__isnull=False).values("victim_id"))
    )
    people = visibility.person_search(user, people, query)
    wanted = [VICTIM_ROLES[r] for r in roles if r in VICTIM_ROLES]
    if wanted:
        any_role = Q()
        for name in wanted:
            any_role |= Q(**{name: True})
        people = people.filter(any_role)
    if sex:
        people = people.filter(sex=sex)
    # No profile reads as the defaults: unknown age group, no consent.
    for name, value, default in (("age_group", age_group, AgeGroup.UNKNOWN), ("consent", consent, Consent.NONE)):
        if value:
            match = Q(**{f"incident_profile__{name}": value})
            if value == default:
                match |= Q(incident_profile__isnull=True)
            people = people.filter(match)
    if region:
        people = people.filter(pk__in=acts.filter(stat_place=region).values("victim_id"))
    seen_acts = visibility.visibility_q(user, Act, prefix="incident_acts__")
    return (
        people.select_related("incident_profile")
        .annotate(act_count=Count("incident_acts", filter=seen_acts))
        .order_by("pseudonym", "pk")
    )


def visible_person_ids(user, ids: Iterable[int | None]) -> set[int]:
    """Which of these person ids the user may see (for showing a pseudonym or 'a person you cannot see')."""
    wanted = {i for i in ids if i}
    if not wanted:
        return set()
    return set(visibility.visible(user, Person).filter(pk__in=wanted).values_list("pk", flat=True))


def visible_group_ids(user, ids: Iterable[int | None]) -> set[int]:
    wanted = {i for i in ids if i}
    if not wanted:
        return set()
    return set(visibility.visible(user, Group).filter(pk__in=wanted).values_list("pk", flat=True))


def possible_duplicates(
    user, org_id: int, *, pseudonym: str = "", real_name: str = "", birth_date: datetime.date | None = None
) -> list[Person]:
    """Persons of the organisation that may be the same as a new one: same pseudonym, same real name, or the
    same birth date with a name in common. Only persons the user may see, and real names and birth dates are
    compared only where the user has restricted access (otherwise the check would reveal them)."""
    people = visibility.visible(user, Person).filter(organisation_id=org_id)
    # Names are compared through their stored keys (core.models.name_key): case-insensitive for Cyrillic and
    # Kazakh letters on SQLite too, where LIKE and lower() fold only ASCII.
    pseudonym_key, real_name_key = name_key(pseudonym), name_key(real_name)
    q = Q(pseudonym_key=pseudonym_key) if pseudonym_key else Q(pk__in=[])
    identifying = org_id in visibility.org_ids(user, restricted=True)
    if identifying and real_name_key:
        q |= Q(real_name_key=real_name_key)
    if identifying and birth_date:
        q |= Q(birth_date=birth_date)
    found = []
    tokens = set(real_name_key.split()) if identifying else set()
    for person in people.filter(q).order_by("pseudonym")[:20]:
        same_name = pseudonym_key and person.pseudonym_key == pseudonym_key
        same_real = identifying and real_name_key and person.real_name_key == real_name_key
        shares = (
            identifying
            and birth_date
            and person.birth_date == birth_date
            and (not tokens or not person.real_name_key or tokens & set(person.real_name_key.split()))
        )
        if same_name or same_real or shares:
            found.append(person)
    return found


# --- Case files ------------------------------------------------------------------------------------------------


@dataclass
class TimelineEntry:
    date: datetime.date | None
    date_display: str
    kind: str  # "act" | "intervention"
    record: Any


@dataclass
class CaseFile:
    title: str
    acts: list[Act]
    interventions: list[Intervention]
    timeline: list[TimelineEntry]
    events: list[Event] = field(default_factory=list)
    links: list[dict] = field(default_factory=list)
    citations: list[Any] = field(default_factory=list)
    related: list[dict] = field(default_factory=list)
    person_ids: set[int] = field(default_factory=set)
    group_ids: set[int] = field(default_factory=set)


def _acts_qs(user) -> QuerySet[Act]:
    return (
        visibility.visible(user, Act)
        .select_related("event", "victim", "victim_group", "place", "event__place")
        .prefetch_related("involvements__perpetrator", "involvements__perpetrator_group")
    )


def _interventions_qs(user) -> QuerySet[Intervention]:
    return visibility.visible(user, Intervention).select_related("event", "act", "victim")


def _timeline(acts: list[Act], interventions: list[Intervention]) -> list[TimelineEntry]:
    entries = [TimelineEntry(a.date or a.event.start_date, a.date_display, "act", a) for a in acts]
    entries += [TimelineEntry(i.date, i.date_display, "intervention", i) for i in interventions]
    return sorted(entries, key=lambda e: (e.date or datetime.date.min, e.kind != "act", e.record.pk))


def _mark_visibility(user, case: CaseFile) -> None:
    persons = [a.victim_id for a in case.acts] + [i.victim_id for i in case.interventions]
    groups = [a.victim_group_id for a in case.acts]
    for act in case.acts:
        for inv in act.involvements.all():
            persons.append(inv.perpetrator_id)
            groups.append(inv.perpetrator_group_id)
    case.person_ids = visible_person_ids(user, persons)
    case.group_ids = visible_group_ids(user, groups)


def citations_for(user, event: Event) -> list[Any]:
    """Evidence passages the event cites, limited to passages the user may see."""
    from rightstrack.evidence.models import Citation, Passage

    citations = Citation.objects.filter(
        content_type=ContentType.objects.get_for_model(Event), object_id=event.pk
    ).select_related("passage__document")
    seen = set(
        visibility.visible(user, Passage).filter(pk__in=[c.passage_id for c in citations]).values_list("pk", flat=True)
    )
    return [c for c in citations if c.passage_id in seen]


def related_records(user, persons: Iterable[Person]) -> list[dict]:
    """Trial and recommendation records that name these persons, if those apps have such records.

    The apps are looked up lazily: any of their models with a foreign key (or many-to-many) to Person is
    searched through the visibility filter; a model that cannot be filtered that way is skipped.
    """
    ids = [p.pk for p in persons]
    if not ids:
        return []
    out = []
    for label in ("trials", "recommendations"):
        try:
            config = apps.get_app_config(label)
        except LookupError:
            continue
        for model in config.get_models():
            for f in model._meta.get_fields():
                if not (f.is_relation and f.concrete and f.related_model is Person):
                    continue
                try:
                    rows = list(visibility.visible(user, model).filter(**{f"{f.name}__in": ids}).distinct()[:20])
                except (FieldError, AttributeError, TypeError, ValueError):
                    continue
                for row in rows:
                    url = row.get_absolute_url() if hasattr(row, "get_absolute_url") else ""
                    out.append({"app": label, "kind": model._meta.verbose_name, "record": row, "url": url})
    return out


def event_case_file(user, event: Event) -> CaseFile:
    acts = list(_acts_qs(user).filter(event=event))
    interventions = list(_interventions_qs(user).filter(event=event))
    case = CaseFile(title=event.title, acts=acts, interventions=interventions, timeline=_timeline(acts, interventions))
    case.events = [event]
    visible_events = visibility.visible(user, Event)
    for link in EventLink.objects.filter(from_event=event, to_event__in=visible_events).select_related("to_event"):
        case.links.append({"direction": "out", "link": link, "event": link.to_event})
    for link in EventLink.objects.filter(to_event=event, from_event__in=visible_events).select_related("from_event"):
        case.links.append({"direction": "in", "link": link, "event": link.from_event})
    case.citations = citations_for(user, event)
    _mark_visibility(user, case)
    victims = Person.objects.filter(pk__in=case.person_ids & {a.victim_id for a in acts})
    case.related = related_records(user, victims)
    return case


def person_case_file(user, person: Person) -> CaseFile:
    acts = list(_acts_qs(user).filter(victim=person))
    interventions = list(_interventions_qs(user).filter(Q(victim=person) | Q(act__victim=person)).distinct())
    case = CaseFile(
        title=person.pseudonym, acts=acts, interventions=interventions, timeline=_timeline(acts, interventions)
    )
    seen: dict[int, Event] = {}
    for record in [*acts, *interventions]:
        seen.setdefault(record.event_id, record.event)
    case.events = sorted(seen.values(), key=lambda e: e.start_date)
    for event in case.events:
        case.citations += citations_for(user, event)
    _mark_visibility(user, case)
    case.related = related_records(user, [person])
    return case


# --- Statistics ---------------------------------------------------------------------------------------------


@dataclass
class StatFilters:
    """The filters shared by the statistics page and its drill-down list (all optional)."""

    act_type: str = ""
    region: str = ""  # a Place id, or "none" for acts without a place
    year: int | None = None
    month: int | None = None
    unit: str = ""  # a PerpetratorUnit, or "none" for acts without a recorded perpetrator
    since: datetime.date | None = None
    until: datetime.date | None = None
    defenders: bool = False
    event: int | None = None

    def query(self, **override: Any) -> str:
        """The query string of these filters (with overrides), for drill-down links."""
        from urllib.parse import urlencode

        values = {**self.__dict__, **override}
        params = {k: ("1" if v is True else v) for k, v in values.items() if v not in ("", None, False)}
        for key in ("since", "until"):
            if key in params and isinstance(params[key], datetime.date):
                params[key] = params[key].isoformat()
        return urlencode(params)


def defender_q(prefix: str = "victim__") -> Q:
    """Defenders in the broad sense of the UN Declaration: human-rights defenders, lawyers and journalists."""
    return Q(**{f"{prefix}is_hrd": True}) | Q(**{f"{prefix}is_lawyer": True}) | Q(**{f"{prefix}is_journalist": True})


def _through_visible_events(user, model: type[Act] | type[Involvement]) -> QuerySet:
    """Rows of `model` (acts, involvements) whose event the user may see: the rows of
    `visibility.visible(user, model)`, since these models take their visibility from their event."""
    qs = model._default_manager.all()
    if hasattr(model, "deleted_at"):
        qs = qs.filter(deleted_at__isnull=True)
    # A membership test on the visible events instead of visible()'s join: the database then reads the
    # statistics indexes in GROUP BY order and looks each row's event up in the list of visible events, instead
    # of walking the events and sorting every act (less than half the work at 200,000 acts on SQLite, see
    # bench/incidents_stats.py). `+ 0` keeps SQLite from choosing the event_id index, which brings the sort back.
    return qs.alias(event_key=F("event_id") + 0).filter(event_key__in=visibility.visible(user, Event).values("pk"))


def visible_defenders(user) -> QuerySet[Person]:
    """Defenders the user may see: a hidden person's flags are never revealed, so only these count as defenders."""
    return visibility.visible(user, Person).filter(defender_q(prefix=""))


def acts_for(user, filters: StatFilters | None = None) -> QuerySet[Act]:
    """Visible acts matching the filters. Year, month and place are the act's, else its event's (kept in the
    statistics columns of Act, so filters and groupings use plain indexed columns)."""
    f = filters or StatFilters()
    qs = _through_visible_events(user, Act)
    if f.act_type:
        qs = qs.filter(act_type=f.act_type)
    if f.region == "none":
        qs = qs.filter(stat_place__isnull=True)
    elif f.region:
        qs = qs.filter(stat_place=f.region)
    if f.year:
        qs = qs.filter(stat_year=f.year)
    if f.month:
        qs = qs.filter(stat_month=f.month)
    if f.since or f.until:
        qs = qs.annotate(eff_date=Coalesce("date", "event__start_date"))
        if f.since:
            qs = qs.filter(eff_date__gte=f.since)
        if f.until:
            qs = qs.filter(eff_date__lte=f.until)
    if f.unit == "none":
        qs = qs.filter(has_perpetrator=False)
    elif f.unit:
        qs = qs.filter(pk__in=Involvement.objects.filter(unit=f.unit).values("act_id"))
    if f.defenders:
        qs = qs.filter(victim__in=visible_defenders(user))
    if f.event:
        qs = qs.filter(event_id=f.event)
    return qs


@dataclass
class Period:
    key: str  # "2022" or "2022-03"
    label: str
    first: datetime.date
    last: datetime.date
    count: int
    covered_days: int
    total_days: int
    year: int
    month: int | None = None

    @property
    def partial(self) -> bool:
        return self.covered_days < self.total_days

    @property
    def annualised(self) -> float | None:
        """The count scaled to a full period, for partial periods only (None otherwise, so it is never mixed)."""
        if not self.partial or self.covered_days <= 0:
            return None
        return round(self.count * self.total_days / self.covered_days, 1)

    @property
    def covered_months(self) -> float:
        return round(self.covered_days / (self.total_days / (12 if self.month is None else 1)), 1)


def _period(year: int, month: int | None, count: int, since: datetime.date | None, until: datetime.date) -> Period:
    if month is None:
        first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        key = label = str(year)
    else:
        first = datetime.date(year, month, 1)
        last = datetime.date(year, month, calendar.monthrange(year, month)[1])
        key = label = f"{year}-{month:02d}"
    lo = max(first, since) if since else first
    hi = min(last, until)
    covered = max(0, (hi - lo).days + 1)
    return Period(key, label, first, last, count, covered, (last - first).days + 1, year, month)


def periods(
    counts: dict[tuple[int, int | None], int],
    since: datetime.date | None,
    until: datetime.date,
    *,
    monthly: bool = False,
    fill_from: int | None = None,
) -> list[Period]:
    """Periods with their counts and how much of each the documentation range covers (partial ones flagged)."""
    keys = set(counts)
    if keys or fill_from:
        first_year = since.year if since else min([k[0] for k in keys] + ([fill_from] if fill_from else []))
        last_year = until.year
        if monthly:
            year = fill_from or first_year
            keys |= {(year, m) for m in range(1, 13)}
        else:
            keys |= {(y, None) for y in range(first_year, last_year + 1)}
    out = [_period(y, m, counts.get((y, m), 0), since, until) for y, m in sorted(keys, key=lambda k: (k[0], k[1] or 0))]
    return [p for p in out if p.covered_days > 0]


@dataclass
class Breakdown:
    key: str
    title: str
    rows: list[dict]  # {"label", "count", "query"}

    @property
    def total(self) -> int:
        return sum(r["count"] for r in self.rows)


@dataclass
class Statistics:
    total: int
    by_type: Breakdown
    by_region: Breakdown
    by_period: Breakdown
    by_unit: Breakdown
    periods: list[Period]
    since: datetime.date | None
    until: datetime.date
    threat_of: Callable[[], list[Period]] = field(repr=False)

    @cached_property
    def threat(self) -> list[Period]:
        """The HRD threat index for the same filters: counted by the breakdowns' scan, or, when the filters pick
        a year or month, by `threat_index` on first use (so callers that do not show it do not pay for it)."""
        return self.threat_of()


def _region_label(place_id: int | None, places: dict[int, Place]) -> str:
    if place_id is None:
        return _("Place not recorded")
    place = places.get(place_id)
    if place is None:
        return "?"
    if place.kind == Place.Kind.COUNTRY:
        return _("%(country)s (no region recorded)") % {"country": place}
    return str(place)


def statistics(user, filters: StatFilters | None = None, *, today: datetime.date | None = None) -> Statistics:
    """Acts by type, region, period and perpetrator unit, and the HRD threat index, counted in the database
    (two grouped queries; a third for the threat index when the filters pick a year or month)."""
    f = filters or StatFilters()
    until = f.until or today or datetime.date.today()
    acts = acts_for(user, f)
    monthly = f.year is not None
    # One GROUP BY over (type, place, period, has perpetrator) gives three breakdowns and the acts without a
    # recorded perpetrator; Python only adds up the few hundred groups. Its columns lead the `act_stats` index,
    # so the groups come out of the index in order (no sort).
    columns = ["act_type", "stat_place", "stat_year", "has_perpetrator"] + (["stat_month"] if monthly else [])
    counts: dict[str, Count] = {"n": Count("pk")}
    # The threat index spans every year: the same scan counts it, unless the filters pick a year or month.
    index_here = f.year is None and f.month is None
    if index_here:
        counts["defenders"] = Count("pk", filter=Q(victim__in=visible_defenders(user)))
    by_type: dict[str, int] = defaultdict(int)
    by_place: dict[int | None, int] = defaultdict(int)
    by_period: dict[tuple[int, int | None], int] = defaultdict(int)
    by_unit: dict[str | None, int] = defaultdict(int)
    threat: dict[tuple[int, None], int] = defaultdict(int)
    for row in acts.values(*columns).annotate(**counts).order_by():
        by_type[row["act_type"]] += row["n"]
        by_place[row["stat_place"]] += row["n"]
        if row["stat_year"] is not None:
            by_period[(row["stat_year"], row["stat_month"] if monthly else None)] += row["n"]
            if index_here and row["defenders"]:  # years without such acts are left to `periods`, as in threat_index
                threat[(row["stat_year"], None)] += row["defenders"]
        if not row["has_perpetrator"]:
            by_unit[None] += row["n"]
    total = sum(by_type.values())
    # Acts can have several perpetrators: count distinct acts per unit, over the involvements of these acts.
    involvements = _through_visible_events(user, Involvement)
    if f != StatFilters():
        involvements = involvements.filter(act__in=acts.values("pk"))
    for row in involvements.filter(first_of_unit=True).values("unit").annotate(n=Count("pk")).order_by():
        by_unit[row["unit"]] += row["n"]

    labels = dict(ActType.choices)
    type_rows = [
        {"label": str(labels.get(k, k)), "count": n, "query": f.query(act_type=k)}
        for k, n in sorted(by_type.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    places = Place.objects.in_bulk([k for k in by_place if k])
    region_rows = [
        {"label": _region_label(k, places), "count": n, "query": f.query(region=k if k else "none")}
        for k, n in sorted(by_place.items(), key=lambda kv: (-kv[1], str(kv[0])))
    ]
    plist = periods(by_period, f.since, until, monthly=monthly, fill_from=f.year)
    period_rows = [
        {
            "label": p.label + ("*" if p.partial else ""),
            "count": p.count,
            "query": f.query(year=p.year, month=p.month or "") if monthly else f.query(year=p.year),
            "partial": p.partial,
        }
        for p in plist
    ]
    unit_labels = dict(PerpetratorUnit.choices)
    unit_rows = [
        {
            "label": str(unit_labels.get(k, k)) if k else _("Perpetrator not recorded"),
            "count": n,
            "query": f.query(unit=k or "none"),
        }
        for k, n in sorted(by_unit.items(), key=lambda kv: (-kv[1], str(kv[0])))
    ]
    threat_of = partial(periods, threat, f.since, until) if index_here else partial(threat_index, user, f, today=today)
    return Statistics(
        total=total,
        by_type=Breakdown("type", _("Acts by type"), type_rows),
        by_region=Breakdown("region", _("Acts by region"), region_rows),
        by_period=Breakdown("period", _("Acts by month") if monthly else _("Acts by year"), period_rows),
        by_unit=Breakdown("unit", _("Acts by perpetrator unit"), unit_rows),
        periods=plist,
        since=f.since,
        until=until,
        threat_of=threat_of,
    )


def threat_index(user, filters: StatFilters | None = None, *, today: datetime.date | None = None) -> list[Period]:
    """HRD threat index: acts against defenders per year. Partial years carry both the raw count and an
    annualised figure (never blended into one series)."""
    f = filters or StatFilters()
    until = f.until or today or datetime.date.today()
    base = StatFilters(**{**f.__dict__, "defenders": True, "year": None, "month": None})
    rows = acts_for(user, base).values("stat_year").annotate(n=Count("pk")).order_by()
    counts = {(r["stat_year"], None): r["n"] for r in rows if r["stat_year"] is not None}
    return periods(counts, f.since, until)


def acts_list(user, filters: StatFilters) -> QuerySet[Act]:
    """The records behind a figure (drill-down), newest first."""
    acts = acts_for(user, filters)
    if "eff_date" not in acts.query.annotations:
        acts = acts.annotate(eff_date=Coalesce("date", "event__start_date"))
    return acts.select_related("event", "victim", "place", "event__place").order_by(
        F("eff_date").desc(nulls_last=True), "-pk"
    )
