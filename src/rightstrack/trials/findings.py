"""Findings computed on demand from the answers that count, with GROUP BY in the database.

Rules (from the checklist's design notes): not_observed, not_applicable and missing answers never enter a
denominator, and every figure also gives how many units were excluded. Only reviewed observations count;
when two accepted observations answer the same unit, the later accepted one counts (`Answer.counted`).
Series pool the same question across checklist versions (`Indicator.series`, from the version mapping).
"""

from __future__ import annotations

import datetime
import re
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import CharField, Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Cast, Substr
from django.utils.translation import gettext as _

from rightstrack.core import visibility
from rightstrack.core.errors import InvalidInput

from . import conditions
from .checklists import current_checklist
from .models import MISSING, Answer, AnswerType, Case, Checklist, Court, Hearing, Indicator, Scope

DIMENSIONS = ("court", "city", "case", "period", "charge", "version")
PERIODS = ("month", "quarter", "year")
ALL = "all"


def month_of(field_name: str):
    """`YYYY-MM` of a date column, computed by the database itself (no per-row Python function on SQLite)."""
    return Substr(Cast(field_name, output_field=CharField()), 1, 7)


# Where each breakdown lives, seen from an answer and from a hearing.
ANSWER_DIMS = {
    "court": F("court_id"),
    "city": F("court__city"),
    "case": F("case_id"),
    "period": F("month"),
    "charge": F("case__charge_rows__article"),
    "version": F("indicator__checklist_id"),
}
HEARING_DIMS = {
    "court": F("case__court_id"),
    "city": F("case__court__city"),
    "case": F("case_id"),
    "period": month_of("date"),
    "charge": F("case__charge_rows__article"),
}


@dataclass
class Filters:
    court: int | None = None
    case: int | None = None
    city: str = ""
    charge: str = ""
    since: datetime.date | None = None
    until: datetime.date | None = None
    version: int | None = None
    cases: tuple[int, ...] | None = None  # a report's own selection of cases (e.g. by organisation)

    def apply(self, qs: QuerySet, date_field: str, on_answers: bool = True) -> QuerySet:
        if self.cases is not None:
            qs = qs.filter(case_id__in=self.cases)
        if self.court:
            qs = qs.filter(case__court_id=self.court)
        if self.case:
            qs = qs.filter(case_id=self.case)
        if self.city:
            qs = qs.filter(case__court__city=self.city)
        if self.charge:
            qs = qs.filter(case__charge_rows__article=self.charge)
        if self.since:
            qs = qs.filter(**{f"{date_field}__gte": self.since})
        if self.until:
            qs = qs.filter(**{f"{date_field}__lte": self.until})
        if self.version and on_answers:
            qs = qs.filter(indicator__checklist_id=self.version)
        return qs


@dataclass
class Figure:
    """n of d units, with `excluded` units answered not_observed / not_applicable."""

    n: int = 0
    d: int = 0
    excluded: int = 0
    answered: int = 0
    total: int | None = None  # sum, for numeric questions
    median: float | None = None

    @property
    def percent(self) -> float | None:
        return round(100 * self.n / self.d, 1) if self.d else None

    @property
    def too_few(self) -> bool:
        """Based on fewer observed units than the programme's minimum: shown, but not as a rate to report."""
        return 0 < self.answered < settings.FINDINGS_MIN_OBSERVATIONS

    @property
    def reportable_percent(self) -> float | None:
        """The percentage to print or chart: None when there are too few observations behind it."""
        return None if self.too_few else self.percent

    def add(self, other: Figure) -> None:
        self.n += other.n
        self.d += other.d
        self.excluded += other.excluded
        self.answered += other.answered
        if other.total is not None:
            self.total = (self.total or 0) + other.total


