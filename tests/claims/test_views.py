"""Pages: what users see and submit, including bad form input (clear error, fitting status, nothing written)."""

from __future__ import annotations

import io

import pytest
from django.test import Client

from rightstrack.claims import actions
from rightstrack.claims.models import Claim, ClaimFigure, DataPoint, Indicator, Verdict
from rightstrack.core.models import AuditEvent
from rightstrack.evidence.citing import citation_text

from .conftest import audit_count, client_for

PAGES = ["/claims/", "/claims/discrepancies/", "/claims/indicators/", "/claims/new/", "/claims/indicators/new/"]


def test_pages_need_login():
    for url in PAGES + ["/claims/export/", "/claims/indicators/export/"]:
        response = Client().get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_menu_and_pages_render(analyst_a, claim, series):
    client = client_for(analyst_a)
    home = client.get("/").content.decode()
    assert 'href="/claims/"' in home
    for url in PAGES + [f"/claims/{claim.pk}/", f"/claims/indicators/{claim.figures.get().indicator_id}/"]:
        assert client.get(url).status_code == 200, url


def test_claim_list_search_and_htmx(analyst_a, org_a, claim):
    actions.create_claim(analyst_a, organisation=org_a, text="Cameras in all rooms", date="2024-01-01")
    client = client_for(analyst_a)
    body = client.get("/claims/").content.decode()
    assert "2 claims" in body and "Complaints of torture" in body and "Cameras in all rooms" in body
    fragment = client.get("/claims/?q=camera", HTTP_HX_REQUEST="true").content.decode()
    assert "Cameras in all rooms" in fragment and "Complaints of torture" not in fragment and "<html" not in fragment
    assert "1 claim" in client.get("/claims/?article=7").content.decode()
    # A junk filter value is ignored (the form says so) rather than crashing.
    assert client.get("/claims/?article=abc&verdict=zzz").status_code == 200


def test_create_claim_with_figures_from_the_form(org_a, analyst_a, indicator, passage):
    client = client_for(analyst_a)
    response = client.post(
        "/claims/new/",
        {
            "organisation": org_a.pk,
            "text": "40,000 cameras were installed",
            "speaker_kind": "state",
            "forum_kind": "dialogue",
            "date": "2024-10-15",
            "article": 7,
            "themes": ["torture-and-other-cid-treatment"],
            "confidentiality": "internal",
            "figures-TOTAL_FORMS": "3",
            "figures-INITIAL_FORMS": "0",
            "figures-0-value": "40000",
            "figures-0-unit": "cameras",
            "figures-0-period": "2024",
            "figures-1-value": "100",
            "figures-1-unit": "complaints",
            "figures-1-period": "Jan–Oct 2024",
            "figures-1-indicator": indicator.pk,
            "passage": passage.pk,
            "quote": "40,000 cameras",
        },
    )
    claim = Claim.objects.get(text="40,000 cameras were installed")
    assert response.status_code == 302 and response["Location"] == f"/claims/{claim.pk}/"
    assert [f.period_label for f in claim.figures.order_by("pk")] == ["2024", "2024-01..2024-10"]
    body = client.get(f"/claims/{claim.pk}/").content.decode()
    assert "40,000 cameras" in body and "Torture complaints" in body and citation_text(passage) in body


@pytest.mark.parametrize(
    ("figure", "message"),
    [
        ({"figures-0-value": "100", "figures-0-period": "2023"}, "has no unit"),
        ({"figures-0-value": "100", "figures-0-unit": "cases"}, "has no period"),
        ({"figures-0-value": "100", "figures-0-unit": "cases", "figures-0-period": "lately"}, "is not a period"),
    ],
)
def test_create_claim_bad_figure_shows_error_and_writes_nothing(org_a, analyst_a, figure, message):
    response = client_for(analyst_a).post(
        "/claims/new/",
        {
            "organisation": org_a.pk,
            "text": "A claim",
            "speaker_kind": "state",
            "forum_kind": "dialogue",
            "date": "2024-10-15",
            "confidentiality": "internal",
            "figures-TOTAL_FORMS": "1",
            "figures-INITIAL_FORMS": "0",
            **figure,
        },
    )
    assert response.status_code == 400 and message in response.content.decode()
    assert not Claim.objects.exists() and not AuditEvent.objects.exists()


