"""Domain errors raised by actions; middleware and the API turn them into clear responses."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _


class DomainError(Exception):
    """Base class: `message` is safe to show to the user (it never names records they cannot see)."""

    status = 400

    def __init__(self, message: str, *, field: str | None = None, links: list[tuple[str, str]] | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        #: (label, url) pairs naming what to fix and where: the error page lists them under the message.
        self.links = links or []


class InvalidInput(DomainError):
    status = 400


class NotFound(DomainError):
    """Raised both for records that do not exist and for records the user may not see."""

    status = 404


def no_page() -> NotFound:
    """The one answer for a page that does not exist or that the user may not use (ids cannot be probed)."""
    return NotFound(_("No such page, or you do not have access to it."))


class Forbidden(DomainError):
    status = 403


class TooLarge(DomainError):
    status = 413


class Conflict(DomainError):
    """A stale edit: someone saved a newer version since the form was opened."""

    status = 409

    def __init__(
        self,
        message: str,
        *,
        current: dict[str, Any],
        submitted: dict[str, Any],
        version: int,
        labels: dict[str, str] | None = None,
    ):
        super().__init__(message)
        self.current = current
        self.submitted = submitted
        self.version = version
        self.labels = labels or {}

    def rows(self) -> list[tuple[str, Any, Any, bool]]:
        """(label, saved value, submitted value, differs) for each field, for the conflict page."""
        return [
            (self.labels.get(name, name), saved, self.submitted.get(name), saved != self.submitted.get(name))
            for name, saved in self.current.items()
        ]
