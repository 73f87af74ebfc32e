"""Every read of the trials app, always through `core.visibility`."""

from __future__ import annotations

import calendar as pycalendar
import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from rightstrack.core import visibility
from rightstrack.core.models import Person

from .models import (
    Answer,
    Assignment,
    Case,
    Court,
    Defendant,
    Hearing,
    Indicator,
    Observation,
    ObservationStatus,
)


def courts(user) -> QuerySet[Court]:
    return visibility.visible(user, Court).select_related("region")


def cases(user) -> QuerySet[Case]:
    return visibility.visible(user, Case).select_related("court")


def search_cases(user, q: str = "", court: Any = None, status: str = "") -> QuerySet[Case]:
    qs = cases(user).annotate(n_hearings=Count("hearings", distinct=True)).order_by("number")
    if q:
        qs = qs.filter(Q(number__icontains=q) | Q(context__icontains=q) | Q(charges__icontains=q))
    if court and str(court).isdigit():
        qs = qs.filter(court_id=int(court))
    if status:
        qs = qs.filter(status=status)
    return qs


def hearings(user) -> QuerySet[Hearing]:
    return visibility.visible(user, Hearing).select_related("case", "case__court")


def defendant_labels(user, defendants: list[Defendant]) -> dict[int, str]:
    """The person's pseudonym where the user may see the person, else "Defendant n"."""
    person_ids = {d.person_id for d in defendants}
    seen = dict(visibility.visible(user, Person).filter(pk__in=person_ids).values_list("pk", "pseudonym"))
    return {d.pk: seen.get(d.person_id) or _("Defendant %d") % d.position for d in defendants}


def label_defendants(user, defendants: list[Defendant]) -> list[Defendant]:
    names = defendant_labels(user, defendants)
    for d in defendants:
        d.label = names[d.pk]
    return defendants


def upcoming_for(user, monitor=None) -> QuerySet[Assignment]:
    """Assignments of `monitor` (the user by default) to hearings from today on, that the user may see."""
    monitor = monitor or user
    if not user.is_authenticated:
        return Assignment.objects.none()
    return (
        visibility.visible(user, Assignment)
        .filter(monitor=monitor, hearing__date__gte=datetime.date.today())
        .select_related("hearing", "case", "case__court")
        .order_by("hearing__date", "hearing__start_time")
    )


def schedule(user) -> QuerySet[Assignment]:
    """Upcoming assignments of every monitor, for coordinators."""
    return (
        visibility.visible(user, Assignment)
        .filter(
            hearing__date__gte=datetime.date.today(),
            case__organisation_id__in=visibility.org_ids(user, roles=visibility.REVIEW_ROLES),
        )
        .select_related("hearing", "case", "case__court", "monitor")
        .order_by("monitor__username", "hearing__date", "hearing__start_time")
    )


def calendar_weeks(user, year: int, month: int) -> list[list[tuple[datetime.date, list[Hearing]]]]:
    """The month as weeks (Monday first) of (day, visible hearings that day).

    Who monitors a hearing is the organisation's own business: `hearing.member` tells whether the user belongs
    to the organisation of the case, and only then are its assignments loaded.
    """
    weeks = pycalendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    member_of = set(visibility.org_ids(user))
    own = Assignment.objects.filter(case__organisation_id__in=member_of).select_related("monitor")
    hearings = (
        visibility.visible(user, Hearing)
        .filter(date__gte=weeks[0][0], date__lte=weeks[-1][-1])
        .select_related("case", "case__court")
        .prefetch_related(Prefetch("assignments", queryset=own, to_attr="own_assignments"))
        .order_by("date", "start_time", "pk")
    )
    by_day: dict[datetime.date, list[Hearing]] = {}
    for hearing in hearings:
        hearing.member = hearing.case.organisation_id in member_of
        by_day.setdefault(hearing.date, []).append(hearing)
    return [[(day, by_day.get(day, [])) for day in week] for week in weeks]


def can_review_any(user) -> bool:
    return bool(visibility.org_ids(user, roles=visibility.REVIEW_ROLES))