def test_create_claim_malformed_form(org_a, analyst_a):
    response = client_for(analyst_a).post(
        "/claims/new/", {"organisation": org_a.pk, "text": "", "date": "not a date", "speaker_kind": "robot"}
    )
    assert response.status_code == 400 and not Claim.objects.exists()


def test_viewer_cannot_open_forms(viewer_a, claim, indicator):
    client = client_for(viewer_a)
    for url in [
        "/claims/new/",
        "/claims/indicators/new/",
        f"/claims/{claim.pk}/verdict/",
        f"/claims/{claim.pk}/edit/",
        f"/claims/indicators/{indicator.pk}/points/new/",
    ]:
        assert client.get(url).status_code == 404, url
    assert client.get(f"/claims/{claim.pk}/").status_code == 200


def test_add_and_remove_figure_on_detail_page(analyst_a, claim):
    client = client_for(analyst_a)
    bad = client.post(f"/claims/{claim.pk}/figures/add/", {"figure-value": "5", "figure-period": "2024"}, follow=True)
    assert "has no unit" in bad.content.decode() and claim.figures.count() == 1
    client.post(
        f"/claims/{claim.pk}/figures/add/", {"figure-value": "5", "figure-unit": "rooms", "figure-period": "2024"}
    )
    added = claim.figures.get(unit="rooms")
    response = client.post(f"/claims/figures/{added.pk}/remove/")
    assert response.status_code == 302 and not ClaimFigure.objects.filter(pk=added.pk).exists()


def test_edit_figure_in_place_with_conflict_and_bad_input(analyst_a, viewer_a, viewer_b, claim, indicator):
    figure = claim.figures.get()
    url = f"/claims/figures/{figure.pk}/edit/"
    client = client_for(analyst_a)
    page = client.get(url).content.decode()
    assert 'value="100"' in page and 'value="2023"' in page and 'name="version"' in page
    data = {"value": "120", "unit": "complaints", "period": "Jan–Oct 2023", "indicator": indicator.pk, "version": 1}
    assert client.post(url, data).status_code == 302
    figure.refresh_from_db()
    assert (figure.value, str(figure.period_start), str(figure.period_end), figure.version) == (
        120,
        "2023-01-01",
        "2023-10-31",
        2,
    )
    assert AuditEvent.objects.filter(verb="claim.figure.update").count() == 1
    events = audit_count()
    # Stale version: 409 with both values; bad unit for the indicator, no period, junk value: 400. Nothing changes.
    assert client.post(url, data | {"value": "999"}).status_code == 409
    for bad in ({"unit": "persons"}, {"period": ""}, {"value": "many"}, {"period": "the thirteenth month"}):
        response = client.post(url, data | {"version": 2} | bad)
        assert response.status_code == 400, bad
    figure.refresh_from_db()
    assert (figure.value, figure.version) == (120, 2) and audit_count() == events
    # Viewers and other organisations: no page; unknown id: 404.
    assert client_for(viewer_a).get(url).status_code == 404
    assert client_for(viewer_b).post(url, data | {"version": 2}).status_code == 404
    assert client.get("/claims/figures/987654/edit/").status_code == 404


def test_verdict_page_flow(analyst_a, coordinator_a, claim, series, ngo_passage):
    client = client_for(analyst_a)
    page = client.get(f"/claims/{claim.pk}/verdict/").content.decode()
    ngo = series[("ngo", "2023")]
    assert f'value="claims.datapoint:{ngo.pk}"' in page  # suggested evidence for the claim's indicator
    # No evidence: refused with a clear message, nothing written.
    response = client.post(f"/claims/{claim.pk}/verdict/", {"rating": "contradicted", "rationale": "Too low"})
    assert response.status_code == 400 and "needs evidence" in response.content.decode()
    assert not Verdict.objects.exists()
    # A passage of a search and a suggested figure.
    found = client.get("/claims/evidence-search/", {"q": "coalition recorded"}).content.decode()
    assert f'name="passage" value="{ngo_passage.pk}"' in found
    response = client.post(
        f"/claims/{claim.pk}/verdict/",
        {
            "rating": "contradicted",
            "rationale": "NGO counted 980",
            "passage": ngo_passage.pk,
            "evidence": f"claims.datapoint:{ngo.pk}",
        },
    )
    assert response.status_code == 302
    verdict = Verdict.objects.get()
    body = client.get(f"/claims/{claim.pk}/").content.decode()
    assert "No reviewed verdict yet" in body and "awaiting review" in body
    review = client_for(coordinator_a).post(f"/claims/verdicts/{verdict.pk}/review/")
    assert review.status_code == 302
    body = client.get(f"/claims/{claim.pk}/").content.decode()
    assert "Verdict shown" in body and "NGO counted 980" in body and "2 pieces of evidence" in body


