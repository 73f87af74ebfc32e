"""Figures on the review screen: who gives each (State, civil society, UN body, expert), its qualifier and range,
most certain first, on a desktop and on a 390 px phone."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from playwright.sync_api import expect

from rightstrack.evidence.models import SourceDocument

from .conftest import login, no_horizontal_scroll

pytestmark = pytest.mark.e2e

# Synthetic concluding observations: the State party's data, an NGO's range, the Committee's own count.
OBSERVATIONS = """Concluding observations on the fourth periodic report of Kazakhstan (synthetic test document)

1. According to the State party, 2,118 complaints of torture were registered in 2024.

2. The Committee is concerned about reports by civil society organizations that between six and eight
journalists were detained in 2024.

3. In 2024 the Committee received about 14 individual communications concerning the State party.

4. The figure reached 12.
"""


def _read(user, org) -> SourceDocument:
    client = Client()
    client.force_login(user)
    upload = SimpleUploadedFile("observations.md", OBSERVATIONS.encode())
    # The live server's database commits, so the queued reading runs on commit.
    client.post("/ingest/upload/", {"organisation": org.pk, "confidentiality": "internal", "file": upload})
    return SourceDocument.objects.get(original_filename="observations.md")


def test_figures_show_side_qualifier_and_confidence(page, phone_page, live_server, coordinator_a, org_a, shots):
    document = _read(coordinator_a, org_a)
    url = f"{live_server.url}/ingest/documents/{document.pk}/?kind=figure"
    login(page, live_server, "coordinator_a")
    page.goto(url)
    cards = page.locator("li.suggestion")
    expect(cards.first).to_be_visible()
    # Most certain first: the bare "12" without a unit is last.
    expect(cards.last).to_contain_text("The figure reached 12.")
    expect(page.locator(".badge.speaker").first).to_be_visible()
    expect(page.get_by_text("given by civil society")).to_be_visible()
    expect(page.get_by_text("given by a UN body").first).to_be_visible()
    expect(page.get_by_text("range 6–8")).to_be_visible()
    expect(page.locator(".badge.qualifier", has_text="about")).to_be_visible()
    page.screenshot(path=shots / "ingest-figures-sides.png", full_page=True)

    claims = f"{live_server.url}/ingest/documents/{document.pk}/?kind=claim"
    page.goto(claims)
    expect(page.get_by_text("given by the State")).to_be_visible()

    login(phone_page, live_server, "coordinator_a")
    phone_page.goto(url)
    expect(phone_page.locator("li.suggestion").first).to_be_visible()
    assert no_horizontal_scroll(phone_page)
    phone_page.screenshot(path=shots / "ingest-figures-sides-phone.png", full_page=True)
