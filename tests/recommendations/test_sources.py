"""Recommendations made by organisations (NGO reports, statements, Ombudsman reports) are never credited to the UN."""

from __future__ import annotations

import csv
import datetime
import hashlib
import io

import pytest
from django.test import Client

from rightstrack.core.errors import InvalidInput
from rightstrack.core.models import AuditEvent, Confidentiality
from rightstrack.evidence.models import Passage, SourceDocument
from rightstrack.recommendations import actions, matrix
from rightstrack.recommendations.models import Recommendation, Review, SourceKind
from rightstrack.reports.generators import _rec_footnotes

COALITION = "Coalition of NGOs of Kazakhstan against Torture"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def document(
    org, title: str = "Statement on the third periodic report", text: str = "Kazakhstan must act."
) -> SourceDocument:
    doc = SourceDocument.objects.create(
        organisation=org,
        confidentiality=Confidentiality.INTERNAL,
        title=title,
        sha256=hashlib.sha256(title.encode() + text.encode()).hexdigest(),
        size=10,
        kind="txt",
        original_filename="statement.txt",
    )
    Passage.objects.create(document=doc, number=1, label="1", text=text)
    return doc


@pytest.fixture
def cso_source(coordinator_a, org_a):
    return actions.create_review(
        coordinator_a,
        organisation=org_a,
        source_kind=SourceKind.NGO_STATEMENT,
        author=f"  {COALITION} ",
        title="Statement on the third periodic report",
        state="Kazakhstan",
        date=datetime.date(2025, 5, 1),
        confidentiality=Confidentiality.PUBLIC,
    )


@pytest.fixture
def cso_rec(coordinator_a, cso_source):
    return actions.create_recommendation(
        coordinator_a,
        cso_source,
        text="Investigate every allegation of torture in January 2022",
        paragraph="12",
        suggest=False,
        confidentiality=Confidentiality.PUBLIC,
    )


def test_a_civil_society_source_has_its_author_and_no_mechanism(cso_source, review):
    assert cso_source.author == COALITION and cso_source.mechanism is None and cso_source.cycle is None
    assert cso_source.made_by == COALITION and not cso_source.is_un
    assert str(cso_source) == f"{COALITION} · Statement on the third periodic report · 2025-05-01"
    assert cso_source.badge == "NGO statement"
    event = AuditEvent.objects.filter(object_id=str(cso_source.pk), verb__endswith="create").get()
    assert event.after["author"] == COALITION
    # Existing and imported reviews stay UN reviews.
    assert review.source_kind == SourceKind.UN and review.made_by == "Universal Periodic Review"


def test_a_mechanism_given_for_a_document_is_dropped(coordinator_a, org_a):
    source = actions.create_review(
        coordinator_a, organisation=org_a, source_kind="ombudsman_report", author="Ombudsman", mechanism="ccpr",
        cycle=2, state="Kazakhstan",
    )  # fmt: skip
    assert source.mechanism is None and source.cycle is None and source.made_by == "Ombudsman"


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"source_kind": "ngo_report", "author": "  "}, "author", "Name the organisation that wrote this document"),
        ({"source_kind": "un"}, "mechanism", "Choose the UN mechanism"),
        ({"source_kind": "un", "mechanism": "nope"}, "mechanism", "Unknown mechanism"),
        ({"source_kind": "blog", "author": "X"}, "source_kind", "Unknown kind of source"),
        (
            {"source_kind": "ngo_report", "author": "X", "date": datetime.date.today() + datetime.timedelta(days=1)},
            "date",
            "The date is in the future",
        ),
    ],
)
def test_bad_sources_are_refused_at_their_field(coordinator_a, org_a, fields, field, message):
    events = AuditEvent.objects.count()
    with pytest.raises(InvalidInput) as err:
        actions.create_review(coordinator_a, organisation=org_a, state="Kazakhstan", **fields)
    assert err.value.field == field and message in err.value.message
    assert not Review.objects.exists() and AuditEvent.objects.count() == events