def test_verdict_with_forbidden_passage_is_refused(org_b, analyst_a, claim):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from rightstrack.evidence.actions import upload_document
    from tests.conftest import make_user

    owner = make_user("coord_b", org_b, "coordinator")
    doc, _ = upload_document(owner, organisation_id=org_b.pk, upload=SimpleUploadedFile("b.txt", b"Private of B."))
    before = audit_count()
    response = client_for(analyst_a).post(
        f"/claims/{claim.pk}/verdict/", {"rating": "supported", "rationale": "x", "passage": doc.passages.first().pk}
    )
    assert response.status_code == 404 and "Private of B" not in response.content.decode()
    assert not Verdict.objects.exists() and audit_count() == before


def test_evidence_search_keeps_chosen_and_hides_other_orgs(org_b, analyst_a, ngo_passage, series):
    client = client_for(analyst_a)
    body = client.get("/claims/evidence-search/", {"q": "Coalition", "passage": str(ngo_passage.pk)}).content.decode()
    assert f'name="passage" value="{ngo_passage.pk}" checked' in body
    assert "claims.datapoint:" in body  # data points found by source name
    assert "Nothing you can see matches" in client.get("/claims/evidence-search/", {"q": "zzzz"}).content.decode()
    quote = client.get("/claims/evidence-search/", {"q": "coalition", "mode": "quote"}).content.decode()
    assert 'type="radio"' in quote and "claims.datapoint" not in quote


def test_discrepancy_page(analyst_a, claim, series):
    client = client_for(analyst_a)
    body = client.get("/claims/discrepancies/").content.decode()
    assert "7. Prohibition of torture" in body and "90 %" in body and "×9.8" in body
    assert "Official vs independent figures" in body
    fragment = client.get("/claims/discrepancies/?group=topic", HTTP_HX_REQUEST="true").content.decode()
    assert "Torture and other CID treatment" in fragment and "<html" not in fragment
    assert client.get("/claims/discrepancies/?article=999&group=nonsense").status_code == 200


def test_claims_export_csv_and_xlsx(analyst_a, org_a, claim, series):
    actions.create_claim(analyst_a, organisation=org_a, text='=HYPERLINK("http://x")', date="2024-01-01")
    client = client_for(analyst_a)
    response = client.get("/claims/export/?format=csv")
    text = response.content.decode("utf-8-sig")
    assert response["Content-Disposition"] == 'attachment; filename="claims-and-verdicts.csv"'
    assert "Complaints of torture" in text and "100 complaints (2023)" in text and "89.8" in text
    assert "'=HYPERLINK" in text  # formula-safe
    xlsx = client.get("/claims/export/?format=xlsx&article=7")
    from openpyxl import load_workbook

    rows = list(load_workbook(io.BytesIO(xlsx.content)).active.values)
    assert rows[0][0] == "id" and len(rows) == 2 and rows[1][8].startswith("Complaints")


def test_points_export(analyst_a, viewer_b, series):
    body = client_for(analyst_a).get("/claims/indicators/export/").content.decode("utf-8-sig")
    assert body.count("Torture complaints") == 4 and "Dialogue summary, " in body
    assert "Torture complaints" not in client_for(viewer_b).get("/claims/indicators/export/").content.decode(
        "utf-8-sig"
    )


def test_indicator_page_shows_chart_and_table(analyst_a, indicator, series):
    actions.add_data_point(analyst_a, indicator, period="Jan–Oct 2024", value=700, source_kind="ngo", partial=True)
    body = client_for(analyst_a).get(f"/claims/indicators/{indicator.pk}/").content.decode()
    assert '<img src="data:image/svg+xml;base64,' in body and 'alt="Torture complaints:' in body
    assert "partial periods: 2024" in body and "1,450" in body and "2024-01..2024-10" in body


