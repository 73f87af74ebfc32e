"""Portable, verified backups: one .tar.gz with every table, the stored files and a manifest.

* Portable: rows are Django JSON with their primary keys (generic relations point at content types and
  rows by id, so ids are kept), so a backup taken on SQLite restores on PostgreSQL and back.
* Online: the rows are read from a consistent snapshot without holding the live database — on SQLite a
  copy made with SQLite's backup API, on PostgreSQL one REPEATABLE READ, READ ONLY transaction.
* Checked: the manifest records the rows of every table and the SHA-256 of every stored file; restore
  and `--verify` refuse an archive that does not match before anything is changed. A sealed archive is
  authenticated as a whole by AES-GCM (core.sealing); an unsealed one only finds accidental damage.

The secret key is not included: keep it apart (RIGHTSTRACK_SECRET_KEY or var/secret_key).
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import stat
import tarfile
import tempfile
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management import call_command
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.db.models import Model, Q
from django.db.utils import load_backend

from rightstrack import __version__

from . import sealing

FORMAT = 2
# Sessions are left out on purpose: a restored site asks everybody to log in again.
EXCLUDE = {"sessions.session"}
NOT_TAMPER_PROOF = (
    "Not sealed: the checksums find damage, not deliberate changes. Set RIGHTSTRACK_BACKUP_PASSPHRASE to seal backups."
)
SHA256_NAME = re.compile(r"[0-9a-f]{64}")

# Called with the name of each step while a backup is read (tests slow a backup down with it to check
# that the site keeps working meanwhile).
STEP_HOOK: Callable[[str], None] | None = None


class BackupError(ValueError):
    """A backup could not be written, verified or restored; the message is one line for the user."""


def _step(name: str) -> None:
    if STEP_HOOK is not None:
        STEP_HOOK(name)


def _label(model: type[Model]) -> str:
    return model._meta.label_lower


def tables() -> list[type[Model]]:
    """Every table the product stores rows in, link tables of many-to-many fields included."""
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy and _label(model) not in EXCLUDE
    ]


def row_counts(alias: str = DEFAULT_DB_ALIAS) -> dict[str, int]:
    return {_label(model): model._base_manager.using(alias).count() for model in tables()}


# --- Writing ----------------------------------------------------------------------------------------------


@contextmanager
def _connection(settings_dict: dict) -> Iterator[str]:
    """A second, temporary database alias (the snapshot being read, or the scratch database of --verify)."""
    alias = f"rightstrack_backup_{uuid.uuid4().hex[:8]}"
    # Made by hand and not added to settings.DATABASES: it exists in this thread only, for this task.
    connections[alias] = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, alias)
    try:
        yield alias
    finally:
        connections[alias].close()
        del connections[alias]


@contextmanager
def _snapshot(work: Path) -> Iterator[str]:
    """An alias that sees one moment of the live database and keeps no lock on it while it is read."""
    live = connections[DEFAULT_DB_ALIAS]
    if live.vendor == "sqlite":
        copy = work / "snapshot.sqlite3"
        live.ensure_connection()
        target = sqlite3.connect(copy)
        try:
            # One step: a read transaction, which in WAL mode does not stop writers; a 100 MB file takes ~1 s.
            live.connection.backup(target)
        finally:
            target.close()
        with _connection({**live.settings_dict, "NAME": str(copy), "OPTIONS": {}}) as alias:
            yield alias
    elif live.vendor == "postgresql":
        with _connection(dict(live.settings_dict)) as alias, transaction.atomic(using=alias):
            with connections[alias].cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield alias
    else:
        raise BackupError(f"Backups of a {live.vendor} database are not supported.")


def _batches(items: Iterable, size: int) -> Iterator[list]:
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


class _Encoder(DjangoJSONEncoder):
    """Django's JSON, but times keep their microseconds (Django's encoder cuts them to milliseconds)."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            text = o.isoformat()
            return text[:-6] + "Z" if text.endswith("+00:00") else text
        return super().default(o)


def _models() -> list[type[Model]]:
    """The models whose rows are written (link tables of many-to-many fields come with their owner)."""
    return [m for m in tables() if not m._meta.auto_created]


