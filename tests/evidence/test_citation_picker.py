"""Citing a passage by document + the document's own label: resolver, rendering, the shared form field,
the preview fragment, and the forms and API that use them."""

from __future__ import annotations

import datetime
import hashlib
import random

import pytest
from django.test import Client

from rightstrack.core.errors import InvalidInput, NotFound
from rightstrack.core.models import Confidentiality
from rightstrack.evidence import citing
from rightstrack.evidence.models import Citation, Passage, SourceDocument
from rightstrack.recommendations import actions as rec_actions
from rightstrack.recommendations.models import Assessment
from tests.conftest import make_user

_seq = iter(range(10**6))


def make_document(org, *, title="Report", symbol="", labels=(), pages=None, confidentiality="internal"):
    """A read document whose passages carry ``labels`` in order ("" for unlabelled), with their text."""
    n = next(_seq)
    document = SourceDocument.objects.create(
        organisation=org,
        confidentiality=confidentiality,
        title=title,
        symbol=symbol,
        sha256=hashlib.sha256(f"doc-{n}".encode()).hexdigest(),
        size=1,
        kind="txt",
        original_filename=f"d{n}.txt",
        text_status="ready",
    )
    Passage.objects.bulk_create(
        Passage(
            document=document,
            number=i,
            label=label,
            text=f"{title} text of {label or i} (passage {i}).",
            page=(pages[i - 1] if pages else None),
        )
        for i, label in enumerate(labels, start=1)
    )
    return document


@pytest.fixture
def review(coordinator_a, org_a):
    return rec_actions.create_review(
        coordinator_a, organisation=org_a, mechanism="upr", state="Kazakhstan", cycle=3, confidentiality="public"
    )


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- Reading what users type -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "kind", "value"),
    [
        ("27", "label", "27"),
        ("¶27", "label", "27"),
        ("¶ 27", "label", "27"),
        ("para. 12", "label", "12"),
        ("Paragraph 12", "label", "12"),
        ("paras 12", "label", "12"),
        ("§ 5", "label", "5"),
        ("п. 7", "label", "7"),
        ("27.", "label", "27"),
        ("(a)", "label", "a"),
        ("139.61", "label", "139.61"),
        ("p. 4", "page", "4"),
        ("page 4", "page", "4"),
        ("стр. 4", "page", "4"),
        ("#12", "number", "12"),
        ("passage 12", "number", "12"),
    ],
)
def test_parse_reference(typed, kind, value):
    assert citing.parse_reference(typed) == citing.Reference(kind, value)


@pytest.mark.parametrize("typed", ["", "   ", "¶", "para.", "x" * 41])
def test_parse_reference_refuses_empty_and_long(typed):
    with pytest.raises(InvalidInput):
        citing.parse_reference(typed)


# --- Resolving -------------------------------------------------------------------------------------


def test_label_is_the_documents_own_not_the_passage_order(org_a, analyst_a):
    # Passage 27 of the document is labelled "30"; and another document has a passage numbered 27.
    labels = [str(n) for n in range(4, 40)]
    document = make_document(org_a, title="Alternative report", labels=labels)
    make_document(org_a, title="Other", labels=[str(n) for n in range(1, 40)])
    passage = citing.resolve_passage(analyst_a, document, "¶27")
    assert passage.document_id == document.pk and passage.label == "27" and passage.number == 24
    assert citing.citation_text(passage) == "Alternative report, para. 27"


def test_bad_labels_name_the_document(org_a, analyst_a):
    document = make_document(org_a, title="Shadow", symbol="CCPR/C/KAZ/CO/2", labels=["1", "2"], pages=[1, 1])
    with pytest.raises(InvalidInput, match="Document CCPR/C/KAZ/CO/2 has no paragraph 27"):
        citing.resolve_passage(analyst_a, document, "27")
    with pytest.raises(InvalidInput, match="has no page 9"):
        citing.resolve_passage(analyst_a, document.pk, "p. 9")
    with pytest.raises(InvalidInput, match="Choose a document"):
        citing.resolve_passage(analyst_a, "", "27")


