"""Persons in the browser: hidden identities for members without restricted access, and edit conflicts."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from rightstrack.core import actions
from rightstrack.core.models import Confidentiality, Person

from .conftest import login

pytestmark = pytest.mark.e2e

REAL_NAME = "Aigerim Nurlanovna Seitkali"
CONTACTS = "+7 701 555 0101"
SECRET_PSEUDONYM = "Source R-2"
SECRET_NAME = "Bolat Restrictedov"


@pytest.fixture
def people(org_a):
    internal = Person.objects.create(
        organisation=org_a,
        confidentiality=Confidentiality.INTERNAL,
        pseudonym="Witness K-17",
        real_name=REAL_NAME,
        contacts=CONTACTS,
        address="12 Abai Avenue, flat 4",
        occupation="teacher",
        is_hrd=True,
        notes="Interviewed in March.",
    )
    restricted = Person.objects.create(
        organisation=org_a,
        confidentiality=Confidentiality.RESTRICTED,
        pseudonym=SECRET_PSEUDONYM,
        real_name=SECRET_NAME,
        contacts="+7 777 000 0000",
    )
    return internal, restricted


def test_viewer_without_restricted_access_sees_only_the_pseudonym(page, live_server, viewer_a, people, shots):
    internal, restricted = people
    login(page, live_server, "viewer_a")

    page.goto(f"{live_server.url}/people/{internal.pk}/")
    expect(page.get_by_role("heading", name="Witness K-17", level=1)).to_be_visible()
    hidden = "Hidden: identifying details are shown only to members with restricted access."
    expect(page.get_by_text(hidden)).to_be_visible()
    expect(page.locator(".level")).to_have_text("Internal")
    expect(page.get_by_text("teacher")).to_be_visible()
    # A viewer may not edit or delete.
    expect(page.get_by_role("link", name="Edit")).to_have_count(0)
    expect(page.get_by_role("button", name="Delete")).to_have_count(0)
    html = page.content()
    for secret in (REAL_NAME, "Seitkali", CONTACTS, "Abai Avenue"):
        assert secret not in html
    page.screenshot(path=shots / "person-hidden-identity.png", full_page=True)

    # The list shows the internal pseudonym only; the restricted person does not exist for this viewer.
    page.goto(f"{live_server.url}/people/")
    expect(page.get_by_role("link", name="Witness K-17")).to_be_visible()
    expect(page.get_by_text("1 person")).to_be_visible()
    assert SECRET_PSEUDONYM not in page.content()

    # Searching by the real name finds nothing (no oracle on hidden fields).
    page.goto(f"{live_server.url}/people/?q=Seitkali")
    expect(page.get_by_text("Nobody found.")).to_be_visible()

    # The restricted person's URL looks exactly like a missing record.
    response = page.goto(f"{live_server.url}/people/{restricted.pk}/")
    assert response is not None and response.status == 404
    expect(page.get_by_role("alert")).to_have_text("No such record, or you do not have access to it.")
    html = page.content()
    assert SECRET_PSEUDONYM not in html and SECRET_NAME not in html
    restricted_text = page.locator("main").inner_text()
    missing = page.goto(f"{live_server.url}/people/{restricted.pk + 1000}/")
    assert missing is not None and missing.status == 404
    assert page.locator("main").inner_text() == restricted_text
    # The only console errors are the two intended 404 responses.
    assert all("status of 404" in e for e in page.errors), page.errors


def _submit_stale_edit(page, live_server, person, editor: str, other_user, other_notes: str, my_notes: str):
    """Open the edit form, let `other_user` save first, then submit ours; return the POST response."""
    login(page, live_server, editor)
    page.goto(f"{live_server.url}/people/{person.pk}/edit/")
    expect(page.get_by_role("heading", name=f"Edit {person.pseudonym}")).to_be_visible()

    fresh = Person.objects.get(pk=person.pk)
    actions.update_person(other_user, fresh, expected_version=fresh.version, changes={"notes": other_notes})

    page.get_by_label("Notes").fill(my_notes)
    with page.expect_response(lambda r: r.request.method == "POST" and "/edit/" in r.url) as posted:
        page.get_by_role("button", name="Save").click()
    return posted.value


def test_stale_edit_shows_conflict_and_keeps_the_other_value(page, live_server, admin_a, coordinator_a, people, shots):
    internal, _restricted = people
    response = _submit_stale_edit(
        page,
        live_server,
        internal,
        "admin_a",
        coordinator_a,
        other_notes="Saved by the coordinator.",
        my_notes="My notes from the field.",
    )

    assert response.status == 409
    expect(page.get_by_role("heading", name="Edit conflict", level=1)).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("Someone else saved this record after you opened it.")
    row = page.locator("table.conflict tr", has=page.get_by_role("rowheader", name="notes"))
    expect(row).to_have_class(re.compile(r"\bdiffers\b"))
    expect(row.locator("td").nth(0)).to_have_text("Saved by the coordinator.")
    expect(row.locator("td").nth(1)).to_have_text("My notes from the field.")
    page.screenshot(path=shots / "conflict.png", full_page=True)

    stored = Person.objects.get(pk=internal.pk)
    assert stored.notes == "Saved by the coordinator."
    assert stored.version == 2

    # "Open the current version" reloads the form with the saved value and the new version.
    page.get_by_role("link", name="Open the current version").click()
    expect(page.get_by_label("Notes")).to_have_value("Saved by the coordinator.")
    expect(page.locator("input[name=version]")).to_have_value("2")


def test_conflict_page_does_not_reveal_identity_to_editor_without_restricted_access(
    page, live_server, monitor_a, coordinator_a, people
):
    internal, _restricted = people
    response = _submit_stale_edit(
        page,
        live_server,
        internal,
        "monitor_a",
        coordinator_a,
        other_notes="Saved by the coordinator.",
        my_notes="Monitor's notes.",
    )
    assert response.status == 409
    expect(page.get_by_role("heading", name="Edit conflict", level=1)).to_be_visible()
    html = page.content()
    for secret in (REAL_NAME, CONTACTS, "Abai Avenue"):
        assert secret not in html, f"{secret!r} shown on the conflict page"