def _rows(model: type[Model], alias: str) -> Iterator[dict]:
    """Every row of `model` as Django's serializer gives it, by primary key; links listed in id order."""
    serializer = serializers.get_serializer("python")()
    links = [f for f in model._meta.many_to_many if f.remote_field.through._meta.auto_created]
    columns = [f.name for f in model._meta.local_fields]
    # The base manager: a default manager may hide soft-deleted rows, which a backup must keep.
    rows = model._base_manager.using(alias).order_by("pk")
    for batch in _batches(rows.iterator(chunk_size=2000), 2000):
        # Links read per batch, by a range of ids (the serializer would query them row by row).
        linked = {field.name: _links(field, alias, batch[0].pk, batch[-1].pk) for field in links}
        for obj, item in zip(batch, serializer.serialize(batch, fields=columns), strict=True):
            for name, found in linked.items():
                item["fields"][name] = sorted(found.get(obj.pk, ()), key=str)
            yield item


def _links(field, alias: str, first, last) -> dict:
    through = field.remote_field.through
    source = through._meta.get_field(field.m2m_field_name()).attname
    target = through._meta.get_field(field.m2m_reverse_field_name()).attname
    found: dict = {}
    pairs = through._base_manager.using(alias).filter(**{f"{source}__gte": first, f"{source}__lte": last})
    for owner, other in pairs.values_list(source, target):
        found.setdefault(owner, []).append(other)
    return found


def _row_hash(item: dict) -> bytes:
    # Sorted keys: PostgreSQL's jsonb does not keep the order of keys that SQLite keeps.
    return json.dumps(item, cls=_Encoder, sort_keys=True, ensure_ascii=False).encode()


def fingerprints(alias: str = DEFAULT_DB_ALIAS) -> dict[str, str]:
    """SHA-256 of every model's rows (values, links, primary keys): equal on two databases with equal data."""
    result = {}
    for model in _models():
        digest = hashlib.sha256()
        for item in _rows(model, alias):
            digest.update(_row_hash(item))
        result[_label(model)] = digest.hexdigest()
    return result


def _dump(alias: str, target: Path) -> tuple[int, str, dict[str, str]]:
    """Write every row as Django JSON; return how many, the file's SHA-256 and each model's fingerprint."""
    digest = hashlib.sha256()
    written, prints = 0, {}
    with open(target, "w", encoding="utf-8") as out:

        def write(text: str) -> None:
            out.write(text)
            digest.update(text.encode())

        write("[")
        for model in _models():
            model_digest = hashlib.sha256()
            for item in _rows(model, alias):
                write(("\n" if not written else ",\n") + json.dumps(item, cls=_Encoder, ensure_ascii=False))
                model_digest.update(_row_hash(item))
                written += 1
            prints[_label(model)] = model_digest.hexdigest()
            _step(f"dump {_label(model)}")
        write("\n]\n")
    return written, digest.hexdigest(), prints


def _stored_files() -> Iterator[tuple[Path, str]]:
    files = Path(settings.FILES_DIR)
    if not files.exists():
        return
    for path in sorted(files.rglob("*")):
        relative = path.relative_to(files)
        # tmp/ holds uploads still being received: not yet part of any record.
        if path.is_file() and relative.parts[0] != "tmp":
            yield path, relative.as_posix()


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def create_backup(out: Path | None = None, passphrase: str | None = None) -> Path:
    """Write a backup archive and return its path; sealed (`.tar.gz.sealed`) when there is a passphrase.

    The passphrase defaults to RIGHTSTRACK_BACKUP_PASSPHRASE. The site keeps working meanwhile.
    """
    passphrase = settings.BACKUP_PASSPHRASE if passphrase is None else passphrase
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    out = out or Path(settings.BACKUP_DIR) / f"rightstrack-{stamp}{_suffix(passphrase)}"
    out.parent.mkdir(parents=True, exist_ok=True)
    try:
        _write_archive(out, passphrase)
    except (DatabaseError, OSError, sealing.SealError) as exc:
        raise BackupError(f"The backup could not be written: {_first_line(exc)}") from exc
    return out


