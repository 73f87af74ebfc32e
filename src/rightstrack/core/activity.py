"""Audit events as sentences for the home page's activity feed ("Aigerim published the report “…”").

The verb's last part decides what was done (`report.publish` → published); the record is named by its kind and
its label as the audit log stored it. Each sentence is one translatable string, so word order is the
translator's: `%(actor)s` and `%(what)s` may move.
"""

from __future__ import annotations

from django.apps import apps
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import AuditEvent

# Last part of the verb → sentence. Unknown verbs read "… changed …".
SENTENCES = {
    "added": gettext_lazy("%(actor)s added %(what)s"),
    "edited": gettext_lazy("%(actor)s edited %(what)s"),
    "deleted": gettext_lazy("%(actor)s deleted %(what)s"),
    "restored": gettext_lazy("%(actor)s restored %(what)s"),
    "purged": gettext_lazy("%(actor)s deleted %(what)s for good"),
    "published": gettext_lazy("%(actor)s published %(what)s"),
    "accepted": gettext_lazy("%(actor)s accepted %(what)s"),
    "returned": gettext_lazy("%(actor)s returned %(what)s for changes"),
    "submitted": gettext_lazy("%(actor)s submitted %(what)s"),
    "reviewed": gettext_lazy("%(actor)s reviewed %(what)s"),
    "rejected": gettext_lazy("%(actor)s rejected %(what)s"),
    "imported": gettext_lazy("%(actor)s imported %(what)s"),
    "built": gettext_lazy("%(actor)s built %(what)s"),
    "assigned": gettext_lazy("%(actor)s assigned a monitor: %(what)s"),
    "read": gettext_lazy("RightsTrack finished reading %(what)s"),
    "unreadable": gettext_lazy("RightsTrack could not read %(what)s"),
    "queued": gettext_lazy("%(actor)s started reading %(what)s"),
    "changed": gettext_lazy("%(actor)s changed %(what)s"),
}
ACTIONS = {
    "create": "added",
    "add": "added",
    "record": "added",
    "attach": "added",
    "register": "added",
    "update": "edited",
    "save": "edited",
    "auto": "edited",
    "clear": "edited",
    "present": "edited",
    "set": "edited",
    "edit": "edited",
    "replace": "edited",
    "classify": "edited",
    "date_confirm": "edited",
    "delete": "deleted",
    "remove": "deleted",
    "restore": "restored",
    "purge": "purged",
    "publish": "published",
    "republish": "published",
    "accept": "accepted",
    "return": "returned",
    "submit": "submitted",
    "review": "reviewed",
    "reject": "rejected",
    "import": "imported",
    "confirm": "imported",
    "build": "built",
    "build_queued": "built",
    "done": "read",
    "failed": "unreadable",
    "text_failed": "unreadable",
    "queue": "queued",
}


def _kind(object_type: str) -> str:
    try:
        return str(apps.get_model(object_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return object_type.rsplit(".", 1)[-1]


def describe(event: AuditEvent) -> str:
    """One event as a sentence in the active language."""
    action = ACTIONS.get(event.verb.rsplit(".", 1)[-1], "changed")
    if event.verb == "assignment.add":
        action = "assigned"
    actor = event.actor.get_full_name() or event.actor.get_username() if event.actor else _("Someone")
    what = (
        _("the %(kind)s “%(name)s”") % {"kind": _kind(event.object_type), "name": event.object_repr}
        if event.object_repr
        else _("a %(kind)s") % {"kind": _kind(event.object_type)}
    )
    return str(SENTENCES[action]) % {"actor": actor, "what": what}