@dataclass
class Finding:
    key: str  # indicator series or derived finding id
    code: str
    label: str
    group: str
    kind: str  # "concern" (has negative answers), "context", "numeric", "choice", "text", "derived", "median"
    unit: str
    negative: list[str] = field(default_factory=list)
    severity: str = ""
    sentence: str = ""
    total: Figure = field(default_factory=Figure)
    by: dict[str, Figure] = field(default_factory=dict)
    choices: dict[str, int] = field(default_factory=dict)  # value → count (choice questions)
    derived: bool = False

    def text(self) -> str:
        """The finding as a sentence, with its denominator and exclusions."""
        f = self.total
        if self.kind == "median":
            if f.median is None:
                return _("%(label)s: no answers yet.") % {"label": self.label}
            return _("%(label)s: %(median)s (over %(d)s %(unit)s).") % {
                "label": self.label,
                "median": f"{f.median:g}",
                "d": f.d,
                "unit": self.unit,
            }
        if self.kind == "numeric":
            return _("%(label)s: %(total)s in total over %(d)s %(unit)s.") % {
                "label": self.label,
                "total": f.total or 0,
                "d": f.d,
                "unit": self.unit,
            }
        if f.too_few and self.kind not in ("median", "numeric"):
            return _(
                "%(label)s: too few to report (%(answered)s %(unit)s observed; at least %(minimum)s are needed). "
                "%(n)s of %(d)s where observed; %(x)s excluded as not observed or not applicable."
            ) % {
                "label": self.label.rstrip("?.: "),
                "answered": f.answered,
                "unit": self.unit,
                "minimum": settings.FINDINGS_MIN_OBSERVATIONS,
                "n": f.n,
                "d": f.d,
                "x": f.excluded,
            }
        if self.sentence and f.d:
            return (
                self.sentence.format(n=f.n, d=f.d)
                + " "
                + _("%(x)s excluded as not observed or not applicable.") % {"x": f.excluded}
            )
        pct = f" ({f.percent:g}%)" if f.percent is not None else ""
        if self.kind == "concern" and not self.derived:
            answer = " / ".join(f"“{_value_label(v)}”" for v in self.negative)
            return _(
                "%(label)s Answer %(answer)s in %(n)s of %(d)s %(unit)s where observed%(pct)s; %(x)s excluded as "
                "not observed or not applicable."
            ) % {
                "label": self.label,
                "answer": answer,
                "n": f.n,
                "d": f.d,
                "unit": self.unit,
                "pct": pct,
                "x": f.excluded,
            }
        return _(
            "%(label)s: %(n)s of %(d)s %(unit)s where observed%(pct)s; %(x)s excluded as not observed or not "
            "applicable."
        ) % {"label": self.label, "n": f.n, "d": f.d, "unit": self.unit, "pct": pct, "x": f.excluded}


def _value_label(value: str) -> str:
    return {"yes": _("yes"), "no": _("no")}.get(value, value.replace("_", " "))


UNIT_LABELS = {
    "hearing": "hearings",
    "defendant_hearing": "defendant-hearings",
    "defendant": "defendants",
    "case": "cases",
    "motion": "motions",
}


def unit_label(unit: str) -> str:
    labels = {
        "hearing": _("hearings"),
        "defendant_hearing": _("defendant-hearings"),
        "defendant": _("defendants"),
        "case": _("cases"),
        "motion": _("motions"),
    }
    return labels.get(unit, unit)


def indicator_unit(indicator: Indicator) -> str:
    if indicator.scope == Scope.HEARING:
        return "hearing"
    if indicator.scope == Scope.CASE:
        return "case"
    return "defendant" if indicator.repeat == "once" else "defendant_hearing"


def fold_period(month: str, period: str) -> str:
    """ "2022-03" → "2022-03", "2022-Q1" or "2022"."""
    if not month or period == "month":
        return month or ""
    if period == "year":
        return month[:4]
    return f"{month[:4]}-Q{(int(month[5:7]) - 1) // 3 + 1}"


def counted_answers(user, filters: Filters | None = None, *, as_list: bool = False) -> QuerySet[Answer]:
    """The answers that count and that the user may see.

    The same rows as `visible(user, Answer)` (answers are visible through their case), written as
    `case_id IN (visible cases)` so the database need not join the case table row by row. With `as_list`
    the visible case ids are read first and inlined, which lets PostgreSQL check them inside an index scan.
    """
    cases = visibility.visible(user, Case).values("pk")
    if as_list:
        cases = list(cases.values_list("pk", flat=True))
    qs = Answer.objects.filter(counted=True, case_id__in=cases)
    return (filters or Filters()).apply(qs, "hearing_date")


# Breakdowns stored on the answer itself; listing them between the indicator and the value makes the
# GROUP BY follow the covering index `trials_answer_findings`.
ANSWER_COLUMNS = {"court": "court_id", "period": "month", "case": "case_id"}