def _write_archive(out: Path, passphrase: str) -> None:
    # The snapshot and the archive are written beside the target: /tmp may be small or in memory.
    with tempfile.TemporaryDirectory(prefix=".backup-", dir=out.parent) as work_name:
        work = Path(work_name)
        data = work / "data.json"
        with _snapshot(work) as alias:
            _step("snapshot")
            records, data_sha256, prints = _dump(alias, data)
            counts = row_counts(alias)
        (work / "snapshot.sqlite3").unlink(missing_ok=True)
        files = {name: _file_sha256(path) for path, name in _stored_files()}
        manifest = {
            "format": FORMAT,
            "rightstrack": __version__,
            "created": datetime.datetime.now(datetime.UTC).isoformat(),
            "database": connections[DEFAULT_DB_ALIAS].vendor,
            "sealed": bool(passphrase),
            "note": "Sealed with a passphrase (AES-256-GCM): changes are refused." if passphrase else NOT_TAMPER_PROOF,
            "records": records,
            "counts": counts,
            "fingerprints": prints,
            "data_sha256": data_sha256,
            "files": files,
        }
        archive_path = work / "archive.tar.gz"
        with tarfile.open(archive_path, "w:gz") as archive:
            _add_bytes(archive, "manifest.json", json.dumps(manifest, indent=1, sort_keys=True).encode())
            archive.add(data, arcname="data.json")
            stored = Path(settings.FILES_DIR)
            for name in files:
                archive.add(stored / name, arcname=f"files/{name}")
        if passphrase:
            sealed = work / "archive.sealed"
            sealing.seal(archive_path, sealed, passphrase)
            archive_path = sealed
        archive_path.chmod(0o600)
        archive_path.replace(out)


def _suffix(passphrase: str) -> str:
    return ".tar.gz.sealed" if passphrase else ".tar.gz"


