"""The recommendation list shows the State's and civil society's latest assessments side by side."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client

from rightstrack.recommendations.models import Assessment
from tests.reports.factories import recommendation

pytestmark = pytest.mark.django_db


def test_list_shows_both_sides_with_who_and_when(coordinator_a, org_a):
    rec = recommendation(org_a, text="Guarantee access to a lawyer.", status=None)
    for kind, status, day, name in [
        ("state", "fully", datetime.date(2024, 11, 1), ""),
        ("coalition", "not", datetime.date(2025, 3, 1), "KIBHR"),
        ("coalition", "partially", datetime.date(2023, 1, 1), "Older finding"),
    ]:
        Assessment.objects.create(
            organisation=org_a,
            confidentiality="public",
            recommendation=rec,
            assessor_kind=kind,
            assessor_name=name,
            date=day,
            status=status,
        )
    recommendation(org_a, text="Close the detention wards.", status=None)
    client = Client()
    client.force_login(coordinator_a)
    html = " ".join(client.get("/recommendations/").content.decode().split())
    assert 'The State: <span class="status status-fully">fully implemented</span> (1 November 2024)' in html
    assert 'Civil society: <span class="status status-not">not implemented</span> (KIBHR, 1 March 2025)' in html
    assert "Older finding" not in html  # only the latest of each side
    assert html.count('<span class="muted">not assessed</span>') == 2  # the second recommendation, both sides
    client.cookies["django_language"] = "ru"
    ru = " ".join(client.get("/recommendations/", HTTP_ACCEPT_LANGUAGE="ru").content.decode().split())
    assert "Государство:" in ru and "Гражданское общество:" in ru and "не оценивалась" in ru
    # State names in the reader's language (the vocabulary stores English names; filters still use them).
    assert "Казахстан · цикл 2" in ru and '<option value="Kazakhstan">Казахстан</option>' in ru
