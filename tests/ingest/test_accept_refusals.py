"""Accepting from ingestion never fails silently: every refusal shows on the card, with the field that fixes it.

A generated meeting summary is read through the real job; claims are dated on the meeting's day.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from meetinggen import meeting_summary

from rightstrack.claims.models import Claim, ClaimFigure
from rightstrack.core.models import AuditEvent
from rightstrack.evidence.models import SourceDocument
from rightstrack.ingest.models import IngestionRun, Suggestion

HX = {"HTTP_HX_REQUEST": "true"}


def read(
    client: Client, org, text: str, capture, name: str = "summary.md", **extra
) -> tuple[SourceDocument, IngestionRun]:
    data = {"organisation": org.pk, "confidentiality": "internal", "file": SimpleUploadedFile(name, text.encode())}
    with capture(execute=True):
        response = client.post("/ingest/upload/", {**data, **extra})
    assert response.status_code == 302, response.content.decode()[:2000]
    document = SourceDocument.objects.get(original_filename=name)
    return document, IngestionRun.objects.get(document=document)


@pytest.fixture
def client(coordinator_a) -> Client:
    c = Client()
    c.force_login(coordinator_a)
    return c


@pytest.fixture
def summary():
    return meeting_summary(datetime.date(2024, 3, 12))


@pytest.fixture
def read_summary(client, org_a, capture, summary):
    document, run = read(client, org_a, summary.text, capture)
    return document, run


def claim_with(run: IngestionRun, value: int) -> Suggestion:
    return next(s for s in run.suggestions.filter(kind="claim") if s.data["value"] == value)


def unchanged(s: Suggestion, events: int) -> bool:
    fresh = Suggestion.objects.get(pk=s.pk)
    return (
        fresh.status == "pending"
        and fresh.data == s.data
        and fresh.version == s.version
        and AuditEvent.objects.count() == events
        and not Claim.objects.exists()
    )


def card_of(html: str, pk: int) -> str:
    """The card's HTML within a page (up to the next card)."""
    start = html.index(f'id="suggestion-{pk}"')
    end = html.find('<li class="suggestion', start)
    return html[start : end if end > 0 else len(html)]


# --- the meeting summary, accepted whole ------------------------------------------------------------


def test_meeting_summary_claims_are_dated_on_the_meeting_day(client, read_summary, summary):
    document, run = read_summary
    document.refresh_from_db()
    # The meeting's day, not the day the record was issued (also in its header) nor the upload day.
    assert document.document_date == summary.meeting and run.found_date == summary.meeting
    assert run.found_date_kind == "meeting" and "12 March 2024" in run.found_date_text
    page = client.get(f"/ingest/documents/{document.pk}/?kind=claim").content.decode()
    assert 'id="document-date"' in page and "Meeting date found in the text" in page and "2024-03-12" in page
    assert "period inferred from the document" in page  # "87 judges had been trained": no period written

    state = [s for s in run.suggestions.filter(kind="claim") if s.data["speaker"] == "state"]
    assert {s.data["value"] for s in state} == set(summary.state_periods)
    response = client.post(f"/ingest/documents/{document.pk}/accept-all/", {"kind": "claim"})
    assert response.status_code == 302, card_of(response.content.decode(), state[0].pk)
    assert not run.suggestions.filter(kind="claim", status="pending").exists()
    claims = Claim.objects.filter(speaker_kind="state")
    assert claims.count() == len(summary.state_periods)
    assert set(claims.values_list("date", flat=True)) == {summary.meeting}
    periods = {int(f.value): f.period_label for f in ClaimFigure.objects.filter(claim__in=claims)}
    assert periods == summary.state_periods


