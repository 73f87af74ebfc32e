"""Which records a verdict may cite as evidence, besides passages: data points, documents, and the
records of the incidents and trials apps when those are installed.

A kind is a model label ("incidents.act"). A model qualifies when `core.visibility.visible()` can filter
it (its own organisation/confidentiality, or `VISIBILITY_VIA`). Other apps may add theirs with
`register("app.Model")`; nothing here imports their code.
"""

from __future__ import annotations

from django.apps import apps
from django.db import models
from django.db.models import Q

from rightstrack.core import visibility

#: Looked up at run time; those whose app or model does not exist (yet) are skipped.
CANDIDATES: list[str] = [
    "claims.DataPoint",
    "evidence.SourceDocument",
    "incidents.Event",
    "incidents.Act",
    "incidents.Intervention",
    "trials.Case",
    "trials.Hearing",
    "trials.Observation",
    "trials.Finding",
    "recommendations.Assessment",
]


def register(label: str) -> None:
    """Allow verdicts to cite records of `label` ("app.Model")."""
    if label not in CANDIDATES:
        CANDIDATES.append(label)


def _filterable(model: type[models.Model]) -> bool:
    via = getattr(model, "VISIBILITY_VIA", "")
    if via:
        try:
            parent = model._meta.get_field(via).related_model
        except Exception:  # noqa: BLE001 - a misdeclared model simply does not qualify
            return False
        return _filterable(parent)
    names = {f.name for f in model._meta.get_fields()}
    return {"organisation", "confidentiality"} <= names


def kinds() -> dict[str, type[models.Model]]:
    """label_lower → model for every evidence kind available in this installation."""
    out: dict[str, type[models.Model]] = {}
    for label in CANDIDATES:
        try:
            model = apps.get_model(label)
        except (LookupError, ValueError):
            continue
        if _filterable(model):
            out[model._meta.label_lower] = model
    return out


def model_for(label: str) -> type[models.Model] | None:
    return kinds().get(str(label).lower())


def search_fields(model: type[models.Model]) -> list[str]:
    """Text fields a search may look in: never the sensitive ones, so identities cannot be probed."""
    sensitive = set(getattr(model, "SENSITIVE_FIELDS", ()))
    return [
        f.name
        for f in model._meta.concrete_fields
        # Free text only: a choice field ("internal", "draft") would match every record.
        if isinstance(f, models.CharField | models.TextField)
        and f.name not in sensitive
        and f.editable
        and not f.choices
    ]


def search(user, model: type[models.Model], query: str, limit: int = 10) -> list[models.Model]:
    """Visible records of `model` whose non-sensitive text contains `query`."""
    fields = search_fields(model) + list(getattr(model, "EVIDENCE_SEARCH", ()))
    if not query or not fields:
        return []
    condition = Q()
    for name in fields:
        condition |= Q(**{f"{name}__icontains": query})
    qs = visibility.visible(user, model).filter(condition)
    if model._meta.label_lower == "claims.datapoint":
        from .models import Indicator

        qs = qs.filter(visibility.visibility_q(user, Indicator, prefix="indicator__")).select_related("indicator")
    return list(qs.order_by("-pk")[:limit])
