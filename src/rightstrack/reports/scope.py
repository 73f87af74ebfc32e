"""What a report may read: the builder's visible records, limited to the chosen organisations and public records."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import connection, models
from django.db.models import Q, QuerySet

from rightstrack.core import visibility
from rightstrack.core.models import Confidentiality

from .models import STATES, state_title


@dataclass
class Scope:
    """The inputs of a generator, independent of a saved definition (the CLI builds without one)."""

    user: Any  # the builder; AnonymousUser reads public records only
    kind: str
    state: str = "KZ"
    language: str = "en"
    org_ids: list[int] = field(default_factory=list)
    period_start: datetime.date | None = None
    period_end: datetime.date | None = None
    filters: dict[str, Any] = field(default_factory=dict)
    title: str = ""
    authors: list[str] = field(default_factory=list)
    synthetic: bool = False
    word_limit: int | None = None
    _tables: set[str] | None = None

    @property
    def state_name(self) -> str:
        return STATES.get(self.state, (self.state, self.state))[0]

    @property
    def state_name_local(self) -> str:
        return state_title(self.state, self.language)

    def model(self, label: str) -> type[models.Model] | None:
        """The model `app.Model` if its app is installed and its table exists (other apps may not have migrated yet)."""
        app_label, _sep, name = label.partition(".")
        if not apps.is_installed(f"rightstrack.{app_label}"):
            return None
        try:
            model = apps.get_model(app_label, name)
        except LookupError:
            return None
        if self._tables is None:
            self._tables = set(connection.introspection.table_names())
        return model if model._meta.db_table in self._tables else None

    def records(self, model: type[models.Model]) -> QuerySet:
        """Rows the builder may see that belong to the chosen organisations, or are public."""
        via = getattr(model, "VISIBILITY_VIA", "")
        path = f"{via}__" if via else ""
        qs = visibility.visible(self.user, model)
        owned = Q(**{f"{path}confidentiality": Confidentiality.PUBLIC})
        if self.org_ids:
            owned |= Q(**{f"{path}organisation_id__in": self.org_ids})
        return qs.filter(owned)

    def in_period(self, qs: QuerySet, field_name: str) -> QuerySet:
        if self.period_start:
            qs = qs.filter(**{f"{field_name}__gte": self.period_start})
        if self.period_end:
            qs = qs.filter(**{f"{field_name}__lte": self.period_end})
        return qs
