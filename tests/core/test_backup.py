"""Backups: every table and stored file comes back exactly; a bad archive changes nothing; --verify;
the automatic backup verifies itself and administrators see when it fails.

The command-line round trips across databases and the backup-while-serving test are in test_backup_cli.py.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import tarfile
import time
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from rightstrack.core import backup, sealing
from rightstrack.core.models import Person

PASSPHRASE = "long passphrase for the coalition"


def run(*args, **kwargs) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, **kwargs)
    return out.getvalue()


def fill_the_rest(ctx) -> None:
    """Rows for the tables the demo leaves empty, so that every table and relation has at least one."""
    from axes.models import AccessAttempt, AccessAttemptExpiration, AccessFailureLog, AccessLog
    from django.contrib.admin.models import ADDITION, LogEntry
    from django.contrib.auth.models import Group, Permission
    from django.contrib.contenttypes.models import ContentType
    from django_tasks_db.models import DBTaskResult

    from rightstrack.core.models import ApiToken, Sdg
    from rightstrack.incidents.models import ImportBatch
    from rightstrack.recommendations.models import ImportJob, Recommendation

    admin = ctx.users["admin"]
    org = admin.memberships.first().organisation
    group = Group.objects.create(name="Editors")
    group.permissions.add(Permission.objects.get(codename="change_person"))
    admin.groups.add(group)
    admin.user_permissions.add(Permission.objects.get(codename="view_person"))
    person = Person.objects.first()
    LogEntry.objects.create(
        user=admin,
        content_type=ContentType.objects.get_for_model(Person),
        object_id=str(person.pk),
        object_repr=str(person),
        action_flag=ADDITION,
        change_message="[]",
    )
    common = {"user_agent": "test", "ip_address": "10.0.0.1", "http_accept": "*/*", "path_info": "/accounts/login/"}
    attempt = AccessAttempt.objects.create(
        username="intruder", get_data="", post_data="username=intruder", failures_since_start=3, **common
    )
    AccessAttemptExpiration.objects.create(access_attempt=attempt, expires_at=timezone.now())
    AccessFailureLog.objects.create(username="intruder", locked_out=False, **common)
    AccessLog.objects.create(username="admin", session_hash="x" * 64, **common)
    ApiToken.issue(admin, "laptop")
    ImportBatch.objects.create(
        organisation=org, created_by=admin, filename="incidents.csv", content=b"a,b\n1,2\n", summary={"rows": 1}
    )
    ImportJob.objects.create(organisation=org, created_by=admin, filename="recs.csv", fmt="csv", sha256="0" * 64)
    Recommendation.objects.first().sdgs.add(Sdg.objects.first())
    from rightstrack.accounts import actions as accounts

    accounts.save_preferences(admin, language="ru", time_zone="Asia/Aqtobe")
    accounts.set_policy(admin, org.pk, "restricted")
    pending = accounts.start_two_factor(admin)
    import pyotp

    accounts.confirm_two_factor(admin, pyotp.TOTP(pending.secret).now())  # also its recovery codes
    other = [
        u
        for u in ctx.users.values()
        if u.pk != admin.pk and set(u.memberships.values_list("organisation", flat=True)) == {org.pk}
    ]
    accounts.issue_reset_link(admin, other[0].pk)
    accounts.SignIn.objects.create(user=admin, ip="10.0.0.1", user_agent="test", device="Test on Linux")
    from rightstrack.core import notifications

    notifications.settings_for(admin).save()
    # Field capture: a phone, a synced answer's receipt, a quick note with a photo, a photo of a document.
    import base64
    import hashlib

    from rightstrack.field import actions as field
    from rightstrack.trials.models import Observation

    png = b"\x89PNG\r\n\x1a\n" + b"synthetic photo of a document"
    photo = {"name": "doc.png", "data": base64.b64encode(png).decode(), "sha256": hashlib.sha256(png).hexdigest()}
    from rightstrack.trials import actions as trials
    from rightstrack.trials.models import Assignment

    assignment = next(
        a
        for a in Assignment.objects.select_related("hearing", "monitor")
        if not Observation.objects.filter(hearing=a.hearing, monitor=a.monitor).exists()
    )
    monitor = assignment.monitor
    observation = trials.start_observation(monitor, assignment.hearing)
    field.touch_device(monitor, "phone-key-1", label="Test phone")
    synced = field.sync_batch(
        monitor,
        [
            {
                "kind": "answer",
                "client_id": "client-0001",
                "observation": observation.pk,
                "checklist": observation.checklist_id,
                "indicator": "PUB-1",
                "value": "yes",
            }
        ],
        device_key="phone-key-1",
    )
    assert [r["status"] for r in synced["results"]] == ["ok"], synced
    field.create_note(admin, organisation=org.pk, what="Synthetic note", attachments=[photo])
    field.add_photos(monitor, observation, [photo], caption="Synthetic indictment")
    # Tests run background jobs at once; a server keeps them in this queue table.
    DBTaskResult.objects.create(
        args_kwargs={"args": [1], "kwargs": {}},
        task_path="rightstrack.ingest.tasks.read_document",
        backend_name="default",
        run_after=timezone.now(),
        worker_ids=["w1"],
    )


@pytest.fixture
def everything(db):
    """The synthetic demo of every module plus a row in every table it leaves empty."""
    from rightstrack.core.demo import load_demo

    fill_the_rest(load_demo())


def state(files_dir: Path) -> dict:
    """What must come back: each model's rows, the link tables and every stored file (content hashes)."""
    links = {}
    for model in backup.tables():
        if model._meta.auto_created:
            columns = [f.attname for f in model._meta.concrete_fields if not f.primary_key]
            rows = sorted(model._base_manager.values_list(*columns))
            links[model._meta.label_lower] = hashlib.sha256(json.dumps(rows).encode()).hexdigest()
    files = {
        p.relative_to(files_dir).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in files_dir.rglob("*")
        if p.is_file()
    }
    return {"rows": backup.fingerprints(), "counts": backup.row_counts(), "links": links, "files": files}


