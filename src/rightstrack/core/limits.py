"""Length limits for every free-text field, in one place.

- Short text (a `CharField`): its `max_length` (titles 300, names 200, notes 500 …).
- Long text (a `TextField` people type: descriptions, notes, paragraphs, rationales): `LONG` characters,
  or the field's own `max_length` when its model sets a stricter one.
- A report paragraph: `PARAGRAPH` (a generated one may quote a whole recommendation, itself up to `LONG`).
- Machine-written text (passages read from uploaded files, a checklist's YAML, search text): `MACHINE`,
  a safety cap rather than a rule.

The limits are read from the model fields, so a new field is covered without being listed here.
`check()` is called by core.actions before every create/update (a clear InvalidInput naming the field
and the limit); a `pre_save` receiver refuses oversized text from any other write path, so nothing
longer than its limit is ever stored; forms rendered with `includes/form_fields.html` get a matching
`maxlength` (the `limited` filter), imports call `overflows()` per row.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models.signals import pre_save
from django.utils.translation import gettext as _

from .errors import InvalidInput

LONG = 20_000
PARAGRAPH = 100_000
MACHINE = 10_000_000

# Text fields with a limit other than LONG ("app.model.field").
SPECIAL = {
    "reports.reportblock.text": PARAGRAPH,
    # Written by the application from uploaded or generated material, never typed into a form.
    "evidence.passage.text": MACHINE,
    "trials.checklist.source_yaml": MACHINE,
    "reports.reportblock.generated_text": MACHINE,
    "reports.publication.search_text": MACHINE,
    "recommendations.importjob.error": MACHINE,
}


def limit_for(field: models.Field) -> int | None:
    """The most characters `field` may hold, or None for fields that are not text."""
    if isinstance(field, models.TextField):
        if field.max_length:
            return field.max_length
        return SPECIAL.get(f"{field.model._meta.label_lower}.{field.name}", LONG)
    if isinstance(field, models.CharField):
        return field.max_length
    return None


def text_fields(model: type[models.Model]) -> list[tuple[models.Field, int]]:
    """(field, limit) for every concrete text field of `model`."""
    out = []
    for field in model._meta.concrete_fields:
        limit = limit_for(field)
        if limit:
            out.append((field, limit))
    return out


def message(label: str, limit: int, length: int) -> str:
    """The one wording of a too-long text, for forms, the API and imports alike."""
    return _("%(field)s: at most %(limit)s characters (this has %(length)s).") % {
        "field": label,
        "limit": f"{limit:,}",
        "length": f"{length:,}",
    }


def overflows(model: type[models.Model], values: dict[str, Any]) -> list[tuple[str, int, int]]:
    """(field name, limit, length) for each value in `values` longer than its field of `model` allows."""
    out = []
    for field, limit in text_fields(model):
        value = values.get(field.name)
        if isinstance(value, str) and len(value) > limit:
            out.append((field.name, limit, len(value)))
    return out


def check(obj: models.Model, fields: Any = None) -> None:
    """Raise InvalidInput naming the first text field of `obj` (or of `fields`) over its limit, and the limit."""
    values = {f.name: getattr(obj, f.attname) for f, _limit in text_fields(type(obj))}
    if fields is not None:
        values = {k: v for k, v in values.items() if k in set(fields)}
    for name, limit, length in overflows(type(obj), values):
        label = str(obj._meta.get_field(name).verbose_name).capitalize()
        raise InvalidInput(message(label, limit, length), field=name)


def _refuse_oversized(sender, instance, raw: bool = False, update_fields=None, **kwargs: Any) -> None:
    # Rows loaded by restore (raw) are kept as they were written; everything else is checked.
    if raw or not sender.__module__.startswith("rightstrack."):
        return
    check(instance, update_fields)


def connect() -> None:
    """Refuse oversized text on every save of a RightsTrack model (called once from CoreConfig.ready)."""
    pre_save.connect(_refuse_oversized, dispatch_uid="rightstrack.limits")
