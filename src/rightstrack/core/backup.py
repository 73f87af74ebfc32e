"""Portable backups: one .tar.gz with every record (Django JSON), the stored files and a manifest.

Portable means a backup taken on SQLite restores on PostgreSQL and back. The secret key is not
included: keep it apart (RIGHTSTRACK_SECRET_KEY or var/secret_key).
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import os
import shutil
import tarfile
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.db.models import Q

from rightstrack import __version__

from . import sealing

FORMAT = 1
EXCLUDE = ["contenttypes", "auth.permission", "sessions", "admin.logentry", "axes"]


def create_backup(out: Path | None = None, passphrase: str | None = None) -> Path:
    """Write a backup archive and return its path; sealed (`.tar.gz.sealed`) when there is a passphrase.

    The passphrase defaults to RIGHTSTRACK_BACKUP_PASSPHRASE.
    """
    passphrase = settings.BACKUP_PASSPHRASE if passphrase is None else passphrase
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    out = out or Path(settings.BACKUP_DIR) / f"rightstrack-{stamp}{_suffix(passphrase)}"
    out.parent.mkdir(parents=True, exist_ok=True)
    data = io.StringIO()
    with transaction.atomic():  # one consistent snapshot
        # The base manager: a default manager may hide soft-deleted rows, which a backup must keep.
        call_command(
            "dumpdata",
            natural_foreign=True,
            natural_primary=True,
            use_base_manager=True,
            exclude=EXCLUDE,
            stdout=data,
            verbosity=0,
        )
    payload = data.getvalue().encode()
    manifest = {
        "format": FORMAT,
        "rightstrack": __version__,
        "created": datetime.datetime.now(datetime.UTC).isoformat(),
        "records": len(json.loads(payload)),
        "data_sha256": hashlib.sha256(payload).hexdigest(),
    }
    tmp = out.with_suffix(".partial")
    with tarfile.open(tmp, "w:gz") as archive:
        _add_bytes(archive, "manifest.json", json.dumps(manifest, indent=2).encode())
        _add_bytes(archive, "data.json", payload)
        files = Path(settings.FILES_DIR)
        if files.exists():
            for path in sorted(files.rglob("*")):
                if path.is_file() and "tmp" not in path.relative_to(files).parts:
                    archive.add(path, arcname=f"files/{path.relative_to(files)}")
    if passphrase:
        sealed = out.with_name(out.name + ".partial")
        try:
            sealing.seal(tmp, sealed, passphrase)
        finally:
            tmp.unlink()
        tmp = sealed
    tmp.replace(out)
    out.chmod(0o600)
    return out


def _suffix(passphrase: str) -> str:
    return ".tar.gz.sealed" if passphrase else ".tar.gz"


AUTOMATIC = "auto-rightstrack-"


def _taken_at(path: Path) -> float:
    """When an automatic backup was taken, from its name (a copied file keeps it; its mtime may not)."""
    stamp = path.name[len(AUTOMATIC) :].split(".")[0]
    try:
        return datetime.datetime.strptime(stamp, "%Y%m%d-%H%M%S").timestamp()
    except ValueError:
        return path.stat().st_mtime


def scheduled_backup(now: float | None = None) -> Path | None:
    """Take the automatic backup if the newest one is older than BACKUP_EVERY_HOURS; keep the newest BACKUP_KEEP.

    Only automatic backups (named auto-…) are ever deleted; ones made by hand stay.
    """
    hours = settings.BACKUP_EVERY_HOURS
    if hours <= 0:
        return None
    folder = Path(settings.BACKUP_DIR)
    automatic = sorted(folder.glob(f"{AUTOMATIC}*"))  # the time stamp in the name sorts them
    now = time.time() if now is None else now
    if automatic and now - _taken_at(automatic[-1]) < hours * 3600:
        return None
    stamp = datetime.datetime.fromtimestamp(now).strftime("%Y%m%d-%H%M%S")
    try:
        path = create_backup(folder / f"{AUTOMATIC}{stamp}{_suffix(settings.BACKUP_PASSPHRASE)}")
    except Exception as exc:
        _write_status({**_read_status(), "error": f"The automatic backup failed: {exc}"})
        raise
    _write_status({"path": str(path), "taken_at": now, "verified": None, "error": ""})
    for old in sorted(folder.glob(f"{AUTOMATIC}*"))[: -max(1, settings.BACKUP_KEEP)]:
        old.unlink()
    return path


STATUS_FILE = "status.json"


def _read_status() -> dict:
    try:
        return json.loads((Path(settings.BACKUP_DIR) / STATUS_FILE).read_text())
    except (OSError, ValueError):
        return {}


def _write_status(status: dict) -> None:
    """Written atomically (temporary file, then rename): a crash never leaves half a status."""
    folder = Path(settings.BACKUP_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / f".{STATUS_FILE}.{os.getpid()}"
    tmp.write_text(json.dumps(status))
    tmp.replace(folder / STATUS_FILE)


def last_backup_status(now: float | None = None) -> dict:
    """The newest automatic backup: path, taken_at (aware), age_hours, verified (None: not checked) and error.

    Read by the health check and the dashboard notice; `error` is "" when the last attempt worked.
    """
    status = _read_status()
    path, taken = status.get("path"), status.get("taken_at")
    if path is None:  # no status yet (older version): the newest automatic archive, if any
        newest = sorted(Path(settings.BACKUP_DIR).glob(f"{AUTOMATIC}*"))
        newest = [p for p in newest if not p.name.endswith(".partial")]
        if newest:
            path, taken = str(newest[-1]), _taken_at(newest[-1])
    now = time.time() if now is None else now
    return {
        "path": path,
        "taken_at": datetime.datetime.fromtimestamp(taken, datetime.UTC) if taken is not None else None,
        "age_hours": round((now - taken) / 3600, 2) if taken is not None else None,
        "verified": status.get("verified") if status.get("path") else None,
        "error": status.get("error", ""),
    }


def _add_bytes(archive: tarfile.TarFile, name: str, content: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(content)
    info.mode = 0o600
    archive.addfile(info, io.BytesIO(content))


def _refresh_name_keys() -> None:
    """Fill matching keys that an older backup did not have (loaddata stores rows as they are)."""
    from .models import Person, name_key

    stale = Person._base_manager.filter(
        (Q(pseudonym_key="") & ~Q(pseudonym="")) | (Q(real_name_key="") & ~Q(real_name=""))
    )
    for pk, pseudonym, real_name in stale.values_list("pk", "pseudonym", "real_name"):
        Person._base_manager.filter(pk=pk).update(pseudonym_key=name_key(pseudonym), real_name_key=name_key(real_name))


def restore_backup(archive_path: Path, passphrase: str | None = None) -> dict:
    """Replace every record and stored file with the archive's. Checks the archive before touching anything.

    A sealed archive needs its passphrase (default RIGHTSTRACK_BACKUP_PASSPHRASE).
    """
    passphrase = settings.BACKUP_PASSPHRASE if passphrase is None else passphrase
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        if sealing.is_sealed(archive_path):
            if not passphrase:
                raise ValueError("This backup is sealed: set RIGHTSTRACK_BACKUP_PASSPHRASE to its passphrase.")
            opened = tmp / "backup.tar.gz"
            sealing.unseal(archive_path, opened, passphrase)
            archive_path = opened
        with tarfile.open(archive_path, "r:gz") as archive:
            # The data filter refuses absolute paths, links out of the folder and device files.
            archive.extractall(tmp, filter="data")
        manifest = json.loads((tmp / "manifest.json").read_text())
        payload = (tmp / "data.json").read_bytes()
        if manifest.get("format") != FORMAT:
            raise ValueError(f"Unsupported backup format {manifest.get('format')!r}.")
        if hashlib.sha256(payload).hexdigest() != manifest["data_sha256"]:
            raise ValueError("The backup is damaged: its data does not match the manifest.")
        with transaction.atomic():
            # No post_migrate: apps that seed data on it (checklists) would clash with the backup's rows.
            call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True)
            call_command("loaddata", str(tmp / "data.json"), verbosity=0)
            _refresh_name_keys()
        files = Path(settings.FILES_DIR)
        if (tmp / "files").exists():
            shutil.copytree(tmp / "files", files, dirs_exist_ok=True)
    return manifest
