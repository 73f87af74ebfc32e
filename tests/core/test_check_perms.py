"""The data directory is private: init and migrate make it so, `rightstrack check` says how to fix it."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from rightstrack.core import datadir


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def data_dir(settings, tmp_path):
    root = tmp_path / "data"
    root.mkdir(mode=0o755)
    root.chmod(0o755)  # whatever the umask
    settings.DATA_DIR = root
    settings.FILES_DIR = root / "files"
    settings.BACKUP_DIR = root / "backups"
    key = root / "secret_key"
    key.write_text("k")
    key.chmod(0o644)
    return root


@pytest.mark.django_db
def test_check_names_each_open_path_with_the_chmod_to_run(data_dir, monkeypatch):
    monkeypatch.delenv("DJANGO_ALLOW_ASYNC_UNSAFE", raising=False)
    report = StringIO()
    with pytest.raises(CommandError, match="Installation check failed"):
        call_command("rightstrack_check", stdout=report)
    out = report.getvalue()
    assert f"{data_dir} is open to other users (mode 0755): run `chmod 700 {data_dir}`." in out
    assert f"run `chmod 600 {data_dir / 'secret_key'}`" in out
    assert "OK:" not in out
    datadir.secure()
    assert mode(data_dir) == mode(data_dir / "files") == mode(data_dir / "backups") == 0o700
    assert mode(data_dir / "secret_key") == 0o600
    assert datadir.problems() == []
    report = StringIO()
    call_command("rightstrack_check", stdout=report)
    assert "OK:" in report.getvalue()


@pytest.mark.django_db
def test_group_readable_backups_are_reported(data_dir):
    datadir.secure()
    (data_dir / "backups").chmod(0o750)
    assert datadir.problems() == [
        f"{data_dir / 'backups'} is open to other users (mode 0750): run `chmod 700 {data_dir / 'backups'}`."
    ]


def test_sqlite_database_files_are_found(settings):
    names = [str(p) for p in datadir.sqlite_files()]
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        assert all(n.startswith(str(settings.DATABASES["default"]["NAME"])) for n in names)
    else:
        assert names == []


def rightstrack(data: Path, *args: str) -> subprocess.CompletedProcess:
    # DJANGO_ALLOW_ASYNC_UNSAFE is set by the browser tests' conftest; `check --deploy` rightly refuses it.
    dropped = ("DATABASE_URL", "RIGHTSTRACK_SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE")
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env["RIGHTSTRACK_DATA_DIR"] = str(data)
    code = "import os, sys; os.umask(0o022); from rightstrack.cli import main; main(sys.argv)"
    return subprocess.run(
        [sys.executable, "-c", code, *args], env=env, capture_output=True, text=True, timeout=300, check=False
    )


def test_init_and_migrate_create_a_private_sqlite_installation(tmp_path):
    data = tmp_path / "fresh"
    done = rightstrack(data, "init")
    assert done.returncode == 0, done.stderr
    database = data / "rightstrack.sqlite3"
    for folder in (data, data / "files", data / "backups"):
        assert mode(folder) == 0o700, folder
    assert mode(database) == 0o600 and mode(data / "secret_key") == 0o600
    # Someone loosens the modes: check refuses with the commands to run.
    data.chmod(0o755)
    database.chmod(0o644)
    checked = rightstrack(data, "check")
    assert checked.returncode != 0
    assert f"run `chmod 700 {data}`" in checked.stdout and f"run `chmod 600 {database}`" in checked.stdout
    # `rightstrack migrate` (like init) tightens them again.
    assert rightstrack(data, "migrate", "--verbosity", "0").returncode == 0
    assert mode(data) == 0o700 and mode(database) == 0o600
    checked = rightstrack(data, "check")
    assert checked.returncode == 0 and "OK: sqlite database" in checked.stdout, checked.stdout + checked.stderr
