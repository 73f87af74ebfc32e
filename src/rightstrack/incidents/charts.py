"""Charts of the statistics page, written by `core.charts` as plain SVG (any new act changes them, so they are
redrawn often: about a millisecond each instead of ~100 ms with matplotlib) and cached by their data."""

from __future__ import annotations

from functools import lru_cache

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from rightstrack.core.charts import Chart, bar_chart, line_chart

from .queries import Breakdown, Period


@lru_cache(maxsize=256)
def _bars(
    title: str, labels: tuple[str, ...], values: tuple[int, ...], unit: str, horizontal: bool, lang: str
) -> Chart:
    return bar_chart(labels, values, title=title, unit=unit, horizontal=horizontal, plain=True)


@lru_cache(maxsize=64)
def _lines(title: str, raw: tuple, annualised: tuple, partial: tuple[str, ...], unit: str, lang: str) -> Chart:
    series = {_("Recorded (raw)"): list(raw)}
    if annualised:
        series[_("Annualised estimate (partial periods only)")] = list(annualised)
    return line_chart(series, title=title, unit=unit, partial=partial, plain=True)


def breakdown_chart(breakdown: Breakdown, *, limit: int = 15) -> Chart | None:
    """A bar chart of a breakdown's largest rows (the table beside it lists all of them)."""
    rows = breakdown.rows[:limit]
    if not rows:
        return None
    horizontal = breakdown.key != "period"
    return _bars(
        breakdown.title,
        tuple(r["label"] for r in rows),
        tuple(r["count"] for r in rows),
        _("acts"),
        horizontal,
        get_language() or "en",
    )


def threat_chart(periods: list[Period]) -> Chart | None:
    """Raw counts per year, partial years marked; annualised figures drawn as their own series."""
    if not periods:
        return None
    raw = tuple((p.label, p.count) for p in periods)
    annualised = tuple((p.label, p.annualised) for p in periods if p.annualised is not None)
    partial = tuple(p.label for p in periods if p.partial)
    return _lines(
        _("HRD threat index: acts against defenders per year"),
        raw,
        annualised,
        partial,
        _("acts"),
        get_language() or "en",
    )