def test_invisible_and_other_organisations_documents_are_not_found(org_a, org_b, analyst_a, monitor_a):
    secret = make_document(org_a, labels=["1"], confidentiality=Confidentiality.RESTRICTED)
    theirs = make_document(org_b, labels=["1"])
    with pytest.raises(NotFound):
        citing.resolve_passage(monitor_a, secret, "1")  # no restricted access
    with pytest.raises(NotFound):
        citing.resolve_passage(analyst_a, theirs.pk, "1")
    with pytest.raises(NotFound):
        citing.resolve_passage(analyst_a, 987654, "1")


def test_page_and_unlabelled_passages_render_and_resolve_back(org_a, analyst_a):
    document = make_document(org_a, title="Summary", labels=["", "", "3"], pages=[4, 4, 5])
    first, second, third = document.passages.order_by("number")
    assert citing.citation_text(first) == "Summary, p. 4"
    assert citing.citation_text(third) == "Summary, para. 3"
    assert citing.resolve_passage(analyst_a, document, "p. 4") == first
    # What a saved form puts back in the label box resolves to the same passage.
    for passage in (first, second, third):
        assert citing.resolve_passage(analyst_a, document, citing.typed_reference(passage)) == passage


def test_property_citing_label_l_of_document_d_stores_l_of_d(org_a, analyst_a, coordinator_a, review):
    """Seeded random documents and labels: the stored citation is always label L of document D."""
    rng = random.Random(20261204)
    pool = ["1", "2", "3", "10", "12", "27", "139.61", "139.7", "a", "b", "iv", "IV", "2bis"]
    documents = []
    for d in range(6):
        labels = rng.sample(pool, rng.randint(3, len(pool)))
        # Repeat some labels across documents and start numbering at a random offset.
        documents.append((make_document(org_a, title=f"Doc {d}", labels=[*[""] * rng.randint(0, 3), *labels]), labels))
    rec = rec_actions.create_recommendation(coordinator_a, review, text="Free expression", suggest=False)
    for _ in range(60):
        document, labels = rng.choice(documents)
        label = rng.choice(labels)
        typed = rng.choice(["{}", "¶{}", "para. {}", "¶ {}", "{}."]).format(label)
        passage = citing.resolve_passage(analyst_a, document.pk, typed)
        assessment = rec_actions.add_assessment(
            analyst_a,
            rec,
            organisation=org_a,
            assessor_kind="coalition",
            date=datetime.date(2024, 1, 1),
            status="partially",
            passages=[passage],
        )
        stored = Citation.objects.get(object_id=assessment.pk, content_type__model="assessment").passage
        assert stored.document_id == document.pk
        assert stored.label == label, (typed, stored.label)
        assert f", para. {label}" in citing.citation_text(stored)


# --- The preview fragment --------------------------------------------------------------------------


def test_preview_shows_the_passage_or_the_reason(org_a, analyst_a, monitor_a, viewer_b):
    document = make_document(org_a, title="Open doc", labels=["26", "27"])
    secret = make_document(org_a, title="Closed", labels=["27"], confidentiality=Confidentiality.RESTRICTED)
    url = "/documents/passages/preview/"
    ok = client_for(analyst_a).get(
        url, {"field": "passages", "passages_document": document.pk, "passages_label": "¶27"}
    )
    body = ok.content.decode()
    assert ok.status_code == 200 and "Open doc text of 27" in body and "Open doc, para. 27" in body
    assert "/documents/passages/" in body  # links to the passage page
    missing = client_for(analyst_a).get(url, {"document": document.pk, "label": "99"}).content.decode()
    assert "Document Open doc has no paragraph 99" in missing
    for user in (monitor_a, viewer_b):
        hidden = client_for(user).get(url, {"document": secret.pk, "label": "27"}).content.decode()
        assert "Closed" not in hidden and "text of 27" not in hidden and "Choose a document" in hidden
    assert Client().get(url, {"document": document.pk, "label": "27"}).status_code == 302  # log in first


# --- The assessment form (the field every citing form shares) ------------------------------------


