"""Accepted recommendations go into the review the reviewer chose (pre-selected by the symbols the document cites)."""

from __future__ import annotations

import datetime
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from rightstrack.core.models import ApiToken, AuditEvent, Confidentiality, Role
from rightstrack.evidence.models import Citation
from rightstrack.ingest.actions import upload_for_ingestion
from rightstrack.recommendations import actions as rec_actions
from rightstrack.recommendations.models import Recommendation
from tests.conftest import make_user

REPORT = b"""# Follow-up to the Human Rights Committee (test)

1. The Committee's concluding observations (CCPR/C/KAZ/CO/2) are still not implemented.

### Recommendations

- ensure that all hearings are open to the public;
- guarantee confidential access to a lawyer from the first hour of detention.
"""

UPR_REPORT = b"""# Mid-term report (test)

1. The State's responses in A/HRC/43/10/Add.1 accepted most recommendations.

### Recommendations

- adopt a law on peaceful assembly that meets international standards.
"""


def review(user, org, mechanism: str, symbol: str, year: int, level: str = Confidentiality.PUBLIC):
    return rec_actions.create_review(
        user,
        organisation=org,
        mechanism=mechanism,
        state="Kazakhstan",
        symbol=symbol,
        date=datetime.date(year, 1, 1),
        confidentiality=level,
    )


@pytest.fixture
def reviews(org_a, coordinator_a):
    """The Human Rights Committee review the report cites, and a newer UPR review it does not."""
    return (
        review(coordinator_a, org_a, "ccpr", "CCPR/C/KAZ/CO/2", 2016),
        review(coordinator_a, org_a, "upr", "A/HRC/43/10", 2020),
    )


def read(user, org, content: bytes, capture, name: str = "r.md"):
    with capture(execute=True):
        document, run, _ = upload_for_ingestion(user, organisation_id=org.pk, upload=SimpleUploadedFile(name, content))
    run.refresh_from_db()
    return document, run


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def choice(page: str) -> str:
    """The review select of the page (the new-source form below it has options of its own)."""
    start = page.index('id="target-choice"')
    return page[start : page.index("</select>", start)]


def recs(run):
    return list(run.suggestions.filter(kind="recommendation").order_by("position"))


def nothing_created(suggestions, events: int) -> bool:
    fresh = [type(s).objects.get(pk=s.pk) for s in suggestions]
    return (
        all(
            f.status == "pending" and f.version == s.version and "review_id" not in f.data
            for f, s in zip(fresh, suggestions, strict=True)
        )
        and not Recommendation.objects.exists()
        and not Citation.objects.exists()
        and AuditEvent.objects.count() == events
    )


def test_page_preselects_the_review_the_document_cites(reviews, org_a, coordinator_a, capture):
    cited, newer = reviews
    document, run = read(coordinator_a, org_a, REPORT, capture)
    page = client_for(coordinator_a).get(f"/ingest/documents/{document.pk}/?kind=recommendation").content.decode()
    assert 'id="target-choice"' in page and "Add the accepted recommendations to the review" in page
    # Pre-selected although the UPR review is newer, and listed first as cited in this document.
    select = choice(page)
    assert f'<option value="{cited.pk}" selected>' in select and f'<option value="{newer.pk}">' in select
    assert select.index(f'value="{cited.pk}"') < select.index(f'value="{newer.pk}"')
    assert "cited in this document" in page
    # Every accept form carries the choice.
    assert page.count(f'name="target" value="{cited.pk}"') == len(recs(run)) + 1  # + "accept all"
    # Choosing another one (the no-JavaScript path) carries that one instead.
    other = (
        client_for(coordinator_a)
        .get(f"/ingest/documents/{document.pk}/?kind=recommendation&target={newer.pk}")
        .content.decode()
    )
    assert f'<option value="{newer.pk}" selected>' in choice(other) and f'name="target" value="{newer.pk}"' in other
    # Other kinds need no choice.
    symbols = client_for(coordinator_a).get(f"/ingest/documents/{document.pk}/?kind=symbol").content.decode()
    assert "target-choice" not in symbols


def test_upr_addendum_symbol_matches_its_review(reviews, org_a, coordinator_a, capture):
    cited, upr = reviews
    document, run = read(coordinator_a, org_a, UPR_REPORT, capture)
    page = client_for(coordinator_a).get(f"/ingest/documents/{document.pk}/?kind=recommendation").content.decode()
    assert f'<option value="{upr.pk}" selected>' in choice(page) and f'<option value="{cited.pk}">' in choice(page)


