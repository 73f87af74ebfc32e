"""Every write of the claims app: indicators, data points, claims, figures, verdicts, and the ingestion acceptors.

Each function validates everything first, checks permission, writes in one transaction and records the
audit event; bad input raises a `core.errors` error and writes nothing.
"""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rightstrack.core import visibility
from rightstrack.core.actions import create_record, get_visible, require_write, soft_delete, stale_edit, update_record
from rightstrack.core.audit import record_event
from rightstrack.core.errors import DomainError, Forbidden, InvalidInput
from rightstrack.core.models import Confidentiality, IccprArticle, Organisation, Theme
from rightstrack.evidence.actions import cite
from rightstrack.evidence.models import Citation, Passage

from . import evidence_kinds, periods
from .models import (
    MAX_TEXT,
    Claim,
    ClaimFigure,
    DataPoint,
    ForumKind,
    Indicator,
    Rating,
    SourceKind,
    SpeakerKind,
    Verdict,
    VerdictEvidence,
)

MAX_FIGURES = 20
MAX_EVIDENCE = 50
MAX_VALUE = decimal.Decimal("1e15")


class OverlapConflict(DomainError):
    """A data point for the same indicator, source and breakdown already covers part of the period.

    Nothing is written. The user resolves it explicitly: replace the listed figures (they go to the
    trash, restorable) or change the period, source or breakdown.
    """

    status = 409

    def __init__(self, message: str, *, existing: list[DataPoint], hidden: int = 0):
        super().__init__(message, field="period")
        self.existing = existing
        self.hidden = hidden


# --- Validation helpers ----------------------------------------------------------------------------


def parse_period(text: Any, field: str = "period") -> periods.Period:
    """A period from text, or InvalidInput naming the field."""
    try:
        return periods.parse(text)
    except periods.PeriodError as exc:
        raise InvalidInput(str(exc), field=field)


def parse_value(value: Any, field: str = "value") -> decimal.Decimal:
    """A finite number (int, float, Decimal or numeric text with an optional decimal comma)."""
    if isinstance(value, bool) or value is None or value == "":
        raise InvalidInput(_("A figure needs a numeric value."), field=field)
    try:
        number = decimal.Decimal(str(value).strip().replace(" ", "").replace(",", "."))
    except (decimal.InvalidOperation, ValueError):
        raise InvalidInput(_("“%(value)s” is not a number.") % {"value": str(value)[:40]}, field=field)
    if not number.is_finite() or abs(number) >= MAX_VALUE:
        raise InvalidInput(_("The value is not a usable number."), field=field)
    return number.quantize(decimal.Decimal("0.0001"))


def _text(value: Any, field: str, *, required: bool = False, max_length: int = MAX_TEXT) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise InvalidInput(_("%(field)s must be text.") % {"field": field}, field=field)
    value = value.strip()
    if required and not value:
        raise InvalidInput(_("%(field)s is required.") % {"field": field.replace("_", " ").capitalize()}, field=field)
    if len(value) > max_length:
        raise InvalidInput(
            _("%(field)s is longer than %(n)s characters.")
            % {"field": field.replace("_", " ").capitalize(), "n": max_length},
            field=field,
        )
    return value


def _choice(value: Any, choices: type[models.TextChoices], field: str) -> str:
    if value not in choices.values:
        raise InvalidInput(
            _("Unknown %(field)s; choose one of: %(options)s.")
            % {"field": field.replace("_", " "), "options": ", ".join(choices.values)},
            field=field,
        )
    return value


def _date(value: Any, field: str = "date") -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except (TypeError, ValueError):
        raise InvalidInput(_("A date is required (YYYY-MM-DD)."), field=field)


def _article(value: Any) -> IccprArticle | None:
    if value in (None, ""):
        return None
    if isinstance(value, IccprArticle):
        return value
    try:
        return IccprArticle.objects.get(number=int(value))
    except (IccprArticle.DoesNotExist, TypeError, ValueError):
        raise InvalidInput(_("Unknown ICCPR article."), field="article")


