"""An event cites passages by document + paragraph label; a refusal shows at the open form, nothing saved."""

from __future__ import annotations

from django.test import Client

from rightstrack.evidence.models import Citation
from tests.evidence.test_citation_picker import make_document


def test_event_cites_by_document_and_label(event, org_a, org_b, coordinator_a):
    report = make_document(org_a, title="Monitoring report", symbol="NGO/2022/1", labels=["26", "27", "28"])
    theirs = make_document(org_b, title="Their report", labels=["27"])
    client = Client()
    client.force_login(coordinator_a)
    url = f"/incidents/{event.pk}/cite/"
    page = client.get(f"/incidents/{event.pk}/").content.decode()
    assert 'name="passages_document"' in page and "NGO/2022/1" in page and "Their report" not in page

    for data, message in [
        ({}, "This field is required"),
        ({"passages_document": report.pk, "passages_label": "99"}, "Document NGO/2022/1 has no paragraph 99"),
        ({"passages_document": theirs.pk, "passages_label": "27"}, "Choose a document from the list"),
        (
            {"passages_document": [report.pk, report.pk], "passages_label": ["27", "x"]},
            "Document NGO/2022/1 has no paragraph x",
        ),
    ]:
        refused = client.post(url, {"quote": "", **data})
        body = refused.content.decode()
        assert refused.status_code == 400 and message in body
        assert 'id="cite" open' in body  # the form stays open where the user acted
        assert Citation.objects.count() == 0

    saved = client.post(url, {"passages_document": [report.pk, report.pk], "passages_label": ["¶27", "28"]})
    assert saved.status_code == 302
    assert sorted(c.passage.label for c in Citation.objects.all()) == ["27", "28"]
    assert {c.passage.document_id for c in Citation.objects.all()} == {report.pk}
    page = client.get(f"/incidents/{event.pk}/").content.decode()
    assert "NGO/2022/1, para. 27" in page and "NGO/2022/1, para. 28" in page
    # Citing the same passage again adds nothing.
    assert client.post(url, {"passages_document": report.pk, "passages_label": "27"}).status_code == 302
    assert Citation.objects.count() == 2
