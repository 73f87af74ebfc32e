"""File modes of the data directory: only the account running RightsTrack may read it.

The data directory holds the SQLite database (every confidential record), the secret key (signs
sessions) and backups. `init` and every `migrate` tighten the modes; `rightstrack check` warns when
something is readable by the group or by other users.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from django.conf import settings
from django.db import connections

PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600


def sqlite_files() -> list[Path]:
    """The SQLite database file of each configured SQLite connection, with its WAL/journal companions."""
    out = []
    for alias in settings.DATABASES:
        db = connections.settings[alias]
        name = str(db.get("NAME") or "")
        if db["ENGINE"].endswith("sqlite3") and name and ":memory:" not in name and "mode=memory" not in name:
            path = Path(name)
            out += [path, *(Path(f"{path}{suffix}") for suffix in ("-wal", "-shm", "-journal"))]
    return out


def private_dirs() -> list[Path]:
    return [Path(settings.DATA_DIR), Path(settings.FILES_DIR), Path(settings.BACKUP_DIR)]


def private_files() -> list[Path]:
    return [Path(settings.DATA_DIR) / "secret_key", *sqlite_files()]


def secure() -> None:
    """Create the data, files and backups directories 0700 and make the key and database files 0600."""
    for folder in private_dirs():
        folder.mkdir(mode=PRIVATE_DIR, parents=True, exist_ok=True)
        folder.chmod(PRIVATE_DIR)
    for path in private_files():
        if path.exists():
            path.chmod(PRIVATE_FILE)


def problems() -> list[str]:
    """One line of advice for each private path that the group or other users can read or write."""
    out = []
    for paths, mode in ((private_dirs(), PRIVATE_DIR), (private_files(), PRIVATE_FILE)):
        for path in paths:
            try:
                current = stat.S_IMODE(os.stat(path).st_mode)
            except FileNotFoundError:
                continue
            if current & 0o077:
                out.append(f"{path} is open to other users (mode {current:04o}): run `chmod {mode:o} {path}`.")
    return out


def after_migrate(sender, **kwargs) -> None:
    """post_migrate hook: `rightstrack migrate` leaves the same modes as `rightstrack init`."""
    if sender.name == "rightstrack.core":
        secure()