def _themes(values: Iterable[Any] | None) -> list[Theme]:
    out = []
    for value in values or ():
        if isinstance(value, Theme):
            out.append(value)
            continue
        theme = Theme.objects.filter(code=str(value)).first()
        if theme is None:
            raise InvalidInput(_("Unknown topic “%(code)s”.") % {"code": str(value)[:60]}, field="themes")
        out.append(theme)
    return out


def _org_id(organisation: Organisation | int | Any) -> int:
    if isinstance(organisation, Organisation):
        return organisation.pk
    if isinstance(organisation, bool) or not isinstance(organisation, int):
        raise InvalidInput(_("Choose an organisation."), field="organisation")
    return organisation


def _passage(user, passage: Passage | int | None) -> Passage | None:
    if passage in (None, ""):
        return None
    return get_visible(user, Passage, passage.pk if isinstance(passage, Passage) else passage)


def _set_themes(user, record: Indicator | Claim, themes: list[Theme]) -> None:
    before = sorted(record.themes.values_list("code", flat=True))
    after = sorted(t.code for t in themes)
    if before != after:
        record.themes.set(themes)
        record_event(
            user, f"{record._meta.model_name}.themes", record, before={"themes": before}, after={"themes": after}
        )


# --- Indicators ------------------------------------------------------------------------------------


@transaction.atomic
def create_indicator(
    user,
    *,
    organisation: Organisation | int,
    name: str,
    unit: str,
    definition: str = "",
    disaggregations: str = "",
    article: Any = None,
    themes: Iterable[Any] = (),
    confidentiality: str = Confidentiality.INTERNAL,
    is_synthetic: bool = False,
) -> Indicator:
    """A new indicator; its name must be new within the organisation."""
    org_id = _org_id(organisation)
    name = _text(name, "name", required=True, max_length=200)
    unit = _text(unit, "unit", required=True, max_length=60)
    fields = {
        "definition": _text(definition, "definition"),
        "disaggregations": _text(disaggregations, "disaggregations", max_length=300),
        "article": _article(article),
    }
    theme_list = _themes(themes)
    require_write(user, org_id, visibility.ANALYSE_ROLES, confidentiality)
    if Indicator.objects.filter(organisation_id=org_id, name__iexact=name, deleted_at__isnull=True).exists():
        raise InvalidInput(_("This organisation already has an indicator with that name."), field="name")
    indicator = create_record(
        user,
        Indicator,
        organisation=org_id,
        roles=visibility.ANALYSE_ROLES,
        name=name,
        unit=unit,
        confidentiality=confidentiality,
        is_synthetic=is_synthetic,
        **fields,
    )
    if theme_list:
        indicator.themes.set(theme_list)
    return indicator


@transaction.atomic
def update_indicator(
    user, indicator: Indicator, *, expected_version: int, changes: dict[str, Any], themes: Iterable[Any] | None = None
) -> Indicator:
    changes = dict(changes)
    for name in ("name", "unit"):
        if name in changes:
            changes[name] = _text(changes[name], name, required=True, max_length=200 if name == "name" else 60)
    if "article" in changes:
        changes["article"] = _article(changes["article"])
    theme_list = _themes(themes) if themes is not None else None
    indicator = update_record(
        user, indicator, expected_version=expected_version, changes=changes, roles=visibility.ANALYSE_ROLES
    )
    if theme_list is not None:
        _set_themes(user, indicator, theme_list)
    return indicator


def delete_indicator(user, indicator: Indicator) -> None:
    soft_delete(user, indicator)


# --- Data points -----------------------------------------------------------------------------------


@dataclass
class PointInput:
    """Validated data-point fields (nothing written yet)."""

    period: periods.Period
    value: decimal.Decimal
    source_kind: str
    source_name: str
    disaggregation: str
    partial: bool
    notes: str

    def fields(self) -> dict[str, Any]:
        return {
            "period_label": self.period.label,
            "period_start": self.period.start,
            "period_end": self.period.end,
            "precision": self.period.precision,
            "value": self.value,
            "source_kind": self.source_kind,
            "source_name": self.source_name,
            "disaggregation": self.disaggregation,
            "partial": self.partial,
            "notes": self.notes,
        }