def _assessment_data(org, **extra):
    return {
        "assessor_kind": "coalition",
        "date": "2024-02-01",
        "status": "partially",
        "organisation": org.pk,
        "confidentiality": "internal",
        **extra,
    }


def test_assessment_form_cites_by_document_and_label(org_a, analyst_a, coordinator_a, review):
    rec = rec_actions.create_recommendation(coordinator_a, review, text="Free assembly", suggest=False)
    document = make_document(org_a, title="NGO report", labels=[str(n) for n in range(20, 31)])
    other = make_document(org_a, title="UN summary", symbol="CCPR/C/SR.4012", labels=["1", "2", "3"], pages=[2, 2, 3])
    client = client_for(analyst_a)
    url = f"/recommendations/{rec.pk}/assess/"
    page = client.get(f"/recommendations/{rec.pk}/").content.decode()
    assert 'name="passages_document"' in page and "NGO report" in page and "CCPR/C/SR.4012" in page

    # Checking first (no JavaScript): the passages are shown, nothing is saved.
    check = client.post(
        url,
        _assessment_data(
            org_a,
            passages_document=[document.pk, other.pk],
            passages_label=["¶27", "p. 3"],
            passages_check="1",
        ),
    )
    body = check.content.decode()
    assert check.status_code == 400 and "Not saved yet" in body
    assert "NGO report text of 27" in body and "UN summary text of 3" in body
    assert Assessment.objects.count() == 0

    saved = client.post(
        url, _assessment_data(org_a, passages_document=[document.pk, other.pk], passages_label=["¶27", "p. 3"])
    )
    assert saved.status_code == 302
    assessment = Assessment.objects.get()
    cited = sorted(
        (c.passage.document_id, c.passage.label)
        for c in Citation.objects.filter(object_id=assessment.pk, content_type__model="assessment")
    )
    assert cited == sorted([(document.pk, "27"), (other.pk, "3")])
    page = client.get(f"/recommendations/{rec.pk}/").content.decode()
    assert "NGO report, para. 27" in page and "CCPR/C/SR.4012, para. 3" in page


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ({"passages_label": "27"}, "Choose the document of paragraph 27"),
        ({"passages_document": "DOC", "passages_label": "99"}, "Document NGO report has no paragraph 99"),
        ({"passages_document": "DOC", "passages_label": "¶"}, "Type the paragraph"),
        ({"passages_document": "SECRET", "passages_label": "1"}, "Choose a document from the list"),
        ({"passages_document": "THEIRS", "passages_label": "1"}, "Choose a document from the list"),
        ({"passages_document": "junk", "passages_label": "1"}, "Choose a document"),
    ],
)
def test_assessment_form_refuses_bad_citations_and_saves_nothing(org_a, org_b, coordinator_a, review, rows, message):
    ids = {
        "DOC": make_document(org_a, title="NGO report", labels=["26", "27"]).pk,
        "SECRET": make_document(org_a, title="Secret", labels=["1"], confidentiality="restricted").pk,
        "THEIRS": make_document(org_b, title="Theirs", labels=["1"]).pk,
    }
    rows = {k: str(ids.get(v, v)) for k, v in rows.items()}
    rec = rec_actions.create_recommendation(coordinator_a, review, text="Free assembly", suggest=False)
    analyst = make_user("an_a", org_a, "analyst")  # no restricted access
    response = client_for(analyst).post(f"/recommendations/{rec.pk}/assess/", _assessment_data(org_a, **rows))
    body = response.content.decode()
    assert response.status_code == 400 and message in body, body[-3000:]
    assert "Secret" not in body.split("<main", 1)[-1] and "Theirs" not in body
    assert Assessment.objects.count() == 0 and Citation.objects.count() == 0


# --- API -------------------------------------------------------------------------------------------


