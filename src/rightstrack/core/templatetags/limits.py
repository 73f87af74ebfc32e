"""`{{ field|with_limit }}`: a text area without its own limit gets core.limits.LONG as `maxlength`,
so the browser stops where the server would refuse (includes/form_fields.html renders every field with it)."""

from __future__ import annotations

from django import forms, template

from rightstrack.core import limits

register = template.Library()


@register.filter
def with_limit(bound_field: forms.BoundField):
    field = bound_field.field
    if isinstance(field, forms.CharField) and field.max_length is None and isinstance(field.widget, forms.Textarea):
        return bound_field.as_widget(attrs={"maxlength": limits.LONG})
    return bound_field