def test_russian_meeting_summary_date(client, org_a, capture):
    summary = meeting_summary(datetime.date(2023, 11, 7), language="ru")
    document, run = read(client, org_a, summary.text, capture, name="ru.md")
    document.refresh_from_db()
    assert document.document_date == summary.meeting and run.found_date_kind == "meeting"
    claims = [s for s in run.suggestions.filter(kind="claim") if s.data["speaker"] == "state"]
    assert {s.data["value"]: s.period_text for s in claims} == summary.state_periods
    response = client.post(f"/ingest/documents/{document.pk}/accept-all/", {"kind": "claim"})
    assert response.status_code == 302
    assert set(Claim.objects.values_list("date", flat=True)) == {summary.meeting}


def test_the_uploader_date_is_kept_and_periods_read_against_it(client, org_a, capture, summary):
    document, run = read(client, org_a, summary.text, capture, name="dated.md", document_date="2024-05-02")
    document.refresh_from_db()
    assert document.document_date == datetime.date(2024, 5, 2)  # what the uploader said stays
    assert run.found_date == summary.meeting  # and what the text says is shown beside it
    assert claim_with(run, 35).period_text == "2024-01..2024-05"  # "this year" in May


# --- the document's date ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "message"),
    [("", "Give the document"), ("12/03/2024", "A date is written"), ("2999-01-01", "in the future")],
)
def test_a_bad_document_date_is_refused_at_the_field(client, read_summary, value, message):
    document, run = read_summary
    events, version = AuditEvent.objects.count(), SourceDocument.objects.get(pk=document.pk).version
    response = client.post(f"/ingest/documents/{document.pk}/date/", {"document_date": value, "kind": "claim"})
    assert response.status_code == 400
    html = response.content.decode()
    field = html[html.index('id="document-date"') : html.index("</section>", html.index('id="document-date"'))]
    assert message in field and 'class="field has-error"' in field
    fresh = SourceDocument.objects.get(pk=document.pk)
    assert (fresh.document_date, fresh.version, AuditEvent.objects.count()) == (
        datetime.date(2024, 3, 12),
        version,
        events,
    )
    assert IngestionRun.objects.get(pk=run.pk).date_confirmed_at is None


def test_confirming_the_date_rereads_inferred_periods_and_saving_it_again_changes_nothing(client, read_summary):
    document, run = read_summary
    judges, prisoners = claim_with(run, 87), claim_with(run, 12500)
    assert judges.period_inferred and judges.period_text == "2024"
    response = client.post(f"/ingest/documents/{document.pk}/date/", {"document_date": "2023-12-05", "kind": "claim"})
    assert response.status_code == 302 and response["Location"].endswith("#document-date")
    run.refresh_from_db()
    assert run.date_confirmed_at is not None and run.date_confirmed_by.username == "coordinator_a"
    assert SourceDocument.objects.get(pk=document.pk).document_date == datetime.date(2023, 12, 5)
    assert Suggestion.objects.get(pk=judges.pk).period_text == "2023"  # the document's year, again
    assert claim_with(run, 35).period_text == "2023"  # "this year", read against December
    assert Suggestion.objects.get(pk=prisoners.pk).data == prisoners.data  # written in the text: untouched
    events = AuditEvent.objects.count()
    again = client.post(f"/ingest/documents/{document.pk}/date/", {"document_date": "2023-12-05"}, follow=True)
    assert "nothing changed" in again.content.decode()
    assert AuditEvent.objects.count() == events


# --- refusals on the card ---------------------------------------------------------------------------


def test_accept_refused_with_htmx_shows_the_card_with_the_field_to_fix(client, read_summary):
    document, run = read_summary
    claim = claim_with(run, 87)
    data = {**claim.data, "unit": ""}
    Suggestion.objects.filter(pk=claim.pk).update(data=data)  # a figure the detector found no unit for
    claim.refresh_from_db()
    events = AuditEvent.objects.count()
    response = client.post(f"/ingest/suggestions/{claim.pk}/accept/", {"version": claim.version}, **HX)
    assert response.status_code == 400
    html = response.content.decode()
    assert html.lstrip().startswith("<li") or 'id="suggestion-' in html[:400]
    assert "no unit" in html and 'class="field has-error"' in html and 'name="unit"' in html
    # The period is offered, pre-filled with the inferred one, so the card can be fixed and accepted in place.
    assert re.search(r'name="period"[^>]*value="2024"', html)
    assert unchanged(claim, events)