def _grouped_values(qs: QuerySet, breakdown: list[str]) -> list[dict[str, Any]]:
    """Rows of (indicator, breakdown…, value, count), one GROUP BY in the database."""
    columns = [ANSWER_COLUMNS[b] for b in breakdown if b in ANSWER_COLUMNS]
    expressions = {f"k_{b}": ANSWER_DIMS[b] for b in breakdown if b not in ANSWER_COLUMNS}
    grouped = qs.order_by().values("indicator_id", *columns, "value", **expressions).annotate(c=Count("*"))
    if connection.vendor != "postgresql":
        return [_rename(row, breakdown) for row in grouped]
    # PostgreSQL's cost model prefers hashing the text keys of a million rows; walking the covering index
    # in group order (GroupAggregate over an index-only scan) is about twice as fast. Only for this query.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SHOW enable_hashagg")
        previous = cursor.fetchone()[0]
        cursor.execute("SET LOCAL enable_hashagg = off")
        rows = [_rename(row, breakdown) for row in grouped]
        cursor.execute("SELECT set_config('enable_hashagg', %s, true)", [previous])
    return rows


def _rename(row: dict[str, Any], breakdown: list[str]) -> dict[str, Any]:
    for b in breakdown:
        if b in ANSWER_COLUMNS:
            row[f"k_{b}"] = row[ANSWER_COLUMNS[b]]
    return row


def _dims(names: list[str], table: dict[str, Any]) -> dict[str, Any]:
    return {f"k_{name}": table[name] for name in names}


def _key(row: dict[str, Any], names: list[str], period: str) -> str:
    parts = []
    for name in names:
        value = row[f"k_{name}"]
        parts.append(fold_period(value, period) if name == "period" else ("" if value is None else str(value)))
    return "|".join(parts)


def check_breakdown(breakdown: list[str], period: str) -> None:
    if period not in PERIODS:
        raise InvalidInput(_("The period must be month, quarter or year."), field="period")
    if len(breakdown) > 2 or any(b not in DIMENSIONS for b in breakdown) or len(set(breakdown)) != len(breakdown):
        raise InvalidInput(_("Break findings down by up to two of: %s.") % ", ".join(DIMENSIONS), field="breakdown")


def indicator_findings(
    user, *, breakdown: list[str] | tuple[str, ...] = (), period: str = "month", filters: Filters | None = None
) -> list[Finding]:
    """One finding per indicator series, from a single GROUP BY over the answers."""
    breakdown = list(breakdown)
    check_breakdown(breakdown, period)
    rows = _grouped_values(counted_answers(user, filters, as_list=True), breakdown)
    indicators = {i.pk: i for i in Indicator.objects.select_related("group", "checklist")}
    latest: dict[str, Indicator] = {}
    for indicator in sorted(indicators.values(), key=lambda i: (i.checklist.version, i.pk)):
        latest[indicator.series] = indicator
    current = current_checklist()
    order = {i.series: (0, i.position) for i in current.indicators.all()}
    findings: dict[str, Finding] = {}
    for series, indicator in latest.items():
        findings[series] = _blank(indicator)
    for row in rows:
        indicator = indicators[row["indicator_id"]]
        finding = findings[indicator.series]
        figure = _figure(finding, row["value"], row["c"])
        finding.total.add(figure)
        if breakdown:
            key = _key(row, breakdown, period)
            finding.by.setdefault(key, Figure()).add(figure)
        if finding.kind in ("choice", "context") and row["value"] not in MISSING and row["value"]:
            finding.choices[row["value"]] = finding.choices.get(row["value"], 0) + row["c"]
    if "charge" in breakdown:
        # A case with several charges is in several groups, so the total is counted once on its own.
        total_rows = _grouped_values(counted_answers(user, filters, as_list=True), [])
        for finding in findings.values():
            finding.total = Figure()
        for row in total_rows:
            finding = findings[indicators[row["indicator_id"]].series]
            finding.total.add(_figure(finding, row["value"], row["c"]))
    return sorted(findings.values(), key=lambda f: (order.get(f.key, (1, 0)), f.key))