def _point_input(
    *, period: Any, value: Any, source_kind: Any, source_name: Any, disaggregation: Any, partial: Any, notes: Any
) -> PointInput:
    if not isinstance(partial, bool):
        raise InvalidInput(_("“Partial period” must be yes or no."), field="partial")
    return PointInput(
        period=parse_period(period),
        value=parse_value(value),
        source_kind=_choice(source_kind, SourceKind, "source_kind"),
        source_name=_text(source_name, "source_name", max_length=300),
        disaggregation=_text(disaggregation, "disaggregation", max_length=120),
        partial=partial,
        notes=_text(notes, "notes"),
    )


def overlapping(indicator: Indicator, data: PointInput, *, exclude: int | None = None) -> models.QuerySet[DataPoint]:
    """Live points of the same indicator, source kind, source and breakdown whose period overlaps."""
    qs = DataPoint.objects.filter(
        indicator=indicator,
        deleted_at__isnull=True,
        source_kind=data.source_kind,
        source_name__iexact=data.source_name,
        disaggregation__iexact=data.disaggregation,
        period_start__lte=data.period.end,
        period_end__gte=data.period.start,
    )
    return qs.exclude(pk=exclude) if exclude else qs


def _check_overlap(user, indicator: Indicator, data: PointInput, replace: set[int], exclude: int | None = None):
    """The overlapping points the user asked to replace; OverlapConflict unless exactly those were named."""
    clashing = list(overlapping(indicator, data, exclude=exclude).select_related("indicator").order_by("period_start"))
    if not clashing:
        if replace:
            raise InvalidInput(_("There is nothing to replace: no figure overlaps this one."), field="replace")
        return []
    seen = set(visibility.visible(user, DataPoint).filter(pk__in=[p.pk for p in clashing]).values_list("pk", flat=True))
    shown = [p for p in clashing if p.pk in seen]
    hidden = len(clashing) - len(shown)
    if hidden:
        raise OverlapConflict(
            _(
                "A figure you cannot see already covers this period for the same source. "
                "Ask a member with restricted access to resolve it."
            ),
            existing=shown,
            hidden=hidden,
        )
    if replace != {p.pk for p in clashing}:
        raise OverlapConflict(
            _(
                "This source already has a figure for an overlapping period (%(periods)s). Nothing was saved: "
                "replace the existing figure explicitly, or change the period, source or breakdown."
            )
            % {"periods": ", ".join(f"{p.period_label}: {p.value:g}" for p in clashing)},
            existing=shown,
        )
    return clashing


@transaction.atomic
def add_data_point(
    user,
    indicator: Indicator,
    *,
    period: Any,
    value: Any,
    source_kind: Any,
    source_name: Any = "",
    disaggregation: Any = "",
    partial: Any = False,
    notes: Any = "",
    passage: Passage | int | None = None,
    quote: str = "",
    confidentiality: str | None = None,
    replace: Iterable[int] = (),
    is_synthetic: bool = False,
) -> DataPoint:
    """Record a figure. An overlap with the same source is a conflict unless `replace` names the old figures."""
    indicator = get_visible(user, Indicator, indicator.pk if isinstance(indicator, Indicator) else indicator)
    data = _point_input(
        period=period,
        value=value,
        source_kind=source_kind,
        source_name=source_name,
        disaggregation=disaggregation,
        partial=partial,
        notes=notes,
    )
    level = confidentiality or visibility.inherited_level(user, indicator.organisation_id, indicator.confidentiality)
    require_write(user, indicator.organisation_id, visibility.WRITE_ROLES, level)
    cited = _passage(user, passage)
    try:
        replace_ids = {int(pk) for pk in replace}
    except (TypeError, ValueError):
        raise InvalidInput(_("Name the figures to replace by their numbers."), field="replace")
    # Lock the indicator: two people entering the same figure at once must not both pass the check.
    Indicator.objects.select_for_update().filter(pk=indicator.pk).first()
    old = _check_overlap(user, indicator, data, replace_ids)
    if old:
        require_write(user, indicator.organisation_id, visibility.ANALYSE_ROLES, level)
    for point in old:
        require_write(user, point.organisation_id, visibility.ANALYSE_ROLES, point.confidentiality)
        point.deleted_at = timezone.now()
        point.save(update_fields=["deleted_at"])
        record_event(user, "datapoint.replace", point, before={"deleted_at": None}, after={"replaced": True})
    point = create_record(
        user,
        DataPoint,
        organisation=indicator.organisation_id,
        verb="datapoint.create",
        indicator=indicator,
        confidentiality=level,
        is_synthetic=is_synthetic,
        **data.fields(),
    )
    if cited is not None:
        cite(user, point, cited, quote=_text(quote, "quote"))
    return point


