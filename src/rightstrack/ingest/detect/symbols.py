"""UN document symbols: CCPR/C/KAZ/CO/2, E/CN.4/2005/60/Add.2, A/HRC/WG.6/34/KAZ/1 ..."""

from __future__ import annotations

import re
from collections.abc import Iterable

VERSION = "symbols-1.0"

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
_COMPONENT = re.compile(r"^(?:[A-Z][A-Za-z]{0,9}(?:\.\d+)*|\d+(?:\.\d+)*|[A-Z]+-?\d+|\d+[A-Z]?)(?:\([^)]*\))?$")
# Cyrillic letters typed for Latin ones inside a symbol ("CCPR/С/KAZ/3" with a Cyrillic С).
_FOLD = str.maketrans("АВЕКМНОРСТХаеорсх", "ABEKMHOPCTXaeopcx")


def find_symbols(text: str) -> list[str]:
    """Document symbols in ``text``, in order of appearance (duplicates kept)."""
    found = []
    folded = text.translate(_FOLD)  # one-to-one, so positions still match the original
    for match in _CANDIDATE.finditer(folded):
        symbol = match.group(0).rstrip(".-")
        parts = symbol.split("/")
        if parts[0].split(".")[0] not in SERIES or len(parts) < 3:
            continue
        if not all(_COMPONENT.match(part) for part in parts[1:]):
            continue
        found.append(symbol)
    return found


def detect(texts: Iterable[str]) -> list[str]:
    """Unique symbols across ``texts`` in order of first appearance."""
    seen: dict[str, None] = {}
    for text in texts:
        for symbol in find_symbols(text):
            seen.setdefault(symbol, None)
    return list(seen)
