"""Display of figures, gaps and ratios."""

from __future__ import annotations

import decimal

from django import template

register = template.Library()


def number_text(value) -> str:
    """1234.5000 → "1,234.5"; integers without decimals."""
    if value is None or value == "":
        return "—"
    number = decimal.Decimal(str(value))
    text = f"{number:,f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


@register.filter
def num(value) -> str:
    return number_text(value)


@register.filter
def pct(value) -> str:
    """A gap (0–1) as a whole percentage."""
    if value is None:
        return "—"
    return f"{round(float(value) * 100)} %"


@register.filter
def times(value) -> str:
    if value is None:
        return "—"
    return f"×{float(value):.1f}"


@register.filter
def get_item(mapping, key):
    """mapping[key] in a template (empty list when missing)."""
    return mapping.get(key, []) if mapping else []
