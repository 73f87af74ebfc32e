"""Restricted data must not reach anyone without the right to it, on any route (see leak_harness.py)."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from django.test import Client
from pypdf import PdfReader

from rightstrack.core.models import AuditEvent, Role

from .conftest import make_user
from .leak_harness import MARKER, SEARCH, World, build_world, descriptions, fill, walk

# Routes that need no description because they take no record from the URL, or serve files that
# cannot hold records; every pattern with parameters must be described in a leak_routes.py.
ADMIN_PREFIX = "admin/"
# POSTing these would change the visitor's own session (log out, switch language), not records.
SESSION_CHANGING = {"accounts/logout/", "i18n/setlang/"}


def visitors(org_a, org_b) -> dict[str, Client | None]:
    viewer_b = make_user("leak_viewer_b", org_b, Role.VIEWER)
    monitor_a = make_user("leak_monitor_a", org_a, Role.MONITOR, restricted=False)
    clients = {"anonymous": Client()}
    for name, user in (("viewer_b", viewer_b), ("monitor_a", monitor_a)):
        client = Client()
        client.force_login(user)
        clients[name] = client
    return clients


def admin_kwargs(route, world: World) -> list[dict]:
    """Django admin routes: point every parameter at a hidden record (non-staff users get the login page)."""
    person = world.hidden["person"]
    values = {
        "app_label": "core",
        "model_name": "person",
        "object_id": person.pk,
        "url": "core/person/",
        "content_type_id": 1,
        "id": person.pk,
        "user_id": 1,
        "uidb64": "x",
        "token": "y",
    }
    return [{name: values.get(name, person.pk) for name in route.converters}]


def requests_for(world: World) -> list[tuple[str, str]]:
    """(pattern, path) for every route of the project, with all described parameter sets."""
    described = descriptions()
    out, missing = [], []
    for route in walk():
        if route.pattern.startswith(ADMIN_PREFIX):
            kwarg_sets = admin_kwargs(route, world) if route.converters else [{}]
        elif route.converters:
            if route.pattern not in described:
                missing.append(route.pattern)
                continue
            kwarg_sets = described[route.pattern](world)
        else:
            kwarg_sets = [{}]
        out.extend((route.pattern, fill(route.pattern, kwargs)) for kwargs in kwarg_sets)
    assert not missing, f"Describe these routes in a tests/<app>/leak_routes.py: {missing}"
    return out


def normalise(body: str) -> str:
    """Remove what changes between two identical renders (CSRF tokens)."""
    body = re.sub(r"^(Expires|Date|Last-Modified): .*$", "", body, flags=re.MULTILINE)
    body = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", body)
    body = re.sub(r'csrf-token="[^"]+"', "", body)
    return re.sub(r'"X-CSRFToken": "[^"]+"', "", body)


def readable(content: bytes) -> str:
    """What a reader of the file sees: every text part of a DOCX/XLSX (footnotes too), the text of a PDF."""
    if content.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            parts = [archive.read(n).decode("utf-8", "replace") for n in archive.namelist() if n.endswith(".xml")]
        return "\n".join(re.sub(r"<[^>]+>", "", part) for part in parts)
    if content.startswith(b"%PDF"):
        reader = PdfReader(io.BytesIO(content))
        return "\n".join(page.extract_text() for page in reader.pages) + str(reader.metadata)
    return content.decode("utf-8", errors="replace")


def body_of(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    headers = "\n".join(f"{k}: {v}" for k, v in response.items())
    return headers + "\n" + readable(content)


@pytest.fixture
def world(org_a):
    author = make_user("leak_author", org_a, Role.ADMIN, restricted=True)
    return World(org_a=org_a, author=author)


@pytest.mark.django_db
def test_every_route_hides_restricted_data(world, org_a, org_b):
    clients = visitors(org_a, org_b)
    build_world(world, "semi")
    # Baseline: what each visitor sees before the hidden records exist.
    list_paths = [(r.pattern, fill(r.pattern, {})) for r in walk() if not r.converters]
    baseline = {
        (who, path): normalise(body_of(client.get(path, {"q": SEARCH})))
        for who, client in clients.items()
        for _p, path in list_paths
    }
    build_world(world, "hidden")
    assert world.hidden, "the leak world must contain hidden records"
    requests = requests_for(world)
    events_before = AuditEvent.objects.count()
    checked = 0
    for who, client in clients.items():
        for pattern, path in requests:
            for method in ("get",) if pattern in SESSION_CHANGING else ("get", "post"):
                response = getattr(client, method)(path, {"q": SEARCH} if method == "get" else {})
                text = body_of(response)
                assert MARKER not in text, f"{who} {method.upper()} {path} shows restricted data"
                assert response.status_code < 500, f"{who} {method.upper()} {path} → {response.status_code}"
                checked += 1
            if "<" not in pattern:
                # Lists, counts, searches and exports are identical with or without the hidden records.
                again = normalise(body_of(client.get(path, {"q": SEARCH})))
                assert again == baseline[(who, path)], f"{who} GET {path} changes when hidden records exist"
    assert AuditEvent.objects.count() == events_before, "a visitor without access changed something"
    assert checked > 100


@pytest.mark.django_db
def test_harness_fails_on_undescribed_route(world, monkeypatch):
    from tests import leak_harness

    monkeypatch.setattr(leak_harness, "descriptions", lambda: {})
    import tests.test_leaks as me

    monkeypatch.setattr(me, "descriptions", lambda: {})
    build_world(world, "semi")
    build_world(world, "hidden")
    with pytest.raises(AssertionError, match="Describe these routes"):
        requests_for(world)