def _blank(indicator: Indicator) -> Finding:
    negative = indicator.negative_values
    if indicator.type in (AnswerType.COUNT, AnswerType.DURATION):
        kind = "numeric"
    elif indicator.type == AnswerType.TEXT:
        kind = "text"
    elif negative:
        kind = "concern"
    else:
        kind = "choice" if indicator.type == AnswerType.CHOICE else "context"
    unit = indicator_unit(indicator)
    return Finding(
        key=indicator.series,
        code=indicator.code,
        label=indicator.question,
        group=indicator.group.title,
        kind=kind,
        unit=unit_label(unit),
        negative=negative or (["yes"] if indicator.type == AnswerType.YES_NO else []),
        severity=indicator.severity,
    )


def _figure(finding: Finding, value: str, count: int) -> Figure:
    figure = Figure()
    if value in MISSING:
        figure.excluded = count
        return figure
    if not value:
        return figure  # text answers and note-only rows are never counted
    figure.answered = count
    if finding.kind == "numeric":
        # A number's value is its digits, so the GROUP BY by value already gives the sum.
        figure.d = count
        figure.total = int(value) * count if value.isdigit() else 0
        return figure
    figure.d = count
    if value in finding.negative:
        figure.n = count
    return figure


# --- Derived findings ------------------------------------------------------------------------------


def _series_map(checklist: Checklist) -> dict[str, str]:
    return dict(checklist.indicators.values_list("code", "series"))


def series_ids(series: str) -> list[int]:
    """Indicator ids of a series in every version (a list, so subqueries need no join to the indicator table)."""
    return list(Indicator.objects.filter(series=series).values_list("pk", flat=True))


def _atom_answers(series: str, values: frozenset[str] | None, **match: Any) -> QuerySet[Answer]:
    qs = Answer.objects.filter(indicator_id__in=series_ids(series), counted=True, **match)
    return qs.filter(value__in=values) if values is not None else qs


def _condition_q(condition: conditions.Condition, series: dict[str, str], base_code: str | None, match) -> Q:
    """A Q selecting units where the condition holds; atoms on other questions become EXISTS subqueries."""
    out = Q(pk__in=[])
    for conjunction in condition:
        part = Q()
        for atom in conjunction:
            values = frozenset(atom.values) - set(MISSING)
            if atom.code == base_code:
                part &= Q(value__in=values)
            else:
                part &= Q(Exists(_atom_answers(series[atom.code], values, **match)))
        out |= part
    return out


def _unit_match(unit: str) -> dict[str, Any]:
    """How a related answer is matched to a unit answer of the given kind (for EXISTS subqueries)."""
    if unit == "defendant_hearing":
        return {"hearing_id": OuterRef("hearing_id"), "defendant_id": OuterRef("defendant_id")}
    if unit == "defendant":
        return {"defendant_id": OuterRef("defendant_id")}
    if unit == "case":
        return {"case_id": OuterRef("case_id")}
    return {"hearing_id": OuterRef("hearing_id")}


def derived_findings(
    user,
    *,
    breakdown: list[str] | tuple[str, ...] = (),
    period: str = "month",
    filters: Filters | None = None,
    checklist: Checklist | None = None,
) -> list[Finding]:
    """The derived findings of the current checklist version (F-CAGE, F-CLOSED, …)."""
    breakdown = list(breakdown)
    check_breakdown(breakdown, period)
    checklist = checklist or current_checklist()
    series = _series_map(checklist)
    out = []
    for spec in checklist.derived:
        try:
            out.append(_derived(user, spec, series, breakdown, period, filters or Filters()))
        except (conditions.ConditionError, KeyError):
            continue  # validated on import; a finding that cannot be read is left out rather than guessed
    return out


def _derived_finding(spec: dict[str, Any], kind: str) -> Finding:
    from .models import localized_lang

    label = spec.get(f"label_{localized_lang()}") or spec["label_en"]
    return Finding(
        key=spec["id"],
        code=spec["id"],
        label=label,
        group=_("Derived findings"),
        kind=kind,
        unit=unit_label(spec["unit"]),
        sentence=spec.get("sentence_en", "") if localized_lang() == "en" else "",
        derived=True,
    )


