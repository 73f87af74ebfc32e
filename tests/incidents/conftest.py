"""Fixtures for incidents: an event of org A, victims, and a helper asserting that nothing was written."""

from __future__ import annotations

import datetime
from contextlib import contextmanager

import pytest
from django.test import Client

from rightstrack.core.models import AuditEvent, Confidentiality, Person
from rightstrack.incidents import actions
from rightstrack.incidents.models import Act, Event, Intervention, Involvement, PersonProfile

D = datetime.date


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def counts() -> tuple[int, ...]:
    return tuple(m.objects.count() for m in (AuditEvent, Event, Act, Involvement, Intervention, Person, PersonProfile))


@contextmanager
def nothing_written():
    """Assert the block leaves every incidents table and the audit log unchanged."""
    before = counts()
    yield
    assert counts() == before, "something was written"


@pytest.fixture
def event(org_a, coordinator_a):
    return actions.create_event(
        coordinator_a,
        org_a,
        title="Detentions in Almaty",
        start_date=D(2022, 1, 5),
        end_date=D(2022, 1, 20),
        context="January 2022 events",
    )


@pytest.fixture
def victim(org_a, coordinator_a):
    return actions.create_victim(
        coordinator_a,
        org_a,
        pseudonym="Victim V-1",
        real_name="Real Victim",
        confidentiality=Confidentiality.RESTRICTED,
    )


@pytest.fixture
def defender(org_a, coordinator_a):
    return actions.create_victim(
        coordinator_a, org_a, pseudonym="Defender D-1", is_hrd=True, confidentiality=Confidentiality.INTERNAL
    )
