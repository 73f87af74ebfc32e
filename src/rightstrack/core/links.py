"""Where a record's page is, so a refusal can link to the record that blocks it.

Core cannot import the domain apps; each registers its models in its AppConfig.ready():
`links.register("incidents.Event", lambda event: reverse("incidents:event_detail", args=[event.pk]))`.
A `fix` link says where a problem of that kind is repaired (a person's consent form).
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import models
from django.urls import NoReverseMatch

_PAGES: dict[str, Callable[[models.Model], str]] = {}
_CONSENT: dict[str, Callable[[models.Model], str]] = {}


def register(label: str, page: Callable[[models.Model], str], *, consent: Callable | None = None) -> None:
    """`label` is "app.Model"; `consent` (for persons) gives the page where their consent is recorded."""
    _PAGES[label] = page
    if consent is not None:
        _CONSENT[label] = consent


def _call(table: dict, obj: models.Model) -> str:
    found = table.get(obj._meta.label)
    if found is None:
        return ""
    try:
        return found(obj)
    except NoReverseMatch:  # the app is installed but not mounted
        return ""


def page_of(obj: models.Model) -> str:
    """The record's own page, or "" when it has none."""
    return _call(_PAGES, obj)


def consent_page_of(obj: models.Model) -> str:
    """Where a person's consent to publication is recorded, or "" (not a person, or incidents not installed)."""
    return _call(_CONSENT, obj)
