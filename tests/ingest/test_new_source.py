"""From the ingestion review screen a reviewer creates the civil-society source a document's recommendations
belong to (pre-filled from the document), and accepts them into it: they are never credited to a UN body."""

from __future__ import annotations

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from rightstrack.core.models import AuditEvent
from rightstrack.ingest.actions import upload_for_ingestion
from rightstrack.recommendations.models import Recommendation, Review, State

STATEMENT = b"""# STATEMENT BY THE TEST COALITION OF NGOS AGAINST TORTURE REGARDING THE PERIODIC REPORT OF KAZAKHSTAN

(synthetic test document)

1. In Kazakhstan, complaints of ill-treatment in custody are rarely investigated.

### Recommendations

- investigate every complaint of torture promptly and independently;
- guarantee access to a lawyer from the moment of detention.
"""


def read(user, org, capture, content: bytes = STATEMENT, **fields):
    with capture(execute=True):
        document, run, _ = upload_for_ingestion(
            user, organisation_id=org.pk, upload=SimpleUploadedFile("statement.md", content), **fields
        )
    run.refresh_from_db()
    return document, run


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def form_data(**changes) -> dict:
    data = {
        "kind": "recommendation",
        "source-source_kind": "ngo_statement",
        "source-author": "Test Coalition of NGOs against Torture",
        "source-title": "Statement on the periodic report",
        "source-state": State.objects.get(name="Kazakhstan").pk,
        "source-date": "2025-05-01",
        "source-symbol": "",
    }
    data.update(changes)
    return data


def test_the_form_is_prefilled_from_the_document(org_a, coordinator_a, capture):
    document, run = read(coordinator_a, org_a, capture, document_date=datetime.date(2025, 5, 1))
    page = client_for(coordinator_a).get(f"/ingest/documents/{document.pk}/?kind=recommendation").content.decode()
    assert "Or create the source: a report or statement by an organisation" in page
    assert 'value="Test Coalition of NGOs against Torture"' in page  # the author named in the title
    assert '<option value="ngo_statement" selected>' in page
    # Uploaded without a title: the first heading, not the file name.
    title = "Statement by the Test Coalition of NGOs against Torture regarding the Periodic Report of Kazakhstan"
    assert f'value="{title}"' in page
    assert 'value="2025-05-01"' in page
    kazakhstan = State.objects.get(name="Kazakhstan").pk
    assert f'<option value="{kazakhstan}" selected>Kazakhstan</option>' in page
    # A UN review is not created here: that kind is not offered.
    assert 'value="un"' not in page


def test_create_the_source_then_accept_all_into_it(org_a, coordinator_a, capture):
    document, run = read(coordinator_a, org_a, capture)
    client = client_for(coordinator_a)
    response = client.post(f"/ingest/documents/{document.pk}/new-target/", form_data())
    source = Review.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(f"?kind=recommendation&target={source.pk}")
    assert source.made_by == "Test Coalition of NGOs against Torture" and source.mechanism is None
    assert source.document == document and source.organisation == org_a
    assert source.confidentiality == document.confidentiality and source.date == datetime.date(2025, 5, 1)
    # The new source is pre-selected for "Accept all".
    page = client.get(response["Location"]).content.decode()
    assert f'<option value="{source.pk}" selected>' in page and f'name="target" value="{source.pk}"' in page
    pending = run.suggestions.filter(kind="recommendation", status="pending").count()
    assert pending == 2
    done = client.post(f"/ingest/documents/{document.pk}/accept-all/", {"kind": "recommendation", "target": source.pk})
    assert done.status_code == 302
    recs = list(Recommendation.objects.select_related("review"))
    assert len(recs) == 2 and all(r.review == source for r in recs)
    detail = client.get(f"/recommendations/{recs[0].pk}/").content.decode()
    assert "Test Coalition of NGOs against Torture" in detail and "Human Rights Committee" not in detail


def test_bad_sources_are_refused_at_the_field_and_nothing_saved(org_a, coordinator_a, capture):
    document, run = read(coordinator_a, org_a, capture)
    client = client_for(coordinator_a)
    url = f"/ingest/documents/{document.pk}/new-target/"
    events = AuditEvent.objects.count()
    future = (datetime.date.today() + datetime.timedelta(days=3)).isoformat()
    uzbekistan = State.objects.get(name="Uzbekistan").pk
    for changes, message in (
        ({"source-author": "  "}, "Name the organisation that wrote this document"),
        ({"source-date": future}, "The date is in the future"),
        ({"source-state": uzbekistan}, "The document is about Kazakhstan, not Uzbekistan"),
        ({"source-date": "01.05.2025"}, "Enter a valid date"),
        ({"source-source_kind": "un"}, "Select a valid choice"),
    ):
        response = client.post(url, form_data(**changes))
        page = response.content.decode()
        assert response.status_code == 400 and message in page, changes
        # The form is shown again, open, with what was typed and the message beside its field.
        assert '<details class="new-target card" open>' in page and 'class="field has-error"' in page
    assert not Review.objects.exists() and AuditEvent.objects.count() == events


def test_only_writers_of_the_document_may_create_a_source(org_a, coordinator_a, viewer_a, viewer_b, capture):
    document, run = read(coordinator_a, org_a, capture)
    for user in (viewer_a, viewer_b):
        response = client_for(user).post(f"/ingest/documents/{document.pk}/new-target/", form_data())
        assert response.status_code == 404
    unknown_kind = client_for(coordinator_a).post(
        f"/ingest/documents/{document.pk}/new-target/", form_data(kind="figure")
    )
    assert unknown_kind.status_code == 404 and not Review.objects.exists()


def test_a_review_of_another_state_is_neither_offered_nor_accepted(org_a, coordinator_a, capture):
    from rightstrack.recommendations import actions as rec_actions

    uzbekistan = rec_actions.create_review(
        coordinator_a, organisation=org_a, mechanism="upr", state="Uzbekistan", symbol="A/HRC/39/7", cycle=3
    )
    kazakhstan = rec_actions.create_review(
        coordinator_a, organisation=org_a, mechanism="upr", state="Kazakhstan", symbol="A/HRC/43/10", cycle=3
    )
    document, run = read(coordinator_a, org_a, capture)
    client = client_for(coordinator_a)
    page = client.get(f"/ingest/documents/{document.pk}/?kind=recommendation").content.decode()
    select = page[page.index('id="target-choice"') : page.index("</select>", page.index('id="target-choice"'))]
    assert f'value="{kazakhstan.pk}"' in select and f'value="{uzbekistan.pk}"' not in select
    first = run.suggestions.filter(kind="recommendation").order_by("position").first()
    events = AuditEvent.objects.count()
    refused = client.post(
        f"/ingest/suggestions/{first.pk}/accept/",
        {"version": first.version, "target": uzbekistan.pk},
        HTTP_HX_REQUEST="true",
    )
    assert refused.status_code == 400
    assert "about Uzbekistan, but the document is about Kazakhstan" in refused.content.decode()
    first.refresh_from_db()
    assert first.status == "pending" and not Recommendation.objects.exists()
    assert AuditEvent.objects.count() == events
    done = client.post(f"/ingest/suggestions/{first.pk}/accept/", {"version": first.version, "target": kazakhstan.pk})
    assert done.status_code == 302 and Recommendation.objects.get().review == kazakhstan
