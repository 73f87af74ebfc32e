"""Every free-text field has a limit, enforced the same way by actions, forms, the API and any other save."""

from __future__ import annotations

import json

import pytest
from django.apps import apps
from django.db import models
from django.test import Client

from rightstrack.core import actions, limits
from rightstrack.core.errors import InvalidInput
from rightstrack.core.models import ApiToken, AuditEvent, Person
from rightstrack.incidents.models import Event

TOO_LONG = "x" * (limits.LONG + 1)


def rightstrack_models() -> list[type[models.Model]]:
    return [m for m in apps.get_models() if m.__module__.startswith("rightstrack.")]


def test_every_text_field_of_every_app_has_a_limit():
    seen = 0
    for model in rightstrack_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.CharField | models.TextField):
                limit = limits.limit_for(field)
                assert limit and limit > 0, f"{model._meta.label}.{field.name} has no limit"
                if f"{model._meta.label_lower}.{field.name}" not in limits.SPECIAL:
                    assert limit <= limits.LONG, f"{model._meta.label}.{field.name}: typed text is at most LONG"
                seen += 1
    assert seen > 100  # all apps' fields were looked at
    assert limits.limit_for(Event._meta.get_field("description")) == limits.LONG
    assert limits.limit_for(Event._meta.get_field("title")) == 300
    assert limits.limit_for(Event._meta.get_field("start_date")) is None


def test_special_limits_name_real_fields():
    # A renamed field would silently fall back to LONG and break the reader or generator that fills it.
    for label, limit in limits.SPECIAL.items():
        app_model, name = label.rsplit(".", 1)
        field = apps.get_model(app_model)._meta.get_field(name)
        assert isinstance(field, models.TextField) and limits.limit_for(field) == limit > limits.LONG


def test_actions_refuse_over_long_text_naming_field_and_limit(org_a, coordinator_a):
    events = AuditEvent.objects.count()
    with pytest.raises(InvalidInput) as refused:
        actions.create_person(coordinator_a, org_a, pseudonym="P", notes=TOO_LONG)
    assert refused.value.field == "notes"
    assert refused.value.message == "Notes: at most 20,000 characters (this has 20,001)."
    with pytest.raises(InvalidInput, match="Pseudonym: at most 120 characters") as refused:
        actions.create_person(coordinator_a, org_a, pseudonym="p" * 121)
    assert not Person.objects.exists() and AuditEvent.objects.count() == events
    person = actions.create_person(coordinator_a, org_a, pseudonym="P", notes="x" * limits.LONG)  # exactly the limit
    with pytest.raises(InvalidInput, match="Notes: at most 20,000"):
        actions.update_person(coordinator_a, person, expected_version=1, changes={"notes": TOO_LONG})
    person.refresh_from_db()
    assert person.version == 1 and len(person.notes) == limits.LONG


def test_any_other_save_is_refused_too(org_a):
    # Writes that bypass core.actions (custom saves in an app) meet the same limit before the database.
    with pytest.raises(InvalidInput, match="Notes: at most 20,000"):
        Person.objects.create(organisation=org_a, pseudonym="Direct", notes=TOO_LONG)
    person = Person.objects.create(organisation=org_a, pseudonym="Direct")
    person.notes = TOO_LONG
    with pytest.raises(InvalidInput):
        person.save(update_fields=["notes"])
    person.pseudonym = "Renamed"
    person.save(update_fields=["pseudonym"])  # only the named fields are checked
    person.refresh_from_db()
    assert person.notes == "" and person.pseudonym == "Renamed"


def event_form(org, **over) -> dict:
    return {
        "organisation": org.pk,
        "title": "Long story",
        "start_date": "2022-01-06",
        "start_precision": "day",
        "end_precision": "day",
        "confidentiality": "internal",
        **over,
    }


def test_event_form_shows_the_limit_and_refuses_more(org_a, coordinator_a):
    client = Client()
    client.force_login(coordinator_a)
    page = client.get("/incidents/new/").content.decode()
    assert f'maxlength="{limits.LONG}"' in page and 'maxlength="300"' in page  # description, title
    response = client.post("/incidents/new/", event_form(org_a, description=TOO_LONG))
    assert response.status_code == 400
    assert "Description: at most 20,000 characters (this has 20,001)." in response.content.decode()
    assert not Event.objects.exists()
    assert client.post("/incidents/new/", event_form(org_a, description="ok")).status_code == 302


def test_api_refuses_over_long_description_with_the_field(org_a, coordinator_a):
    _token, key = ApiToken.issue(coordinator_a, "limits")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    payload = {"organisation_id": org_a.pk, "title": "T", "start_date": "2022-01-06", "description": TOO_LONG}
    response = client.post("/api/incidents/events", json.dumps(payload), content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {
        "detail": "Description: at most 20,000 characters (this has 20,001).",
        "field": "description",
    }
    assert not Event.objects.exists()
    event = client.post(
        "/api/incidents/events", json.dumps({**payload, "description": "short"}), content_type="application/json"
    ).json()
    patch = {"version": event["version"], "description": TOO_LONG}
    response = client.patch(f"/api/incidents/events/{event['id']}", json.dumps(patch), content_type="application/json")
    assert response.status_code == 400 and response.json()["field"] == "description"
    assert Event.objects.get().description == "short"
