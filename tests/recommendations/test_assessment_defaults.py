"""The assessment form starts with nothing chosen: who assessed it and the status must be picked."""

from __future__ import annotations

import re

from django.test import Client

from rightstrack.recommendations.models import Assessment


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_form_preselects_neither_assessor_nor_status(analyst_a, recs):
    page = _client(analyst_a).get(f"/recommendations/{recs[0].pk}/").content.decode()
    for name in ("assessor_kind", "status"):
        select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', page, re.S)
        assert select, name
        assert not re.search(r'<option value="[^"]+"[^>]*selected', select.group(1)), name
        assert re.search(r'<option value="" selected>', select.group(1)), name


def test_missing_assessor_or_status_is_refused_with_a_clear_error(analyst_a, org_a, recs):
    url = f"/recommendations/{recs[0].pk}/assess/"
    data = {"date": "2024-02-01", "organisation": org_a.pk, "confidentiality": "internal"}
    client = _client(analyst_a)
    bad = client.post(url, {**data, "status": "partially"})
    assert bad.status_code == 400 and "Choose who assessed it" in bad.content.decode()
    bad = client.post(url, {**data, "assessor_kind": "coalition"})
    assert bad.status_code == 400 and "Choose how far the recommendation is implemented" in bad.content.decode()
    assert Assessment.objects.count() == 0
    ok = client.post(url, {**data, "assessor_kind": "coalition", "status": "partially"})
    assert ok.status_code in (200, 302) and Assessment.objects.count() == 1