def test_create_indicator_and_point_forms(org_a, analyst_a):
    client = client_for(analyst_a)
    response = client.post(
        "/claims/indicators/new/",
        {"organisation": org_a.pk, "name": "HRD threat index", "unit": "acts", "confidentiality": "internal"},
    )
    indicator = Indicator.objects.get()
    assert response.status_code == 302
    url = f"/claims/indicators/{indicator.pk}/points/new/"
    bad = client.post(url, {"period": "sometime", "value": "5", "source_kind": "ngo"})
    assert bad.status_code == 400 and "is not a period" in bad.content.decode() and not DataPoint.objects.exists()
    assert client.post(url, {"period": "2024", "value": "85", "source_kind": "ngo"}).status_code == 302
    conflict = client.post(url, {"period": "Jan–Oct 2024", "value": "80", "source_kind": "ngo"})
    body = conflict.content.decode()
    first = DataPoint.objects.get()
    assert conflict.status_code == 409 and "overlaps one already recorded" in body
    assert f'name="replace" value="{first.pk}"' in body and DataPoint.objects.count() == 1
    resolved = client.post(url, {"period": "Jan–Oct 2024", "value": "80", "source_kind": "ngo", "replace": first.pk})
    assert resolved.status_code == 302
    assert list(DataPoint.objects.filter(deleted_at__isnull=True).values_list("value", flat=True)) == [80]


def test_edit_point_conflict_and_delete(analyst_a, coordinator_a, indicator):
    a = actions.add_data_point(analyst_a, indicator, period="2023", value=1, source_kind="ngo")
    b = actions.add_data_point(analyst_a, indicator, period="2024", value=2, source_kind="ngo")
    client = client_for(analyst_a)
    assert client.get(f"/claims/points/{b.pk}/edit/").status_code == 200
    response = client.post(
        f"/claims/points/{b.pk}/edit/", {"period": "2023", "value": "2", "source_kind": "ngo", "version": 1}
    )
    assert response.status_code == 409
    b.refresh_from_db()
    assert b.period_label == "2024"
    ok = client.post(
        f"/claims/points/{b.pk}/edit/", {"period": "2022", "value": "2", "source_kind": "ngo", "version": 1}
    )
    assert ok.status_code == 302
    assert client.post(f"/claims/points/{a.pk}/delete/").status_code == 403  # deleting is for coordinators
    assert client_for(coordinator_a).post(f"/claims/points/{a.pk}/delete/").status_code == 302
    a.refresh_from_db()
    assert a.deleted_at is not None


def test_period_check_fragment(analyst_a):
    client = client_for(analyst_a)
    assert (
        "Read as 1 January 2024 – 31 October 2024"
        in client.get("/claims/period/", {"period": "Jan–Oct 2024"}).content.decode()
    )
    assert "is not a period" in client.get("/claims/period/", {"figures-0-period": "soon"}).content.decode()
    assert client.get("/claims/period/").content.decode().strip() == ""


def test_claim_edit_and_delete(analyst_a, coordinator_a, claim):
    client = client_for(analyst_a)
    response = client.post(
        f"/claims/{claim.pk}/edit/",
        {
            "text": "Edited",
            "speaker_kind": "ministry",
            "forum_kind": "report",
            "date": "2024-10-16",
            "confidentiality": "internal",
            "version": 1,
        },
    )
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.text == "Edited" and claim.speaker_kind == "ministry"
    assert client.post(f"/claims/{claim.pk}/delete/").status_code == 403
    assert client_for(coordinator_a).post(f"/claims/{claim.pk}/delete/").status_code == 302
    assert client.get(f"/claims/{claim.pk}/").status_code == 404


def test_deleted_claim_is_in_the_trash(coordinator_a, claim):
    actions.delete_claim(coordinator_a, claim)
    assert "Complaints of torture" in client_for(coordinator_a).get("/trash/").content.decode()


def test_dashboard_tiles_count_only_visible_records(analyst_a, viewer_b, claim, indicator):
    from django.apps import apps

    config = apps.get_app_config("claims")
    tiles = {str(t["label"]): t for t in config.dashboard_tiles(analyst_a)}
    assert tiles["claims"]["count"] == 1 and tiles["claims"]["url"] == "/claims/"
    assert tiles["indicators"]["count"] == 1
    assert [t["count"] for t in config.dashboard_tiles(viewer_b)] == [0, 0]
    # Claims waiting for a verdict are the analyst's next action on the home page, and nobody else's.
    (waiting,) = config.home_sections(analyst_a)
    assert waiting["count"] == 1 and waiting["url"] == "/claims/?verdict=none"
    assert config.home_sections(viewer_b) == []
    from rightstrack.core.views import TRASH_MODELS

    assert {"claims.Claim", "claims.Indicator", "claims.DataPoint"} <= set(TRASH_MODELS)
