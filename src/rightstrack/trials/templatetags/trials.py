"""Template helpers for the findings tables."""

from __future__ import annotations

from urllib.parse import urlencode

from django import template
from django.template.loader import get_template
from django.urls import reverse

register = template.Library()


@register.filter
def get(mapping, key):
    """`mapping|get:key` (dict lookup with a variable key)."""
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.simple_tag(takes_context=True)
def figure(context, finding, fig, key: str, breakdown: str, period: str):
    """One figure cell: n / d (%), excluded, each a link to the answers behind it."""
    params = {"finding": finding.key, "breakdown": breakdown if key else "", "key": key, "period": period}
    base = reverse("trials:findings_drill") + "?" + urlencode({k: v for k, v in params.items() if v})
    return get_template("trials/_figure.html").render({"f": finding, "fig": fig, "base": base}, context.request)


@register.filter
def block_kind(block) -> str:
    """ "paragraph", "table" or "figure" for a report document block."""
    return type(block).__name__.lower()


@register.simple_tag
def answer_form(item, action: str, group: str):
    """One checklist answer form (see trials.formrender: rendered in Python, it is the page's hot path)."""
    from rightstrack.trials.formrender import answer_form as render_form

    return render_form(item, action=action, group=group)
