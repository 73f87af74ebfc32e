"""Background builds: the page polls the definition's progress while this runs."""

from __future__ import annotations

import logging

from django.contrib.auth import get_user_model
from django_tasks import task

from rightstrack.core import jobs
from rightstrack.core.errors import DomainError

from .models import BuildStatus, ReportDefinition

logger = logging.getLogger(__name__)


@task()
def build_report(report_id: int, user_id: int) -> None:
    """Build a report as the user who asked for it (their visibility decides what goes in)."""
    from . import actions

    report = ReportDefinition.objects.filter(pk=report_id, deleted_at__isnull=True).first()
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if report is None or user is None:
        return
    try:
        actions.build_now(user, report)
    except DomainError:
        return  # build_now stored the message on the report for the page to show
    except Exception:
        logger.exception("report build %s failed", report_id)
        ReportDefinition.objects.filter(pk=report_id).update(
            build_status=BuildStatus.FAILED, progress=0, build_error="The build failed; the error was logged."
        )
        raise
    _alert_ready(report, user)


def _alert_ready(report: ReportDefinition, user) -> None:
    """Tell whoever asked for the build that the report is ready (in their language)."""
    from django.urls import reverse
    from django.utils import translation
    from django.utils.translation import gettext as _

    from rightstrack.core.notifications import language_of, notify

    with translation.override(language_of(user)):
        title = _("The report “%(title)s” is ready") % {"title": report.title}
    notify(user, "report.ready", title, reverse("reports:detail", args=[report.pk]), about=report)


def _stopped(report_id: int, user_id: int, *, reason: str) -> None:
    """The build was stopped (time or memory limit, worker gone): the report page shows why; build again."""
    ReportDefinition.objects.filter(pk=report_id, build_status__in=[BuildStatus.QUEUED, BuildStatus.BUILDING]).update(
        build_status=BuildStatus.FAILED, progress=0, build_error=f"The build was {reason}."[:500]
    )


jobs.register(build_report, jobs.JobKind(too_slow="the report is too large to build in time", on_stopped=_stopped))
