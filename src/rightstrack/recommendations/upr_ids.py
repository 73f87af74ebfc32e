"""UPR IDs ("139.61") and ranges of them ("139.61-139.67, 139.79-139.81" → 10 IDs)."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from rightstrack.core.errors import InvalidInput, TooLarge

MAX_IDS = 500
_ID = re.compile(r"^(\d{1,4})\.(\d{1,4})$")
_DASHES = re.compile(r"\s*[-–—]\s*")


def _split(upr_id: str) -> tuple[int, int]:
    match = _ID.match(upr_id.strip())
    if not match:
        raise InvalidInput(_("“%(id)s” is not a UPR ID like 139.61.") % {"id": upr_id.strip()[:40]}, field="upr_ids")
    return int(match.group(1)), int(match.group(2))


def expand(spec: str) -> list[str]:
    """Expand a comma-separated list of UPR IDs and ranges, in order, without duplicates.

    A range must stay inside one paragraph of one outcome report (139.61-139.67); one that runs
    backwards or crosses into another paragraph or report (139.90-140.2) is refused, as is a list
    of more than MAX_IDS.
    """
    out: list[str] = []
    seen: set[str] = set()
    pieces = [p.strip() for p in (spec or "").replace(";", ",").split(",") if p.strip()]
    if not pieces:
        raise InvalidInput(_("Enter at least one UPR ID, e.g. 139.61 or 139.61-139.67."), field="upr_ids")
    for piece in pieces:
        ends = _DASHES.split(piece)
        if len(ends) == 1:
            ids = [ends[0]]
            _split(ends[0])
        elif len(ends) == 2:
            (p1, n1), (p2, n2) = _split(ends[0]), _split(ends[1])
            if p1 != p2:
                raise InvalidInput(
                    _("The range %(r)s spans two paragraphs or reports; enter each part separately.") % {"r": piece},
                    field="upr_ids",
                )
            if n2 < n1:
                raise InvalidInput(_("The range %(r)s runs backwards.") % {"r": piece}, field="upr_ids")
            if n2 - n1 + 1 > MAX_IDS:
                raise TooLarge(_("At most %(n)s UPR IDs at once.") % {"n": MAX_IDS}, field="upr_ids")
            ids = [f"{p1}.{n}" for n in range(n1, n2 + 1)]
        else:
            raise InvalidInput(_("“%(r)s” is not a UPR ID range.") % {"r": piece[:40]}, field="upr_ids")
        for upr_id in ids:
            p, n = _split(upr_id)
            key = f"{p}.{n}"
            if key not in seen:
                seen.add(key)
                out.append(key)
        if len(out) > MAX_IDS:
            raise TooLarge(_("At most %(n)s UPR IDs at once.") % {"n": MAX_IDS}, field="upr_ids")
    return out


def sort_key(upr_id: str) -> tuple[int, int, str]:
    """Numeric order: 139.9 before 139.61."""
    match = _ID.match(upr_id or "")
    return (int(match.group(1)), int(match.group(2)), "") if match else (10**6, 0, upr_id or "")