def test_nothing_preselected_without_a_cited_review(org_a, coordinator_a, capture):
    review(coordinator_a, org_a, "upr", "A/HRC/43/10", 2020)
    document, run = read(coordinator_a, org_a, REPORT.replace(b"CCPR/C/KAZ/CO/2", b"no symbol"), capture)
    page = client_for(coordinator_a).get(f"/ingest/documents/{document.pk}/?kind=recommendation").content.decode()
    assert " selected>" not in choice(page) and "Nothing is accepted until you choose." in page
    assert 'name="target" value=""' in page


def test_accept_without_a_review_is_refused_and_nothing_created(reviews, org_a, coordinator_a, capture):
    document, run = read(coordinator_a, org_a, REPORT, capture)
    client = client_for(coordinator_a)
    first, second = recs(run)
    events = AuditEvent.objects.count()
    for data in ({"version": first.version}, {"version": first.version, "target": ""}):
        response = client.post(f"/ingest/suggestions/{first.pk}/accept/", data, HTTP_HX_REQUEST="true")
        assert response.status_code == 400 and "Choose the review these recommendations belong to" in (
            response.content.decode()
        )
    # Without HTMX the error page says the same.
    page = client.post(f"/ingest/suggestions/{first.pk}/accept/", {"version": first.version})
    assert page.status_code == 400 and "Choose the review" in page.content.decode()
    # Accept-all refuses the whole batch.
    batch = client.post(f"/ingest/documents/{document.pk}/accept-all/", {"kind": "recommendation"})
    assert batch.status_code == 400 and "Choose the review" in batch.content.decode()
    assert nothing_created([first, second], events)