def derived_units(user, spec: dict[str, Any], series: dict[str, str], filters: Filters):
    """(queryset of units, numerator Q, excluded queryset, dims table) for a condition-based derived finding."""
    den = conditions.parse(spec["denominator"])
    num = conditions.parse(spec["numerator"])
    base_code = den[0][0].code
    unit = spec["unit"]
    base_indicator = Indicator.objects.filter(series=series[base_code]).order_by("-checklist__version").first()
    rollup = unit == "hearing" and base_indicator is not None and base_indicator.scope == Scope.DEFENDANT
    if rollup:
        # A hearing counts if any defendant matches; every atom is an EXISTS over the hearing's answers.
        match = {"hearing_id": OuterRef("pk")}
        units = filters.apply(visibility.visible(user, Hearing), "date", on_answers=False)
        if filters.version:
            units = units.filter(
                Exists(Answer.objects.filter(hearing_id=OuterRef("pk"), indicator__checklist_id=filters.version))
            )
        den_q = _condition_q(den, series, None, match)
        num_q = _condition_q(num, series, None, match)
        if spec.get("filter"):
            den_q &= _condition_q(conditions.parse(spec["filter"]), series, None, match)
        answered = Q(Exists(_atom_answers(series[base_code], None, **match)))
        return units.filter(den_q), num_q, units.filter(answered & ~den_q), HEARING_DIMS
    match = _unit_match(unit)
    units = counted_answers(user, filters).filter(indicator_id__in=series_ids(series[base_code]))
    den_q = _condition_q(den, series, base_code, match)
    if spec.get("filter"):
        den_q &= _condition_q(conditions.parse(spec["filter"]), series, base_code, match)
    num_q = _condition_q(num, series, base_code, match)
    excluded = units.filter(value__in=MISSING)
    if spec.get("filter"):
        excluded = excluded.filter(_condition_q(conditions.parse(spec["filter"]), series, base_code, match))
    return units.filter(den_q), num_q, excluded, ANSWER_DIMS


def _derived(user, spec, series, breakdown, period, filters) -> Finding:
    unit = spec["unit"]
    if spec.get("statistic"):
        return _median(user, spec, series, breakdown, period, filters)
    if unit == "motion":
        return _motions(user, spec, series, breakdown, period, filters)
    finding = _derived_finding(spec, "derived")
    units, num_q, excluded, table = derived_units(user, spec, series, filters)
    dims = _dims(breakdown, table) if breakdown else {}
    # Rows repeat only when a hearing-based unit joins several answers or charges; DISTINCT costs, so only then.
    distinct = table is HEARING_DIMS or "charge" in breakdown
    rows = (
        units.order_by()
        .values(**dims)
        .annotate(d=Count("pk", distinct=distinct), n=Count("pk", filter=num_q, distinct=distinct))
    )
    for row in rows:
        figure = Figure(n=row["n"], d=row["d"], answered=row["d"])
        if breakdown:
            finding.by.setdefault(_key(row, breakdown, period), Figure()).add(figure)
    totals = units.order_by().aggregate(
        d=Count("pk", distinct=distinct), n=Count("pk", filter=num_q, distinct=distinct)
    )
    finding.total = Figure(n=totals["n"], d=totals["d"], answered=totals["d"])
    for row in excluded.order_by().values(**dims).annotate(x=Count("pk", distinct=distinct)):
        if breakdown:
            finding.by.setdefault(_key(row, breakdown, period), Figure()).excluded += row["x"]
    finding.total.excluded = excluded.order_by().aggregate(x=Count("pk", distinct=distinct))["x"]
    return finding


def _motions(user, spec, series, breakdown, period, filters) -> Finding:
    """sum(numerator question) / sum(denominator question) over hearings where both are numbers."""
    finding = _derived_finding(spec, "derived")
    num_code = re.search(conditions.CODE, spec["numerator"]).group(0)
    den_code = re.search(conditions.CODE, spec["denominator"]).group(0)
    partner = Answer.objects.filter(
        indicator_id__in=series_ids(series[num_code]),
        hearing_id=OuterRef("hearing_id"),
        counted=True,
        number__isnull=False,
    )
    units = counted_answers(user, filters).filter(indicator_id__in=series_ids(series[den_code]), number__isnull=False)
    units = units.filter(Exists(partner)).annotate(refused=Subquery(partner.values("number")[:1]))
    dims = _dims(breakdown, ANSWER_DIMS) if breakdown else {}
    for row in units.order_by().values(**dims).annotate(d=Sum("number"), n=Sum("refused"), h=Count("pk")):
        if breakdown:
            finding.by.setdefault(_key(row, breakdown, period), Figure()).add(
                Figure(n=row["n"] or 0, d=row["d"] or 0, answered=row["h"])
            )
    totals = units.order_by().aggregate(d=Sum("number"), n=Sum("refused"), h=Count("pk"))
    finding.total = Figure(n=totals["n"] or 0, d=totals["d"] or 0, answered=totals["h"])
    finding.total.excluded = (
        counted_answers(user, filters).filter(indicator_id__in=series_ids(series[den_code]), value__in=MISSING).count()
    )
    return finding


