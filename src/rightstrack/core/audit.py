"""Writing audit events. Only actions call `record_event`, inside their transaction."""

from __future__ import annotations

import datetime
import decimal
import uuid
from typing import Any

from django.db import models

from .models import AuditEvent


def json_value(value: Any) -> Any:
    """A JSON-safe copy of a field value."""
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple):
        return [json_value(v) for v in value]
    return value


def snapshot(obj: models.Model, fields: tuple[str, ...] | None = None) -> dict[str, Any]:
    """Field values of `obj` (EDITABLE_FIELDS by default), JSON-safe, for before/after."""
    names = (
        fields
        or getattr(obj, "EDITABLE_FIELDS", ())
        or tuple(f.attname for f in obj._meta.concrete_fields if f.editable and not f.primary_key)
    )
    out = {}
    for name in names:
        field = obj._meta.get_field(name)
        out[name] = json_value(getattr(obj, field.attname))
    return out


def record_event(
    actor,
    verb: str,
    obj: models.Model,
    *,
    before: dict | None = None,
    after: dict | None = None,
) -> AuditEvent:
    """Append an audit event for `obj`; organisation and confidentiality are copied so the log can be filtered."""
    from .visibility import owner_of

    owner = owner_of(obj)
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        verb=verb,
        organisation_id=getattr(owner, "organisation_id", None),
        confidentiality=getattr(owner, "confidentiality", ""),
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        sensitive_fields=list(getattr(type(obj), "SENSITIVE_FIELDS", ())),
        before=before,
        after=after,
    )
