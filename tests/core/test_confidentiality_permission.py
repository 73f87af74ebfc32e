"""Changing a record's confidentiality is a permission of its own.

Only reviewers (admin, coordinator) may lower a level (restricted → internal, anything → public) or create a
record as public; any writer may raise it. One rule (`visibility.can_set_confidentiality`), enforced in
`core.actions.create_record/update_record` and at the start of every import, so forms, the API and imports
all refuse the same way: a clear message, nothing written.
"""

from __future__ import annotations

import datetime
import json

import pytest
from django.test import Client

from rightstrack.core import actions as core_actions
from rightstrack.core import visibility
from rightstrack.core.errors import Forbidden
from rightstrack.core.models import AuditEvent, Person, Role
from tests.conftest import make_user

PUBLIC, INTERNAL, RESTRICTED = "public", "internal", "restricted"
REFUSED = "Only coordinators and administrators can"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def monitor_r(org_a):
    """A monitor with restricted access: may write restricted records, may not publish."""
    return make_user("monitor_r", org_a, Role.MONITOR, restricted=True)


@pytest.fixture
def event(org_a, coordinator_a):
    from rightstrack.incidents import actions

    return actions.create_event(coordinator_a, org_a, title="Detentions", start_date=datetime.date(2022, 1, 5))


@pytest.mark.parametrize(
    ("role", "old", "new", "allowed"),
    [
        (Role.MONITOR, None, INTERNAL, True),
        (Role.MONITOR, None, RESTRICTED, True),
        (Role.MONITOR, None, PUBLIC, False),
        (Role.ANALYST, None, PUBLIC, False),
        (Role.COORDINATOR, None, PUBLIC, True),
        (Role.ADMIN, None, PUBLIC, True),
        (Role.MONITOR, INTERNAL, RESTRICTED, True),
        (Role.MONITOR, INTERNAL, INTERNAL, True),
        (Role.MONITOR, PUBLIC, INTERNAL, True),
        (Role.MONITOR, PUBLIC, PUBLIC, True),
        (Role.MONITOR, INTERNAL, PUBLIC, False),
        (Role.MONITOR, RESTRICTED, INTERNAL, False),
        (Role.ANALYST, RESTRICTED, PUBLIC, False),
        (Role.COORDINATOR, RESTRICTED, INTERNAL, True),
        (Role.COORDINATOR, INTERNAL, PUBLIC, True),
        (Role.COORDINATOR, INTERNAL, "secret", False),
    ],
)
def test_the_rule(org_a, role, old, new, allowed):
    user = make_user(f"u_{role}", org_a, role, restricted=True)
    assert visibility.can_set_confidentiality(user, org_a.pk, old, new) is allowed


def test_reviewer_elsewhere_cannot_publish_here(org_a, org_b):
    user = make_user("mixed", org_a, Role.MONITOR, restricted=True)
    from rightstrack.core.models import Membership

    Membership.objects.create(user=user, organisation=org_b, role=Role.COORDINATOR)
    assert not visibility.can_set_confidentiality(user, org_a.pk, INTERNAL, PUBLIC)
    assert visibility.can_set_confidentiality(user, org_b.pk, INTERNAL, PUBLIC)


# --- core: persons -----------------------------------------------------------------------------------


def test_person_cannot_be_created_public_or_lowered_by_a_monitor(org_a, monitor_r, coordinator_a):
    before = (AuditEvent.objects.count(), Person.objects.count())
    with pytest.raises(Forbidden, match=REFUSED) as exc:
        core_actions.create_person(monitor_r, org_a, pseudonym="P", confidentiality=PUBLIC)
    assert exc.value.field == "confidentiality"
    person = core_actions.create_person(monitor_r, org_a, pseudonym="P", confidentiality=RESTRICTED)
    before = (AuditEvent.objects.count(), Person.objects.count())
    with pytest.raises(Forbidden, match=REFUSED):
        core_actions.update_person(
            monitor_r, person, expected_version=person.version, changes={"confidentiality": INTERNAL}
        )
    assert (AuditEvent.objects.count(), Person.objects.count()) == before
    person.refresh_from_db()
    assert person.confidentiality == RESTRICTED
    lowered = core_actions.update_person(
        coordinator_a, person, expected_version=person.version, changes={"confidentiality": INTERNAL}
    )
    assert lowered.confidentiality == INTERNAL


def test_person_api_refuses_with_403(org_a, monitor_r):
    response = client_for(monitor_r).post(
        "/api/persons",
        json.dumps({"organisation_id": org_a.pk, "pseudonym": "P", "confidentiality": PUBLIC}),
        content_type="application/json",
    )
    assert response.status_code == 403 and REFUSED in response.content.decode()
    assert not Person.objects.exists()


# --- incidents: events -------------------------------------------------------------------------------


