"""The UN meeting summary in the shared corpus: all its State claims can be accepted (needs ../shared)."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from rightstrack.claims.models import Claim
from rightstrack.evidence.models import SourceDocument
from rightstrack.ingest.models import IngestionRun, Suggestion


def meeting_summary(shared: Path) -> Path:
    """The corpus document that reports a treaty-body dialogue (the delegation and Committee Experts speak)."""
    corpus = shared / "corpus"
    for path in sorted(corpus.glob("*.txt")) if corpus.is_dir() else []:
        text = path.read_text(encoding="utf-8", errors="replace")
        if re.search(r"\bthe delegation said\b", text, re.I) and re.search(r"Committee Experts?", text):
            return path
    pytest.skip(f"no UN meeting summary in {corpus}")


def test_corpus_meeting_summary_claims_can_all_be_accepted(shared_dir, org_a, coordinator_a, capture):
    path = meeting_summary(shared_dir)
    client = Client()
    client.force_login(coordinator_a)
    upload = SimpleUploadedFile(path.name, path.read_bytes())
    with capture(execute=True):
        client.post("/ingest/upload/", {"organisation": org_a.pk, "confidentiality": "internal", "file": upload})
    document = SourceDocument.objects.get()
    run = IngestionRun.objects.get(document=document)
    assert run.status == "done" and run.found_date is not None
    assert document.document_date == run.found_date <= datetime.date.today()
    claims = run.suggestions.filter(kind="claim")
    assert claims.count() >= 20
    assert all(s.period_text for s in claims)  # every figure has a period: from the text, or the meeting's year

    response = client.post(f"/ingest/documents/{document.pk}/accept-all/", {"kind": "claim"})
    refused = list(run.suggestions.filter(kind="claim", status="pending"))
    if refused:
        # Each refusal is on its card, at the field that fixes it (a number the detector found no unit for) ...
        html = response.content.decode()
        for s in refused:
            start = html.index(f'id="suggestion-{s.pk}"')
            card = html[start : html.find('<li class="suggestion', start + 1)]
            assert 'class="field has-error"' in card, card[:3000]
        # ... and fixing it there accepts it.
        for s in refused:
            form = {"edit": "1", "version": s.version, "value": str(s.data["value"]), "text": s.data["text"]}
            form |= {"unit": s.data.get("unit") or "units", "speaker": s.data["speaker"], "period": s.period_text}
            fixed = client.post(f"/ingest/suggestions/{s.pk}/accept/", form, HTTP_HX_REQUEST="true")
            assert fixed.status_code == 200, fixed.content.decode()[:2000]
    assert not Suggestion.objects.filter(run=run, kind="claim", status="pending").exists()
    assert Claim.objects.count() == claims.count()
    assert set(Claim.objects.values_list("date", flat=True)) == {document.document_date}
