"""Core's background jobs: alert emails, so a slow mail server never holds a page."""

from __future__ import annotations

from django_tasks import task


@task()
def send_notification_email(notification_id: int, restricted: bool) -> None:
    """Email one stored alert (see core.notifications)."""
    from .notifications import send_email

    send_email(notification_id, restricted)
