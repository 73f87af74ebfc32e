import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from rightstrack.core import actions as core_actions
from rightstrack.core.errors import Forbidden, NotFound
from rightstrack.core.models import Confidentiality
from rightstrack.evidence.actions import cite, citing_records, upload_document


@pytest.fixture
def passage(org_a, coordinator_a):
    document, _ = upload_document(
        coordinator_a, organisation_id=org_a.pk, upload=SimpleUploadedFile("a.txt", b"One.\n\nTwo.")
    )
    return document.passages.get(number=2)


def test_cite_and_list(org_a, coordinator_a, monitor_a, passage):
    open_person = core_actions.create_person(coordinator_a, org_a, pseudonym="Open")
    secret = core_actions.create_person(
        coordinator_a, org_a, pseudonym="Secret", confidentiality=Confidentiality.RESTRICTED
    )
    cite(coordinator_a, open_person, passage, note="supports")
    cite(coordinator_a, secret, passage)
    assert cite(coordinator_a, open_person, passage).pk  # idempotent
    assert {c["record"].pseudonym for c in citing_records(coordinator_a, passage)} == {"Open", "Secret"}
    assert {c["record"].pseudonym for c in citing_records(monitor_a, passage)} == {"Open"}
    client = Client()
    client.force_login(monitor_a)
    body = client.get(f"/documents/passages/{passage.pk}/").content.decode()
    assert "Open" in body and "Secret" not in body


def test_cannot_cite_invisible_passage(org_a, org_b, coordinator_a, viewer_b, passage):
    from tests.conftest import make_user

    other = make_user("other_b", org_b, "coordinator", restricted=True)
    person = core_actions.create_person(other, org_b, pseudonym="B person")
    with pytest.raises(NotFound):
        cite(other, person, passage)


def test_viewer_cannot_cite(org_a, coordinator_a, viewer_a, passage):
    person = core_actions.create_person(coordinator_a, org_a, pseudonym="P")
    with pytest.raises(Forbidden):
        cite(viewer_a, person, passage)