def _add_bytes(archive: tarfile.TarFile, name: str, content: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(content)
    info.mode = 0o600
    info.mtime = int(time.time())
    archive.addfile(info, io.BytesIO(content))


# --- Reading and checking ------------------------------------------------------------------------------


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


@contextmanager
def _opened(archive_path: Path, passphrase: str, allow_unsealed: bool, work_dir: Path) -> Iterator[tuple[Path, dict]]:
    """Unpack and check an archive into a folder in `work_dir`: yields (folder, manifest) or raises BackupError.

    Every check is made here, before the caller changes anything.
    """
    work = Path(tempfile.mkdtemp(prefix=".restore-", dir=work_dir))
    try:
        archive_path = Path(archive_path)
        if not archive_path.is_file():
            raise BackupError(f"No such backup file: {archive_path}")
        sealed = sealing.is_sealed(archive_path)
        if sealed:
            if not passphrase:
                raise BackupError("This backup is sealed: set RIGHTSTRACK_BACKUP_PASSPHRASE to its passphrase.")
            opened = work / "archive.tar.gz"
            try:
                sealing.unseal(archive_path, opened, passphrase)
            except sealing.SealError as exc:
                raise BackupError(str(exc)) from None
            archive_path = opened
        elif passphrase and not allow_unsealed:
            # Anybody can write an unsealed archive: with a passphrase set, only sealed ones are trusted.
            raise BackupError(
                "This backup is not sealed, so it may have been changed; "
                "restore it only if you trust it (--allow-unsealed)."
            )
        try:
            with tarfile.open(archive_path, "r:gz") as archive:
                for member in archive.getmembers():
                    name = member.name
                    allowed = name in ("manifest.json", "data.json") or name.startswith("files/") or name == "files"
                    if not allowed or not (member.isfile() or member.isdir()):
                        raise BackupError(f"The backup holds an unexpected entry {name!r}: refused.")
                # The data filter also refuses absolute paths and names that climb out of the folder.
                archive.extractall(work / "content", filter="data")
            content = work / "content"
            manifest = json.loads((content / "manifest.json").read_text())
            payload_path = content / "data.json"
        except (tarfile.TarError, OSError, EOFError, ValueError, KeyError) as exc:
            if isinstance(exc, BackupError):
                raise
            raise BackupError(f"This is not a readable backup archive ({_first_line(exc)}).") from None
        if not isinstance(manifest, dict) or manifest.get("format") not in (1, FORMAT):
            raise BackupError(
                f"Unsupported backup format {manifest.get('format') if isinstance(manifest, dict) else '?'}."
            )
        if manifest.get("sealed") and not sealed:
            raise BackupError("This backup was sealed when written but this copy is not: refused.")
        if _file_sha256(payload_path) != manifest.get("data_sha256"):
            raise BackupError("The backup is damaged: its data does not match the manifest.")
        _check_files(content / "files", manifest)
        yield content, manifest
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _check_files(folder: Path, manifest: dict) -> None:
    """Every stored file matches its recorded SHA-256 (and its name, which is its SHA-256)."""
    present = {}
    if folder.exists():
        present = {p.relative_to(folder).as_posix(): p for p in folder.rglob("*") if p.is_file()}
    recorded = manifest.get("files")
    if recorded is not None and set(recorded) != set(present):
        missing, extra = sorted(set(recorded) - set(present)), sorted(set(present) - set(recorded))
        raise BackupError(f"The backup is damaged: stored files missing {missing[:3]} or unexpected {extra[:3]}.")
    for name, path in present.items():
        actual = _file_sha256(path)
        expected = recorded[name] if recorded is not None else None
        named = Path(name).name
        if (expected is not None and actual != expected) or (SHA256_NAME.fullmatch(named) and named != actual):
            raise BackupError(f"The backup is damaged: stored file {name} does not match its checksum.")


def _fill_generic_rows(alias: str) -> None:
    """Content types and permissions for models the archive does not know (added since, or a format-1 archive)."""
    from django.contrib.auth.management import create_permissions
    from django.contrib.contenttypes.management import create_contenttypes
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
    for config in apps.get_app_configs():
        create_contenttypes(config, verbosity=0, using=alias)
        create_permissions(config, verbosity=0, using=alias)


def _refresh_name_keys(alias: str) -> None:
    """Fill matching keys that an older backup did not have (loaddata stores rows as they are)."""
    from .models import Person, name_key

    people = Person._base_manager.using(alias)
    stale = people.filter((Q(pseudonym_key="") & ~Q(pseudonym="")) | (Q(real_name_key="") & ~Q(real_name="")))
    for pk, pseudonym, real_name in stale.values_list("pk", "pseudonym", "real_name"):
        people.filter(pk=pk).update(pseudonym_key=name_key(pseudonym), real_name_key=name_key(real_name))


def _load(alias: str, content: Path, manifest: dict) -> None:
    """Replace every row of `alias` with the archive's and check the counts (call inside a transaction)."""
    from django.contrib.contenttypes.models import ContentType

    # No post_migrate: apps that seed data on it (checklists) would clash with the backup's rows.
    call_command("flush", database=alias, interactive=False, verbosity=0, inhibit_post_migrate=True)
    ContentType.objects.clear_cache()
    if manifest["format"] == 1:
        _fill_generic_rows(alias)  # format 1 left content types out and referred to them by name
    if manifest["format"] == 1:
        call_command("loaddata", str(content / "data.json"), database=alias, verbosity=0)
        ContentType.objects.clear_cache()
        _refresh_name_keys(alias)
        return
    _insert_rows(alias, content / "data.json")
    ContentType.objects.clear_cache()
    counts = row_counts(alias)
    wrong = [
        f"{label}: {counts.get(label, 0)} rows, manifest {expected}"
        for label, expected in manifest["counts"].items()
        if counts.get(label, 0) != expected
    ]
    if wrong:
        raise BackupError(f"The restored rows do not match the manifest ({'; '.join(wrong[:3])}).")
    prints = fingerprints(alias)
    changed = [label for label, expected in manifest["fingerprints"].items() if prints.get(label) != expected]
    if changed:
        raise BackupError(f"The restored rows differ from the backed-up ones in {', '.join(changed[:3])}.")
    _fill_generic_rows(alias)
    _refresh_name_keys(alias)  # after the checks: it mends rows, it does not hide changes


def _items(data: Path) -> Iterator[dict]:
    """The rows of a data.json written by _dump, one per line, read without loading the whole file."""
    with open(data, encoding="utf-8") as f:
        for line in f:
            line = line.strip().rstrip(",")
            if line not in ("[", "]", ""):
                yield json.loads(line)


def _insert_rows(alias: str, data: Path) -> None:
    """Insert the archive's rows as they are, in batches (loaddata saves one row at a time: minutes at 100k).

    Inserted raw, like loaddata: no save() logic, auto_now fields keep their values. Foreign keys are checked
    at the end (they are deferred: rows may come before the rows they point to).
    """
    connection = connections[alias]
    loaded: list[type[Model]] = []
    batch: list = []

    def flush() -> None:
        if not batch:
            return
        model = type(batch[0].object)
        fields = model._meta.local_concrete_fields
        objects = [d.object for d in batch]
        size = max(1, connection.ops.bulk_batch_size(fields, objects))
        for start in range(0, len(objects), size):
            model._base_manager.using(alias)._insert(objects[start : start + size], fields=fields, raw=True)
        for field in model._meta.many_to_many:
            through = field.remote_field.through
            source = through._meta.get_field(field.m2m_field_name()).attname
            target = through._meta.get_field(field.m2m_reverse_field_name()).attname
            links = [
                through(**{source: d.object.pk, target: pk}) for d in batch for pk in d.m2m_data.get(field.name, ())
            ]
            through._base_manager.using(alias).bulk_create(links, batch_size=size)
            if through not in loaded:
                loaded.append(through)
        if model not in loaded:
            loaded.append(model)
        batch.clear()

    for row in serializers.deserialize("python", _items(data), using=alias):
        if batch and (type(row.object) is not type(batch[0].object) or len(batch) >= 2000):
            flush()
        batch.append(row)
    flush()
    connection.check_constraints(table_names=[m._meta.db_table for m in loaded])
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), loaded):
            cursor.execute(sql)