def test_the_document_must_be_about_the_sources_state(coordinator_a, org_a, org_b, viewer_b):
    doc = document(org_a, text="Kazakhstan: the Coalition documented 40 cases of torture.")
    events = AuditEvent.objects.count()
    with pytest.raises(InvalidInput) as err:
        actions.create_review(
            coordinator_a, organisation=org_a, source_kind="ngo_report", author="X", state="Uzbekistan", document=doc
        )
    assert err.value.field == "state" and "about Kazakhstan, not Uzbekistan" in err.value.message
    # A document the user cannot see is refused like a missing one.
    with pytest.raises(InvalidInput) as err:
        actions.create_review(
            viewer_b, organisation=org_b, source_kind="ngo_report", author="X", state="Kazakhstan", document=doc
        )
    assert err.value.field == "document"
    assert not Review.objects.exists() and AuditEvent.objects.count() == events
    source = actions.create_review(
        coordinator_a, organisation=org_a, source_kind="ngo_report", author="X", state="Kazakhstan", document=doc
    )
    assert source.document == doc
    # A document that names no State does not decide for the user.
    silent = document(org_a, title="Notes", text="No country is named here.")
    assert actions.document_states(silent) == []


def test_editing_a_source_keeps_its_author_and_refuses_a_future_date(coordinator_a, cso_source):
    with pytest.raises(InvalidInput) as err:
        actions.update_review(coordinator_a, cso_source, expected_version=1, changes={"author": " "})
    assert err.value.field == "author"
    with pytest.raises(InvalidInput) as err:
        actions.update_review(
            coordinator_a, cso_source, expected_version=1, changes={"date": datetime.date(2999, 1, 1)}
        )
    assert err.value.field == "date"
    cso_source.refresh_from_db()
    assert cso_source.version == 1 and cso_source.author == COALITION


def test_review_page_creates_a_source_and_an_unchanged_edit_changes_nothing(analyst_a, org_a):
    client = client_for(analyst_a)
    base = {"state": 0, "organisation": org_a.pk, "confidentiality": "internal"}
    from rightstrack.recommendations.models import State

    base["state"] = State.objects.get(name="Kazakhstan").pk
    bad = client.post("/recommendations/reviews/", {**base, "source_kind": "ngo_report", "author": ""})
    page = bad.content.decode()
    assert bad.status_code == 400 and "Name the organisation that wrote this document" in page
    assert not Review.objects.exists()
    ok = client.post(
        "/recommendations/reviews/",
        {**base, "source_kind": "ngo_report", "author": "Bureau for Human Rights", "date": "2025-03-01"},
    )
    source = Review.objects.get()
    assert ok.status_code == 302 and source.made_by == "Bureau for Human Rights" and source.mechanism is None
    detail = client.get(f"/recommendations/reviews/{source.pk}/").content.decode()
    assert "NGO report" in detail and "Bureau for Human Rights" in detail and "(1 March 2025)" in detail
    edit = client.get(f"/recommendations/reviews/{source.pk}/edit/").content.decode()
    assert 'name="author"' in edit and 'name="cycle"' not in edit
    unchanged = {"version": 1, "author": "Bureau for Human Rights", "title": "", "session": "", "symbol": ""}
    unchanged |= {"date": "2025-03-01", "languages": "", "confidentiality": "internal"}
    assert client.post(f"/recommendations/reviews/{source.pk}/edit/", unchanged).status_code == 302
    source.refresh_from_db()
    assert source.version == 1


def test_list_filters_detail_and_export_name_the_author(analyst_a, cso_rec, recs):
    client = client_for(analyst_a)
    cso = client.get("/recommendations/", {"source": "cso"}).content.decode()
    assert cso_rec.text in cso and recs[0].text not in cso and COALITION in cso
    assert "NGO statement" in cso
    by_author = client.get("/recommendations/", {"author": "against torture"}).content.decode()
    assert cso_rec.text in by_author and recs[0].text not in by_author
    un = client.get("/recommendations/", {"source": "un"}).content.decode()
    assert cso_rec.text not in un and recs[0].text[:30] in un
    detail = client.get(f"/recommendations/{cso_rec.pk}/").content.decode()
    assert COALITION in detail and "Made by" in detail and "Universal Periodic Review" not in detail
    body = client.get("/recommendations/export/", {"fmt": "csv"}).content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(body)))
    mine = next(r for r in rows if r["id"] == str(cso_rec.pk))
    assert mine["source_kind"] == "ngo_statement" and mine["author"] == COALITION and mine["mechanism"] == ""
    assert mine["review_date"] == "2025-05-01"
    upr = next(r for r in rows if r["id"] == str(recs[0].pk))
    assert upr["source_kind"] == "un" and upr["mechanism"] == "upr" and upr["author"] == "Universal Periodic Review"


