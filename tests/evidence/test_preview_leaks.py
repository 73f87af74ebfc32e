"""The citation picker's preview and the API's by-label lookup, asked for the leak harness' hidden document
by every outsider, with labels that exist: nothing of it shows, and the answer is the same as for a
document that does not exist (ids cannot be probed)."""

from __future__ import annotations

import pytest

from rightstrack.core.models import Role
from tests.conftest import make_user
from tests.leak_harness import MARKER, World, build_world
from tests.test_leaks import visitors


@pytest.mark.django_db
def test_preview_and_by_label_reveal_nothing_of_invisible_documents(org_a, org_b):
    world = World(org_a=org_a, author=make_user("leak_author", org_a, Role.ADMIN, restricted=True))
    build_world(world, "semi")
    build_world(world, "hidden")
    hidden = world.hidden["document"].pk
    for who, client in visitors(org_a, org_b).items():
        for label in ("1", "¶1", "#1", "p. 1", "99"):
            for document in (hidden, 424242):
                preview = client.get(
                    "/documents/passages/preview/", {"field": "f", "f_document": document, "f_label": label}
                )
                assert MARKER not in preview.content.decode(), (who, label)
                api = client.get(f"/api/evidence/documents/{document}/passages/by-label", {"label": label})
                assert MARKER not in api.content.decode(), (who, label)
                assert api.status_code in (401, 404), (who, api.status_code)
            missing = client.get("/documents/passages/preview/", {"document": 424242, "label": "1"})
            same = client.get("/documents/passages/preview/", {"document": hidden, "label": label})
            assert same.content == missing.content, who