@transaction.atomic
def update_data_point(user, point: DataPoint, *, expected_version: int, changes: dict[str, Any]) -> DataPoint:
    """Edit a figure; a new period/source that overlaps another figure is a conflict (nothing written)."""
    changes = dict(changes)
    current = {
        "period": point.period_label,
        "value": point.value,
        "source_kind": point.source_kind,
        "source_name": point.source_name,
        "disaggregation": point.disaggregation,
        "partial": point.partial,
        "notes": point.notes,
    }
    unknown = set(changes) - set(current) - {"confidentiality"}
    if unknown:
        raise InvalidInput(_("These fields cannot be changed: %s") % ", ".join(sorted(unknown)))
    data = _point_input(**{**current, **{k: v for k, v in changes.items() if k in current}})
    _check_overlap(user, point.indicator, data, set(), exclude=point.pk)
    fields = data.fields()
    if "confidentiality" in changes:
        fields["confidentiality"] = changes["confidentiality"]
    return update_record(user, point, expected_version=expected_version, changes=fields, verb="datapoint.update")


def delete_data_point(user, point: DataPoint) -> None:
    soft_delete(user, point)


# --- Claims and their figures ----------------------------------------------------------------------


@dataclass
class FigureInput:
    value: decimal.Decimal
    unit: str
    period: periods.Period
    indicator: Indicator | None

    def fields(self) -> dict[str, Any]:
        return {
            "value": self.value,
            "unit": self.unit,
            "indicator": self.indicator,
            "period_label": self.period.label,
            "period_start": self.period.start,
            "period_end": self.period.end,
            "precision": self.period.precision,
        }


def figure_input(user, figure: dict[str, Any], n: int = 1) -> FigureInput:
    """Validate one figure {value, unit, period, indicator?}: every figure needs a unit and a period."""
    if not isinstance(figure, dict):
        raise InvalidInput(_("Figure %(n)s is not a figure.") % {"n": n}, field="figures")
    value = parse_value(figure.get("value"), field="value")
    unit = figure.get("unit")
    if not isinstance(unit, str) or not unit.strip():
        raise InvalidInput(_("Figure %(n)s has no unit (cases, persons, %%, KZT…).") % {"n": n}, field="unit")
    unit = _text(unit, "unit", max_length=60)
    period_text = figure.get("period")
    if period_text in (None, ""):
        raise InvalidInput(_("Figure %(n)s has no period (the year or months it covers).") % {"n": n}, field="period")
    period = parse_period(period_text)
    indicator = None
    if figure.get("indicator") not in (None, ""):
        raw = figure["indicator"]
        indicator = get_visible(user, Indicator, raw.pk if isinstance(raw, Indicator) else raw)
        if indicator.unit.strip().casefold() != unit.casefold():
            raise InvalidInput(
                _("Figure %(n)s is in “%(unit)s” but the indicator counts “%(expected)s”; use the same unit.")
                % {"n": n, "unit": unit, "expected": indicator.unit},
                field="unit",
            )
    return FigureInput(value=value, unit=unit, period=period, indicator=indicator)


