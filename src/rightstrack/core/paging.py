"""Paging of API lists: `?limit=` (1–MAX_LIMIT, default DEFAULT_LIMIT) and `?offset=` (0–MAX_OFFSET).

Every list endpoint uses `@paginate(Paging)`. Values out of range or not whole numbers are answered
400 with a message naming the parameter (see `rightstrack.api.paging_error`), never a database error
from an offset too large for the database's integers.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
# Far beyond any list RightsTrack holds, far below the 64-bit integers databases accept.
MAX_OFFSET = 10_000_000

PARAMETERS = {
    "limit": (1, MAX_LIMIT),
    "offset": (0, MAX_OFFSET),
}


class Paging(LimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=f"items per page, 1–{MAX_LIMIT}")
        offset: int = Field(0, ge=0, le=MAX_OFFSET, description=f"items to skip, 0–{MAX_OFFSET:,}")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_limit=MAX_LIMIT, **kwargs)


def paging_problem(errors: list[dict[str, Any]]) -> tuple[str, str] | None:
    """(parameter, message) when a request's validation errors are about ?limit= or ?offset=, else None."""
    for error in errors:
        loc = tuple(error.get("loc", ()))
        if len(loc) >= 2 and loc[0] == "query" and loc[-1] in PARAMETERS:
            name = loc[-1]
            low, high = PARAMETERS[name]
            message = _("?%(name)s= must be a whole number from %(low)s to %(high)s.")
            return name, message % {"name": name, "low": low, "high": f"{high:,}"}
    return None
