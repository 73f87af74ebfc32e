"""What the public portal reads: only what an anonymous visitor may see, through core.visibility."""

from __future__ import annotations

from collections import Counter

from django.apps import apps
from django.db import connection, models
from django.db.models import Q, QuerySet

from rightstrack.core import visibility
from rightstrack.reports.models import Publication
from rightstrack.reports.queries import publications

__all__ = ["publications", "public", "search_publications", "public_recommendations", "trial_statistics", "ready_model"]


def ready_model(label: str) -> type[models.Model] | None:
    """A model whose app is installed and whose table exists (other modules may not be migrated yet)."""
    app_label, _sep, name = label.partition(".")
    if not apps.is_installed(f"rightstrack.{app_label}"):
        return None
    try:
        model = apps.get_model(app_label, name)
    except LookupError:
        return None
    return model if model._meta.db_table in connection.introspection.table_names() else None


def public(model: type[models.Model]) -> QuerySet:
    return visibility.visible(visibility.anonymous(), model)


def search_publications(query: str) -> QuerySet[Publication]:
    qs = publications()
    if query:
        qs = qs.filter(Q(title__icontains=query) | Q(search_text__icontains=query))
    return qs


def public_recommendations(query: str = "", status: str = "") -> QuerySet | None:
    """Public recommendations with the status of their latest public assessment (None: module not available)."""
    Recommendation = ready_model("recommendations.Recommendation")
    Assessment = ready_model("recommendations.Assessment")
    if Recommendation is None or Assessment is None:
        return None
    latest = (
        public(Assessment).filter(recommendation=models.OuterRef("pk")).order_by("-date", "-pk").values("status")[:1]
    )
    qs = (
        public(Recommendation)
        .select_related("review__mechanism", "review__state")
        .annotate(latest_status=models.Subquery(latest))
        .order_by("-review__date", "pk")
    )
    if query:
        qs = qs.filter(Q(text__icontains=query) | Q(upr_id__icontains=query))
    if status == "no_info":
        qs = qs.filter(Q(latest_status__isnull=True) | Q(latest_status="no_info"))
    elif status:
        qs = qs.filter(latest_status=status)
    return qs


def trial_statistics() -> dict | None:
    """Counts over public trial records (None: module not available)."""
    Case, Hearing = ready_model("trials.Case"), ready_model("trials.Hearing")
    if Case is None or Hearing is None:
        return None
    cases = public(Case)
    hearings = public(Hearing)
    by_city = Counter(hearings.values_list("case__court__city", flat=True))
    return {
        "cases": cases.count(),
        "hearings": hearings.count(),
        "by_city": sorted(by_city.items(), key=lambda kv: (-kv[1], kv[0] or "")),
    }
