import io
import re
import stat
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from rightstrack.core.models import AuditEvent, Membership, Person
from rightstrack.evidence.models import SourceDocument

README = Path(__file__).resolve().parents[2] / "README.md"


def run(*args, **kwargs) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, **kwargs)
    return out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_demo_loads_and_prints_logins(monkeypatch):
    monkeypatch.setenv("RIGHTSTRACK_DEMO_PASSWORD", "demo-pass-123")
    output = run("demo")
    assert re.search(r"monitor\s+demo-pass-123", output)
    assert Person.objects.filter(is_synthetic=True).count() >= 5
    assert SourceDocument.objects.filter(is_synthetic=True).exists()
    from django.contrib.auth import get_user_model

    assert get_user_model().objects.get(username="viewer").check_password("demo-pass-123")
    # Running it again changes no records (idempotent) but resets the passwords.
    people = Person.objects.count()
    run("demo")
    assert Person.objects.count() == people
    run("demo", reset=True)
    assert Person.objects.count() == people


@pytest.mark.django_db(transaction=True)
def test_demo_password_generated_when_unset(monkeypatch):
    monkeypatch.delenv("RIGHTSTRACK_DEMO_PASSWORD", raising=False)
    output = run("demo")
    passwords = re.findall(r"^\s+admin\s+(\S+)", output, re.MULTILINE)
    assert passwords and len(passwords[0]) >= 12


@pytest.mark.django_db
def test_createuser(db):
    output = run(
        "createuser",
        "maria",
        organisation="New Org",
        role="analyst",
        restricted=True,
        password="a long enough passphrase",
    )
    assert "analyst" in output
    membership = Membership.objects.get(user__username="maria")
    assert membership.role == "analyst" and membership.restricted_access
    with pytest.raises(CommandError):
        run("createuser", "weak", organisation="New Org", password="123")


@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_round_trip(org_a, coordinator_a, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from rightstrack.core import actions
    from rightstrack.evidence.actions import upload_document

    person = actions.create_person(coordinator_a, org_a, pseudonym="Keep me", real_name="Айгуль Real")
    # As in a backup made before matching keys existed: restore must fill them.
    Person.objects.filter(pk=person.pk).update(pseudonym_key="", real_name_key="")
    document, _ = upload_document(
        coordinator_a, organisation_id=org_a.pk, upload=SimpleUploadedFile("a.txt", b"One.\n\nTwo.")
    )
    archive = tmp_path / "b.tar.gz"
    run("backup", out=archive)
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    Person.objects.all().delete()
    blob = next(p for p in settings.FILES_DIR.rglob("*") if p.is_file())
    blob.unlink()
    run("restore", str(archive), yes=True)
    restored = Person.objects.get()
    assert restored.real_name == "Айгуль Real"
    assert (restored.pseudonym_key, restored.real_name_key) == ("keep me", "айгуль real")
    assert SourceDocument.objects.get().passages.count() == 2
    assert blob.exists()
    assert AuditEvent.objects.filter(verb="document.upload").exists()


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_damaged_archive(org_a, coordinator_a, tmp_path):
    import tarfile

    from rightstrack.core import actions

    actions.create_person(coordinator_a, org_a, pseudonym="Stay")
    bad = tmp_path / "bad.tar.gz"
    bad.write_bytes(b"not a tar")
    with pytest.raises(CommandError):
        run("restore", str(bad), yes=True)
    archive = tmp_path / "b.tar.gz"
    run("backup", out=archive)
    # Tamper with the data: the manifest checksum no longer matches.
    tampered = tmp_path / "t.tar.gz"
    with tarfile.open(archive) as src, tarfile.open(tampered, "w:gz") as dst:
        for member in src.getmembers():
            data = src.extractfile(member).read()
            if member.name == "data.json":
                data = data.replace(b"Stay", b"Gone")
            member.size = len(data)
            dst.addfile(member, io.BytesIO(data))
    with pytest.raises(CommandError, match="damaged"):
        run("restore", str(tampered), yes=True)
    assert Person.objects.get().pseudonym == "Stay"
    with pytest.raises(CommandError):
        run("restore", str(tmp_path / "missing.tar.gz"), yes=True)


@pytest.mark.django_db
def test_check_command(monkeypatch):
    monkeypatch.delenv("DJANGO_ALLOW_ASYNC_UNSAFE", raising=False)  # set by the browser tests' conftest
    assert "OK" in run("rightstrack_check")


def test_cli_maps_check_alias(monkeypatch):
    from rightstrack import cli

    seen = []
    monkeypatch.setattr("django.core.management.execute_from_command_line", lambda argv: seen.append(argv))
    cli.main(["rightstrack", "check"])
    cli.main(["rightstrack", "worker"])
    assert seen == [["rightstrack", "rightstrack_check"], ["rightstrack", "worker"]]


def test_every_command_and_setting_is_documented():
    """Docs never drift: each CLI command and each environment variable read by settings is in the README."""
    readme = README.read_text()
    commands = Path(__file__).resolve().parents[2] / "src" / "rightstrack"
    for path in commands.glob("*/management/commands/*.py"):
        name = path.stem
        if name.startswith("_") or name == "rightstrack_check":
            continue
        assert f"rightstrack {name}" in readme, f"`rightstrack {name}` is not documented in README.md"
    settings_src = (commands / "settings.py").read_text()
    variables = set(re.findall(r'(?:env_bool|os\.environ\.get)\("([A-Z_]+)"', settings_src))
    variables |= set(re.findall(r'os\.environ\["([A-Z_]+)"\]', settings_src))
    assert variables, "settings should read the environment"
    for variable in sorted(variables):
        assert f"`{variable}`" in readme, f"setting {variable} is not documented in README.md"


@pytest.mark.django_db(transaction=True)
def test_sealed_backup_needs_its_passphrase(org_a, coordinator_a, settings, tmp_path):
    from rightstrack.core import actions
    from rightstrack.core.sealing import is_sealed

    actions.create_person(coordinator_a, org_a, pseudonym="Sealed", real_name="Айгуль Secret")
    settings.BACKUP_PASSPHRASE = "long passphrase for the coalition"
    settings.BACKUP_DIR = tmp_path
    run("backup")
    archive = next(tmp_path.glob("rightstrack-*.tar.gz.sealed"))
    assert is_sealed(archive) and "Айгуль".encode() not in archive.read_bytes()
    Person.objects.filter(pseudonym="Sealed").update(pseudonym="Changed since")
    # Without the passphrase or with a wrong one: refused, nothing changed.
    for passphrase in ("", "wrong passphrase"):
        settings.BACKUP_PASSPHRASE = passphrase
        with pytest.raises(CommandError, match="sealed|Wrong passphrase"):
            run("restore", str(archive), yes=True)
        assert Person.objects.get().pseudonym == "Changed since"
    settings.BACKUP_PASSPHRASE = "long passphrase for the coalition"
    run("restore", str(archive), yes=True)
    assert Person.objects.get().real_name == "Айгуль Secret"
