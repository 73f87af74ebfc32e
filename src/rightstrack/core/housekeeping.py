"""Periodic chores of a running server: each app's `housekeeping()` (automatic backups, stalled readings…).

`rightstrack serve` runs them in a background thread, so a small organisation needs no cron job.
"""

from __future__ import annotations

import logging
import threading

from django.apps import apps
from django.db import close_old_connections

logger = logging.getLogger(__name__)

INTERVAL_SECONDS = 600


def run_once() -> None:
    """Each app's chore once; one failing is logged and does not stop the others."""
    from .worker import recover_orphaned_jobs

    try:
        # Jobs left "running" by a worker that died and was not restarted (serve --no-worker, a stopped
        # service): failed with a reason, so their pages offer to try again.
        recover_orphaned_jobs()
    except Exception:
        logger.exception("recovering the jobs of stopped workers failed")
    finally:
        close_old_connections()
    for config in apps.get_app_configs():
        chore = getattr(config, "housekeeping", None)
        if chore is None:
            continue
        try:
            chore()
        except Exception:
            logger.exception("housekeeping of %s failed", config.label)
        finally:
            close_old_connections()


def start(stop: threading.Event) -> threading.Thread:
    """Run the chores now and then every INTERVAL_SECONDS until `stop` is set."""

    def loop() -> None:
        while True:
            run_once()
            if stop.wait(INTERVAL_SECONDS):
                return

    thread = threading.Thread(target=loop, name="rightstrack-housekeeping", daemon=True)
    thread.start()
    return thread
