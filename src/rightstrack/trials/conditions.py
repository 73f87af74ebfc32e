"""The small condition language of the checklist: `X == v`, `X in (a, b)`, joined by `and` / `or`.

Used for `applies_if` (evaluated on a monitor's answers) and for the filters, numerators and denominators
of derived findings (turned into SQL by `findings.py`). `and` binds tighter than `or`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .models import MISSING

CODE = r"[A-Z]{2,5}-\d{1,3}"
_ATOM = re.compile(rf"^({CODE})\s*(==|in)\s*(.+)$")
_CONSTRAINT = re.compile(rf"^({CODE})\s*(<=|>=|<|>)\s*({CODE})$")


class ConditionError(ValueError):
    """The text is not a condition this language can read."""


@dataclass(frozen=True)
class Atom:
    code: str
    values: frozenset[str]


#: OR of ANDs of atoms.
Condition = list[list[Atom]]


def parse(text: str) -> Condition:
    """Parse a condition; a leading "<units> where " (as in derived-finding denominators) is ignored."""
    text = " ".join(str(text).split())
    if " where " in text:
        text = text.split(" where ", 1)[1]
    if not text:
        raise ConditionError("empty condition")
    out: Condition = []
    for alternative in re.split(r"\s+or\s+", text):
        conjunction = []
        for part in re.split(r"\s+and\s+", alternative):
            conjunction.append(_atom(part.strip()))
        out.append(conjunction)
    return out


def _atom(text: str) -> Atom:
    match = _ATOM.match(text)
    if not match:
        raise ConditionError(f"cannot read {text!r}: expected 'CODE == value' or 'CODE in (a, b)'")
    code, op, rest = match.groups()
    if op == "==":
        values = [rest.strip().strip("\"'")]
    else:
        rest = rest.strip()
        if not (rest.startswith("(") and rest.endswith(")")):
            raise ConditionError(f"cannot read {text!r}: 'in' needs a list in brackets")
        values = [v.strip().strip("\"'") for v in rest[1:-1].split(",") if v.strip()]
    if not values or any(not re.fullmatch(r"[a-z0-9_]+", v) for v in values):
        raise ConditionError(f"cannot read the values in {text!r}")
    return Atom(code, frozenset(values))


def codes(condition: Condition) -> set[str]:
    return {atom.code for conjunction in condition for atom in conjunction}


def evaluate(condition: Condition, answers: dict[str, str]) -> bool | None:
    """True/False, or None when it depends on an answer not given yet.

    An excluded answer (not_observed, not_applicable) never matches; a missing one is unknown.
    """
    result: bool | None = False
    for conjunction in condition:
        value: bool | None = True
        for atom in conjunction:
            given = answers.get(atom.code)
            if given is None or given == "":
                truth: bool | None = None
            else:
                truth = given not in MISSING and given in atom.values
            if truth is False:
                value = False
                break
            if truth is None:
                value = None
        if value is True:
            return True
        if value is None:
            result = None
    return result


def parse_constraint(text: str) -> tuple[str, str, str]:
    """`EQA-2 <= EQA-1` → ("EQA-2", "<=", "EQA-1")."""
    match = _CONSTRAINT.match(" ".join(str(text).split()))
    if not match:
        raise ConditionError(f"cannot read constraint {text!r}")
    return match.group(1), match.group(2), match.group(3)


def constraint_holds(op: str, left: int, right: int) -> bool:
    return {"<=": left <= right, ">=": left >= right, "<": left < right, ">": left > right}[op]
