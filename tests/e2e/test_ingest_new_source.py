"""Creating a civil-society source from the ingestion review screen and accepting a recommendation into it."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from rightstrack.core.models import Confidentiality
from rightstrack.ingest.actions import upload_for_ingestion
from rightstrack.recommendations import actions as rec_actions
from rightstrack.recommendations.models import Recommendation, Review, State

from .conftest import PASSWORD, login, no_horizontal_scroll

pytestmark = pytest.mark.e2e

STATEMENT = b"""# STATEMENT BY THE BROWSER TEST COALITION AGAINST TORTURE REGARDING THE REPORT OF KAZAKHSTAN

1. In Kazakhstan, complaints of ill-treatment in custody are rarely investigated (synthetic test text).

### Recommendations

- investigate every complaint of torture promptly and independently;
- guarantee access to a lawyer from the moment of detention.
"""


def test_create_a_civil_society_source_and_accept_into_it(page, live_server, coordinator_a, shots):
    org = coordinator_a.memberships.get().organisation
    # An old UN review exists: the statement's recommendations must not land there.
    un_review = rec_actions.create_review(
        coordinator_a,
        organisation=org,
        mechanism="ccpr",
        state="Kazakhstan",
        symbol="CCPR/C/KAZ/CO/2",
        date=datetime.date(2016, 8, 9),
        confidentiality=Confidentiality.INTERNAL,
    )
    document, _run, _ = upload_for_ingestion(
        coordinator_a,
        organisation_id=org.pk,
        upload=SimpleUploadedFile("statement.md", STATEMENT),
        document_date=datetime.date(2025, 5, 1),
    )
    login(page, live_server, "coordinator_a")
    page.goto(f"{live_server.url}/ingest/documents/{document.pk}/?kind=recommendation")
    page.get_by_text("Or create the source: a report or statement by an organisation").click()
    form = page.locator("details.new-target")
    # Pre-filled from the document: its author, kind, date and State.
    expect(form.get_by_label("Author organisation")).to_have_value("Browser Test Coalition against Torture")
    expect(form.get_by_label("Kind of source")).to_have_value("ngo_statement")
    expect(form.get_by_label("Date of the document")).to_have_value("2025-05-01")
    kazakhstan = State.objects.get(name="Kazakhstan").pk
    expect(form.get_by_label("State the recommendations are made to")).to_have_value(str(kazakhstan))

    # A date in the future is refused at its field, with what was typed kept; nothing is created.
    future = (datetime.date.today() + datetime.timedelta(days=30)).isoformat()
    form.get_by_label("Date of the document").fill(future)
    form.get_by_role("button", name="Create it and choose it above").click()
    form = page.locator("details.new-target")
    expect(form.locator(".field.has-error")).to_contain_text("The date is in the future")
    expect(form.get_by_label("Author organisation")).to_have_value("Browser Test Coalition against Torture")
    assert Review.objects.count() == 1
    page.screenshot(path=shots / "ingest-new-source-refused.png", full_page=True)

    form.get_by_label("Date of the document").fill("2025-05-01")
    form.get_by_role("button", name="Create it and choose it above").click()
    source = Review.objects.exclude(pk=un_review.pk).get()
    choice = page.get_by_label("Add the accepted recommendations to the review")
    # The new source is chosen for the accept buttons and "Accept all".
    expect(choice).to_have_value(str(source.pk))
    expect(page.locator("ul.messages")).to_contain_text("created and chosen below")
    assert no_horizontal_scroll(page)
    page.screenshot(path=shots / "ingest-new-source.png", full_page=True)

    cards = page.locator("li.suggestion")
    first_id = cards.first.get_attribute("id")
    cards.first.get_by_role("button", name="Accept").click()
    expect(page.locator(f"#{first_id}")).to_contain_text("citing this passage")
    rec = Recommendation.objects.get()
    assert rec.review == source and source.made_by == "Browser Test Coalition against Torture"

    # The recommendation's page says who made it and when, and names no UN body.
    page.goto(f"{live_server.url}/recommendations/{rec.pk}/")
    fields = page.locator("dl.fields")
    expect(fields).to_contain_text("Browser Test Coalition against Torture")
    expect(fields).to_contain_text("1 May 2025")
    expect(fields).not_to_contain_text("Human Rights Committee")
    page.screenshot(path=shots / "recommendation-civil-society-source.png", full_page=True)
    # The refused form answers 400 (the browser logs it); nothing else may go wrong.
    assert [e for e in page.errors if "status of 400" not in e] == [], page.errors


def test_new_source_form_in_russian(browser, live_server, coordinator_a, shots):
    org = coordinator_a.memberships.get().organisation
    document, _run, _ = upload_for_ingestion(
        coordinator_a, organisation_id=org.pk, upload=SimpleUploadedFile("statement.md", STATEMENT)
    )
    context = browser.new_context(locale="ru-RU", service_workers="block", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/accounts/login/")
        page.locator("input[name=username]").fill("coordinator_a")
        page.locator("input[name=password]").fill(PASSWORD)
        page.locator("input[name=password]").press("Enter")
        page.wait_for_url(lambda url: "/accounts/login/" not in url)
        page.goto(f"{live_server.url}/ingest/documents/{document.pk}/?kind=recommendation")
        # No review or source to choose yet: the form is open, and says so in Russian.
        expect(page.locator("#target-help")).to_contain_text("создайте источник ниже")
        form = page.locator("details.new-target")
        expect(form.locator("summary")).to_have_text("Или создайте источник: доклад или заявление организации")
        form.get_by_label("Организация-автор").fill("")
        form.get_by_role("button", name="Создать и выбрать выше").click()
        expect(page.locator("details.new-target .field.has-error")).to_contain_text(
            "Укажите организацию, подготовившую этот документ"
        )
        assert not Review.objects.exists()
        page.screenshot(path=shots / "ingest-new-source-ru.png", full_page=True)
    finally:
        context.close()
