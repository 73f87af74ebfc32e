"""How complete an observation is: answered and required questions, per checklist group and overall.

A question is required once per subject it asks about (each defendant present for defendant questions, the
hearing otherwise), unless its `applies_if` condition is false for that subject (such answers are stored as
not applicable automatically) or it is a once-per-case question already answered in a counted observation of
the same case. "Not observed" is an answer: the monitor said they could not see it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import conditions
from .models import Answer, Indicator, IndicatorGroup, Observation, Scope


@dataclass
class Missing:
    indicator: Indicator
    defendant_label: str = ""


@dataclass
class GroupCompleteness:
    group: IndicatorGroup
    answered: int = 0
    required: int = 0
    missing: list[Missing] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return self.answered >= self.required


@dataclass
class Completeness:
    groups: list[GroupCompleteness]

    @property
    def answered(self) -> int:
        return sum(g.answered for g in self.groups)

    @property
    def required(self) -> int:
        return sum(g.required for g in self.groups)

    @property
    def missing(self) -> list[Missing]:
        return [m for g in self.groups for m in g.missing]

    @property
    def complete(self) -> bool:
        return all(g.complete for g in self.groups)

    def group(self, code: str) -> GroupCompleteness | None:
        return next((g for g in self.groups if g.group.code == code), None)


def observation_completeness(observation: Observation, defendant_labels: dict[int, str] | None = None) -> Completeness:
    """Answered/required per group of the observation's checklist version (three queries)."""
    labels = defendant_labels or {}
    present = list(observation.defendants_present.order_by("position").values_list("pk", flat=True))
    answers: dict[tuple[int, int | None], str] = {}
    codes: dict[int | None, dict[str, str]] = {}
    for indicator_id, code, defendant_id, value in Answer.objects.filter(observation=observation).values_list(
        "indicator_id", "indicator__code", "defendant_id", "value"
    ):
        answers[(indicator_id, defendant_id)] = value
        codes.setdefault(defendant_id, {})[code] = value
    elsewhere = set(
        Answer.objects.filter(case_id=observation.case_id, counted=True, indicator__repeat="once")
        .exclude(observation=observation)
        .values_list("indicator__series", "defendant_id")
    )
    groups = {g.pk: GroupCompleteness(group=g) for g in observation.checklist.groups.all()}
    for indicator in Indicator.objects.filter(checklist_id=observation.checklist_id).order_by("position"):
        entry = groups[indicator.group_id]
        condition = conditions.parse(indicator.applies_if) if indicator.applies_if else None
        subjects: list[int | None] = present if indicator.scope == Scope.DEFENDANT else [None]
        for subject in subjects:
            if (indicator.pk, subject) in answers:
                entry.required += 1
                entry.answered += 1
                continue
            if indicator.repeat == "once" and (indicator.series, subject) in elsewhere:
                continue
            # Defendant questions may depend on hearing questions: both maps are consulted.
            known = {**codes.get(None, {}), **codes.get(subject, {})}
            if condition is not None and conditions.evaluate(condition, known) is False:
                continue
            entry.required += 1
            entry.missing.append(Missing(indicator, labels.get(subject, "") if subject else ""))
    return Completeness(groups=list(groups.values()))
