"""Stored passages say how their number was found, the review screen shows it, and an unreadable PDF
leaves nothing half-created."""

from __future__ import annotations

import pytest
from test_flow import client_for, post_upload
from test_layouts import _garbage_pdf

from rightstrack.evidence.models import Passage, SourceDocument, TextStatus
from rightstrack.ingest import readers
from rightstrack.ingest.models import IngestionRun, RunStatus, Suggestion

# Text copied from a web page (SYNTHETIC): paragraphs run on, one number glued to its word.
FLAT = (
    "Concluding observations (synthetic test document)\n"
    "A. Torture 1. The delegation stated that 412 complaints were registered in 2023. 2. The Committee "
    "recommends that the State party investigate every allegation of torture. 3.The Committee recommends "
    "that the State party publish statistics on complaints.\n"
)


@pytest.mark.django_db
def test_run_on_numbers_are_stored_as_inline_and_flagged_on_the_review_screen(org_a, coordinator_a, capture) -> None:
    client = client_for(coordinator_a)
    post_upload(client, org_a, "flat.txt", FLAT.encode(), capture)
    document = SourceDocument.objects.get()
    numbered = {p.label: p.label_source for p in Passage.objects.filter(document=document).exclude(label="")}
    assert numbered == {"1": "inline", "2": "inline", "3": "inline"}  # "1." came after its sub-heading
    assert Suggestion.objects.filter(document=document, passage__label="2").exists()
    page = client.get(f"/ingest/documents/{document.pk}/").content.decode()
    assert "number found inside run-on text: check it against the document" in page
    assert 'class="label-source label-source-inline"' in page


@pytest.mark.django_db
def test_review_screen_says_it_in_russian(org_a, coordinator_a, capture) -> None:
    client = client_for(coordinator_a)
    post_upload(client, org_a, "flat.txt", FLAT.encode(), capture)
    document = SourceDocument.objects.get()
    client.cookies["django_language"] = "ru"
    page = client.get(f"/ingest/documents/{document.pk}/").content.decode()
    assert "номер найден внутри сплошного текста: сверьте с документом" in page


@pytest.mark.django_db
def test_broken_font_pdf_fails_cleanly_with_the_reason(org_a, coordinator_a, capture, monkeypatch) -> None:
    monkeypatch.setattr(readers.shutil, "which", lambda name: None)  # no OCR installed
    client = client_for(coordinator_a)
    post_upload(client, org_a, "broken.pdf", _garbage_pdf(2), capture)
    document = SourceDocument.objects.get()
    run = IngestionRun.objects.get()
    assert run.status == RunStatus.FAILED and run.error_code == "UnreadableText"
    assert "unreadable on 2 of 2 pages" in run.message
    document.refresh_from_db()
    assert document.text_status == TextStatus.FAILED
    assert not Passage.objects.filter(document=document).exists()
    assert not Suggestion.objects.exists()
    page = client.get(f"/ingest/documents/{document.pk}/").content.decode()
    assert "broken fonts" in page