def review_queue(user) -> QuerySet[Observation]:
    return (
        visibility.visible(user, Observation)
        .filter(
            status=ObservationStatus.SUBMITTED,
            case__organisation_id__in=visibility.org_ids(user, roles=visibility.REVIEW_ROLES),
        )
        .select_related("hearing", "case", "monitor")
        .order_by("submitted_at")
    )


def my_observations(user) -> QuerySet[Observation]:
    return (
        visibility.visible(user, Observation)
        .filter(monitor=user)
        .select_related("hearing", "case", "case__court")
        .order_by("-hearing__date")
    )


def observation_answers(observation: Observation) -> dict[tuple[int, int | None], Answer]:
    # Only what the form shows: hundreds of rows, so every field skipped counts.
    rows = Answer.objects.filter(observation=observation).only(
        "pk", "indicator_id", "defendant_id", "value", "text", "note", "auto"
    )
    return {(a.indicator_id, a.defendant_id): a for a in rows}


@dataclass
class Disagreement:
    indicator: Indicator
    defendant: str
    values: list[tuple[str, str]]  # (monitor, value)


def disagreements(user, hearing: Hearing) -> list[Disagreement]:
    """Where monitors of the same hearing answered the same question differently (submitted or reviewed)."""
    observations = list(
        visibility.visible(user, Observation)
        .filter(hearing=hearing)
        .exclude(status=ObservationStatus.DRAFT)
        .select_related("monitor")
    )
    if len(observations) < 2:
        return []
    answers = Answer.objects.filter(observation__in=observations).select_related("indicator", "defendant")
    by_unit: dict[tuple[str, int | None], dict[int, Answer]] = {}
    for a in answers:
        by_unit.setdefault((a.indicator.series, a.defendant_id), {})[a.observation_id] = a
    monitors = {o.pk: o.monitor.get_username() for o in observations}
    defendants = label_defendants(user, list(Defendant.objects.filter(case_id=hearing.case_id)))
    names = {d.pk: d.label for d in defendants}
    out = []
    for (_series, defendant_id), given in by_unit.items():
        values = {(a.value or a.text) for a in given.values()}
        if len(values) > 1 or len(given) < len(observations):
            first = next(iter(given.values()))
            # One monitor answered and the other did not: worth a look too, except for free text.
            if len(values) == 1 and first.indicator.type == "text":
                continue
            rows = [
                (monitors[o.pk], (given[o.pk].value or given[o.pk].text) if o.pk in given else "—")
                for o in observations
            ]
            out.append(Disagreement(first.indicator, names.get(defendant_id, "") if defendant_id else "", rows))
    out.sort(key=lambda d: (d.indicator.position, d.defendant))
    return out


def form_groups(observation: Observation, group_code: str | None):
    """The checklist groups, the one shown (None for "all") and its indicators in order."""
    groups = list(observation.checklist.groups.all())
    if not groups:
        return [], None, []
    if group_code == "all":
        return groups, None, list(Indicator.objects.filter(checklist_id=observation.checklist_id).order_by("position"))
    current = next((g for g in groups if g.code == group_code), groups[0])
    indicators = list(Indicator.objects.filter(group=current).order_by("position"))
    return groups, current, indicators


def defendants_present(user, observation: Observation) -> list[Defendant]:
    return label_defendants(user, list(observation.defendants_present.order_by("position")))


def case_defendants(user, case: Case) -> list[Defendant]:
    return label_defendants(user, list(Defendant.objects.filter(case=case).order_by("position")))


def hearing_detail(user, hearing: Hearing) -> dict[str, Any]:
    observations = list(
        visibility.visible(user, Observation).filter(hearing=hearing).select_related("monitor").order_by("created_at")
    )
    return {
        "assignments": list(hearing.assignments.select_related("monitor").order_by("monitor__username")),
        "observations": observations,
    }


def case_hearings(case: Case) -> QuerySet[Hearing]:
    return case.hearings.prefetch_related(
        Prefetch("assignments", queryset=Assignment.objects.select_related("monitor"))
    ).order_by("date", "start_time")