def test_accept_refused_without_javascript_re_renders_the_page_at_the_card(client, read_summary):
    document, run = read_summary
    claim = claim_with(run, 87)
    Suggestion.objects.filter(pk=claim.pk).update(data={**claim.data, "period": None, "period_rule": None})
    claim.refresh_from_db()
    events = AuditEvent.objects.count()
    response = client.post(f"/ingest/suggestions/{claim.pk}/accept/", {"version": claim.version})
    assert response.status_code == 400
    html = response.content.decode()
    assert "<html" in html and 'id="document-date"' in html  # the whole review screen
    card = card_of(html, claim.pk)
    assert "no period" in card and 'class="field has-error"' in card and 'name="period"' in card
    # Its forms post back to the card's anchor, so the browser lands on it.
    assert f'action="/ingest/suggestions/{claim.pk}/accept/#suggestion-{claim.pk}"' in card
    assert unchanged(claim, events)


@pytest.mark.parametrize("htmx", [True, False])
def test_an_unparseable_period_is_refused_at_the_field(client, read_summary, htmx):
    document, run = read_summary
    claim = claim_with(run, 35)
    events = AuditEvent.objects.count()
    form = {"edit": "1", "version": claim.version, "value": "35", "unit": "crisis centres", "text": claim.data["text"]}
    form |= {"speaker": "state", "period": "some time ago", "date": ""}
    response = client.post(f"/ingest/suggestions/{claim.pk}/accept/", form, **(HX if htmx else {}))
    assert response.status_code == 400
    card = card_of(response.content.decode(), claim.pk)
    assert "is not a period" in card and 'class="field has-error"' in card
    assert 'value="some time ago"' in card  # what the reviewer typed stays
    assert unchanged(claim, events)


def test_a_future_claim_date_is_refused_at_the_field(client, read_summary):
    document, run = read_summary
    claim = claim_with(run, 35)
    events = AuditEvent.objects.count()
    form = {"edit": "1", "version": claim.version, "value": "35", "unit": "crisis centres", "text": claim.data["text"]}
    form |= {"speaker": "state", "period": "2024", "date": "2999-01-01"}
    response = client.post(f"/ingest/suggestions/{claim.pk}/accept/", form, **HX)
    assert response.status_code == 400 and "in the future" in response.content.decode()
    assert unchanged(claim, events)


def test_fixing_the_period_on_the_card_accepts_it(client, read_summary):
    document, run = read_summary
    claim = claim_with(run, 35)
    form = {"edit": "1", "version": claim.version, "value": "35", "unit": "crisis centres", "text": claim.data["text"]}
    response = client.post(
        f"/ingest/suggestions/{claim.pk}/accept/", form | {"speaker": "state", "period": "Q1 2024", "date": ""}, **HX
    )
    assert response.status_code == 200 and "Edited and accepted" in response.content.decode()
    created = Claim.objects.get()
    assert created.date == datetime.date(2024, 3, 12)
    assert created.figures.get().period_label == "2024-01..2024-03"


def test_saving_the_form_unchanged_is_a_plain_accept(client, read_summary):
    document, run = read_summary
    claim = claim_with(run, 87)
    form = client.get(f"/ingest/suggestions/{claim.pk}/edit/", **HX).content.decode()
    fields = dict(re.findall(r'name="(\w+)"[^>]*value="([^"]*)"', form))
    fields["text"] = re.search(r'name="text"[^>]*>([^<]*)</textarea>', form).group(1).replace("&#x27;", "'")
    fields["speaker"] = "state"
    fields.pop("csrfmiddlewaretoken", None)
    response = client.post(f"/ingest/suggestions/{claim.pk}/accept/", fields, **HX)
    assert response.status_code == 200
    fresh = Suggestion.objects.get(pk=claim.pk)
    assert fresh.status == "accepted" and fresh.data == claim.data  # not "edited": nothing was changed