def _claim_fields(data: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if "text" in data:
        out["text"] = _text(data["text"], "text", required=True)
    if "date" in data:
        out["date"] = _date(data["date"])
    if "speaker_kind" in data:
        out["speaker_kind"] = _choice(data["speaker_kind"], SpeakerKind, "speaker_kind")
    if "speaker" in data:
        out["speaker"] = _text(data["speaker"], "speaker", max_length=300)
    if "forum_kind" in data:
        out["forum_kind"] = _choice(data["forum_kind"], ForumKind, "forum_kind")
    if "forum" in data:
        out["forum"] = _text(data["forum"], "forum", max_length=300)
    if "article" in data:
        out["article"] = _article(data["article"])
    if "confidentiality" in data:
        out["confidentiality"] = data["confidentiality"]
    return out


@transaction.atomic
def create_claim(
    user,
    *,
    organisation: Organisation | int,
    text: str,
    date: Any,
    speaker_kind: str = SpeakerKind.STATE,
    speaker: str = "",
    forum_kind: str = ForumKind.DIALOGUE,
    forum: str = "",
    article: Any = None,
    themes: Iterable[Any] = (),
    figures: Sequence[dict[str, Any]] = (),
    passage: Passage | int | None = None,
    quote: str = "",
    confidentiality: str = Confidentiality.INTERNAL,
    is_synthetic: bool = False,
) -> Claim:
    """A claim with its figures and the passage it is quoted from; all checked before anything is written."""
    org_id = _org_id(organisation)
    fields = _claim_fields(
        {
            "text": text,
            "date": date,
            "speaker_kind": speaker_kind,
            "speaker": speaker,
            "forum_kind": forum_kind,
            "forum": forum,
            "article": article,
        }
    )
    theme_list = _themes(themes)
    if len(figures) > MAX_FIGURES:
        raise InvalidInput(_("At most %(n)s figures per claim.") % {"n": MAX_FIGURES}, field="figures")
    require_write(user, org_id, visibility.WRITE_ROLES, confidentiality)
    checked = [figure_input(user, f, n) for n, f in enumerate(figures, start=1)]
    cited = _passage(user, passage)
    quote = _text(quote, "quote")
    claim = create_record(
        user, Claim, organisation=org_id, confidentiality=confidentiality, is_synthetic=is_synthetic, **fields
    )
    if theme_list:
        claim.themes.set(theme_list)
    for figure in checked:
        ClaimFigure.objects.create(claim=claim, **figure.fields())
    if checked:
        record_event(user, "claim.figures", claim, after={"figures": [str(f) for f in claim.figures.all()]})
    if cited is not None:
        cite(user, claim, cited, quote=quote)
    return claim


@transaction.atomic
def update_claim(
    user, claim: Claim, *, expected_version: int, changes: dict[str, Any], themes: Iterable[Any] | None = None
) -> Claim:
    fields = _claim_fields(changes)
    unknown = set(changes) - set(fields)
    if unknown:
        raise InvalidInput(_("These fields cannot be changed: %s") % ", ".join(sorted(unknown)))
    theme_list = _themes(themes) if themes is not None else None
    claim = update_record(user, claim, expected_version=expected_version, changes=fields)
    if theme_list is not None:
        _set_themes(user, claim, theme_list)
    return claim


@transaction.atomic
def add_figure(user, claim: Claim, figure: dict[str, Any]) -> ClaimFigure:
    claim = get_visible(user, Claim, claim.pk)
    require_write(user, claim.organisation_id, visibility.WRITE_ROLES, claim.confidentiality)
    if claim.figures.count() >= MAX_FIGURES:
        raise InvalidInput(_("At most %(n)s figures per claim.") % {"n": MAX_FIGURES}, field="figures")
    checked = figure_input(user, figure, claim.figures.count() + 1)
    created = ClaimFigure.objects.create(claim=claim, **checked.fields())
    record_event(user, "claim.figure.add", claim, after={"figure": str(created)})
    return created


@transaction.atomic
def update_figure(user, figure: ClaimFigure, *, expected_version: int, data: dict[str, Any]) -> ClaimFigure:
    """Correct a claim's figure (value, unit, period, indicator) if nobody changed it since `expected_version`."""
    get_visible(user, ClaimFigure, figure.pk)
    current = ClaimFigure.objects.select_for_update().select_related("claim").get(pk=figure.pk)
    claim = current.claim
    require_write(user, claim.organisation_id, visibility.WRITE_ROLES, claim.confidentiality)
    checked = figure_input(user, data)
    if current.version != expected_version:
        raise stale_edit(user, current, checked.fields())
    before = str(current)
    fields = checked.fields()
    if all(getattr(current, name) == value for name, value in fields.items()):
        return current  # saved unchanged: no new version, no audit event
    for name, value in fields.items():
        setattr(current, name, value)
    current.version += 1
    current.save()
    record_event(user, "claim.figure.update", claim, before={"figure": before}, after={"figure": str(current)})
    return current


@transaction.atomic
def remove_figure(user, figure: ClaimFigure) -> None:
    claim = figure.claim
    require_write(user, claim.organisation_id, visibility.WRITE_ROLES, claim.confidentiality)
    record_event(user, "claim.figure.remove", claim, before={"figure": str(figure)})
    figure.delete()


def delete_claim(user, claim: Claim) -> None:
    soft_delete(user, claim)


# --- Verdicts --------------------------------------------------------------------------------------


def _evidence_records(user, evidence: Iterable[Any]) -> list[models.Model]:
    """[(kind, id)] or [{"kind", "id"}] → visible records of registered evidence kinds."""
    out = []
    for item in evidence:
        if isinstance(item, dict):
            kind, pk = item.get("kind"), item.get("id")
        elif isinstance(item, models.Model):
            kind, pk = item._meta.label_lower, item.pk
        else:
            try:
                kind, pk = item
            except (TypeError, ValueError):
                raise InvalidInput(_("Evidence must be given as a kind and an id."), field="evidence")
        model = evidence_kinds.model_for(str(kind))
        if model is None:
            raise InvalidInput(
                _("A verdict cannot cite records of kind “%(kind)s”.") % {"kind": str(kind)[:40]}, field="evidence"
            )
        record = get_visible(user, model, pk)
        if isinstance(record, DataPoint):
            get_visible(user, Indicator, record.indicator_id)
        out.append(record)
    return out


@transaction.atomic
def give_verdict(
    user,
    claim: Claim,
    *,
    rating: Any,
    rationale: Any,
    passages: Iterable[Passage | int] = (),
    evidence: Iterable[Any] = (),
    is_synthetic: bool = False,
) -> Verdict:
    """An analyst's verdict on a claim. It must cite evidence: passages and/or records (data points, documents…)."""
    claim = get_visible(user, Claim, claim.pk if isinstance(claim, Claim) else claim)
    rating = _choice(rating, Rating, "rating")
    rationale = _text(rationale, "rationale", required=True)
    require_write(user, claim.organisation_id, visibility.ANALYSE_ROLES, claim.confidentiality)
    passages, evidence = list(passages), list(evidence)
    if len(passages) + len(evidence) > MAX_EVIDENCE:
        raise InvalidInput(_("At most %(n)s pieces of evidence per verdict.") % {"n": MAX_EVIDENCE}, field="evidence")
    cited = []
    for item in passages:
        passage = _passage(user, item)
        if passage is not None and passage not in cited:
            cited.append(passage)
    records = []
    for record in _evidence_records(user, evidence):
        if record not in records:
            records.append(record)
    if not cited and not records:
        raise InvalidInput(
            _("A verdict needs evidence: cite at least one passage, data point or other record."), field="evidence"
        )
    verdict = Verdict.objects.create(
        claim=claim, rating=rating, rationale=rationale, analyst=user, is_synthetic=is_synthetic
    )
    verdict_type = ContentType.objects.get_for_model(Verdict)
    for passage in cited:
        Citation.objects.create(passage=passage, content_type=verdict_type, object_id=verdict.pk)
    for record in records:
        VerdictEvidence.objects.create(
            verdict=verdict, content_type=ContentType.objects.get_for_model(record), object_id=record.pk
        )
    record_event(
        user,
        "verdict.create",
        verdict,
        after={
            "rating": rating,
            "rationale": rationale,
            "passages": [p.pk for p in cited],
            "evidence": [f"{r._meta.label_lower}#{r.pk}" for r in records],
        },
    )
    return verdict


@transaction.atomic
def review_verdict(user, verdict: Verdict) -> Verdict:
    """A coordinator confirms a verdict; the latest reviewed verdict is the one shown for the claim."""
    verdict = Verdict.objects.select_for_update().select_related("claim").get(pk=verdict.pk)
    claim = verdict.claim
    require_write(user, claim.organisation_id, visibility.REVIEW_ROLES, claim.confidentiality)
    if verdict.reviewed_at is not None:
        raise InvalidInput(_("This verdict has already been reviewed."))
    if verdict.analyst_id == user.pk:
        raise Forbidden(_("Someone other than its author must review a verdict."))
    verdict.reviewed_by = user
    verdict.reviewed_at = timezone.now()
    verdict.save(update_fields=["reviewed_by", "reviewed_at"])
    record_event(user, "verdict.review", verdict, before={"reviewed": False}, after={"reviewed": True})
    return verdict


# --- Ingestion acceptors ---------------------------------------------------------------------------

#: ingest's speaker sides → who made the claim / what kind of source a figure is.
#: ("committee" and "chair" are the sides of suggestions made before ingest knew NGOs and UN bodies.)
SPEAKER_KINDS = {
    "state": SpeakerKind.STATE,
    "ngo": SpeakerKind.NGO,
    "expert": SpeakerKind.EXPERT,
    "body": SpeakerKind.OTHER,
    "committee": SpeakerKind.EXPERT,
    "chair": SpeakerKind.EXPERT,
}
SOURCE_KINDS = {
    "state": SourceKind.OFFICIAL,
    "ngo": SourceKind.NGO,
    "body": SourceKind.INTERNATIONAL,
    "expert": SourceKind.INTERNATIONAL,
    "committee": SourceKind.INTERNATIONAL,
    "chair": SourceKind.INTERNATIONAL,
}


def _suggestion_owner(suggestion) -> tuple[int, str]:
    """Organisation and confidentiality to inherit: on the suggestion, else on its run's document."""
    org_id = getattr(suggestion, "organisation_id", None)
    level = getattr(suggestion, "confidentiality", None)
    if org_id is None or not level:
        document = getattr(getattr(suggestion, "run", None), "document", None)
        if document is None and getattr(suggestion, "passage", None) is not None:
            document = suggestion.passage.document
        if document is None:
            raise InvalidInput(_("The suggestion does not say which organisation it belongs to."))
        org_id = org_id if org_id is not None else document.organisation_id
        level = level or document.confidentiality
    return org_id, level


def _suggestion_figure(data: dict[str, Any]) -> tuple[decimal.Decimal, str, periods.Period, bool]:
    value = parse_value(data.get("value"))
    unit = data.get("unit")
    if not isinstance(unit, str) or not unit.strip():
        raise InvalidInput(_("The figure has no unit; add one before accepting it."), field="unit")
    try:
        period, partial = periods.from_suggestion(data.get("period"))
    except periods.PeriodError as exc:
        raise InvalidInput(str(exc), field="period")
    return value, unit.strip()[:60], period, partial


def _indicator_for(user, org_id: int, level: str, data: dict[str, Any], unit: str) -> Indicator:
    """The indicator named in the suggestion, else the organisation's only one with this unit, else a new one."""
    if data.get("indicator_id") not in (None, ""):
        return get_visible(user, Indicator, data["indicator_id"])
    mine = visibility.visible(user, Indicator).filter(organisation_id=org_id)
    name = data.get("indicator")
    if isinstance(name, str) and name.strip():
        found = mine.filter(name__iexact=name.strip()).first()
        if found is not None:
            return found
        return create_indicator(user, organisation=org_id, name=name.strip(), unit=unit, confidentiality=level)
    same_unit = list(mine.filter(unit__iexact=unit)[:2])
    if len(same_unit) == 1:
        return same_unit[0]
    name = _("Figures in %(unit)s (from ingestion)") % {"unit": unit}
    found = mine.filter(name__iexact=name).first()
    return found or create_indicator(
        user,
        organisation=org_id,
        name=name,
        unit=unit,
        definition=_("Created when a figure was accepted from a document; rename it or move its figures."),
        confidentiality=level,
    )


@transaction.atomic
def accept_figure(user, suggestion) -> DataPoint:
    """Ingestion acceptor for kind "figure": a data point citing the suggestion's passage."""
    data = dict(suggestion.data or {})
    org_id, level = _suggestion_owner(suggestion)
    value, unit, period, partial = _suggestion_figure(data)
    indicator = _indicator_for(user, org_id, level, data, unit)
    if indicator.unit.strip().casefold() != unit.casefold():
        raise InvalidInput(
            _("The figure is in “%(unit)s” but the indicator counts “%(expected)s”.")
            % {"unit": unit, "expected": indicator.unit},
            field="unit",
        )
    source_kind = data.get("source_kind") or SOURCE_KINDS.get(str(data.get("speaker") or ""), SourceKind.NGO)
    return add_data_point(
        user,
        indicator,
        period=period.label,
        value=value,
        source_kind=source_kind,
        source_name=str(data.get("source_name") or "")[:300],
        partial=partial,
        notes=_("Accepted from a document suggestion."),
        passage=getattr(suggestion, "passage", None),
        quote=str(data.get("text") or "")[:2000],
        confidentiality=level,
    )


@transaction.atomic
def accept_claim(user, suggestion) -> Claim:
    """Ingestion acceptor for kind "claim": a figure said by a speaker becomes a claim quoting the passage."""
    data = dict(suggestion.data or {})
    org_id, level = _suggestion_owner(suggestion)
    value, unit, period, _partial = _suggestion_figure(data)
    passage = getattr(suggestion, "passage", None)
    text = _text(str(data.get("text") or ""), "text", required=True)
    document = passage.document if passage is not None else None
    # The day it was said: the meeting's (the document's) date, never the day the file was uploaded.
    date = data.get("date") or (document.document_date if document is not None else None)
    if not date:
        raise InvalidInput(
            _(
                "The claim has no date: give the meeting's date (the document's date on the review screen) "
                "or the claim's own."
            ),
            field="date",
        )
    forum = str(data.get("forum") or (document.symbol or document.title if document is not None else ""))[:300]
    return create_claim(
        user,
        organisation=org_id,
        text=text,
        date=date,
        speaker_kind=SPEAKER_KINDS.get(str(data.get("speaker") or ""), SpeakerKind.OTHER),
        speaker=str(data.get("speaker_name") or "")[:300],
        forum_kind=ForumKind.DIALOGUE,
        forum=forum,
        figures=[{"value": value, "unit": unit, "period": period.label, "indicator": data.get("indicator_id")}],
        passage=passage,
        quote=text[:2000],
        confidentiality=level,
    )


def register_acceptors() -> None:
    """Hook the acceptors into ingestion when that module exists (called from AppConfig.ready)."""
    from importlib.util import find_spec

    if find_spec("rightstrack.ingest.acceptors") is None:
        return
    from rightstrack.ingest import acceptors

    acceptors.register("figure", accept_figure)
    acceptors.register("claim", accept_claim)
