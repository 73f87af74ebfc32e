"""Verdicts, figures and claims cite passages as document + paragraph label, by form and by API."""

from __future__ import annotations

from rightstrack.claims.models import Claim, DataPoint, Verdict
from rightstrack.evidence.models import Citation
from tests.evidence.test_citation_picker import make_document

from .conftest import client_for


def test_verdict_form_cites_by_document_and_label(org_a, org_b, analyst_a, claim):
    report = make_document(org_a, title="Coalition data", symbol="NGO/2024/7", labels=["11", "12", "13"])
    theirs = make_document(org_b, title="Their data", labels=["12"])
    client = client_for(analyst_a)
    url = f"/claims/{claim.pk}/verdict/"
    page = client.get(url).content.decode()
    assert 'name="cited_document"' in page and "NGO/2024/7" in page and "Their data" not in page
    base = {"rating": "contradicted", "rationale": "The coalition counted more"}
    for rows, message in [
        ({"cited_document": report.pk, "cited_label": "14"}, "Document NGO/2024/7 has no paragraph 14"),
        ({"cited_document": theirs.pk, "cited_label": "12"}, "Choose a document from the list"),
        ({"cited_document": report.pk, "cited_label": "12", "cited_check": "1"}, "Not saved yet"),
    ]:
        refused = client.post(url, {**base, **rows})
        assert refused.status_code == 400 and message in refused.content.decode()
        assert not Verdict.objects.exists()
    assert "Coalition data text of 12" in refused.content.decode()  # the checked passage is shown
    saved = client.post(url, {**base, "cited_document": report.pk, "cited_label": "¶12"})
    assert saved.status_code == 302
    verdict = Verdict.objects.get()
    cited = Citation.objects.get(object_id=verdict.pk, content_type__model="verdict").passage
    assert (cited.document_id, cited.label) == (report.pk, "12")
    assert "NGO/2024/7, para. 12" in client.get(f"/claims/{claim.pk}/").content.decode()


def test_api_cites_by_document_and_label(org_a, org_b, analyst_a, claim, indicator):
    report = make_document(org_a, title="Coalition data", labels=["11", "12"])
    theirs = make_document(org_b, title="Their data", labels=["12"])
    client = client_for(analyst_a)
    verdicts = f"/api/claims/claims/{claim.pk}/verdicts"
    base = {"rating": "contradicted", "rationale": "More counted"}
    bad = client.post(verdicts, {**base, "citations": [{"document_id": report.pk, "label": "9"}]}, "application/json")
    assert bad.status_code == 400 and "has no paragraph 9" in bad.json()["detail"]
    bad = client.post(verdicts, {**base, "citations": [{"document_id": theirs.pk, "label": "12"}]}, "application/json")
    assert bad.status_code == 400 and "Their data" not in bad.content.decode()
    assert not Verdict.objects.exists()
    ok = client.post(verdicts, {**base, "citations": [{"document_id": report.pk, "label": "12"}]}, "application/json")
    assert ok.status_code == 201, ok.content

    points = f"/api/claims/indicators/{indicator.pk}/points"
    point = {"period": "2021", "value": 5, "source_kind": "ngo", "source_name": "Coalition"}
    before = DataPoint.objects.count()
    both = {**point, "passage_id": 1, "citation": {"document_id": report.pk, "label": "11"}}
    assert client.post(points, both, "application/json").status_code == 400
    missing = client.post(points, {**point, "citation": {"document_id": report.pk, "label": "99"}}, "application/json")
    assert missing.status_code == 400 and DataPoint.objects.count() == before
    ok = client.post(points, {**point, "citation": {"document_id": report.pk, "label": "para. 11"}}, "application/json")
    assert ok.status_code == 201, ok.content
    new_point = DataPoint.objects.get(pk=ok.json()["id"])
    assert Citation.objects.get(object_id=new_point.pk, content_type__model="datapoint").passage.label == "11"

    claims = "/api/claims/claims"
    new_claim = {"organisation_id": org_a.pk, "text": "All is well", "date": "2024-01-01"}
    count = Claim.objects.count()
    bad = client.post(claims, {**new_claim, "citation": {"document_id": theirs.pk, "label": "12"}}, "application/json")
    assert bad.status_code == 400 and Claim.objects.count() == count
    ok = client.post(claims, {**new_claim, "citation": {"document_id": report.pk, "label": "12"}}, "application/json")
    assert ok.status_code == 201, ok.content
    quoted = Citation.objects.get(object_id=ok.json()["id"], content_type__model="claim").passage
    assert (quoted.document_id, quoted.label) == (report.pk, "12")


def test_new_claim_and_figure_quote_a_passage_by_document_and_label(org_a, analyst_a, indicator, passage):
    report = make_document(org_a, title="Meeting summary", labels=["40", "41"])
    client = client_for(analyst_a)
    claim = {
        "organisation": org_a.pk,
        "text": "Torture complaints fell",
        "speaker_kind": "state",
        "forum_kind": "dialogue",
        "date": "2024-10-15",
        "confidentiality": "internal",
        "figures-TOTAL_FORMS": "0",
        "figures-INITIAL_FORMS": "0",
    }
    page = client.get("/claims/new/").content.decode()
    assert 'name="cite-passage_document"' in page and "Meeting summary" in page
    for extra, message in [
        ({"cite-passage_document": report.pk, "cite-passage_label": "42"}, "has no paragraph 42"),
        (
            {"cite-passage_document": [report.pk, report.pk], "cite-passage_label": ["40", "41"]},
            "Cite one passage here",
        ),
        ({"cite-passage_document": report.pk, "cite-passage_label": "41", "passage": passage.pk}, "not both"),
    ]:
        refused = client.post("/claims/new/", {**claim, **extra})
        assert refused.status_code == 400 and message in refused.content.decode()
        assert not Claim.objects.filter(text="Torture complaints fell").exists()
    saved = client.post("/claims/new/", {**claim, "cite-passage_document": report.pk, "cite-passage_label": "¶41"})
    assert saved.status_code == 302
    created = Claim.objects.get(text="Torture complaints fell")
    quoted = Citation.objects.get(object_id=created.pk, content_type__model="claim").passage
    assert (quoted.document_id, quoted.label) == (report.pk, "41")

    url = f"/claims/indicators/{indicator.pk}/points/new/"
    point = {"period": "2022", "value": "7", "source_kind": "ngo", "source_name": "Coalition"}
    refused = client.post(url, {**point, "cite-passage_document": report.pk, "cite-passage_label": "x"})
    assert refused.status_code == 400 and "has no paragraph x" in refused.content.decode()
    assert not DataPoint.objects.filter(period_label="2022").exists()
    saved = client.post(url, {**point, "cite-passage_document": report.pk, "cite-passage_label": "40"})
    assert saved.status_code == 302
    new_point = DataPoint.objects.get(period_label="2022")
    assert Citation.objects.get(object_id=new_point.pk, content_type__model="datapoint").passage.label == "40"
