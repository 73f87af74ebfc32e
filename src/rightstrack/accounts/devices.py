"""A readable name for the device behind a user agent ("Chrome on Android"), with ua-parser's rules."""

from __future__ import annotations

from django.utils.translation import gettext as _
from ua_parser import parse


def describe(user_agent: str) -> str:
    """Browser and system, without versions, so an update does not look like a new device."""
    if not user_agent:
        return _("Unknown device")
    result = parse(user_agent)
    browser = result.user_agent.family if result.user_agent else ""
    system = result.os.family if result.os else ""
    if browser and system and system != "Other":
        return _("%(browser)s on %(system)s") % {"browser": browser, "system": system}
    return browser or system or _("Unknown device")
