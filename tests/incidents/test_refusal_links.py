"""A publication refused for missing consent names each victim and links to where their consent is recorded."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from rightstrack.core.errors import InvalidInput
from rightstrack.incidents import actions


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_refusal_links_to_the_victim_consent_form(event, coordinator_a, victim):
    actions.add_act(coordinator_a, event, act_type="torture", victim=victim, date=datetime.date(2022, 1, 7))
    with pytest.raises(InvalidInput) as exc:
        actions.publish_event(coordinator_a, event, expected_version=1)
    consent_url = reverse("incidents:victim_profile", args=[victim.pk])
    assert exc.value.links == [("Record the consent of Victim V-1", consent_url)]

    response = _client(coordinator_a).post(reverse("incidents:event_publish", args=[event.pk]), {"version": 1})
    page = response.content.decode()
    assert response.status_code == 400
    assert "What to fix" in page and f'href="{consent_url}"' in page and "Nothing was changed." in page
    assert 'name="q"' in page  # the way out: a search box
    event.refresh_from_db()
    assert event.confidentiality == "internal"


def test_refusal_names_no_victim_the_user_cannot_see(event, org_a, coordinator_a, victim):
    from tests.conftest import make_user

    actions.add_act(coordinator_a, event, act_type="torture", victim=victim, date=datetime.date(2022, 1, 7))
    # A coordinator without restricted access: the restricted victim is counted, not named or linked.
    plain = make_user("coordinator_plain", org_a, "coordinator", restricted=False)
    with pytest.raises(InvalidInput) as exc:
        actions.publish_event(plain, event, expected_version=1)
    assert exc.value.links == []
    assert "Victim V-1" not in exc.value.message and "cannot see" in exc.value.message