def test_accept_all_shows_each_refusal_on_its_card(client, read_summary):
    document, run = read_summary
    claim = claim_with(run, 87)
    Suggestion.objects.filter(pk=claim.pk).update(data={**claim.data, "unit": ""})
    response = client.post(f"/ingest/documents/{document.pk}/accept-all/", {"kind": "claim"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "could not be: the reason is on each one below" in html
    card = card_of(html, claim.pk)
    assert "no unit" in card and 'class="field has-error"' in card
    assert Suggestion.objects.get(pk=claim.pk).status == "pending"
    assert run.suggestions.filter(kind="claim", status="pending").count() == 1


REPORT = """# Follow-up report (test)

1. The concluding observations CCPR/C/KAZ/CO/2 remain unimplemented.

### Recommendations

- ensure that all hearings are open to the public;
- guarantee confidential access to a lawyer from the first hour of detention.
"""


@pytest.mark.parametrize("htmx", [True, False])
def test_a_recommendation_without_a_review_points_to_the_choice(client, org_a, capture, htmx):
    document, run = read(client, org_a, REPORT, capture, name="followup.md")
    rec = run.suggestions.filter(kind="recommendation").first()
    events = AuditEvent.objects.count()
    response = client.post(f"/ingest/suggestions/{rec.pk}/accept/", {"version": rec.version}, **(HX if htmx else {}))
    assert response.status_code == 400
    card = card_of(response.content.decode(), rec.pk)
    assert "Choose the review" in card and 'href="#target-choice"' in card
    fresh = Suggestion.objects.get(pk=rec.pk)
    assert fresh.status == "pending" and fresh.version == rec.version and AuditEvent.objects.count() == events
    if not htmx:
        assert 'id="target-choice"' in response.content.decode()  # the choice it points to is on the page


def test_accept_all_recommendations_without_a_review_says_so_at_the_choice(client, org_a, capture):
    document, run = read(client, org_a, REPORT, capture, name="followup.md")
    events = AuditEvent.objects.count()
    response = client.post(f"/ingest/documents/{document.pk}/accept-all/", {"kind": "recommendation"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="target-error"' in html and "Choose the review" in html
    assert AuditEvent.objects.count() == events and not run.suggestions.exclude(status="pending").exists()


def test_a_malformed_claim_date_without_javascript_is_shown_on_the_card_in_the_page(client, read_summary):
    document, run = read_summary
    claim = claim_with(run, 35)
    events = AuditEvent.objects.count()
    form = {"edit": "1", "version": claim.version, "value": "35", "unit": "crisis centres", "text": claim.data["text"]}
    response = client.post(
        f"/ingest/suggestions/{claim.pk}/accept/", form | {"speaker": "state", "period": "2024", "date": "12 March"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "<html" in html and 'class="field has-error"' in card_of(html, claim.pk)
    assert unchanged(claim, events)


def test_the_api_shows_and_confirms_the_document_date(client, read_summary):
    document, run = read_summary
    url = f"/api/ingest/documents/{document.pk}"
    shown = client.get(f"{url}/run").json()
    assert shown["found_date"] == "2024-03-12" and shown["found_date_kind"] == "meeting"
    assert shown["date_confirmed_at"] is None
    events = AuditEvent.objects.count()
    bad = client.post(f"{url}/date", {"document_date": "2999-01-01"}, content_type="application/json")
    assert bad.status_code == 400 and "future" in bad.content.decode() and AuditEvent.objects.count() == events
    done = client.post(f"{url}/date", {"document_date": "2024-03-12"}, content_type="application/json")
    assert done.status_code == 200 and done.json()["date_confirmed_at"] is not None