def test_event_edit_form_refuses_publishing_by_a_monitor(event, monitor_a):
    client = client_for(monitor_a)
    page = client.get(f"/incidents/{event.pk}/edit/").content.decode()
    assert 'value="public"' not in page and "Only coordinators and administrators can make a record public" in page
    data = {
        "title": "Detentions",
        "start_date": "2022-01-05",
        "start_precision": "day",
        "end_precision": "day",
        "confidentiality": PUBLIC,
        "version": event.version,
    }
    events = AuditEvent.objects.count()
    response = client.post(f"/incidents/{event.pk}/edit/", data)
    assert response.status_code == 400 and "You cannot choose this level" in response.content.decode()
    event.refresh_from_db()
    assert event.confidentiality == INTERNAL and AuditEvent.objects.count() == events
    # Still not on the public portal (the query is echoed in lower case, the title would be capitalised).
    assert "Detentions" not in Client().get("/public/search/", {"q": "detentions"}).content.decode()


def test_event_api_patch_and_create_refuse_public_for_a_monitor(event, org_a, monitor_a):
    client = client_for(monitor_a)
    response = client.patch(
        f"/api/incidents/events/{event.pk}",
        json.dumps({"version": event.version, "confidentiality": PUBLIC}),
        content_type="application/json",
    )
    assert response.status_code == 403 and REFUSED in response.json()["detail"]
    event.refresh_from_db()
    assert event.confidentiality == INTERNAL and event.version == 1
    created = client.post(
        "/api/incidents/events",
        json.dumps(
            {"organisation_id": org_a.pk, "title": "New", "start_date": "2022-02-01", "confidentiality": PUBLIC}
        ),
        content_type="application/json",
    )
    assert created.status_code == 403
    # Raising is any writer's right.
    ok = client.post(
        "/api/incidents/events",
        json.dumps({"organisation_id": org_a.pk, "title": "New", "start_date": "2022-02-01"}),
        content_type="application/json",
    )
    assert ok.status_code == 201


def test_event_publish_action_is_for_reviewers(event, monitor_a, coordinator_a):
    from rightstrack.incidents import actions

    with pytest.raises(Forbidden):
        actions.publish_event(monitor_a, event, expected_version=event.version)
    assert actions.publish_event(coordinator_a, event, expected_version=event.version).confidentiality == PUBLIC


def test_incidents_import_as_public_is_refused_for_a_monitor(org_a, monitor_a):
    from rightstrack.incidents import transfer
    from rightstrack.incidents.models import Event, ImportBatch

    content = b"event_key,event_title,event_start\nEV-1,Shutdown,2022-01-05\n"
    with pytest.raises(Forbidden, match=REFUSED):
        transfer.stage(monitor_a, org_a.pk, "x.csv", content, PUBLIC)
    assert not ImportBatch.objects.exists() and not Event.objects.exists()
    # The upload form does not even offer it.
    page = client_for(monitor_a).get("/incidents/import/").content.decode()
    assert 'value="public"' not in page


# --- recommendations ------------------------------------------------------------------------------------


@pytest.fixture
def review(org_a, coordinator_a):
    from rightstrack.recommendations import actions

    return actions.create_review(
        coordinator_a, organisation=org_a, mechanism="upr", state="Kazakhstan", cycle=3, confidentiality=PUBLIC
    )


def test_recommendation_api_create_and_patch(review, analyst_a, coordinator_a):
    client = client_for(analyst_a)
    body = {"review_id": review.pk, "text": "Ratify the protocol", "confidentiality": PUBLIC}
    response = client.post("/api/recommendations/recommendations", json.dumps(body), content_type="application/json")
    assert response.status_code == 403 and REFUSED in response.json()["detail"]
    body["confidentiality"] = RESTRICTED
    rec = client.post("/api/recommendations/recommendations", json.dumps(body), content_type="application/json")
    assert rec.status_code == 201
    rec_id, version = rec.json()["id"], rec.json()["version"]
    lower = client.patch(
        f"/api/recommendations/recommendations/{rec_id}",
        json.dumps({"version": version, "confidentiality": INTERNAL}),
        content_type="application/json",
    )
    assert lower.status_code == 403
    by_coordinator = client_for(coordinator_a).patch(
        f"/api/recommendations/recommendations/{rec_id}",
        json.dumps({"version": version, "confidentiality": INTERNAL}),
        content_type="application/json",
    )
    assert by_coordinator.status_code == 200


def test_recommendations_import_as_public_is_refused_for_an_analyst(org_a, analyst_a):
    from rightstrack.recommendations import importer
    from rightstrack.recommendations.models import Recommendation

    content = b"id,session,cycle,state_under_review,text,response\ns34-1,34,3,Kazakhstan,Ratify it,accepted\n"
    rows, _sha = importer.parse(content, "upr.csv")
    events = AuditEvent.objects.count()
    with pytest.raises(Forbidden, match=REFUSED):
        importer.preview(analyst_a, org_a, rows, PUBLIC)
    with pytest.raises(Forbidden, match=REFUSED):
        importer.apply(analyst_a, org_a, rows, confidentiality=PUBLIC)
    assert not Recommendation.objects.exists() and AuditEvent.objects.count() == events
    assert importer.apply(analyst_a, org_a, rows, confidentiality=INTERNAL)["create"] == 1


