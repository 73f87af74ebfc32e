"""Automatic backups and the periodic chores `rightstrack serve` runs."""

from __future__ import annotations

import logging

import pytest

from rightstrack.core import backup, housekeeping
from rightstrack.core.models import Person


@pytest.fixture
def backups(settings, tmp_path):
    settings.BACKUP_DIR = tmp_path / "backups"
    settings.BACKUP_EVERY_HOURS = 24
    settings.BACKUP_KEEP = 2
    return settings.BACKUP_DIR


DAY = 24 * 3600
T0 = 1_800_000_000  # a moment in 2027


@pytest.mark.django_db(transaction=True)
def test_automatic_backup_when_due_keeping_the_newest(backups, org_a, coordinator_a):
    from rightstrack.core import actions

    actions.create_person(coordinator_a, org_a, pseudonym="Kept safe")
    first = backup.scheduled_backup(now=T0)
    assert first is not None and first.name.startswith("auto-") and first.stat().st_mode & 0o777 == 0o600
    assert backup.scheduled_backup(now=T0 + 3600) is None  # an hour later: not due
    manual = backup.create_backup()  # made by hand: never pruned
    second = backup.scheduled_backup(now=T0 + DAY + 60)
    third = backup.scheduled_backup(now=T0 + 2 * DAY + 120)
    assert None not in (second, third) and len({first, second, third}) == 3
    autos = sorted(p.name for p in backups.glob("auto-*.tar.gz"))
    assert autos == sorted([second.name, third.name])  # BACKUP_KEEP = 2: the oldest went
    assert manual.exists()
    # The automatic archive restores like any other.
    Person.objects.all().delete()
    backup.restore_backup(third)
    assert Person.objects.get().pseudonym == "Kept safe"


def test_no_automatic_backup_when_switched_off(backups, settings, db):
    settings.BACKUP_EVERY_HOURS = 0
    assert backup.scheduled_backup() is None and not backups.exists()


def test_one_failing_chore_does_not_stop_the_others(monkeypatch, caplog, db):
    from django.apps import apps

    ran = []
    core, ingest = apps.get_app_config("core"), apps.get_app_config("ingest")

    def broken() -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(core, "housekeeping", broken, raising=False)
    monkeypatch.setattr(ingest, "housekeeping", lambda: ran.append("ingest"), raising=False)
    with caplog.at_level(logging.ERROR, logger="rightstrack.core.housekeeping"):
        housekeeping.run_once()
    assert ran == ["ingest"] and "housekeeping of core failed" in caplog.text
