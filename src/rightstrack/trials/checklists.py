"""Loading checklist versions from YAML: validation, immutability once used, id mapping across versions."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction
from django.utils.translation import gettext as _

from rightstrack.core.errors import InvalidInput, TooLarge

from . import conditions
from .models import AnswerType, Checklist, ChecklistStatus, Indicator, IndicatorGroup, Observation, Scope

DEFAULT_YAML = Path(__file__).resolve().parent / "data" / "fair-trial-checklist.yaml"
MAX_YAML_BYTES = 512 * 1024
YES_NO_VALUES = ["yes", "no", "not_observed", "not_applicable"]
RELATIONS = {"same", "changed", "split", "merged", "added", "retired"}
UNITS = {"hearing", "defendant_hearing", "defendant", "motion", "case"}


def _fail(message: str) -> InvalidInput:
    return InvalidInput(_("Checklist YAML: %s") % message, field="yaml")


def read_yaml(text: str | bytes) -> dict[str, Any]:
    """Parse and validate a checklist definition; raises InvalidInput / TooLarge with a clear message."""
    raw = text.encode() if isinstance(text, str) else text
    if len(raw) > MAX_YAML_BYTES:
        raise TooLarge(_("The checklist file is larger than %d KB.") % (MAX_YAML_BYTES // 1024))
    try:
        data = yaml.safe_load(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise _fail(_("the file is not UTF-8 text"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        raise _fail(_("not valid YAML%s") % where)
    if not isinstance(data, dict):
        raise _fail(_("the top level must be a mapping"))
    _validate(data)
    return data


def _validate(data: dict[str, Any]) -> None:
    key = data.get("id")
    if not isinstance(key, str) or not re.fullmatch(r"[a-z0-9][a-z0-9-]{1,79}", key):
        raise _fail(_("'id' must be a short lower-case slug"))
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise _fail(_("'version' must be a whole number from 1"))
    if data.get("status", "draft") not in ChecklistStatus.values:
        raise _fail(_("'status' must be draft, active or retired"))
    if not str(data.get("title") or "").strip():
        raise _fail(_("'title' is missing"))
    groups = data.get("groups")
    if not isinstance(groups, list) or not groups:
        raise _fail(_("'groups' must be a non-empty list"))
    group_ids = set()
    for group in groups:
        if not isinstance(group, dict) or not group.get("id") or not group.get("title_en"):
            raise _fail(_("every group needs an id and title_en"))
        group_ids.add(str(group["id"]))
    indicators = data.get("indicators")
    if not isinstance(indicators, list) or not indicators:
        raise _fail(_("'indicators' must be a non-empty list"))
    seen: set[str] = set()
    for item in indicators:
        _validate_indicator(item, group_ids, seen)
    known = seen
    for item in indicators:
        for name in ("applies_if",):
            if item.get(name):
                try:
                    refs = conditions.codes(conditions.parse(item[name]))
                except conditions.ConditionError as exc:
                    raise _fail(f"{item['id']}: {exc}")
                if refs - known:
                    raise _fail(
                        _("%(id)s refers to unknown indicators: %(codes)s")
                        % {"id": item["id"], "codes": ", ".join(sorted(refs - known))}
                    )
        if item.get("constraint"):
            try:
                left, _op, right = conditions.parse_constraint(item["constraint"])
            except conditions.ConditionError as exc:
                raise _fail(f"{item['id']}: {exc}")
            if {left, right} - known:
                raise _fail(_("%s: the constraint refers to an unknown indicator") % item["id"])
    for finding in data.get("derived_findings") or []:
        _validate_finding(finding, known)


def _validate_indicator(item: Any, group_ids: set[str], seen: set[str]) -> None:
    if not isinstance(item, dict) or not isinstance(item.get("id"), str):
        raise _fail(_("every indicator needs an id"))
    code = item["id"]
    if not re.fullmatch(conditions.CODE, code):
        raise _fail(_("indicator id %s must look like ABC-1") % code)
    if code in seen:
        raise _fail(_("indicator %s appears twice") % code)
    seen.add(code)
    if str(item.get("group")) not in group_ids:
        raise _fail(_("%s: unknown group") % code)
    if item.get("scope") not in Scope.values:
        raise _fail(_("%s: scope must be hearing, case or defendant") % code)
    if item.get("repeat", "per_hearing") not in ("per_hearing", "once"):
        raise _fail(_("%s: repeat must be per_hearing or once") % code)
    kind = item.get("type")
    if kind not in AnswerType.values:
        raise _fail(_("%s: unknown answer type") % code)
    if not str(item.get("question_en") or "").strip():
        raise _fail(_("%s: question_en is missing") % code)
    allowed = set(YES_NO_VALUES)
    if kind == AnswerType.CHOICE:
        options = item.get("options")
        if not isinstance(options, list) or not options:
            raise _fail(_("%s: a choice needs options") % code)
        option_codes = [str(o.get("code")) if isinstance(o, dict) else "" for o in options]
        if any(not re.fullmatch(r"[a-z0-9_]+", c) for c in option_codes) or len(set(option_codes)) != len(options):
            raise _fail(_("%s: option codes must be unique lower-case codes") % code)
        if set(option_codes) & {"not_observed", "not_applicable"}:
            raise _fail(_("%s: not_observed and not_applicable are reserved") % code)
        allowed = set(option_codes)
    negative = item.get("negative_when")
    if negative is not None:
        values = negative if isinstance(negative, list) else [negative]
        if kind not in (AnswerType.YES_NO, AnswerType.CHOICE) or any(str(v) not in allowed for v in values):
            raise _fail(_("%s: negative_when names an answer this question cannot have") % code)


def _validate_finding(finding: Any, known: set[str]) -> None:
    if not isinstance(finding, dict) or not finding.get("id") or not finding.get("label_en"):
        raise _fail(_("every derived finding needs an id and label_en"))
    fid = finding["id"]
    if finding.get("unit") not in UNITS:
        raise _fail(_("%s: unknown unit") % fid)
    texts = [finding.get(k) for k in ("numerator", "denominator", "filter", "statistic") if finding.get(k)]
    for text in texts:
        for code in re.findall(conditions.CODE, str(text)):
            if code not in known:
                raise _fail(_("%(id)s refers to unknown indicator %(code)s") % {"id": fid, "code": code})
    if finding.get("statistic") or finding["unit"] == "motion":
        return
    for name in ("numerator", "denominator", "filter"):
        if finding.get(name):
            try:
                conditions.parse(finding[name])
            except conditions.ConditionError as exc:
                raise _fail(f"{fid}: {exc}")


def _series(data: dict[str, Any], previous: Checklist | None) -> dict[str, str]:
    """Series id per indicator code: a `same` mapping continues the old series; anything else starts one."""
    codes = [item["id"] for item in data["indicators"]]
    if previous is None:
        return {code: code for code in codes}
    old = {i.code: i.series for i in previous.indicators.all()}
    used = set(Indicator.objects.filter(checklist__key=previous.key).values_list("series", flat=True))
    mapping = data.get("mapping")
    if not isinstance(mapping, list):
        raise _fail(_("a new version needs a 'mapping' with one row for every old indicator"))
    covered: set[str] = set()
    out: dict[str, str] = {}
    retired: set[str] = set()
    for row in mapping:
        if not isinstance(row, dict) or row.get("relation") not in RELATIONS:
            raise _fail(_("every mapping row needs a relation: %s") % ", ".join(sorted(RELATIONS)))
        source, target, relation = row.get("from"), row.get("to"), row["relation"]
        targets = target if isinstance(target, list) else ([] if target is None else [target])
        if source is not None:
            if source not in old:
                raise _fail(_("mapping: %s is not in the previous version") % source)
            covered.add(source)
        for code in targets:
            if code not in codes:
                raise _fail(_("mapping: %s is not in the new version") % code)
        if relation == "retired":
            retired.add(source)
        if relation == "same":
            if source is None or len(targets) != 1:
                raise _fail(_("mapping: 'same' links one old indicator to one new one"))
            out[targets[0]] = old[source]
    missing = set(old) - covered
    if missing:
        raise _fail(_("mapping: no row for %s") % ", ".join(sorted(missing)))
    reused = retired & set(codes)
    if reused:
        raise _fail(_("retired ids cannot be reused: %s") % ", ".join(sorted(reused)))
    for code in codes:
        if code not in out:
            out[code] = code if code not in used else f"{code}@v{data['version']}"
    return out


@transaction.atomic
def install(data: dict[str, Any], source: str, *, user=None) -> Checklist:
    """Create (or replace an unused) checklist version from validated YAML data."""
    key, version = data["id"], data["version"]
    existing = Checklist.objects.select_for_update().filter(key=key, version=version).first()
    if existing is not None and Observation.objects.filter(checklist=existing).exists():
        raise InvalidInput(
            _("Version %(v)s of %(k)s is used by observations and can no longer change; import it as a new version.")
            % {"v": version, "k": key},
            field="yaml",
        )
    previous = None
    if data.get("supersedes") is not None:
        previous = Checklist.objects.filter(key=key, version=data["supersedes"]).first()
        if previous is None or data["supersedes"] >= version:
            raise _fail(_("'supersedes' must name an earlier version that was imported"))
    elif Checklist.objects.filter(key=key).exclude(version=version).exists():
        raise _fail(_("a new version must say which version it supersedes and map its indicators"))
    series = _series(data, previous)
    if existing is not None:
        existing.indicators.all().delete()
        existing.groups.all().delete()
        existing.delete()
    checklist = Checklist.objects.create(
        key=key,
        version=version,
        status=data.get("status", "draft"),
        title_en=str(data["title"])[:300],
        title_ru=str(data.get("title_ru") or "")[:300],
        title_kk=str(data.get("title_kk") or "")[:300],
        supersedes=previous,
        mapping=data.get("mapping") or [],
        derived=data.get("derived_findings") or [],
        method=data.get("method") or {},
        source_yaml=source,
        imported_by=user if user is not None and user.is_authenticated else None,
    )
    groups = {}
    for n, group in enumerate(data["groups"]):
        groups[str(group["id"])] = IndicatorGroup.objects.create(
            checklist=checklist,
            code=str(group["id"]),
            title_en=str(group["title_en"]),
            title_ru=str(group.get("title_ru") or ""),
            title_kk=str(group.get("title_kk") or ""),
            position=n,
        )
    Indicator.objects.bulk_create(
        Indicator(
            checklist=checklist,
            group=groups[str(item["group"])],
            code=item["id"],
            series=series[item["id"]],
            position=n,
            scope=item["scope"],
            repeat="once" if item["scope"] == Scope.CASE else item.get("repeat", "per_hearing"),
            type=item["type"],
            options=item.get("options") or [],
            unit=str(item.get("unit") or ""),
            question_en=str(item["question_en"]),
            question_ru=str(item.get("question_ru") or ""),
            question_kk=str(item.get("question_kk") or ""),
            guidance_en=str(item.get("guidance_en") or ""),
            applies_if=str(item.get("applies_if") or ""),
            constraint=str(item.get("constraint") or ""),
            negative_when=item.get("negative_when"),
            severity=str(item.get("severity") or ""),
            refs=item.get("refs") or [],
        )
        for n, item in enumerate(data["indicators"])
    )
    return checklist


def load_default() -> Checklist:
    """Install the packaged fair-trial checklist if it is not there yet (demo, first run, tests)."""
    text = DEFAULT_YAML.read_text(encoding="utf-8")
    data = read_yaml(text)
    found = Checklist.objects.filter(key=data["id"], version=data["version"]).first()
    return found or install(data, text)


def current_checklist() -> Checklist:
    """The version new observations use: the latest active one, else the latest one at all."""
    latest = Checklist.objects.filter(status=ChecklistStatus.ACTIVE).order_by("-version", "-pk").first()
    return latest or Checklist.objects.order_by("-version", "-pk").first() or load_default()
