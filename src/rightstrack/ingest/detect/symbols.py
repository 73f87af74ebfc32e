"""UN document symbols: CCPR/C/KAZ/CO/2, E/CN.4/2005/60/Add.2, A/HRC/WG.6/34/KAZ/1 ...

Also the forms the ST/LIB conventions allow and documents print: combined reports
(CERD/C/KAZ/CO/8-10), Add./Corr./Rev./L. parts written with a space ("Add. 1"), a symbol split
at a line end ("CCPR/C/KAZ/ CO/2" once the lines are joined), and implied symbols that share
everything but their last number ("CCPR/C/SR.3271 and 3272", "SR.3271 и 3272", "SR.3271 және 3272").
"""

from __future__ import annotations

import re
from collections.abc import Iterable

VERSION = "symbols-1.1"

# First components of UN document symbols (main organs, treaty bodies and common series).
SERIES = frozenset(
    {
        "A",
        "E",
        "S",
        "ST",
        "CCPR",
        "CAT",
        "CERD",
        "CEDAW",
        "CRC",
        "CRPD",
        "CMW",
        "CED",
        "CESCR",
        "HRI",
        "SPT",
        "UNW",
        "TD",
        "DP",
        "UNEP",
        "ECE",
        "ESCAP",
        "ECA",
        "ECLAC",
        "ESCWA",
        "ICCD",
        "FCCC",
        "INCB",
        "UNICEF",
        "UNHCR",
        "IDB",
        "JIU",
        "SG",
        "GC",
        "OHCHR",
    }
)
_CANDIDATE = re.compile(
    r"(?<![\w/.])[A-Z][A-Za-z]{0,7}(?:\.\d+)?(?:/[A-Za-z0-9][A-Za-z0-9.\-]*(?:\([^)\s/]{1,12}\))?)+"
)
_COMPONENT = re.compile(
    r"^(?:[A-Z][A-Za-z]{0,9}(?:\.\d+)*|\d+(?:\.\d+)*|[A-Z]+-?\d+|\d+[A-Z]?|\d{1,2}-\d{1,2})(?:\([^)]*\))?$"
)
# "Add. 1" -> "Add.1"; "KAZ/ CO" or "KAZ /CO" (a line break inside the symbol) -> "KAZ/CO".
# Also "SR. 3271" and "WG. 6" where a line was broken after the dot.
_SPACED_PART = re.compile(r"(?<=/)([A-Z][A-Za-z]{0,5})\.\s+(?=\d)")
_SPLIT = re.compile(r"(?<=[A-Za-z0-9.)])/\s+(?=[A-Z0-9])|(?<=[A-Za-z0-9])\s+/(?=[A-Z])")
# "SR.3271 and 3272" / ", 3272" / "и 3272" / "және 3272": the same symbol with another last number.
_IMPLIED = re.compile(r"^(?:\s*(?:,|and|и|жән[еe]|&)\s*(\d{1,5}))+(?![\d/.]\d)")
_IMPLIED_EACH = re.compile(r"(?:,|and|и|жән[еe]|&)\s*(\d{1,5})")
# Cyrillic letters typed for Latin ones inside a symbol ("CCPR/С/KAZ/3" with a Cyrillic С).
_FOLD = str.maketrans("АВЕКМНОРСТХаеорсх", "ABEKMHOPCTXaeopcx")


def find_symbols(text: str) -> list[str]:
    """Document symbols in ``text``, in order of appearance (duplicates kept)."""
    found = []
    folded = _SPLIT.sub("/", _SPACED_PART.sub(r"\1.", text.translate(_FOLD)))
    for match in _CANDIDATE.finditer(folded):
        symbol = match.group(0).rstrip(".-")
        parts = symbol.split("/")
        if parts[0].split(".")[0] not in SERIES or len(parts) < 3:
            continue
        if not all(_COMPONENT.match(part) for part in parts[1:]):
            continue
        found.append(symbol)
        last = re.search(r"(\d+)$", symbol)
        implied = _IMPLIED.match(folded[match.start() + len(symbol) :]) if last else None
        if implied:
            stem = symbol[: last.start()]  # type: ignore[union-attr]
            width = len(last.group(1))  # type: ignore[union-attr]
            for each in _IMPLIED_EACH.finditer(implied.group(0)):
                # Only numbers of the same kind: "SR.3271 and 3272", not "CO/2 and 15 others".
                if len(each.group(1)) == width:
                    found.append(stem + each.group(1))
    return found


def detect(texts: Iterable[str]) -> list[str]:
    """Unique symbols across ``texts`` in order of first appearance."""
    seen: dict[str, None] = {}
    for text in texts:
        for symbol in find_symbols(text):
            seen.setdefault(symbol, None)
    return list(seen)