def search_hits(word: str) -> int:
    from rightstrack.recommendations import search
    from rightstrack.recommendations.models import Recommendation

    return search.restrict(Recommendation.objects.all(), word).count()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("sealed", [False, True], ids=["plain", "sealed"])
@pytest.mark.parametrize("where", ["in-place", "fresh-data-dir"])
def test_round_trip_covers_every_table_row_and_file(everything, settings, tmp_path, sealed, where):
    counts = backup.row_counts()
    every_table = [
        m._meta.label_lower
        for m in apps.get_models(include_auto_created=True)
        if m._meta.managed and not m._meta.proxy and m._meta.label_lower not in backup.EXCLUDE
    ]
    # A model added later without a row here fails this test: the round trip must cover it.
    assert [label for label in every_table if not counts[label]] == []
    assert set(every_table) == set(counts)
    # Sessions are the only table left out (a restored site asks everybody to log in again).
    assert {"sessions.session"} == backup.EXCLUDE
    settings.BACKUP_PASSPHRASE = PASSPHRASE if sealed else ""
    before = state(settings.FILES_DIR)
    assert before["files"] and before["counts"]["evidence.citation"]
    hits = search_hits("torture")
    assert hits

    archive = backup.create_backup(tmp_path / "b.tar.gz")
    assert sealing.is_sealed(archive) == sealed

    if where == "in-place":
        from rightstrack.evidence.models import Citation

        settings.FILES_DIR.chmod(0o750)

        # Changes after the backup: rows deleted and edited, a file damaged and one added.
        Person.objects.filter(pk=Person.objects.first().pk).update(pseudonym="changed")
        Citation.objects.order_by("-pk").first().delete()
        blob = next(p for p in settings.FILES_DIR.rglob("*") if p.is_file())
        blob.write_bytes(b"damaged")
        (settings.FILES_DIR / "stray").write_bytes(b"not in the backup")
    else:
        call_command("flush", interactive=False, verbosity=0)
        settings.FILES_DIR = tmp_path / "fresh" / "files"
    mode = settings.FILES_DIR.stat().st_mode if settings.FILES_DIR.exists() else None
    manifest = backup.restore_backup(archive)
    assert mode is None or settings.FILES_DIR.stat().st_mode == mode  # permissions kept

    assert state(settings.FILES_DIR) == before
    assert settings.FILES_DIR.stat().st_mode & 0o077 == 0 or where == "in-place"  # a fresh one is private
    assert manifest["counts"] == before["counts"] and manifest["sealed"] == sealed
    assert search_hits("torture") == hits  # the search index follows the restored rows
    assert not list(settings.FILES_DIR.parent.glob(".restore-*"))  # no leftovers