def test_api_accepts_document_and_label(org_a, org_b, analyst_a, coordinator_a, review):
    rec = rec_actions.create_recommendation(coordinator_a, review, text="Free assembly", suggest=False)
    document = make_document(org_a, title="NGO report", labels=["26", "27"])
    theirs = make_document(org_b, title="Theirs", labels=["27"])
    client = client_for(analyst_a)
    url = f"/api/recommendations/recommendations/{rec.pk}/assessments"
    base = {"organisation_id": org_a.pk, "assessor_kind": "coalition", "date": "2024-02-01", "status": "partially"}
    bad = client.post(url, {**base, "citations": [{"document_id": document.pk, "label": "99"}]}, "application/json")
    assert bad.status_code == 400 and "has no paragraph 99" in bad.json()["detail"]
    hidden = client.post(url, {**base, "citations": [{"document_id": theirs.pk, "label": "27"}]}, "application/json")
    assert hidden.status_code == 400 and "Theirs" not in hidden.content.decode()
    assert Assessment.objects.count() == 0
    ok = client.post(url, {**base, "citations": [{"document_id": document.pk, "label": "¶27"}]}, "application/json")
    assert ok.status_code == 201, ok.content
    assert Citation.objects.get().passage.label == "27"
    by_label = client.get(f"/api/evidence/documents/{document.pk}/passages/by-label", {"label": "para. 26"})
    assert by_label.status_code == 200 and by_label.json()["label"] == "26"
    assert client.get(f"/api/evidence/documents/{theirs.pk}/passages/by-label", {"label": "27"}).status_code == 404


# --- Where citations show ----------------------------------------------------------------------------


def test_recommendation_page_shows_its_source_passage(org_a, coordinator_a, monitor_a, review):
    from rightstrack.evidence.actions import cite

    rec = rec_actions.create_recommendation(coordinator_a, review, text="Free assembly", suggest=False)
    report = make_document(org_a, title="Alternative report", labels=["11", "12"])
    secret = make_document(org_a, title="Secret file", labels=["4"], confidentiality="restricted")
    cite(coordinator_a, rec, report.passages.get(label="12"))
    cite(coordinator_a, rec, secret.passages.get(label="4"))
    page = client_for(coordinator_a).get(f"/recommendations/{rec.pk}/").content.decode()
    assert "Where this recommendation comes from" in page and "Alternative report text of 12" in page
    assert "Alternative report, para. 12" in page and "Secret file, para. 4" in page
    passage = report.passages.get(label="12")
    assert f'href="/documents/passages/{passage.pk}/"' in page
    page = client_for(monitor_a).get(f"/recommendations/{rec.pk}/").content.decode()
    assert "Alternative report, para. 12" in page and "Secret file" not in page  # only what the reader may see
    # The passage page names itself as cited and links back to the recommendation.
    back = client_for(coordinator_a).get(f"/documents/passages/{passage.pk}/").content.decode()
    assert "<h1>Alternative report, para. 12</h1>" in back and f'href="/recommendations/{rec.pk}/"' in back


def test_record_url_for_records_that_cite(org_a, coordinator_a, review):
    rec = rec_actions.create_recommendation(coordinator_a, review, text="Free assembly", suggest=False)
    assessment = rec_actions.add_assessment(
        coordinator_a, rec, organisation=org_a, assessor_kind="state", date=datetime.date(2024, 1, 1), status="fully"
    )
    assert citing.record_url(rec) == f"/recommendations/{rec.pk}/"
    assert citing.record_url(assessment) == f"/recommendations/{rec.pk}/#timeline"
    assert citing.record_url(review) == f"/recommendations/reviews/{review.pk}/"
    assert citing.record_url(None) is None


def test_russian_citations_read_back(org_a, analyst_a):
    from django.utils import translation

    document = make_document(org_a, title="Доклад", labels=["", "27"], pages=[4, 5])
    unlabelled, labelled = document.passages.order_by("number")
    with translation.override("ru"):
        assert citing.citation_text(labelled) == "Доклад, п. 27"
        assert citing.citation_text(unlabelled) == "Доклад, с. 4"
        assert citing.resolve_passage(analyst_a, document, "п. 27") == labelled
        assert citing.resolve_passage(analyst_a, document, "с. 4") == unlabelled
        with pytest.raises(InvalidInput, match="В документе Доклад нет пункта 28"):
            citing.resolve_passage(analyst_a, document, "28")
