from django.apps import apps
from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from . import notifications, visibility
from .models import Role


def rightstrack(request: HttpRequest) -> dict:
    """Navigation needs the user's organisations and whether they may see the audit log."""
    user = getattr(request, "user", None)
    members = visibility.memberships(user) if user is not None else []
    return {
        "module_nav": module_nav() if members or (user is not None and user.is_authenticated) else [],
        "my_memberships": members,
        "can_review": any(m.role in (Role.ADMIN, Role.COORDINATOR) for m in members),
        "language_switch": language_switch(),
        # Called by the template only where the bell is drawn (signed-in pages).
        "unread_alerts": lambda: notifications.unread_count(user),
    }


def language_switch() -> list[tuple[str, str, str]]:
    """(code, name, short label) for the header's language buttons, in the order of settings.LANGUAGES."""
    short = getattr(settings, "LANGUAGE_SHORT_LABELS", {})
    return [(code, name, short.get(code, code.upper())) for code, name in settings.LANGUAGES]


def module_nav() -> list[dict]:
    """Domain apps put themselves in the menu with `nav_label` and `nav_url` on their AppConfig."""
    items = []
    for config in apps.get_app_configs():
        url_name = getattr(config, "nav_url", None)
        if url_name:
            try:
                items.append({"label": config.nav_label, "url": reverse(url_name)})
            except NoReverseMatch:
                continue
    return items