def test_matrix_and_reports_credit_the_author_not_a_un_body(analyst_a, cso_rec, recs):
    rows = list(matrix.rows(analyst_a, Recommendation.objects.filter(pk__in=[cso_rec.pk, recs[0].pk])))
    headers = [str(h) for h in matrix.headers()]
    made_by = headers.index("Made by")
    by_text = {row[0]: row for row in rows}
    assert by_text[cso_rec.text][made_by] == f"{COALITION} (NGO statement), 2025-05-01"
    assert by_text[recs[0].text][made_by] == "Universal Periodic Review, 2019-11-07"
    assert by_text[cso_rec.text][made_by + 1] == "Statement on the third periodic report · 12"
    from docx import Document

    docx = Document(io.BytesIO(matrix.docx(analyst_a, Recommendation.objects.filter(pk=cso_rec.pk), title="M")))
    cells = [c.text for c in docx.tables[0].rows[1].cells]
    assert cells[1] == f"{COALITION} (NGO statement), 2025-05-01"
    assert not any("Committee" in c or "Universal Periodic" in c for c in cells)
    (note,) = _rec_footnotes(Recommendation.objects.select_related("review").get(pk=cso_rec.pk), [])
    assert str(note.text).startswith(f"{COALITION}, Statement on the third periodic report, ")
    assert "2025" in note.text and str(note.text).endswith(", para. 12.")


def test_api_reads_and_creates_sources(analyst_a, org_a, cso_source):
    client = client_for(analyst_a)
    got = client.get(f"/api/recommendations/reviews/{cso_source.pk}").json()
    assert got["source_kind"] == "ngo_statement" and got["author"] == COALITION and got["mechanism"] == ""
    assert got["made_by"] == COALITION and got["document_id"] is None
    payload = {"organisation_id": org_a.pk, "source_kind": "ombudsman_report", "state": "Kazakhstan"}
    bad = client.post("/api/recommendations/reviews", payload, content_type="application/json")
    assert bad.status_code == 400 and "Name the organisation" in bad.content.decode()
    doc = document(org_a)
    made = client.post(
        "/api/recommendations/reviews",
        {**payload, "author": "Ombudsman of Kazakhstan", "date": "2025-01-31", "document_id": doc.pk},
        content_type="application/json",
    )
    assert made.status_code == 201 and made.json()["made_by"] == "Ombudsman of Kazakhstan"
    assert made.json()["document_id"] == doc.pk
    ombudsman = Review.objects.get(pk=made.json()["id"])
    mine = actions.create_recommendation(
        analyst_a, ombudsman, text="Close the pre-trial isolation cells", suggest=False
    )
    actions.create_recommendation(analyst_a, cso_source, text="Publish every custody death", suggest=False)
    listed = client.get("/api/recommendations/recommendations", {"source": "ombudsman_report"})
    assert listed.status_code == 200 and [r["id"] for r in listed.json()["items"]] == [mine.pk]
    by_author = client.get("/api/recommendations/recommendations", {"author": "ombudsman"}).json()["items"]
    assert [r["id"] for r in by_author] == [mine.pk]


def test_the_upr_info_importer_still_makes_un_reviews(analyst_a, org_a, cso_source):
    from .test_import import csv_file, do_import

    result = do_import(analyst_a, org_a, csv_file())
    assert result["create"] == 3 and result["new_reviews"] == 2
    imported = Review.objects.exclude(pk=cso_source.pk)
    assert imported.count() == 2 and all(r.source_kind == "un" and r.mechanism.code == "upr" for r in imported)
    # Nothing went into the civil-society source of the same State.
    assert not cso_source.recommendations.exists()
