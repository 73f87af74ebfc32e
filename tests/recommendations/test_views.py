"""Pages, exports and the API, including bad input and forbidden records."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from rightstrack.core.models import ApiToken, AuditEvent
from rightstrack.recommendations import actions
from rightstrack.recommendations.models import Assessment, ImportJob, Recommendation

from .test_import import csv_file


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_pages_need_login(client):
    for url in [
        "/recommendations/",
        "/recommendations/dashboard/",
        "/recommendations/reviews/",
        "/recommendations/export/",
        "/recommendations/groups/",
    ]:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_list_search_filter_count_and_htmx_fragment(analyst_a, recs, django_assert_max_num_queries):
    client = client_for(analyst_a)
    with django_assert_max_num_queries(16):
        response = client.get("/recommendations/", {"q": "torture", "response": "noted"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "4 recommendations" in html and 'value="torture"' in html
    fragment = client.get("/recommendations/", {"q": "torture"}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in fragment and "8 recommendations" in fragment
    # Sorting and paging keep the filters in the URL.
    page2 = client.get("/recommendations/", {"sort": "upr_id", "page": 2}).content.decode()
    assert "139.85" not in page2 and "Page 2 of 1" not in page2


def test_export_csv_and_xlsx_are_formula_safe(coordinator_a, review):
    actions.create_recommendation(coordinator_a, review, text='=HYPERLINK("http://evil","x")', suggest=False)
    client = client_for(coordinator_a)
    body = client.get("/recommendations/export/", {"fmt": "csv"}).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    text_col = rows[0].index("text")
    assert rows[0][0] == "id" and rows[1][text_col].startswith("'=HYPERLINK")
    xlsx = client.get("/recommendations/export/", {"fmt": "xlsx"})
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.cell(2, text_col + 1).value.startswith("'=")


def test_matrix_preview_xlsx_and_docx(coordinator_a, org_a, recs):
    actions.add_assessment(
        coordinator_a,
        recs[0],
        organisation=org_a,
        assessor_kind="state",
        date="2023-01-01",
        status="fully",
        confidentiality="public",
    )
    client = client_for(coordinator_a)
    html = client.get("/recommendations/matrix/", {"upr": "139.60"}).content.decode()
    assert "fully implemented (2023-01-01)" in html
    docx = client.get("/recommendations/matrix/", {"upr": "139.60", "fmt": "docx"})
    with zipfile.ZipFile(io.BytesIO(docx.content)) as z:
        assert "fully implemented" in z.read("word/document.xml").decode()
    xlsx = client.get("/recommendations/matrix/", {"fmt": "xlsx"})
    assert xlsx.status_code == 200 and len(xlsx.content) > 1000


def test_detail_shows_timeline_side_by_side_and_disagreement(coordinator_a, org_a, recs):
    rec = recs[1]
    common = {"organisation": org_a, "confidentiality": "public"}
    actions.add_assessment(coordinator_a, rec, assessor_kind="state", date="2023-01-01", status="fully", **common)
    actions.add_assessment(coordinator_a, rec, assessor_kind="coalition", date="2023-06-01", status="not", **common)
    html = client_for(coordinator_a).get(f"/recommendations/{rec.pk}/").content.decode()
    assert "The State and civil society disagree" in html
    assert 'class="sides disagreement"' in html and "tl-item tl-cso disagrees" in html


def test_assess_by_form_and_bad_input(analyst_a, org_a, viewer_a, recs):
    rec = recs[0]
    url = f"/recommendations/{rec.pk}/assess/"
    data = {
        "assessor_kind": "coalition",
        "date": "2024-02-01",
        "status": "partially",
        "organisation": org_a.pk,
        "confidentiality": "internal",
        "rationale": "Law amended, practice unchanged.",
    }
    client = client_for(analyst_a)
    bad = client.post(url, {**data, "date": ""})
    assert bad.status_code == 400 and "This field is required" in bad.content.decode()
    bad = client.post(url, {**data, "passages_label": "12"})
    assert bad.status_code == 400 and "Choose the document of paragraph 12" in bad.content.decode()
    bad = client.post(url, {**data, "passages_document": "999999", "passages_label": "12"})
    assert bad.status_code == 400 and "Choose a document from the list" in bad.content.decode()
    assert Assessment.objects.count() == 0
    assert client_for(viewer_a).post(url, data).status_code == 404
    ok = client.post(url, data)
    assert ok.status_code == 302 and Assessment.objects.count() == 1


def test_review_page_range_assessment_and_add(coordinator_a, org_a, review, recs):
    client = client_for(coordinator_a)
    data = {
        "upr_ids": "139.67-139.61",
        "assessor_kind": "coalition",
        "date": "2024-02-01",
        "status": "partially",
        "organisation": org_a.pk,
        "confidentiality": "public",
    }
    bad = client.post(f"/recommendations/reviews/{review.pk}/assess/", data)
    assert bad.status_code == 400 and "runs backwards" in bad.content.decode()
    ok = client.post(
        f"/recommendations/reviews/{review.pk}/assess/", {**data, "upr_ids": "139.61-139.67, 139.79-139.81"}
    )
    assert ok.status_code == 302 and Assessment.objects.count() == 10
    added = client.post(
        f"/recommendations/reviews/{review.pk}/add/",
        {"text": "Abolish the death penalty", "language": "en", "response": "noted"},
    )
    assert added.status_code == 302
    rec = Recommendation.objects.get(text="Abolish the death penalty")
    page = client.get(added["Location"]).content.decode()
    assert "Suggested classification" in page and "Death penalty" in page
    confirm = client.post(f"/recommendations/{rec.pk}/classify/", {"themes": ["death-penalty"], "action_category": 5})
    assert confirm.status_code == 302
    rec.refresh_from_db()
    assert rec.classification_confirmed


def test_import_upload_preview_confirm_progress(analyst_a, org_a):
    client = client_for(analyst_a)
    bad = client.post(
        "/recommendations/import/",
        {"organisation": org_a.pk, "confidentiality": "internal", "file": SimpleUploadedFile("x.csv", b"a,b\n1,2\n")},
    )
    assert bad.status_code == 400 and "Missing columns" in bad.content.decode()
    response = client.post(
        "/recommendations/import/",
        {"organisation": org_a.pk, "confidentiality": "internal", "file": SimpleUploadedFile("upr.csv", csv_file())},
    )
    assert response.status_code == 302
    job = ImportJob.objects.get()
    preview = client.get(response["Location"]).content.decode()
    assert "3 new recommendations" in preview and Recommendation.objects.count() == 0
    client.post(f"/recommendations/import/{job.pk}/confirm/")
    assert Recommendation.objects.count() == 3
    progress = client.get(f"/recommendations/import/{job.pk}/progress/").content.decode()
    assert "3 created, 0 updated, 0 unchanged" in progress and "every 1s" not in progress


def test_groups_dashboard_views_and_nap_pages(analyst_a, org_a, recs):
    client = client_for(analyst_a)
    assert client.post("/recommendations/groups/compute/").status_code == 302
    assert client.get("/recommendations/groups/").status_code == 200
    actions.add_assessment(
        analyst_a, recs[0], organisation=org_a, assessor_kind="coalition", date="2023-01-01", status="not"
    )
    html = client.get("/recommendations/dashboard/").content.decode()
    assert 'src="data:image/svg+xml;base64,' in html and "alt=" in html
    response = client.post("/recommendations/views/", {"communication_number": "", "mechanism": "ccpr"})
    assert response.status_code == 400
    response = client.post(
        "/recommendations/action-plan/",
        {"plan": "P", "action": "A", "completion": 150, "organisation": org_a.pk, "confidentiality": "internal"},
    )
    assert response.status_code == 400


def test_api_search_assess_and_errors(analyst_a, org_a, viewer_b, review, recs):
    _token, key = ApiToken.issue(analyst_a, "t")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    client = Client()
    found = client.get("/api/recommendations/recommendations", {"q": "torture", "limit": 5}, **auth).json()
    assert found["count"] == 8 and len(found["items"]) == 5
    rec_id = recs[0].pk
    missing_date = client.post(
        f"/api/recommendations/recommendations/{rec_id}/assessments",
        {"organisation_id": org_a.pk, "assessor_kind": "ngo", "status": "not"},
        content_type="application/json",
        **auth,
    )
    assert missing_date.status_code == 400 and "needs a date" in missing_date.json()["detail"]
    ok = client.post(
        f"/api/recommendations/reviews/{review.pk}/assessments",
        {
            "organisation_id": org_a.pk,
            "assessor_kind": "coalition",
            "status": "partially",
            "date": "2024-01-01",
            "upr_ids": "139.61-139.67, 139.79-139.81",
        },
        content_type="application/json",
        **auth,
    )
    assert ok.status_code == 201 and len(ok.json()) == 10
    assert client.get("/api/recommendations/upr-ids", {"spec": "139.61-139.67, 139.79-139.81"}).json()[-1] == "139.81"
    assert client.get("/api/recommendations/upr-ids", {"spec": "139.7-139.1"}).status_code == 400
    other = Client()
    other.force_login(viewer_b)
    forbidden = other.post(
        f"/api/recommendations/recommendations/{rec_id}/assessments",
        {"organisation_id": org_a.pk, "assessor_kind": "ngo", "status": "not", "date": "2024-01-01"},
        content_type="application/json",
    )
    assert forbidden.status_code == 403
    events = AuditEvent.objects.count()
    assert other.get("/api/recommendations/recommendations/abc").status_code in (404, 422)
    assert AuditEvent.objects.count() == events


def test_api_import_flow(analyst_a, org_a):
    client = client_for(analyst_a)
    staged = client.post(
        "/api/recommendations/imports", {"organisation_id": org_a.pk, "file": SimpleUploadedFile("upr.csv", csv_file())}
    )
    assert staged.status_code == 201 and staged.json()["preview"]["create"] == 3
    job_id = staged.json()["job"]["id"]
    done = client.post(f"/api/recommendations/imports/{job_id}/confirm")
    assert done.json()["status"] == "done" and done.json()["created_count"] == 3


@pytest.mark.parametrize("url", ["/recommendations/import/", "/recommendations/groups/compute/"])
def test_viewers_cannot_reach_analyst_pages(viewer_a, url):
    client = client_for(viewer_a)
    assert client.get(url).status_code in (404, 405)
    assert client.post(url).status_code in (403, 404)
