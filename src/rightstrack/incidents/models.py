"""Incident documentation after HURIDOCS' Events Standard Formats (ESF): events, acts, involvements,
interventions and chains of events. Victims and perpetrators are `core.Person` records (or groups);
incident-only facts about a person (age group, consent) live in `PersonProfile`.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Min
from django.utils.translation import gettext_lazy as _

from rightstrack.core import dates
from rightstrack.core.models import Person, Place, Record, SoftDeletable, Versioned


class DatePrecision(models.TextChoices):
    """How exact a date is (ESF "date type"): the stored date is the first day of the period."""

    DAY = "day", _("Exact day")
    MONTH = "month", _("Month")
    YEAR = "year", _("Year")
    ABOUT = "about", _("About (± 1 month)")


#: How far an "about" date may be from the stored day, in each direction.
ABOUT_SLACK = datetime.timedelta(days=31)


def date_bounds(day: datetime.date | None, precision: str) -> tuple[datetime.date, datetime.date] | None:
    """The earliest and latest day a date with this precision may mean (None for no date)."""
    if day is None:
        return None
    if precision == DatePrecision.MONTH:
        first = day.replace(day=1)
        following = (first + datetime.timedelta(days=32)).replace(day=1)
        return first, following - datetime.timedelta(days=1)
    if precision == DatePrecision.YEAR:
        return datetime.date(day.year, 1, 1), datetime.date(day.year, 12, 31)
    if precision == DatePrecision.ABOUT:
        return day - ABOUT_SLACK, day + ABOUT_SLACK
    return day, day


def format_date(day: datetime.date | None, precision: str) -> str:
    """A date written as precisely as it is known, for data (exports, API): 2022-01-07, 2022-01, 2022, c. 2022-01-07."""
    if day is None:
        return ""
    if precision == DatePrecision.MONTH:
        return day.strftime("%Y-%m")
    if precision == DatePrecision.YEAR:
        return str(day.year)
    if precision == DatePrecision.ABOUT:
        return f"c. {day.isoformat()}"
    return day.isoformat()


def show_date(day: datetime.date | None, precision: str) -> str:
    """The same for people, in their language (core/dates.py): 7 January 2022, January 2022, 2022, c. 7 January 2022."""
    if day is None:
        return ""
    if precision == DatePrecision.MONTH:
        return dates.month(day)
    if precision == DatePrecision.YEAR:
        return str(day.year)
    if precision == DatePrecision.ABOUT:
        return _("c. %(date)s") % {"date": dates.day(day)}
    return dates.day(day)


class ActType(models.TextChoices):
    """Controlled vocabulary of acts (after the HURIDOCS micro-thesaurus, reduced to what coalitions use)."""

    KILLING = "killing", _("Killing")
    DEATH_IN_CUSTODY = "death_in_custody", _("Death in custody")
    TORTURE = "torture", _("Torture")
    ILL_TREATMENT = "ill_treatment", _("Ill-treatment")
    ARBITRARY_DETENTION = "arbitrary_detention", _("Arbitrary detention")
    ENFORCED_DISAPPEARANCE = "enforced_disappearance", _("Enforced disappearance")
    THREAT = "threat", _("Threat or intimidation")
    SURVEILLANCE = "surveillance", _("Surveillance")
    PROSECUTION = "prosecution", _("Prosecution")
    OBSTRUCTION_OF_LAWYER = "obstruction_of_lawyer", _("Obstruction of a lawyer")
    ATTACK_ON_JOURNALIST = "attack_on_journalist", _("Attack on a journalist's work")
    INTERNET_SHUTDOWN = "internet_shutdown", _("Internet shutdown")
    DISPERSAL_OF_ASSEMBLY = "dispersal_of_assembly", _("Dispersal of an assembly")
    OTHER = "other", _("Other")


class PerpetratorUnit(models.TextChoices):
    POLICE = "police", _("Police")
    NATIONAL_SECURITY = "national_security", _("National security")
    PENITENTIARY = "penitentiary", _("Penitentiary service")
    MILITARY = "military", _("Military / national guard")
    PROSECUTOR = "prosecutor", _("Prosecutor's office")
    COURT = "court", _("Court")
    LOCAL_AUTHORITY = "local_authority", _("Local authority")
    TELECOM = "telecom", _("Telecom operator / state regulator")
    NON_STATE = "non_state", _("Non-state actor")
    UNKNOWN = "unknown", _("Unknown")


class Degree(models.TextChoices):
    DIRECT = "direct", _("Direct perpetrator")
    COMMAND = "command", _("Command responsibility")
    COMPLICITY = "complicity", _("Complicity")


class InterventionType(models.TextChoices):
    COMPLAINT = "complaint", _("Complaint")
    CASE_OPENED = "case_opened", _("Criminal case opened")
    CASE_REFUSED = "case_refused", _("Criminal case refused")
    COURT_RULING = "court_ruling", _("Court ruling")
    APPEAL = "appeal", _("Appeal")
    UN_COMMUNICATION = "un_communication", _("UN communication")
    URGENT_APPEAL = "urgent_appeal", _("Urgent appeal")
    STATEMENT = "statement", _("Public statement")
    MEDICAL_EXAMINATION = "medical_examination", _("Medical examination")


class Outcome(models.TextChoices):
    PENDING = "pending", _("Pending")
    SUCCESSFUL = "successful", _("Successful")
    PARTIAL = "partial", _("Partly successful")
    REJECTED = "rejected", _("Rejected")
    NO_RESPONSE = "no_response", _("No response")


class LinkType(models.TextChoices):
    """ESF "chain of events": how one event relates to another."""

    FOLLOWS = "follows", _("Follows from")
    REPRISAL = "reprisal", _("Reprisal for")
    PART_OF = "part_of", _("Part of")
    RELATED = "related", _("Related to")


class Consent(models.TextChoices):
    """What the person agreed to; publication paths read this (see queries.publishable_persons)."""

    NONE = "none", _("No consent recorded")
    INTERNAL = "internal", _("Internal analysis only")
    ANONYMISED = "anonymised", _("Anonymised publication")
    NAMED = "named", _("Publication with name")


CONSENT_RANK = {Consent.NONE: 0, Consent.INTERNAL: 1, Consent.ANONYMISED: 2, Consent.NAMED: 3}


class AgeGroup(models.TextChoices):
    UNKNOWN = "unknown", _("Unknown")
    CHILD = "child", _("Child (under 18)")
    YOUNG = "18-29", _("18–29")
    ADULT = "30-59", _("30–59")
    OLDER = "60+", _("60 and over")


class Group(Record):
    """A group or organisation that is a victim (a newsroom, a village) or a perpetrator (a police unit)."""

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=120, blank=True, help_text=_("e.g. newsroom, NGO, police unit"))
    description = models.TextField(_("description"), blank=True)
    is_synthetic = models.BooleanField(default=False, editable=False)

    EDITABLE_FIELDS = ("name", "kind", "description", "confidentiality")

    class Meta:
        ordering = ["name"]
        verbose_name = _("group")
        verbose_name_plural = _("groups")

    def __str__(self) -> str:
        return self.name


class Event(Record):
    """Something that happened (ESF event): one or more acts at a place over a period."""

    title = models.CharField(_("title"), max_length=300)
    start_date = models.DateField(_("start date"))
    start_precision = models.CharField(
        _("start date precision"), max_length=8, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    end_date = models.DateField(_("end date"), null=True, blank=True, help_text=_("empty: ongoing"))
    end_precision = models.CharField(
        _("end date precision"), max_length=8, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    place = models.ForeignKey(Place, verbose_name=_("place"), null=True, blank=True, on_delete=models.PROTECT)
    description = models.TextField(_("description"), blank=True)
    context = models.CharField(_("context"), max_length=200, blank=True, help_text=_('e.g. "January 2022 events"'))
    external_key = models.CharField(
        _("import key"), max_length=100, blank=True, help_text=_("identifier in an imported spreadsheet")
    )
    is_synthetic = models.BooleanField(default=False, editable=False)

    EDITABLE_FIELDS = (
        "title",
        "start_date",
        "start_precision",
        "end_date",
        "end_precision",
        "place",
        "description",
        "context",
        "confidentiality",
    )

    class Meta:
        ordering = ["-start_date", "-pk"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        indexes = [
            models.Index(fields=["organisation", "confidentiality"]),
            models.Index(fields=["organisation", "external_key"]),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def start_display(self) -> str:
        return show_date(self.start_date, self.start_precision)

    @property
    def end_display(self) -> str:
        return show_date(self.end_date, self.end_precision)

    def span(self) -> tuple[datetime.date, datetime.date | None]:
        """Earliest start and latest end (None: ongoing)."""
        start = date_bounds(self.start_date, self.start_precision)
        end = date_bounds(self.end_date, self.end_precision)
        return start[0], end[1] if end else None


class Act(Versioned):
    """One violation within an event (ESF act): its type, victim, date, place and method."""

    VISIBILITY_VIA = "event"

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="acts")
    act_type = models.CharField(_("act type"), max_length=30, choices=ActType.choices)
    victim = models.ForeignKey(
        Person, verbose_name=_("victim"), null=True, blank=True, on_delete=models.PROTECT, related_name="incident_acts"
    )
    victim_group = models.ForeignKey(
        Group, verbose_name=_("victim group"), null=True, blank=True, on_delete=models.PROTECT, related_name="acts"
    )
    date = models.DateField(_("date"), null=True, blank=True)
    date_precision = models.CharField(
        _("date precision"), max_length=8, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    place = models.ForeignKey(
        Place,
        verbose_name=_("place"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("empty: the event's"),
    )
    method = models.CharField(_("method"), max_length=300, blank=True, help_text=_("e.g. beating, electric shock"))
    description = models.TextField(_("description"), blank=True)
    external_key = models.CharField(_("import key"), max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Statistics columns, kept by `refresh_stats` on every write: the act's year, month and place, or its
    # event's when the act has none. Grouping on plain columns keeps 200,000-act breakdowns fast.
    stat_year = models.PositiveSmallIntegerField(null=True, editable=False)
    stat_month = models.PositiveSmallIntegerField(null=True, editable=False)
    stat_place = models.ForeignKey(Place, null=True, on_delete=models.PROTECT, related_name="+", editable=False)
    has_perpetrator = models.BooleanField(default=False, editable=False)

    EDITABLE_FIELDS = (
        "act_type",
        "victim",
        "victim_group",
        "date",
        "date_precision",
        "place",
        "method",
        "description",
    )

    class Meta:
        ordering = ["date", "pk"]
        verbose_name = _("act")
        verbose_name_plural = _("acts")
        # Statistics group acts by the leading columns: reading this index gives the groups in order (no sort),
        # and it also holds the columns the visibility and defender tests read (no table lookups).
        indexes = [
            models.Index(
                fields=["act_type", "stat_place", "stat_year", "has_perpetrator", "stat_month", "event", "victim"],
                name="act_stats",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_act_type_display()} ({self.date_display or '?'})"

    def refresh_stats(self, event: Event) -> None:
        """Fill the statistics columns from the act, falling back to its event's date and place."""
        day = self.date or event.start_date
        self.stat_year, self.stat_month = day.year, day.month
        self.stat_place_id = self.place_id or event.place_id

    @property
    def date_display(self) -> str:
        return show_date(self.date, self.date_precision)


