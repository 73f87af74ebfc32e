"""The role-aware home page: each app offers the next actions of the user, core puts them in order.

An app adds sections with a `home_sections(user) -> list[dict]` method on its AppConfig, each
`{"order": int, "title": str, "count": int, "url": str, "items": [{"label", "url", "meta"}]}`.
Only what the user can act on is offered (a monitor is not shown the coordinators' queues), counts are of
records the user may see, and sections with nothing in them are left out. Lower `order` comes first;
`READING_ORDER` is for what was shared with readers (first for viewers, last for everyone else).
"""

from __future__ import annotations

from django.apps import apps

from . import visibility
from .models import Role

ITEMS_SHOWN = 5


def is_reader(user) -> bool:
    """A member who only reads (viewer or partner organisation): their home starts with what was shared."""
    roles = {m.role for m in visibility.memberships(user)}
    return bool(roles) and roles <= {Role.VIEWER}


def reading_order(user) -> int:
    return 5 if is_reader(user) else 90


def sections(user) -> list[dict]:
    found = [
        section
        for config in apps.get_app_configs()
        if hasattr(config, "home_sections")
        for section in config.home_sections(user)
        if section.get("count")
    ]
    for section in found:
        section["items"] = list(section.get("items", []))[:ITEMS_SHOWN]
    return sorted(found, key=lambda s: s["order"])


def guide_for(user) -> str:
    """The help guide for the user's main role (the slug in core.help_views.GUIDES)."""
    roles = {m.role for m in visibility.memberships(user)}
    if roles & {Role.ADMIN, Role.COORDINATOR}:
        return "coordinator"
    if Role.ANALYST in roles:
        return "analyst"
    if Role.MONITOR in roles:
        return "monitor"
    return ""
