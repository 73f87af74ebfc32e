"""API endpoints: reads obey visibility; writes validate, answer the fitting status and write nothing on error."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from rightstrack.claims.models import Claim, DataPoint, Indicator, Verdict
from rightstrack.core.models import ApiToken

from .conftest import audit_count


def call(user, method: str, path: str, payload=None):
    _token, key = ApiToken.issue(user, "test")
    kwargs = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    if payload is not None:
        kwargs |= {"data": json.dumps(payload), "content_type": "application/json"}
    return getattr(Client(), method)(f"/api/claims{path}", **kwargs)


def test_requires_auth(db):
    assert Client().get("/api/claims/claims").status_code == 401
    assert Client().post("/api/claims/indicators", data="{}", content_type="application/json").status_code == 401


def test_schema_lists_endpoints(db):
    paths = Client().get("/api/openapi.json").json()["paths"]
    for path in ("/api/claims/claims", "/api/claims/indicators/{indicator_id}/points", "/api/claims/discrepancies"):
        assert path in paths


def test_indicator_and_points_round_trip(org_a, analyst_a):
    created = call(
        analyst_a,
        "post",
        "/indicators",
        {
            "organisation_id": org_a.pk,
            "name": "HRD index",
            "unit": "acts",
            "article": 19,
            "themes": ["human-rights-defenders"],
        },
    )
    assert created.status_code == 201 and created.json()["article"] == 19
    pk = created.json()["id"]
    point = call(
        analyst_a,
        "post",
        f"/indicators/{pk}/points",
        {"period": "Jan–Oct 2024", "value": 85, "source_kind": "ngo", "partial": True},
    )
    assert point.status_code == 201 and point.json()["period"] == "2024-01..2024-10" and point.json()["partial"]
    conflict = call(
        analyst_a, "post", f"/indicators/{pk}/points", {"period": "2024", "value": 90, "source_kind": "ngo"}
    )
    assert conflict.status_code == 409 and "overlapping" in conflict.json()["detail"]
    replaced = call(
        analyst_a,
        "post",
        f"/indicators/{pk}/points",
        {"period": "2024", "value": 90, "source_kind": "ngo", "replace": [point.json()["id"]]},
    )
    assert replaced.status_code == 201
    listed = call(analyst_a, "get", f"/indicators/{pk}/points").json()
    assert [p["value"] for p in listed["items"]] == [90.0]


@pytest.mark.parametrize(
    ("payload", "status"),
    [
        ({"period": "whenever", "value": 1, "source_kind": "ngo"}, 400),
        ({"period": "2024", "value": "lots", "source_kind": "ngo"}, 400),
        ({"period": "2024", "value": 1, "source_kind": "gossip"}, 400),
        ({"period": "2024", "value": 1}, 422),
        ({"period": "2024", "value": 1, "source_kind": "ngo", "passage_id": 987654}, 404),
    ],
)
def test_point_bad_input(analyst_a, indicator, payload, status):
    before = audit_count()
    response = call(analyst_a, "post", f"/indicators/{indicator.pk}/points", payload)
    assert response.status_code == status
    assert not DataPoint.objects.exists() and audit_count() == before


def test_claim_create_read_and_verdicts(org_a, analyst_a, coordinator_a, indicator, series, ngo_passage, passage):
    response = call(
        analyst_a,
        "post",
        "/claims",
        {
            "organisation_id": org_a.pk,
            "text": "Complaints fell to 100",
            "date": "2024-10-15",
            "article": 7,
            "figures": [{"value": 100, "unit": "complaints", "period": "2023", "indicator_id": indicator.pk}],
            "passage_id": passage.pk,
        },
    )
    assert response.status_code == 201
    claim = response.json()
    assert claim["figures"][0]["period"] == "2023" and claim["verdict"] is None
    no_evidence = call(
        analyst_a, "post", f"/claims/{claim['id']}/verdicts", {"rating": "contradicted", "rationale": "x"}
    )
    assert no_evidence.status_code == 400 and no_evidence.json()["field"] == "evidence"
    verdict = call(
        analyst_a,
        "post",
        f"/claims/{claim['id']}/verdicts",
        {
            "rating": "contradicted",
            "rationale": "980 recorded",
            "passage_ids": [ngo_passage.pk],
            "evidence": [{"kind": "claims.datapoint", "id": series[("ngo", "2023")].pk}],
        },
    )
    assert verdict.status_code == 201 and not verdict.json()["reviewed"]
    vid = verdict.json()["id"]
    assert call(analyst_a, "post", f"/verdicts/{vid}/review").status_code == 403
    assert call(coordinator_a, "post", f"/verdicts/{vid}/review").json()["reviewed"]
    assert call(analyst_a, "get", f"/claims/{claim['id']}").json()["verdict"]["rating"] == "contradicted"
    assert len(call(analyst_a, "get", f"/verdicts/{vid}/evidence").json()) == 2
    assert len(call(analyst_a, "get", f"/claims/{claim['id']}/verdicts").json()) == 1
    listed = call(analyst_a, "get", "/claims?verdict=contradicted").json()
    assert [c["id"] for c in listed["items"]] == [claim["id"]]


@pytest.mark.parametrize(
    ("figure", "field"),
    [
        ({"value": 100, "period": "2023"}, "unit"),
        ({"value": 100, "unit": "cases"}, "period"),
        ({"value": 100, "unit": "cases", "period": "2023-99"}, "period"),
    ],
)
def test_claim_with_bad_figure(org_a, analyst_a, figure, field):
    response = call(
        analyst_a,
        "post",
        "/claims",
        {"organisation_id": org_a.pk, "text": "x", "date": "2024-01-01", "figures": [figure]},
    )
    assert response.status_code == 400 and response.json()["field"] == field
    assert not Claim.objects.exists()


def test_claim_wrong_types_and_forbidden(org_a, org_b, analyst_a, viewer_b, claim):
    assert (
        call(analyst_a, "post", "/claims", {"organisation_id": "A", "text": "x", "date": "2024-01-01"}).status_code
        == 422
    )
    assert (
        call(viewer_b, "post", "/claims", {"organisation_id": org_a.pk, "text": "x", "date": "2024-01-01"}).status_code
        == 403
    )
    assert call(viewer_b, "get", f"/claims/{claim.pk}").status_code == 404
    assert call(viewer_b, "get", "/claims").json()["count"] == 0
    assert (
        call(viewer_b, "post", f"/claims/{claim.pk}/verdicts", {"rating": "supported", "rationale": "x"}).status_code
        == 404
    )
    assert Claim.objects.count() == 1 and not Verdict.objects.exists()


def test_figure_hides_invisible_indicator(org_a, analyst_a, monitor_a):
    from rightstrack.claims import actions

    secret = actions.create_indicator(analyst_a, organisation=org_a, name="S", unit="x", confidentiality="restricted")
    claim = actions.create_claim(
        analyst_a,
        organisation=org_a,
        text="c",
        date="2024-01-01",
        figures=[{"value": 1, "unit": "x", "period": "2023", "indicator": secret}],
    )
    assert call(analyst_a, "get", f"/claims/{claim.pk}").json()["figures"][0]["indicator_id"] == secret.pk
    assert call(monitor_a, "get", f"/claims/{claim.pk}").json()["figures"][0]["indicator_id"] is None
    assert call(monitor_a, "get", f"/indicators/{secret.pk}").status_code == 404
    assert Indicator.objects.count() == 1


def test_discrepancies_api(analyst_a, claim, series):
    groups = call(analyst_a, "get", "/discrepancies").json()
    assert groups[0]["key"] == "7" and groups[0]["claims"][0]["gap"] == pytest.approx(0.898, abs=1e-3)
    assert groups[0]["pairs"][0]["ratio"] == pytest.approx(9.8)
    assert call(analyst_a, "get", "/discrepancies?group_by=topic").json()[0]["key"] == "torture-and-other-cid-treatment"
    assert call(analyst_a, "get", "/discrepancies?group_by=colour").status_code == 400


def test_parse_period_endpoint(db):
    ok = Client().get("/api/claims/periods/parse", {"text": "Jan–Oct 2024"})
    assert ok.json() == {"label": "2024-01..2024-10", "start": "2024-01-01", "end": "2024-10-31", "precision": "month"}
    bad = Client().get("/api/claims/periods/parse", {"text": "next spring"})
    assert bad.status_code == 400 and "not a period" in bad.json()["detail"]