def _reindex() -> None:
    # The full-text indexes are derived data, not in the backup: rebuilt from the restored texts.
    if apps.is_installed("rightstrack.evidence"):
        from rightstrack.evidence import search as passage_search

        passage_search.rebuild()
    if apps.is_installed("rightstrack.recommendations"):
        from rightstrack.recommendations import search

        search.rebuild()


def restore_backup(archive_path: Path, passphrase: str | None = None, *, allow_unsealed: bool = False) -> dict:
    """Replace every record and stored file with the archive's; return its manifest.

    The archive is checked in full first; the rows are replaced in one transaction and the files folder is
    swapped in only when they loaded, so a failure leaves the previous data as it was (BackupError).
    A sealed archive needs its passphrase (default RIGHTSTRACK_BACKUP_PASSPHRASE); with a passphrase set,
    an unsealed archive needs `allow_unsealed`.
    """
    passphrase = settings.BACKUP_PASSPHRASE if passphrase is None else passphrase
    files = Path(settings.FILES_DIR)
    files.parent.mkdir(parents=True, exist_ok=True)
    # Unpacked beside the files folder, so the new folder is put in place by a rename.
    with _opened(archive_path, passphrase, allow_unsealed, files.parent) as (content, manifest):
        staged, old = content / "files", content / "old-files"
        staged.mkdir(exist_ok=True)
        # The restored folder keeps the permissions of the one it replaces (private by default).
        staged.chmod(stat.S_IMODE(files.stat().st_mode) if files.exists() else 0o700)
        swapped = False
        try:
            with transaction.atomic():
                _load(DEFAULT_DB_ALIAS, content, manifest)
                _reindex()
                if files.exists():
                    files.rename(old)
                staged.rename(files)
                swapped = True
        except Exception as exc:
            if swapped:
                files.rename(staged)
            if old.exists():
                old.rename(files)
            if isinstance(exc, BackupError):
                raise
            raise BackupError(f"The backup could not be loaded: {_first_line(exc)}") from exc
        finally:
            from django.contrib.contenttypes.models import ContentType

            ContentType.objects.clear_cache()
    return manifest


def verify_backup(archive_path: Path, passphrase: str | None = None, *, allow_unsealed: bool = True) -> dict:
    """Load an archive into a scratch SQLite database and compare rows and files with its manifest.

    Returns the manifest; raises BackupError with what is wrong. Nothing live is touched.
    """
    passphrase = settings.BACKUP_PASSPHRASE if passphrase is None else passphrase
    scratch_dir = Path(settings.BACKUP_DIR)
    scratch_dir.mkdir(parents=True, exist_ok=True)
    with _opened(archive_path, passphrase, allow_unsealed, scratch_dir) as (content, manifest):
        scratch = {
            **connections[DEFAULT_DB_ALIAS].settings_dict,
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(content / "verify.sqlite3"),
            "OPTIONS": {},
            "USER": "",
            "PASSWORD": "",
            "HOST": "",
            "PORT": "",
        }
        with _connection(scratch) as alias:
            # The tables of the current models, as migrating would make them, without running data
            # migrations or post_migrate handlers, which may write to the live database.
            with connections[alias].schema_editor() as editor:
                for model in apps.get_models():
                    if model._meta.managed and not model._meta.proxy:
                        editor.create_model(model)
            try:
                with transaction.atomic(using=alias):
                    _load(alias, content, manifest)
            except BackupError:
                raise
            except Exception as exc:
                raise BackupError(f"The backup does not load: {_first_line(exc)}") from exc
            finally:
                from django.contrib.contenttypes.models import ContentType

                ContentType.objects.clear_cache()
    return manifest


