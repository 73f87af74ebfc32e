"""Choosing the review accepted recommendations go into, on a phone and by keyboard."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from rightstrack.core.models import Confidentiality
from rightstrack.ingest.actions import upload_for_ingestion
from rightstrack.recommendations import actions as rec_actions
from rightstrack.recommendations.models import Recommendation

from .conftest import login, no_horizontal_scroll

pytestmark = pytest.mark.e2e

REPORT = b"""# Follow-up to the Human Rights Committee (browser test)

1. The concluding observations CCPR/C/KAZ/CO/2 are still not implemented.

### Recommendations

- ensure that all hearings are open to the public;
- guarantee confidential access to a lawyer from the first hour of detention.
"""


def test_choose_the_review_then_accept(phone_page, live_server, coordinator_a, shots):
    org = coordinator_a.memberships.get().organisation
    reviews = {
        symbol: rec_actions.create_review(
            coordinator_a,
            organisation=org,
            mechanism=mechanism,
            state="Kazakhstan",
            symbol=symbol,
            date=datetime.date(year, 1, 1),
            confidentiality=Confidentiality.INTERNAL,
        )
        for mechanism, symbol, year in (("ccpr", "CCPR/C/KAZ/CO/2", 2016), ("upr", "A/HRC/43/10", 2020))
    }
    document, _run, _ = upload_for_ingestion(
        coordinator_a, organisation_id=org.pk, upload=SimpleUploadedFile("follow-up.md", REPORT)
    )
    page = phone_page
    login(page, live_server, "coordinator_a")
    page.goto(f"{live_server.url}/ingest/documents/{document.pk}/?kind=recommendation")
    choice = page.get_by_label("Add the accepted recommendations to the review")
    # The review whose outcome document the report cites is pre-selected.
    expect(choice).to_have_value(str(reviews["CCPR/C/KAZ/CO/2"].pk))
    assert no_horizontal_scroll(page)
    page.screenshot(path=shots / "ingest-review-target.png", full_page=True)

    # Change it without reloading: the accept buttons send the new choice.
    choice.select_option(str(reviews["A/HRC/43/10"].pk))
    cards = page.locator("li.suggestion")
    first_id = cards.first.get_attribute("id")
    cards.first.get_by_role("button", name="Accept").click()
    expect(page.locator(f"#{first_id}")).to_contain_text("citing this passage")

    # By keyboard: J moves to the next suggestion, A accepts it into the same review.
    page.locator(f"#{first_id}").focus()
    page.keyboard.press("j")
    second_id = page.evaluate("document.activeElement.id")
    assert second_id and second_id != first_id
    page.keyboard.press("a")
    expect(page.locator(f"#{second_id}")).to_contain_text("citing this passage")
    assert Recommendation.objects.filter(review=reviews["A/HRC/43/10"]).count() == 2
    assert not Recommendation.objects.filter(review=reviews["CCPR/C/KAZ/CO/2"]).exists()
    assert no_horizontal_scroll(page)
    assert page.errors == [], page.errors
