"""UPR recommendation IDs ("139.61") and ranges ("139.61-139.67", "139.61–67"), expanded."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

VERSION = "upr-1.1"

MAX_RANGE = 500
_CONTEXT = re.compile(
    r"recommendation|\bUPR\b|universal periodic review|рекомендаци|ұсыныс|\bsupported\b|\bnoted\b|"
    r"\baccepted\b|\bimplemented\b|поддержан|принят",
    re.I,
)
_RANGE = re.compile(
    r"(?<![\d.,/])(\d{2,3})\.(\d{1,3})\s*(?:[-‐‑–—]|\bto\b|\bдо\b|\bпо\b)\s*(?:(\d{2,3})\.)?(\d{1,3})(?![\d%]|\.\d|\s*(?:%|per\s*cent))"
)
_SINGLE = re.compile(r"(?<![\d.,/])(\d{2,3})\.(\d{1,3})(?![\d%]|\.\d|\s*(?:%|per\s*cent|percent|times|million))")
_NOT_UPR_BEFORE = re.compile(r"(?:Articles?|Art\.|стать[яиейю]|ст\.|part|section|§)\s*$", re.I)
# Without UPR wording nearby, only a fully written range with the same paragraph on both sides
# ("see 139.61-139.63") is taken as IDs: decimals rarely repeat their integer part that way, and a
# unit or currency after it ("12.5-12.8 million") or before it ("$ 10.1-10.4") still rules it out.
_EXPLICIT_RANGE = re.compile(
    r"(?<![\d.,/])(\d{2,3})\.(\d{1,3})\s*[-‐‑–—]\s*\1\.(\d{1,3})(?![\d%]|\.\d)"
    r"(?!\s*(?:%|per\s*cent|percent|times|million|billion|thousand|bn\b|m\b|tenge|KZT|USD|EUR|"
    r"млн|млрд|тыс|тенге|процент|раз))",
    re.I,
)
_CURRENCY_BEFORE = re.compile(r"(?:[$€£₸]|USD|EUR|KZT|from|between|от|с)\s*$", re.I)


@dataclass
class UprResult:
    """IDs found (expanded, unique, in order) and ranges refused with the reason."""

    ids: list[str] = field(default_factory=list)
    rejected: list[tuple[str, str]] = field(default_factory=list)


def expand_range(start: str, end: str) -> list[str]:
    """Expand '139.61'..'139.67' (or '139.61'..'67'); raise ValueError for an invalid range."""
    major, minor = start.split(".")
    if "." in end:
        end_major, end_minor = end.split(".")
    else:
        end_major, end_minor = major, end
    if end_major != major:
        raise ValueError(f"range {start}-{end} spans paragraphs {major} and {end_major}")
    low, high = int(minor), int(end_minor)
    if high < low:
        raise ValueError(f"range {start}-{end} runs backwards")
    if high - low >= MAX_RANGE:
        raise ValueError(f"range {start}-{end} is implausibly long")
    return [f"{major}.{n}" for n in range(low, high + 1)]


def find_ids(text: str, *, require_context: bool = True) -> UprResult:
    """UPR IDs cited in one passage; without UPR wording nearby, dotted numbers are not IDs."""
    result = UprResult()
    if require_context and not _CONTEXT.search(text):
        return _explicit_ranges(text)
    taken: list[tuple[int, int]] = []
    events: list[tuple[int, list[str]]] = []
    for match in _RANGE.finditer(text):
        if _NOT_UPR_BEFORE.search(text[: match.start()]):
            continue
        start = f"{match.group(1)}.{match.group(2)}"
        end = f"{match.group(3)}.{match.group(4)}" if match.group(3) else match.group(4)
        taken.append(match.span())
        try:
            events.append((match.start(), expand_range(start, end)))
        except ValueError as exc:
            result.rejected.append((match.group(0), str(exc)))
    for match in _SINGLE.finditer(text):
        if any(a <= match.start() < b for a, b in taken) or _NOT_UPR_BEFORE.search(text[: match.start()]):
            continue
        events.append((match.start(), [f"{int(match.group(1))}.{int(match.group(2))}"]))
    seen: dict[str, None] = {}
    for _, ids in sorted(events):
        for upr_id in ids:
            seen.setdefault(upr_id, None)
    result.ids = list(seen)
    return result


def _explicit_ranges(text: str) -> UprResult:
    """IDs in a passage without UPR wording: explicit same-paragraph ranges, and single IDs of that paragraph."""
    result = UprResult()
    majors: set[str] = set()
    for match in _EXPLICIT_RANGE.finditer(text):
        before = text[: match.start()]
        if _NOT_UPR_BEFORE.search(before) or _CURRENCY_BEFORE.search(before):
            continue
        try:
            expand_range(f"{match.group(1)}.{match.group(2)}", f"{match.group(1)}.{match.group(3)}")
        except ValueError:
            continue
        majors.add(match.group(1))
    if not majors:
        return result
    # With an explicit range in the passage, the ordinary rules apply to that paragraph's IDs.
    found = find_ids(text, require_context=False)
    result.ids = [upr_id for upr_id in found.ids if upr_id.split(".")[0] in majors]
    result.rejected = [(raw, why) for raw, why in found.rejected if raw.split(".")[0] in majors]
    return result


def detect(texts: Iterable[str]) -> UprResult:
    """IDs across passages, unique and in order of appearance."""
    total = UprResult()
    seen: dict[str, None] = {}
    for text in texts:
        found = find_ids(text)
        for upr_id in found.ids:
            seen.setdefault(upr_id, None)
        total.rejected.extend(found.rejected)
    total.ids = list(seen)
    return total
