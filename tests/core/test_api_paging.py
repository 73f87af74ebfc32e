"""Every paged API list answers a bad ?limit= / ?offset= with 400 and a clear message, never a 500."""

import re

import pytest
from django.test import Client

from rightstrack.api import api
from rightstrack.core import actions
from rightstrack.core.models import ApiToken
from rightstrack.core.paging import MAX_LIMIT, MAX_OFFSET


def paged_urls() -> list[str]:
    """GET paths of the API whose operation takes both paging parameters (path ids filled with 1)."""
    schema = api.get_openapi_schema(path_prefix="/api/")
    out = []
    for path, operations in schema["paths"].items():
        get = operations.get("get")
        names = {p["name"] for p in (get or {}).get("parameters", []) if p["in"] == "query"}
        if {"limit", "offset"} <= names:
            out.append(re.sub(r"\{[^}]+\}", "1", path))
    return out


PAGED = paged_urls()
BAD = [
    ("offset", "-1"),
    ("offset", str(MAX_OFFSET + 1)),
    ("offset", "1" + "0" * 30),  # larger than any database integer
    ("offset", "abc"),
    ("offset", "1.5"),
    ("limit", "0"),
    ("limit", "-5"),
    ("limit", str(MAX_LIMIT + 1)),
    ("limit", "9" * 25),
    ("limit", "ten"),
]


def test_every_list_is_paged():
    # Each app's lists are found by reading the schema, so a new list is covered without listing it here.
    assert len(PAGED) >= 12
    assert {"/api/persons", "/api/incidents/events", "/api/recommendations/recommendations"} <= set(PAGED)


@pytest.mark.parametrize("url", PAGED)
def test_bad_paging_is_a_clear_400(url, coordinator_a):
    _token, key = ApiToken.issue(coordinator_a, "paging")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    for name, value in BAD:
        response = client.get(url, {name: value})
        assert response.status_code == 400, (url, name, value, response.content[:200])
        body = response.json()
        assert body["field"] == name and f"?{name}=" in body["detail"] and "whole number" in body["detail"]


def test_good_paging_still_works(org_a, coordinator_a):
    for name in ("A", "B", "C"):
        actions.create_person(coordinator_a, org_a, pseudonym=name)
    _token, key = ApiToken.issue(coordinator_a, "paging")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    page = client.get("/api/persons", {"limit": 2, "offset": 1}).json()
    assert page["count"] == 3 and [p["pseudonym"] for p in page["items"]] == ["B", "C"]
    beyond = client.get("/api/persons", {"limit": MAX_LIMIT, "offset": MAX_OFFSET})
    assert beyond.status_code == 200 and beyond.json()["items"] == []


def test_other_invalid_input_keeps_422(coordinator_a):
    _token, key = ApiToken.issue(coordinator_a, "paging")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    assert client.get("/api/trials/findings", {"since": "notadate"}).status_code == 422