def make_archive(tmp_path: Path, name: str = "b.tar.gz") -> Path:
    return backup.create_backup(tmp_path / name)


def rewrite(archive: Path, target: Path, change) -> Path:
    """Copy a plain archive, letting `change(name, data, manifest)` return new bytes for each member."""
    with tarfile.open(archive) as src:
        members = [(m, src.extractfile(m).read()) for m in src.getmembers()]
    manifest = json.loads(next(data for m, data in members if m.name == "manifest.json"))
    members = [(m, change(m.name, data, manifest)) for m, data in members]
    with tarfile.open(target, "w:gz") as dst:
        for member, data in members:
            if member.name == "manifest.json":
                data = json.dumps(manifest).encode()
            member.size = len(data)
            dst.addfile(member, io.BytesIO(data))
    return target


@pytest.fixture
def small(org_a, coordinator_a, settings):
    """A person, a document with its stored file, a citation (a generic relation)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from rightstrack.core import actions
    from rightstrack.evidence.actions import cite, upload_document

    person = actions.create_person(coordinator_a, org_a, pseudonym="Stay", real_name="Айгуль Real")
    document, _ = upload_document(
        coordinator_a, organisation_id=org_a.pk, upload=SimpleUploadedFile("a.txt", b"One.\n\nTwo.")
    )
    cite(coordinator_a, person, document.passages.first())
    return settings


def _tamper_data(name, data, manifest):
    if name == "data.json":
        data = data.replace(b'"Stay"', b'"Gone"')
        manifest["data_sha256"] = hashlib.sha256(data).hexdigest()  # an attacker recomputes the hash
    return data


def _tamper_file(name, data, manifest):
    return b"changed" if name.startswith("files/") else data


def _tamper_counts(name, data, manifest):
    manifest["counts"]["core.person"] += 1
    return data


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "damage, message",
    [
        ("not-an-archive", "not a readable backup"),
        ("cut", "not a readable backup"),
        ("file", "stored file"),
        ("counts", "do not match the manifest"),
        ("data-unsealed", "differ from the backed-up ones"),
        ("sealed-wrong-passphrase", "Wrong passphrase"),
        ("sealed-forged", "Wrong passphrase"),
        ("sealed-downgraded", "not sealed"),
        ("manifest-says-sealed", "sealed when written"),
        ("fails-while-loading", "could not be loaded"),
    ],
)
def test_a_bad_archive_changes_nothing(small, tmp_path, monkeypatch, damage, message):
    settings = small
    archive = make_archive(tmp_path)
    bad = tmp_path / "bad.tar.gz"
    passphrase = ""
    if damage == "not-an-archive":
        bad.write_bytes(b"not a tar")
    elif damage == "cut":
        bad.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    elif damage == "file":
        rewrite(archive, bad, _tamper_file)
    elif damage == "counts":
        rewrite(archive, bad, _tamper_counts)
    elif damage == "data-unsealed":
        # Unsealed archives are not tamper-proof, but a changed row still has to match its fingerprint.
        rewrite(archive, bad, _tamper_data)
    elif damage == "sealed-wrong-passphrase":
        bad = backup.create_backup(tmp_path / "s.tar.gz.sealed", passphrase=PASSPHRASE)
        passphrase = "not the passphrase"
    elif damage == "sealed-forged":
        # Without the passphrase an attacker can only seal a changed archive with another passphrase.
        changed = rewrite(archive, tmp_path / "changed.tar.gz", _tamper_data)
        sealing.seal(changed, bad, "attacker's passphrase")
        passphrase = PASSPHRASE
    elif damage == "sealed-downgraded":
        bad = archive  # a plain archive offered where backups are sealed
        passphrase = PASSPHRASE
    elif damage == "manifest-says-sealed":
        sealed = backup.create_backup(tmp_path / "s.tar.gz.sealed", passphrase=PASSPHRASE)
        sealing.unseal(sealed, bad, PASSPHRASE)  # the sealed archive's content, stripped of its seal
        passphrase = ""  # even where no passphrase is set
    elif damage == "fails-while-loading":
        bad = archive

        def broken() -> None:
            raise RuntimeError("disk full\nsecond line")

        monkeypatch.setattr(backup, "_reindex", broken)
    Person.objects.filter(pseudonym="Stay").update(occupation="edited after the backup")
    before = state(settings.FILES_DIR)
    settings.BACKUP_PASSPHRASE = passphrase
    with pytest.raises(CommandError, match=message) as error:
        run("restore", str(bad), yes=True)
    assert "\n" not in str(error.value) and "Traceback" not in str(error.value)
    assert state(settings.FILES_DIR) == before
    assert Person.objects.get().occupation == "edited after the backup"
    if damage == "sealed-downgraded":  # the administrator may still choose to trust it
        run("restore", str(bad), yes=True, allow_unsealed=True)
        assert Person.objects.get().occupation == ""


@pytest.mark.django_db(transaction=True)
def test_sealed_archive_needs_its_passphrase(small, tmp_path):
    settings = small
    settings.BACKUP_PASSPHRASE = PASSPHRASE
    settings.BACKUP_DIR = tmp_path
    output = run("backup")
    assert "Not sealed" not in output
    archive = next(tmp_path.glob("rightstrack-*.tar.gz.sealed"))
    assert sealing.is_sealed(archive) and "Айгуль".encode() not in archive.read_bytes()
    Person.objects.update(pseudonym="Changed since")
    settings.BACKUP_PASSPHRASE = ""
    with pytest.raises(CommandError, match="sealed"):
        run("restore", str(archive), yes=True)
    assert Person.objects.get().pseudonym == "Changed since"
    settings.BACKUP_PASSPHRASE = PASSPHRASE
    run("restore", str(archive), yes=True)
    assert Person.objects.get().real_name == "Айгуль Real"


@pytest.mark.django_db(transaction=True)
def test_unsealed_archives_say_they_are_not_tamper_proof(small, tmp_path):
    archive = tmp_path / "b.tar.gz"
    assert "Not sealed" in run("backup", out=archive)
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
    assert manifest["sealed"] is False and "not deliberate changes" in manifest["note"]
    assert manifest["counts"]["core.person"] == 1 and len(manifest["files"]) == 1
    assert "Not sealed" in run("restore", str(archive), yes=True)


@pytest.mark.django_db(transaction=True)
def test_verify(small, tmp_path):
    archive = make_archive(tmp_path)
    output = run("backup", verify=archive)
    assert "Backup verified" in output and "1 stored files" in output
    with pytest.raises(CommandError, match="Verification failed: .*do not match the manifest"):
        run("backup", verify=rewrite(archive, tmp_path / "bad.tar.gz", _tamper_counts))
    with pytest.raises(CommandError, match="Verification failed: .*stored file"):
        run("backup", verify=rewrite(archive, tmp_path / "bad2.tar.gz", _tamper_file))
    with pytest.raises(CommandError, match="No such backup file"):
        run("backup", verify=tmp_path / "missing.tar.gz")
    assert Person.objects.get().pseudonym == "Stay"  # verifying never touches the live data


@pytest.mark.django_db(transaction=True)
def test_an_archive_in_the_first_format_restores(small, tmp_path):
    """Archives written before format 2 left content types out and named them; they still restore."""
    from rightstrack.evidence.models import Citation

    data = io.StringIO()
    call_command(
        "dumpdata",
        natural_foreign=True,
        natural_primary=True,
        use_base_manager=True,
        exclude=["contenttypes", "auth.permission", "sessions", "admin.logentry", "axes"],
        stdout=data,
    )
    payload = data.getvalue().encode()
    manifest = {"format": 1, "created": "2026-01-01T00:00:00+00:00", "records": 1}
    manifest["data_sha256"] = hashlib.sha256(payload).hexdigest()
    archive = tmp_path / "old.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        for name, content in (("manifest.json", json.dumps(manifest).encode()), ("data.json", payload)):
            info = tarfile.TarInfo(name)
            info.size = len(content)
            tar.addfile(info, io.BytesIO(content))
        for path in small.FILES_DIR.rglob("*"):
            if path.is_file():
                tar.add(path, arcname=f"files/{path.relative_to(small.FILES_DIR).as_posix()}")
    citations = Citation.objects.count()
    Person.objects.all().delete()
    run("restore", str(archive), yes=True)
    assert Person.objects.get().real_name == "Айгуль Real"
    assert Citation.objects.count() == citations


# --- Automatic backups and their status ------------------------------------------------------------------

DAY = 24 * 3600
T0 = 1_800_000_000  # a moment in 2027


@pytest.fixture
def automatic(settings, tmp_path):
    settings.BACKUP_DIR = tmp_path / "backups"
    settings.BACKUP_EVERY_HOURS = 24
    settings.BACKUP_KEEP = 2
    return settings.BACKUP_DIR


@pytest.mark.django_db(transaction=True)
def test_automatic_backup_is_verified_and_its_status_kept(automatic, small):
    assert backup.last_backup_status() == {
        "path": None,
        "taken_at": None,
        "age_hours": None,
        "verified": None,
        "error": "",
    }
    path = backup.scheduled_backup(now=T0)
    status = backup.last_backup_status(now=T0 + 3 * 3600)
    assert status == {
        "path": str(path),
        "taken_at": datetime.datetime.fromtimestamp(T0, datetime.UTC),
        "age_hours": 3.0,
        "verified": True,
        "error": "",
    }
    assert json.loads((automatic / "status.json").read_text())["verified"] is True
    assert not list(automatic.glob(".*"))  # no temporary files left


@pytest.mark.django_db(transaction=True)
def test_a_failing_automatic_backup_is_recorded(automatic, small, monkeypatch):
    first = backup.scheduled_backup(now=T0)

    def unreadable(path, passphrase=None, **kwargs):
        raise backup.BackupError("The backup is damaged: its data does not match the manifest.")

    monkeypatch.setattr(backup, "verify_backup", unreadable)
    with pytest.raises(backup.BackupError):  # raised, so that housekeeping logs it too
        backup.scheduled_backup(now=T0 + DAY + 60)
    status = backup.last_backup_status(now=T0 + DAY + 120)
    second = status["path"]
    assert second != str(first) and Path(second).exists() and first.exists()  # nothing pruned
    assert status["verified"] is False and "damaged" in status["error"]

    def full(*args, **kwargs):
        raise OSError("No space left on device")

    monkeypatch.setattr(backup, "create_backup", full)
    with pytest.raises(OSError):
        backup.scheduled_backup(now=T0 + 2 * DAY + 120)
    status = backup.last_backup_status(now=T0 + 2 * DAY + 180)
    assert status["path"] == second and "No space left" in status["error"]


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "ru"])
def test_dashboard_tells_administrators_about_a_failed_or_late_backup(
    automatic, client, coordinator_a, monitor_a, language
):
    def notice(user) -> str:
        client.force_login(user)
        html = client.get("/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
        start = html.find('id="backup-notice"')
        return html[start : html.find("</p>", start)] if start >= 0 else ""

    assert notice(coordinator_a) == ""  # no automatic backup taken yet: nothing to say
    recent = time.time() - 3600
    backup._write_status({"path": "/x/auto.tar.gz", "taken_at": recent, "verified": False, "error": "disk full"})
    expected = {"en": "The last automatic backup failed", "ru": "Последнее автоматическое резервное копирование"}
    assert expected[language] in notice(coordinator_a) and "disk full" in notice(coordinator_a)
    assert notice(monitor_a) == ""  # those who cannot act on it are not worried by it
    backup._write_status({"path": "/x/auto.tar.gz", "taken_at": recent, "verified": True, "error": ""})
    assert notice(coordinator_a) == ""  # verified and recent: all is well
    backup._write_status({"path": "/x/auto.tar.gz", "taken_at": recent - 3 * DAY, "verified": True, "error": ""})
    late = {"en": "73 hours old", "ru": "73 ч."}
    assert late[language] in notice(coordinator_a)  # BACKUP_EVERY_HOURS = 24: three days is overdue


@pytest.mark.django_db(transaction=True)
def test_a_failure_while_swapping_the_files_folder_puts_the_old_one_back(small, tmp_path, monkeypatch):
    settings = small
    archive = make_archive(tmp_path)
    Person.objects.update(occupation="edited after the backup")
    (settings.FILES_DIR / "added-after").write_bytes(b"kept")
    before = state(settings.FILES_DIR)
    real_rename = Path.rename

    def rename(self, target):
        # Moving the restored folder in fails (disk, permissions…); putting the old one back works.
        if Path(target) == settings.FILES_DIR and self.name == "files":
            raise OSError("Permission denied")
        return real_rename(self, target)

    monkeypatch.setattr(Path, "rename", rename)
    with pytest.raises(backup.BackupError, match="could not be loaded: Permission denied"):
        backup.restore_backup(archive)
    monkeypatch.undo()
    assert state(settings.FILES_DIR) == before
    assert not list(settings.FILES_DIR.parent.glob(".restore-*"))