def test_review_form_offers_public_only_to_reviewers(analyst_a, coordinator_a):
    from rightstrack.recommendations.forms import ReviewForm

    def levels(user):
        return [value for value, _label in ReviewForm(user=user).fields["confidentiality"].choices]

    assert levels(analyst_a) == [INTERNAL, RESTRICTED]
    assert levels(coordinator_a) == [PUBLIC, INTERNAL, RESTRICTED]
    refused = ReviewForm({"confidentiality": PUBLIC}, user=analyst_a)
    assert not refused.is_valid() and "You cannot choose this level" in str(refused.errors["confidentiality"])


# --- claims ---------------------------------------------------------------------------------------------


def test_claim_api_create_public_is_refused_for_a_monitor(org_a, monitor_a):
    from rightstrack.claims.models import Claim

    body = {"organisation_id": org_a.pk, "text": "Nobody is detained", "date": "2024-01-01", "confidentiality": PUBLIC}
    response = client_for(monitor_a).post("/api/claims/claims", json.dumps(body), content_type="application/json")
    assert response.status_code == 403 and REFUSED in response.json()["detail"]
    assert not Claim.objects.exists()


# --- trials ---------------------------------------------------------------------------------------------


def test_case_edit_form_refuses_publishing_by_an_analyst(org_a, analyst_a):
    from rightstrack.trials.models import Case, Court

    court = Court.objects.create(organisation=org_a, name="Almaty court", city="Almaty")
    case = Case.objects.create(organisation=org_a, number="1-1/2024", court=court)
    client = client_for(analyst_a)
    page = client.get(f"/trials/cases/{case.pk}/edit/").content.decode()
    assert 'value="public"' not in page
    response = client.post(
        f"/trials/cases/{case.pk}/edit/",
        {"number": "1-1/2024", "court": court.pk, "confidentiality": PUBLIC, "version": case.version},
    )
    assert response.status_code == 400
    case.refresh_from_db()
    assert case.confidentiality == INTERNAL


def test_case_cannot_be_made_public_by_an_analyst_through_any_update(org_a, analyst_a, coordinator_a):
    from rightstrack.trials.models import Case, Court

    court = Court.objects.create(organisation=org_a, name="Almaty court", city="Almaty")
    case = Case.objects.create(organisation=org_a, number="1-1/2024", court=court)
    with pytest.raises(Forbidden, match=REFUSED):
        core_actions.update_record(analyst_a, case, expected_version=case.version, changes={"confidentiality": PUBLIC})
    case.refresh_from_db()
    assert case.confidentiality == INTERNAL
    done = core_actions.update_record(
        coordinator_a, case, expected_version=case.version, changes={"confidentiality": PUBLIC}
    )
    assert done.confidentiality == PUBLIC


# --- reports --------------------------------------------------------------------------------------------


def test_report_cannot_be_created_public_or_lowered_by_an_analyst(org_a, analyst_a, coordinator_a):
    from rightstrack.reports import actions
    from rightstrack.reports.models import ReportDefinition

    with pytest.raises(Forbidden, match=REFUSED):
        actions.create_report(analyst_a, organisation=org_a, title="R", kind="statement", confidentiality=PUBLIC)
    assert not ReportDefinition.objects.exists()
    report = actions.create_report(
        analyst_a, organisation=org_a, title="R", kind="statement", confidentiality=RESTRICTED
    )
    with pytest.raises(Forbidden, match=REFUSED):
        actions.update_report(analyst_a, report, expected_version=report.version, changes={"confidentiality": INTERNAL})
    response = client_for(analyst_a).post(
        "/api/reports/reports",
        json.dumps({"organisation": org_a.pk, "title": "R2", "kind": "statement", "confidentiality": PUBLIC}),
        content_type="application/json",
    )
    assert response.status_code == 403 and ReportDefinition.objects.count() == 1
    assert 'value="public"' not in client_for(analyst_a).get("/reports/new/").content.decode()
    assert 'value="public"' in client_for(coordinator_a).get("/reports/new/").content.decode()


# --- evidence -------------------------------------------------------------------------------------------


def test_document_upload_as_public_is_refused_for_a_monitor(org_a, monitor_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from rightstrack.evidence import actions
    from rightstrack.evidence.models import SourceDocument

    upload = SimpleUploadedFile("note.txt", b"A plain note about a hearing.", content_type="text/plain")
    with pytest.raises(Forbidden, match=REFUSED):
        actions.upload_document(monitor_a, organisation_id=org_a.pk, upload=upload, confidentiality=PUBLIC)
    assert not SourceDocument.objects.exists()
