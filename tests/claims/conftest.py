"""Fixtures for the claims tests: a stored document with passages, an indicator, a claim."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from rightstrack.claims import actions
from rightstrack.core.models import AuditEvent, Confidentiality
from rightstrack.evidence.actions import upload_document

DIALOGUE = (
    b"Dialogue summary\n\n"
    b"1. The delegation said that complaints of torture fell from about 800 to about 100 a year.\n\n"
    b"2. The delegation said that 40,000 cameras were installed.\n\n"
    b"3. The coalition recorded 980 complaints of torture in 2023."
)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def audit_count() -> int:
    return AuditEvent.objects.count()


@pytest.fixture
def document(org_a, coordinator_a):
    doc, _ = upload_document(coordinator_a, organisation_id=org_a.pk, upload=SimpleUploadedFile("d.txt", DIALOGUE))
    return doc


@pytest.fixture
def passage(document):
    return document.passages.filter(text__contains="800").get()


@pytest.fixture
def ngo_passage(document):
    return document.passages.filter(text__contains="980").get()


@pytest.fixture
def indicator(org_a, analyst_a):
    return actions.create_indicator(
        analyst_a,
        organisation=org_a,
        name="Torture complaints",
        unit="complaints",
        article=7,
        themes=["torture-and-other-cid-treatment"],
    )


@pytest.fixture
def series(indicator, analyst_a, ngo_passage):
    """Official 800 → 100 and NGO 1,450 → 980 for 2019 and 2023."""
    out = {}
    for period, official, ngo in (("2019", 800, 1450), ("2023", 100, 980)):
        out[("official", period)] = actions.add_data_point(
            analyst_a, indicator, period=period, value=official, source_kind="official", source_name="Prosecutor"
        )
        out[("ngo", period)] = actions.add_data_point(
            analyst_a,
            indicator,
            period=period,
            value=ngo,
            source_kind="ngo",
            source_name="Coalition",
            passage=ngo_passage if period == "2023" else None,
        )
    return out


@pytest.fixture
def claim(org_a, analyst_a, indicator, passage):
    return actions.create_claim(
        analyst_a,
        organisation=org_a,
        text="Complaints of torture fell from about 800 to about 100 a year.",
        date="2024-10-15",
        speaker="Deputy minister",
        forum="CCPR dialogue",
        article=7,
        themes=["torture-and-other-cid-treatment"],
        figures=[{"value": 100, "unit": "complaints", "period": "2023", "indicator": indicator.pk}],
        passage=passage,
        quote="fell from about 800 to about 100",
        confidentiality=Confidentiality.INTERNAL,
    )
