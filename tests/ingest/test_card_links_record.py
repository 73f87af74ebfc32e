"""The ingestion card of an accepted recommendation links to the record it created, and that record's
page shows the passage it came from, named by the document's own label."""

from __future__ import annotations

from rightstrack.evidence import citing
from rightstrack.recommendations.models import Recommendation

from .test_review_target import REPORT, client_for, read, recs, reviews  # noqa: F401 (fixture)


def test_card_links_to_the_created_record_which_shows_its_passage(reviews, org_a, coordinator_a, capture):  # noqa: F811
    cited, _newer = reviews
    document, run = read(coordinator_a, org_a, REPORT, capture)
    first, _second = recs(run)
    client = client_for(coordinator_a)
    card = client.post(
        f"/ingest/suggestions/{first.pk}/accept/",
        {"version": first.version, "target": cited.pk},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    rec = Recommendation.objects.get()
    assert f'href="/recommendations/{rec.pk}/" class="created-record"' in card
    page = client.get(f"/recommendations/{rec.pk}/").content.decode()
    assert "Where this recommendation comes from" in page
    assert "ensure that all hearings are open to the public" in page.split("Where this recommendation comes from")[1]
    assert citing.citation_text(first.passage) in page and f'href="/documents/passages/{first.passage_id}/"' in page
