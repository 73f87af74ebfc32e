"""Ingestion in the browser: upload a PDF, watch the progress bar, review and accept suggestions."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from rightstrack.evidence.models import SourceDocument
from rightstrack.ingest.actions import execute_run
from rightstrack.ingest.models import IngestionRun, RunStatus, Suggestion
from tests.ingest import docgen

from .conftest import login, no_horizontal_scroll

pytestmark = pytest.mark.e2e

# The same generated report on every machine (no ../shared needed), with more recommendations than the
# test works through: it accepts one, rejects the next and edits a third.
REPORT = docgen.synthetic_report(6)


@pytest.fixture
def stand_in_acceptor():
    """Recommendations need a review to belong to; a stand-in acceptor keeps this test about ingestion."""
    from rightstrack.core.actions import create_person
    from rightstrack.ingest import acceptors

    def accept(user, suggestion):
        person = create_person(
            user,
            suggestion.document.organisation_id,
            pseudonym=suggestion.data["text"][:100],
            confidentiality=suggestion.document.confidentiality,
        )
        acceptors.cite_suggestion(user, person, suggestion)
        return person

    saved = acceptors.get("recommendation")
    acceptors.register("recommendation", accept)
    yield
    if saved is not None:
        acceptors.register("recommendation", saved)
    else:
        acceptors.unregister("recommendation")


def test_upload_pdf_progress_review_accept(
    page, live_server, coordinator_a, settings, tmp_path, shots, stand_in_acceptor
):
    if not docgen.have_fonts():
        pytest.skip("DejaVu fonts are not installed")
    pytest.importorskip("fpdf")
    # The database queue: the job waits, so the progress bar is seen, then runs as a worker would.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    pdf = docgen.text_to_pdf(REPORT.text, tmp_path / "alternative-report.pdf")

    login(page, live_server, "coordinator_a")
    page.goto(f"{live_server.url}/ingest/")
    page.get_by_role("link", name="Upload a document to read").click()
    page.get_by_label("File (PDF, DOCX, HTML, TXT, Markdown)").set_input_files(pdf)
    page.get_by_role("button", name="Upload and read").click()

    expect(page).to_have_url(re.compile(r"/ingest/documents/\d+/$"))
    expect(page.get_by_role("status").first).to_contain_text("It is being read")
    progress = page.locator("#run-progress progress")
    expect(progress).to_be_visible()
    page.screenshot(path=shots / "ingest-progress.png", full_page=True)

    run = IngestionRun.objects.get()
    assert run.status == RunStatus.QUEUED
    assert execute_run(run.pk) == "done"
    # The page polls every second and reloads itself when the run has finished.
    expect(page.locator("nav.kind-tabs")).to_be_visible(timeout=10_000)
    expect(page.locator("#run-progress")).to_contain_text("suggestions were found")
    page.locator("nav.kind-tabs").get_by_role("link", name=re.compile("^Recommendations")).click()
    cards = page.locator("li.suggestion")
    expect(cards.first).to_be_visible()
    page.screenshot(path=shots / "ingest-review.png", full_page=False)

    first = cards.first
    card_id = first.get_attribute("id")
    first.get_by_role("button", name="Accept").click()
    accepted = page.locator(f"#{card_id}")
    expect(accepted).to_contain_text("Accepted")
    suggestion = Suggestion.objects.get(pk=int(card_id.split("-")[1]))
    assert suggestion.status in ("accepted", "edited")
    assert suggestion.passage is not None and suggestion.passage.document == SourceDocument.objects.get()
    assert suggestion.record is not None and suggestion.record.pseudonym == suggestion.data["text"][:100]
    expect(accepted).to_contain_text("citing this passage")

    # Keyboard: J moves to the next suggestion, R rejects it.
    accepted.focus()
    page.keyboard.press("j")
    second_id = page.evaluate("document.activeElement.id")
    assert second_id and second_id != card_id
    page.keyboard.press("r")
    expect(page.locator(f"#{second_id}")).to_contain_text("Rejected")
    expect(page.locator(f"#{second_id}")).to_have_class(re.compile("status-rejected"))
    assert Suggestion.objects.get(pk=int(second_id.split("-")[1])).status == "rejected"

    # Edit then accept, in place.
    third = page.locator("li.suggestion.status-pending").first
    third_id = third.get_attribute("id")
    third.get_by_role("link", name="Edit").click()
    expect(page.locator(f"#{third_id} form.suggestion-edit")).to_be_visible()
    box = page.locator(f"#{third_id} textarea")
    expect(box).to_be_focused()
    box.fill("Ensure that hearings are public (edited in the browser).")
    page.locator(f"#{third_id}").get_by_role("button", name="Save and accept").click()
    expect(page.locator(f"#{third_id}")).to_contain_text("Edited and accepted")
    assert Suggestion.objects.get(pk=int(third_id.split("-")[1])).data["text"].endswith("(edited in the browser).")
    page.screenshot(path=shots / "ingest-reviewed.png", full_page=False)
    assert page.errors == [], page.errors


def test_review_on_a_phone(phone_page, live_server, coordinator_a, settings, tmp_path, shots, django_db_blocker):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from rightstrack.ingest.actions import upload_for_ingestion

    document, run, _ = upload_for_ingestion(
        coordinator_a,
        organisation_id=coordinator_a.memberships.get().organisation_id,
        upload=SimpleUploadedFile("report.md", REPORT.text.encode()),
    )
    run.refresh_from_db()
    assert run.status == RunStatus.DONE
    page = phone_page
    login(page, live_server, "coordinator_a")
    page.goto(f"{live_server.url}/ingest/documents/{document.pk}/?kind=upr_id")
    expect(page.locator("li.suggestion").first).to_be_visible()
    assert no_horizontal_scroll(page)
    page.screenshot(path=shots / "ingest-phone.png", full_page=True)
    page.locator("li.suggestion").first.get_by_role("button", name="Accept").click()
    expect(page.locator("li.suggestion").first).to_contain_text("no record was created")
    assert no_horizontal_scroll(page)
    assert page.errors == [], page.errors