@pytest.mark.parametrize("bad", ["abc", "-1", "0", "1.5", "٣", "9" * 40])
def test_malformed_review_choice_is_refused(reviews, org_a, coordinator_a, capture, bad):
    document, run = read(coordinator_a, org_a, REPORT, capture)
    first = recs(run)[0]
    events = AuditEvent.objects.count()
    response = client_for(coordinator_a).post(
        f"/ingest/suggestions/{first.pk}/accept/", {"version": first.version, "target": bad}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 400 and "Choose one of the options offered" in response.content.decode()
    assert nothing_created([first], events)


def test_hidden_or_unsuitable_reviews_are_neither_offered_nor_accepted(reviews, org_a, org_b, coordinator_a, capture):
    owner_b = make_user("coordinator_b", org_b, Role.COORDINATOR, restricted=True)
    hidden = review(owner_b, org_b, "ccpr", "CCPR/C/KAZ/CO/2", 2017, Confidentiality.INTERNAL)
    public_b = review(owner_b, org_b, "cat", "CAT/C/KAZ/CO/4", 2014)
    restricted_a = review(coordinator_a, org_a, "ccpr", "CCPR/C/KAZ/CO/2", 2018, Confidentiality.RESTRICTED)
    # An internal document: its recommendations cannot go into a restricted review (they would be wider).
    document, run = read(coordinator_a, org_a, REPORT, capture)
    page = client_for(coordinator_a).get(f"/ingest/documents/{document.pk}/?kind=recommendation").content.decode()
    select = choice(page)
    assert f'value="{public_b.pk}"' in select  # another organisation's public review may hold them
    assert f'value="{hidden.pk}"' not in select and f'value="{restricted_a.pk}"' not in select
    first = recs(run)[0]
    events = AuditEvent.objects.count()
    for target in (hidden.pk, restricted_a.pk, 999999):
        response = client_for(coordinator_a).post(
            f"/ingest/suggestions/{first.pk}/accept/",
            {"version": first.version, "target": target},
            HTTP_HX_REQUEST="true",
        )
        assert response.status_code == 400 and "Choose one of the reviews offered" in response.content.decode()
    assert nothing_created([first], events)


def test_accept_into_the_chosen_review(reviews, org_a, coordinator_a, capture):
    cited, newer = reviews
    document, run = read(coordinator_a, org_a, REPORT, capture)
    first, second = recs(run)
    client = client_for(coordinator_a)
    response = client.post(f"/ingest/suggestions/{first.pk}/accept/", {"version": first.version, "target": newer.pk})
    # The choice survives the redirect back to the review page.
    assert response.status_code == 302 and response["Location"].endswith(f"?kind=recommendation&target={newer.pk}")
    first.refresh_from_db()
    rec = Recommendation.objects.get()
    assert rec.review == newer and first.record == rec and first.data["review_id"] == newer.pk
    assert first.status == "accepted"  # choosing the review is not an edit of what was found
    assert Citation.objects.get().passage == first.passage
    event = AuditEvent.objects.get(verb="suggestion.accept")
    assert event.after["data"]["review_id"] == newer.pk
    # Edit, then accept: the edit form carries the choice too.
    form = client.get(f"/ingest/suggestions/{second.pk}/edit/?target={cited.pk}", HTTP_HX_REQUEST="true")
    assert f'name="target" value="{cited.pk}"' in form.content.decode()
    done = client.post(
        f"/ingest/suggestions/{second.pk}/accept/",
        {"edit": "1", "version": second.version, "text": "Open all hearings.", "section": "", "article": "14",
         "target": cited.pk},
        HTTP_HX_REQUEST="true",
    )  # fmt: skip
    assert done.status_code == 200 and "citing this passage" in done.content.decode()
    second.refresh_from_db()
    assert second.status == "edited" and second.record.review == cited and second.record.text == "Open all hearings."


def test_accept_all_into_the_chosen_review(reviews, org_a, coordinator_a, capture):
    cited, _newer = reviews
    document, run = read(coordinator_a, org_a, REPORT, capture)
    response = client_for(coordinator_a).post(
        f"/ingest/documents/{document.pk}/accept-all/", {"kind": "recommendation", "target": cited.pk}
    )
    assert response.status_code == 302
    assert Recommendation.objects.filter(review=cited).count() == 2
    assert set(run.suggestions.filter(kind="recommendation").values_list("status", flat=True)) == {"accepted"}


def test_no_review_to_choose_says_what_to_do(org_a, coordinator_a, capture):
    document, run = read(coordinator_a, org_a, REPORT, capture)
    page = client_for(coordinator_a).get(f"/ingest/documents/{document.pk}/?kind=recommendation").content.decode()
    assert "create the source below" in page and "add or import the UN review" in page and "disabled" in page
    # With nothing to choose, the form that creates the source is open.
    assert '<details class="new-target card" open>' in page


def test_viewer_sees_no_choice(reviews, org_a, coordinator_a, viewer_a, capture):
    document, run = read(coordinator_a, org_a, REPORT, capture)
    page = client_for(viewer_a).get(f"/ingest/documents/{document.pk}/?kind=recommendation").content.decode()
    assert "ensure that all hearings are open" in page
    assert "target-choice" not in page and 'name="target"' not in page


def test_api_accept_needs_a_review(reviews, org_a, coordinator_a, capture):
    cited, _newer = reviews
    document, run = read(coordinator_a, org_a, REPORT, capture)
    first = recs(run)[0]
    _token, key = ApiToken.issue(coordinator_a, "t")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    url = f"/api/ingest/suggestions/{first.pk}"
    events = AuditEvent.objects.count()
    missing = client.post(url, json.dumps({"decision": "accept"}), content_type="application/json")
    assert missing.status_code == 400 and "Choose the review" in missing.json()["detail"]
    wrong = client.post(url, json.dumps({"decision": "accept", "target": "x"}), content_type="application/json")
    assert wrong.status_code == 422
    assert nothing_created([first], events)
    ok = client.post(
        url,
        json.dumps({"decision": "accept", "version": first.version, "target": cited.pk}),
        content_type="application/json",
    )
    assert ok.status_code == 200 and ok.json()["record_type"] == "recommendations.recommendation"
    assert ok.json()["data"]["review_id"] == cited.pk
    assert Recommendation.objects.get(pk=ok.json()["record_id"]).review == cited


def test_edit_without_a_review_keeps_the_edits_on_screen(reviews, org_a, coordinator_a, capture):
    document, run = read(coordinator_a, org_a, REPORT, capture)
    first = recs(run)[0]
    events = AuditEvent.objects.count()
    response = client_for(coordinator_a).post(
        f"/ingest/suggestions/{first.pk}/accept/",
        {"edit": "1", "version": first.version, "text": "My edited text.", "section": "", "article": ""},
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert response.status_code == 400 and "Choose the review" in body
    assert "My edited text." in body and "Save and accept" in body
    assert nothing_created([first], events)