def _median(user, spec, series, breakdown, period, filters) -> Finding:
    finding = _derived_finding(spec, "median")
    code = re.search(conditions.CODE, spec["statistic"]).group(0)
    units = counted_answers(user, filters).filter(indicator_id__in=series_ids(series[code]))
    numbers = units.filter(number__isnull=False)
    finding.total.d = numbers.count()
    finding.total.answered = finding.total.d
    finding.total.excluded = units.filter(value__in=MISSING).count()
    if finding.total.d:
        # The middle row(s) fetched by ORDER BY … LIMIT/OFFSET: the database sorts, Python only averages two.
        n = finding.total.d
        ordered = numbers.order_by("number").values_list("number", flat=True)
        middle = list(ordered[(n - 1) // 2 : n // 2 + 1])
        finding.total.median = float(statistics.mean(middle))
    if breakdown:
        dims = _dims(breakdown, ANSWER_DIMS)
        grouped: dict[str, list[int]] = defaultdict(list)
        # Medians do not add up across groups; each group's numbers are few (one per defendant).
        for row in numbers.order_by().values("number", **dims):
            grouped[_key(row, breakdown, period)].append(row["number"])
        for key, values in grouped.items():
            finding.by[key] = Figure(d=len(values), answered=len(values), median=float(statistics.median(values)))
    return finding


# --- Labels, drill-down, summary -------------------------------------------------------------------


def labels(user, breakdown: list[str], keys: list[str]) -> dict[str, str]:
    """Readable labels for breakdown keys ("3|2022-03" → "Court X · 2022-03")."""
    parts = [set() for _ in breakdown]
    for key in keys:
        for i, value in enumerate(key.split("|")):
            parts[i].add(value)
    names: list[dict[str, str]] = []
    for i, dim in enumerate(breakdown):
        ids = [int(v) for v in parts[i] if v.isdigit()]
        if dim == "court":
            names.append({str(c.pk): str(c) for c in visibility.visible(user, Court).filter(pk__in=ids)})
        elif dim == "case":
            names.append({str(c.pk): c.number for c in visibility.visible(user, Case).filter(pk__in=ids)})
        elif dim == "version":
            names.append({str(c.pk): str(c) for c in Checklist.objects.filter(pk__in=ids)})
        else:
            names.append({})
    out = {}
    for key in keys:
        values = key.split("|")
        out[key] = " · ".join(names[i].get(v, v or "—") for i, v in enumerate(values))
    return out


def key_filter(breakdown: list[str], key: str, *, on_hearing: bool = False) -> Q:
    """A Q selecting the answers (or hearings) behind one breakdown key, for drill-down."""
    values = key.split("|") if key else []
    if len(values) != len(breakdown):
        raise InvalidInput(_("This breakdown key does not match the breakdown."), field="key")
    q = Q()
    date_field = "date" if on_hearing else "hearing_date"
    for dim, value in zip(breakdown, values, strict=True):
        if dim in ("court", "case", "version"):
            if not value.isdigit():
                raise InvalidInput(_("This breakdown key does not match the breakdown."), field="key")
            q &= Q(
                **{
                    {"court": "case__court_id", "case": "case_id", "version": "indicator__checklist_id"}[dim]: int(
                        value
                    )
                }
            )
        elif dim == "city":
            q &= Q(case__court__city=value)
        elif dim == "charge":
            q &= Q(case__charge_rows__article=value)
        elif dim == "period":
            start, end = period_range(value)
            q &= Q(**{f"{date_field}__gte": start, f"{date_field}__lt": end})
    return q


def period_range(value: str) -> tuple[datetime.date, datetime.date]:
    """[start, end) of "2022", "2022-Q3" or "2022-03"."""
    try:
        if re.fullmatch(r"\d{4}", value):
            year = int(value)
            return datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1)
        if re.fullmatch(r"\d{4}-Q[1-4]", value):
            year, quarter = int(value[:4]), int(value[-1])
            start = datetime.date(year, 3 * quarter - 2, 1)
            return start, (datetime.date(year + 1, 1, 1) if quarter == 4 else datetime.date(year, 3 * quarter + 1, 1))
        if re.fullmatch(r"\d{4}-\d{2}", value):
            year, month = int(value[:4]), int(value[5:])
            start = datetime.date(year, month, 1)
            return start, (datetime.date(year + 1, 1, 1) if month == 12 else datetime.date(year, month + 1, 1))
    except ValueError:
        pass
    raise InvalidInput(_("Unknown period."), field="key")


PARTS = ("n", "d", "x")


def drill(
    user,
    finding_key: str,
    *,
    part: str = "d",
    breakdown: list[str] | None = None,
    key: str = "",
    filters: Filters | None = None,
) -> tuple[Finding | None, QuerySet[Answer]]:
    """The answers behind one figure: numerator (n), denominator (d) or excluded (x)."""
    breakdown = list(breakdown or [])
    check_breakdown(breakdown, "month")
    if part not in PARTS:
        raise InvalidInput(_("Choose the numerator, the denominator or the excluded answers."), field="part")
    filters = filters or Filters()
    checklist = current_checklist()
    spec = next((s for s in checklist.derived if s.get("id") == finding_key), None)
    if spec is not None and not spec.get("statistic") and spec.get("unit") != "motion":
        series = _series_map(checklist)
        units, num_q, excluded, table = derived_units(user, spec, series, filters)
        chosen = {"n": units.filter(num_q), "d": units, "x": excluded}[part]
        if breakdown:
            chosen = chosen.filter(key_filter(breakdown, key, on_hearing=table is HEARING_DIMS))
        base_code = conditions.parse(spec["denominator"])[0][0].code
        if table is HEARING_DIMS:
            answers = counted_answers(user, filters).filter(
                indicator__series=series[base_code], hearing__in=chosen.values("pk")
            )
        else:
            answers = counted_answers(user).filter(pk__in=chosen.values("pk"))
        return _derived_finding(spec, "derived"), _drill_order(answers)
    indicator = Indicator.objects.filter(series=finding_key).order_by("-checklist__version").first()
    if indicator is None and spec is None:
        raise InvalidInput(_("Unknown finding."), field="finding")
    if spec is not None:
        code = re.search(conditions.CODE, spec.get("statistic") or spec["denominator"]).group(0)
        indicator = Indicator.objects.filter(series=_series_map(checklist)[code]).first()
    answers = counted_answers(user, filters).filter(indicator__series=indicator.series)
    finding = _blank(indicator)
    if part == "x":
        answers = answers.filter(value__in=MISSING)
    elif part == "n" and finding.kind != "numeric":
        answers = answers.filter(value__in=finding.negative)
    else:
        answers = answers.exclude(value__in=MISSING).exclude(value="")
    if breakdown:
        answers = answers.filter(key_filter(breakdown, key))
    return finding, _drill_order(answers)


def _drill_order(answers: QuerySet[Answer]) -> QuerySet[Answer]:
    return (
        answers.select_related(
            "indicator", "hearing", "case", "case__court", "defendant", "defendant__person", "observation__monitor"
        )
        .order_by("hearing_date", "hearing_id", "defendant__position", "indicator__position")
        .distinct()
    )


def summary(user, filters: Filters | None = None) -> dict[str, int]:
    """Counts for a programme (or a case): cases, defendants, hearings observed, courts."""
    answers = counted_answers(user, filters)
    hearings = answers.order_by().values("hearing_id").distinct()
    cases = visibility.visible(user, Case).filter(pk__in=answers.order_by().values("case_id"))
    from .models import Defendant

    return {
        "cases": cases.count(),
        "defendants": visibility.visible(user, Defendant).filter(case__in=cases).count(),
        "hearings": hearings.count(),
        "courts": cases.order_by().values("court_id").distinct().count(),
        "answers": answers.count(),
    }
