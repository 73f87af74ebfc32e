"""A refused Accept shows its reason on the card, with the field that fixes it (English and Russian)."""

from __future__ import annotations

import datetime
import sys
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from rightstrack.claims.models import Claim
from rightstrack.ingest.actions import upload_for_ingestion
from rightstrack.ingest.models import Suggestion

from .conftest import login, no_horizontal_scroll

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "ingest"))
from meetinggen import meeting_summary  # noqa: E402

pytestmark = pytest.mark.e2e


def unitless_claim(user) -> tuple[int, Suggestion]:
    """A meeting summary read, and one State claim whose unit the detector could not find."""
    org = user.memberships.get().organisation
    summary = meeting_summary(datetime.date(2024, 3, 12))
    document, run, _ = upload_for_ingestion(
        user, organisation_id=org.pk, upload=SimpleUploadedFile("summary.md", summary.text.encode())
    )
    claim = next(s for s in run.suggestions.filter(kind="claim") if s.data["value"] == 87)
    Suggestion.objects.filter(pk=claim.pk).update(data={**claim.data, "unit": ""})
    return document.pk, claim


@pytest.mark.parametrize("language", ["en", "ru"])
def test_refused_accept_shows_its_reason_on_the_card(page, live_server, coordinator_a, shots, language):
    document_id, claim = unitless_claim(coordinator_a)
    login(page, live_server, "coordinator_a")
    if language == "ru":
        page.context.add_cookies([{"name": "django_language", "value": "ru", "url": live_server.url}])
    page.goto(f"{live_server.url}/ingest/documents/{document_id}/?kind=claim")
    # The meeting's date, found in the text, is shown for confirmation.
    expect(page.locator("#document-date")).to_contain_text("12 марта 2024 г." if language == "ru" else "12 March 2024")
    card = page.locator(f"#suggestion-{claim.pk}")
    card.get_by_role("button", name="Accept" if language == "en" else "Принять").click()
    # The reason appears on this card, at the unit field, which has the keyboard.
    unit = card.locator('input[name="unit"]')
    expect(card.locator(".has-error")).to_contain_text("no unit" if language == "en" else "единиц")
    expect(unit).to_be_focused()
    expect(card.locator('input[name="period"]')).to_have_value("2024")
    assert Suggestion.objects.get(pk=claim.pk).status == "pending" and not Claim.objects.exists()
    assert no_horizontal_scroll(page)
    page.screenshot(path=shots / f"ingest-refused-accept-{language}.png", full_page=True)

    # Fixed in place: it is accepted, dated on the meeting's day.
    unit.fill("judges")
    card.get_by_role("button", name="Save and accept" if language == "en" else "Сохранить и принять").click()
    expect(page.locator(f"#suggestion-{claim.pk} .review-outcome")).to_be_visible()
    created = Claim.objects.get()
    assert created.date == datetime.date(2024, 3, 12) and created.figures.get().unit == "judges"
    # The refusal itself answers 400, which Chromium logs; nothing else may go wrong.
    assert [e for e in page.errors if "status of 400" not in e] == [], page.errors


def test_refused_accept_without_javascript_lands_on_the_card(browser, live_server, coordinator_a, shots):
    document_id, claim = unitless_claim(coordinator_a)
    context = browser.new_context(
        java_script_enabled=False, service_workers="block", viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    login(page, live_server, "coordinator_a")
    page.goto(f"{live_server.url}/ingest/documents/{document_id}/?kind=claim")
    page.locator(f"#suggestion-{claim.pk}").get_by_role("button", name="Accept").click()
    assert page.url.endswith(f"#suggestion-{claim.pk}")
    card = page.locator(f"#suggestion-{claim.pk}")
    expect(card.locator(".has-error")).to_contain_text("no unit")
    card.screenshot(path=shots / "ingest-refused-accept-nojs.png")
    context.close()
