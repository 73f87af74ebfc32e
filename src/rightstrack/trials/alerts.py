"""Trial-monitoring alerts: a hearing assigned to a monitor, an observation returned or accepted.

Called by trials.actions after the change is written; each alert is written in the recipient's language.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from rightstrack.core.notifications import language_of, notify

from .models import Assignment, Observation


def hearing_assigned(assignment: Assignment) -> None:
    hearing = assignment.hearing
    with translation.override(language_of(assignment.monitor)):
        title = _("You are assigned to the hearing in case %(case)s on %(date)s") % {
            "case": hearing.case.number,
            "date": hearing.date.isoformat(),
        }
    notify(
        assignment.monitor,
        "hearing.assigned",
        title,
        reverse("trials:hearing_detail", args=[hearing.pk]),
        about=hearing,
    )


def observation_reviewed(observation: Observation) -> None:
    returned = observation.status == "returned"
    with translation.override(language_of(observation.monitor)):
        values = {"case": observation.hearing.case.number, "date": observation.hearing.date.isoformat()}
        if returned:
            title = _("Your observation of the hearing in case %(case)s on %(date)s was returned: see the comment")
        else:
            title = _("Your observation of the hearing in case %(case)s on %(date)s was accepted")
        title %= values
    notify(
        observation.monitor,
        "observation.returned" if returned else "observation.accepted",
        title,
        reverse("trials:observation", args=[observation.pk]),
        about=observation,
    )
