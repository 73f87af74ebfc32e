"""Shared fixtures: two organisations, users in every role, and a private files directory per test."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from rightstrack.core.models import Membership, Organisation, Role

# The project's shared data (UPR Info recommendations, the annotated corpus) lives beside the checkout on
# the team's machines but not in a user's clone; RIGHTSTRACK_SHARED_DIR moves it, or hides it when it names
# a directory that does not exist, so CI can prove the suite passes without it.
SHARED = Path(os.environ.get("RIGHTSTRACK_SHARED_DIR") or Path(__file__).resolve().parents[1].parent / "shared")


def make_user(username: str, org: Organisation | None = None, role: str = Role.VIEWER, restricted: bool = False):
    user = get_user_model().objects.create_user(username=username, password="correct horse battery")
    if org is not None:
        Membership.objects.create(user=user, organisation=org, role=role, restricted_access=restricted)
    return user


@pytest.fixture(autouse=True)
def _english():
    """Each test starts in English: a request or report in Russian must not leak its language into the next test."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.activate("en")


@pytest.fixture(autouse=True)
def _private_files(settings, tmp_path):
    settings.FILES_DIR = tmp_path / "files"
    settings.BACKUP_DIR = tmp_path / "backups"
    # Argon2 is slow on purpose; tests that check hashing restore it themselves.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Background jobs run at once in tests; a test of the queue itself sets the database backend.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def org_a(db):
    return Organisation.objects.create(name="Org A", slug="org-a")


@pytest.fixture
def org_b(db):
    return Organisation.objects.create(name="Org B", slug="org-b")


@pytest.fixture
def admin_a(org_a):
    return make_user("admin_a", org_a, Role.ADMIN, restricted=True)


@pytest.fixture
def coordinator_a(org_a):
    return make_user("coordinator_a", org_a, Role.COORDINATOR, restricted=True)


@pytest.fixture
def analyst_a(org_a):
    return make_user("analyst_a", org_a, Role.ANALYST, restricted=True)


@pytest.fixture
def monitor_a(org_a):
    """A monitor of A without restricted access."""
    return make_user("monitor_a", org_a, Role.MONITOR, restricted=False)


@pytest.fixture
def viewer_a(org_a):
    return make_user("viewer_a", org_a, Role.VIEWER)


@pytest.fixture
def viewer_b(org_b):
    return make_user("viewer_b", org_b, Role.VIEWER)


def shared_path(*parts: str) -> Path | None:
    """A file or folder inside the shared data, or None when it is not there."""
    path = SHARED.joinpath(*parts)
    return path if path.exists() else None


@pytest.fixture
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip(f"shared data not found at {SHARED} (set RIGHTSTRACK_SHARED_DIR to where it is)")
    return SHARED
