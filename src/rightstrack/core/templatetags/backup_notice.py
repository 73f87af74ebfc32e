"""`{% backup_notice %}`: administrators and coordinators see a failed or overdue automatic backup."""

from __future__ import annotations

from django import template

from rightstrack.core.backup import backup_problem

register = template.Library()


@register.inclusion_tag("core/_backup_notice.html", takes_context=True)
def backup_notice(context: template.Context) -> dict:
    request = context.get("request")
    user = getattr(request, "user", None)
    # Only those who can act on it: others would only be worried by it.
    if not (context.get("can_review") or getattr(user, "is_superuser", False)):
        return {"problem": ""}
    return {"problem": backup_problem()}
