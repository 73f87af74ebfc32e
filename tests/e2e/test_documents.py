"""Uploading a document through the form and reading its passages."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from rightstrack.evidence.models import Passage, SourceDocument

from .conftest import login

pytestmark = pytest.mark.e2e

PARAGRAPHS = [
    "1. The Committee welcomes the adoption of the new law on public assembly.",
    "2. It is concerned about reports of arbitrary detention of peaceful protesters.",
    "3. The State party should release everyone detained for exercising their rights.",
]


def test_upload_text_document_shows_passages(page, live_server, monitor_a, tmp_path, shots):
    source = tmp_path / "observations.txt"
    source.write_text("\n\n".join(PARAGRAPHS) + "\n", encoding="utf-8")

    login(page, live_server, "monitor_a")
    page.goto(f"{live_server.url}/documents/upload/")
    expect(page.get_by_role("heading", name="Upload a document")).to_be_visible()
    page.get_by_label("File (PDF, DOCX, HTML, TXT, Markdown)").set_input_files(source)
    expect(page.get_by_label("Organisation")).to_have_value(re.compile(r"^\d+$"))
    page.get_by_label("Title").fill("Concluding observations (test)")
    page.get_by_role("button", name="Upload").click()

    expect(page).to_have_url(re.compile(r"/documents/\d+/$"))
    expect(page.get_by_role("status")).to_contain_text("Document stored. It is being read")
    expect(page.get_by_role("heading", name="Concluding observations (test)", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="3 passages")).to_be_visible()
    items = page.locator("ol.passages > li")
    expect(items).to_have_count(3)
    for number, text in enumerate(PARAGRAPHS, start=1):
        item = items.nth(number - 1)
        expect(item.locator(".passage-number")).to_have_text(f"para. {number}")  # the document's own numbering
        expect(item).to_contain_text(text.split(". ", 1)[1])
    expect(page.get_by_text("observations.txt")).to_be_visible()
    page.screenshot(path=shots / "upload-result.png", full_page=True)
    assert page.errors == [], page.errors

    document = SourceDocument.objects.get()
    assert page.url.endswith(f"/documents/{document.pk}/")
    stored = Passage.objects.filter(document=document).order_by("number").values_list("text", flat=True)
    assert list(stored) == [p.split(". ", 1)[1] for p in PARAGRAPHS]
    labels = Passage.objects.filter(document=document).order_by("number").values_list("label", flat=True)
    assert list(labels) == ["1", "2", "3"]

    # A passage link opens the passage page.
    items.nth(1).locator(".passage-number").click()
    expect(page).to_have_url(re.compile(r"/documents/passages/\d+/$"))
    expect(page.locator("main")).to_contain_text(PARAGRAPHS[1].split(". ", 1)[1])