class LiveManager(models.Manager):
    """Rows not in the trash. As the default manager it keeps soft-deleted rows out of related lists and
    prefetches (`act.involvements`, `event.interventions`) as `visibility.visible` does for queries; the trash
    reads through `_base_manager`."""

    def get_queryset(self) -> models.QuerySet:
        return super().get_queryset().filter(deleted_at__isnull=True)


class Involvement(SoftDeletable, Versioned):
    """Who did an act (ESF involvement): a person, a group or just a unit, with a degree of involvement."""

    VISIBILITY_VIA = "event"

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="involvements")
    act = models.ForeignKey(Act, on_delete=models.CASCADE, related_name="involvements")
    perpetrator = models.ForeignKey(
        Person, verbose_name=_("perpetrator"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    perpetrator_group = models.ForeignKey(
        Group, verbose_name=_("perpetrator group"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    unit = models.CharField(
        _("perpetrator unit"), max_length=20, choices=PerpetratorUnit.choices, default=PerpetratorUnit.UNKNOWN
    )
    degree = models.CharField(_("degree of involvement"), max_length=12, choices=Degree.choices, default=Degree.DIRECT)
    notes = models.CharField(_("notes"), max_length=300, blank=True)
    # True on the first involvement of its unit in the act: statistics count acts per unit with a plain
    # COUNT over these rows instead of a COUNT(DISTINCT act) that sorts every row.
    first_of_unit = models.BooleanField(default=True, editable=False)

    objects = LiveManager()

    EDITABLE_FIELDS = ("unit", "degree", "perpetrator", "perpetrator_group", "notes")

    class Meta:
        ordering = ["pk"]
        verbose_name = _("perpetrator involvement")
        verbose_name_plural = _("perpetrator involvements")
        # Acts per unit: the index gives the units in order and holds every column that count reads.
        indexes = [
            models.Index(fields=["unit", "first_of_unit", "event", "act", "deleted_at"], name="involvement_stats")
        ]

    def __str__(self) -> str:
        return f"{self.get_unit_display()} ({self.get_degree_display()}): {self.act}"

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        # Every write ends here, also a soft delete or a restore from the trash (core saves only `deleted_at`):
        # keep the act's statistics flags true.
        self.first_of_unit = self.pk in refresh_perpetrator_flags(self.act_id)


def refresh_perpetrator_flags(act_id: int) -> set[int]:
    """Recompute `Involvement.first_of_unit` and `Act.has_perpetrator` from the act's live involvements;
    returns the ids of the involvements now first of their unit."""
    firsts = set(
        Involvement.objects.filter(act_id=act_id)
        .order_by()
        .values("unit")
        .annotate(first=Min("pk"))
        .values_list("first", flat=True)
    )
    rows = Involvement._base_manager.filter(act_id=act_id)
    rows.filter(pk__in=firsts).exclude(first_of_unit=True).update(first_of_unit=True)
    rows.exclude(pk__in=firsts).exclude(first_of_unit=False).update(first_of_unit=False)
    Act.objects.filter(pk=act_id).exclude(has_perpetrator=bool(firsts)).update(has_perpetrator=bool(firsts))
    return firsts


class Intervention(SoftDeletable, Versioned):
    """What was done about an event (ESF intervention): complaints, rulings, UN communications…"""

    VISIBILITY_VIA = "event"

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="interventions")
    act = models.ForeignKey(
        Act, verbose_name=_("act"), null=True, blank=True, on_delete=models.SET_NULL, related_name="interventions"
    )
    victim = models.ForeignKey(
        Person, verbose_name=_("on behalf of"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    intervention_type = models.CharField(_("type"), max_length=30, choices=InterventionType.choices)
    date = models.DateField(_("date"))
    date_precision = models.CharField(
        _("date precision"), max_length=8, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    by = models.CharField(_("who acted"), max_length=200, help_text=_("e.g. the victim's lawyer, the coalition"))
    addressee = models.CharField(_("addressed to"), max_length=200, blank=True)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices, default=Outcome.PENDING)
    outcome_date = models.DateField(_("outcome date"), null=True, blank=True)
    outcome_note = models.TextField(_("outcome details"), blank=True)

    objects = LiveManager()

    EDITABLE_FIELDS = (
        "intervention_type",
        "date",
        "date_precision",
        "by",
        "addressee",
        "act",
        "victim",
        "outcome",
        "outcome_date",
        "outcome_note",
    )

    class Meta:
        ordering = ["date", "pk"]
        verbose_name = _("intervention")
        verbose_name_plural = _("interventions")

    def __str__(self) -> str:
        return f"{self.get_intervention_type_display()} ({dates.day(self.date)})"

    @property
    def date_display(self) -> str:
        return show_date(self.date, self.date_precision)


class EventLink(models.Model):
    """A chain of events: `from_event` relates to `to_event` (shown only where both are visible)."""

    VISIBILITY_VIA = "from_event"

    from_event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="links_out")
    to_event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="links_in")
    link_type = models.CharField(_("relation"), max_length=12, choices=LinkType.choices, default=LinkType.RELATED)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["from_event", "to_event"], name="one_link_per_event_pair"),
            models.CheckConstraint(condition=~models.Q(from_event=models.F("to_event")), name="no_self_link"),
        ]

    def __str__(self) -> str:
        return f"{self.from_event_id} → {self.to_event_id}"


class PersonProfile(models.Model):
    """Incident-side facts about a person that core does not hold: age group and consent for use."""

    VISIBILITY_VIA = "person"

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="incident_profile")
    age_group = models.CharField(_("age group"), max_length=8, choices=AgeGroup.choices, default=AgeGroup.UNKNOWN)
    consent = models.CharField(_("consent for use"), max_length=12, choices=Consent.choices, default=Consent.NONE)
    consent_date = models.DateField(_("consent given on"), null=True, blank=True)
    consent_note = models.CharField(_("how consent was given"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("incident profile")

    def __str__(self) -> str:
        return f"{self.person} ({self.consent})"


class ImportBatch(models.Model):
    """An uploaded spreadsheet waiting for confirmation after its preview. Only its uploader sees it."""

    organisation = models.ForeignKey("core.Organisation", on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    filename = models.CharField(max_length=255)
    content = models.BinaryField()
    confidentiality = models.CharField(max_length=12, default="internal")
    applied_at = models.DateTimeField(null=True, blank=True)
    summary = models.JSONField(default=dict)

    def __str__(self) -> str:
        return self.filename