# --- Automatic backups ---------------------------------------------------------------------------------

AUTOMATIC = "auto-rightstrack-"
STATUS_FILE = "status.json"


def _automatic(folder: Path) -> list[Path]:
    """Automatic archives, oldest first (the time stamp in the name sorts them)."""
    return sorted(p for p in folder.glob(f"{AUTOMATIC}*") if p.name.endswith((".tar.gz", ".tar.gz.sealed")))


def _taken_at(path: Path) -> float:
    """When an automatic backup was taken, from its name (a copied file keeps it; its mtime may not)."""
    stamp = path.name[len(AUTOMATIC) :].split(".")[0]
    try:
        return datetime.datetime.strptime(stamp, "%Y%m%d-%H%M%S").timestamp()
    except ValueError:
        return path.stat().st_mtime


def scheduled_backup(now: float | None = None) -> Path | None:
    """Take and verify the automatic backup if the newest one is older than BACKUP_EVERY_HOURS.

    Keeps the newest BACKUP_KEEP; only automatic backups (named auto-…) are ever deleted. The outcome is
    recorded for last_backup_status().
    """
    hours = settings.BACKUP_EVERY_HOURS
    if hours <= 0:
        return None
    folder = Path(settings.BACKUP_DIR)
    automatic = _automatic(folder)
    now = time.time() if now is None else now
    if automatic and now - _taken_at(automatic[-1]) < hours * 3600:
        return None
    stamp = datetime.datetime.fromtimestamp(now).strftime("%Y%m%d-%H%M%S")
    try:
        path = create_backup(folder / f"{AUTOMATIC}{stamp}{_suffix(settings.BACKUP_PASSPHRASE)}")
    except Exception as exc:
        _write_status({**_read_status(), "error": f"The automatic backup failed: {_first_line(exc)}"})
        raise
    try:
        verify_backup(path)
    except Exception as exc:
        _write_status({"path": str(path), "taken_at": now, "verified": False, "error": _first_line(exc)})
        raise
    _write_status({"path": str(path), "taken_at": now, "verified": True, "error": ""})
    for old in _automatic(folder)[: -max(1, settings.BACKUP_KEEP)]:
        old.unlink()
    return path


def _read_status() -> dict:
    try:
        status = json.loads((Path(settings.BACKUP_DIR) / STATUS_FILE).read_text())
    except (OSError, ValueError):
        return {}
    return status if isinstance(status, dict) else {}


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
    if path is None:  # no status yet (an older version took the backups): the newest archive, if any
        automatic = _automatic(Path(settings.BACKUP_DIR))
        if automatic:
            path, taken = str(automatic[-1]), _taken_at(automatic[-1])
    now = time.time() if now is None else now
    return {
        "path": path,
        "taken_at": datetime.datetime.fromtimestamp(taken, datetime.UTC) if taken is not None else None,
        "age_hours": round((now - taken) / 3600, 2) if taken is not None else None,
        "verified": status.get("verified") if status.get("path") else None,
        "error": status.get("error", ""),
    }


def backup_problem(now: float | None = None) -> str:
    """What an administrator should hear about automatic backups ("" when all is well or they are off)."""
    from django.utils.translation import gettext as _

    if settings.BACKUP_EVERY_HOURS <= 0:
        return ""
    status = last_backup_status(now)
    if status["error"] or status["verified"] is False:
        return _("The last automatic backup failed: %(error)s") % {"error": status["error"] or "?"}
    # Housekeeping runs every 10 minutes: two missed intervals mean it is not running or keeps failing.
    if status["age_hours"] is not None and status["age_hours"] > 2 * settings.BACKUP_EVERY_HOURS:
        return _("The last automatic backup is %(hours)d hours old: is `rightstrack serve` running?") % {
            "hours": status["age_hours"]
        }
    return ""
