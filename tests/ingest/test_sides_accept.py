"""Sides through the real job: an NGO's figure becomes an NGO data point, never a State claim; the State's
figure in the same document becomes a State claim; figures are reviewed most certain first."""

from __future__ import annotations

import datetime
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client

from rightstrack.claims.models import Claim, DataPoint
from rightstrack.evidence.models import SourceDocument
from rightstrack.ingest.models import IngestionRun

# A synthetic NGO briefing: its own figures, one official figure it quotes, a bare number.
BRIEFING = """NGO briefing for the Committee against Torture (synthetic test document)

Submitted by a coalition of non-governmental organizations

1. Our monitors documented 118 cases of torture in pre-trial detention in 2024.

2. According to official data, 1,045 persons were serving sentences for extremism in 2024.

3. In 2024 the figure reached 12.
"""


@pytest.fixture
def run(coordinator_a, org_a, capture) -> tuple[Client, IngestionRun]:
    client = Client()
    client.force_login(coordinator_a)
    upload = SimpleUploadedFile("briefing.md", BRIEFING.encode())
    with capture(execute=True):
        client.post("/ingest/upload/", {"organisation": org_a.pk, "confidentiality": "internal", "file": upload})
    document = SourceDocument.objects.get(original_filename="briefing.md")
    return client, IngestionRun.objects.get(document=document)


def test_ngo_figure_is_a_data_point_and_official_figure_a_state_claim(run) -> None:
    client, run = run
    ngo = run.suggestions.get(kind="figure", data__value=118)
    assert ngo.data["speaker"] == "ngo" and ngo.confidence is not None
    assert not run.suggestions.filter(kind="claim", data__value=118).exists()
    state = run.suggestions.get(kind="claim", data__value=1045)
    assert state.data["speaker"] == "state"

    response = client.post(f"/ingest/suggestions/{ngo.pk}/accept/", {"version": ngo.version})
    assert response.status_code in (200, 302), response.content.decode()[:2000]
    point = DataPoint.objects.get()
    assert point.source_kind == "ngo" and point.value == 118
    assert not Claim.objects.exists()  # the NGO's figure is no claim of the State

    document = run.document
    document.document_date = document.document_date or datetime.date(2025, 1, 15)
    document.save(update_fields=["document_date"])
    response = client.post(f"/ingest/suggestions/{state.pk}/accept/", {"version": state.version})
    assert response.status_code in (200, 302), response.content.decode()[:2000]
    assert Claim.objects.get().speaker_kind == "state"


def test_figures_are_reviewed_most_certain_first(run) -> None:
    _client, run = run
    figures = list(run.suggestions.filter(kind="figure").order_by("position"))
    assert [s.data["value"] for s in figures] == [118, 12]  # the bare number with no unit comes last
    assert figures[0].confidence > figures[1].confidence


def test_review_screen_shows_side_and_confidence(run) -> None:
    client, run = run
    html = client.get(f"/ingest/documents/{run.document_id}/?kind=figure").content.decode()
    assert "given by civil society" in html and "confidence" in html
    assert html.index("118") < html.index("reached 12")


def test_extract_json_keeps_speaker_and_adds_side(tmp_path) -> None:
    path = tmp_path / "briefing.txt"
    path.write_text(BRIEFING, encoding="utf-8")
    out = io.StringIO()
    call_command("extract", str(path), "--json", stdout=out)
    result = json.loads(out.getvalue())
    sides = {f["value"]: (f["side"], f["speaker"]) for f in result["figures"]}
    assert sides[118] == ("ngo", None) and sides[1045] == ("state", None)
    assert result["document_kind"] == "ngo_report"


def test_edit_form_reads_an_old_committee_side_as_expert(run) -> None:
    from rightstrack.ingest.forms import SuggestionEditForm

    _client, run = run
    claim = run.suggestions.get(kind="claim", data__value=1045)
    claim.data = {**claim.data, "speaker": "committee"}  # as stored before sides were told apart
    form = SuggestionEditForm(suggestion=claim)
    assert form.initial["speaker"] == "expert"
    assert [value for value, _label in form.fields["speaker"].choices] == ["state", "ngo", "body", "expert"]
