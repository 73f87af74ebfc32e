"""Passages of ingested Russian and Kazakh documents are searchable across languages, within what one may see."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from rightstrack.evidence import search
from rightstrack.evidence.actions import upload_document
from rightstrack.evidence.models import Passage

# Synthetic texts written for this test.
RUSSIAN = (
    "Доклад коалиции (синтетический)\n\n1. Коалиция зафиксировала пытки задержанных в изоляторе.\n\n"
    "2. Суд отказал в доступе к адвокату."
)
KAZAKH = (
    "Коалиция баяндамасы (синтетикалық)\n\n1. Коалиция тұрмыстық зорлық-зомбылықтың көптеген жағдайларын "
    "тіркеді.\n\n2. Журналистерге қысым көрсетілді."
)


def upload(user, org, name: str, text: str, **kw):
    document, _created = upload_document(
        user, organisation_id=org.pk, upload=SimpleUploadedFile(name, text.encode()), **kw
    )
    return document


def found(user, q: str, expand: bool = True) -> set[str]:
    from rightstrack.core import visibility

    qs = search.matching(visibility.visible(user, Passage), q, expand=expand)
    return {p.text[:30] for p in qs} if qs is not None else set()


@pytest.fixture
def documents(analyst_a, org_a):
    return upload(analyst_a, org_a, "ru.txt", RUSSIAN), upload(analyst_a, org_a, "kk.txt", KAZAKH)


def test_ingested_passages_are_indexed_as_they_are_stored(analyst_a, documents):
    assert found(analyst_a, "torture") == {"Коалиция зафиксировала пытки з"}
    assert found(analyst_a, "пыток") == {"Коалиция зафиксировала пытки з"}
    assert found(analyst_a, "domestic violence") == {"Коалиция тұрмыстық зорлық-зомб"}
    assert found(analyst_a, "домашнее насилие") == {"Коалиция тұрмыстық зорлық-зомб"}
    assert found(analyst_a, "журналисты") == {"Журналистерге қысым көрсетілді"}
    assert found(analyst_a, "torture", expand=False) == set()
    assert found(analyst_a, "зафиксировала пытки", expand=False) == {"Коалиция зафиксировала пытки з"}


def test_rebuild_gives_the_same_answers(analyst_a, documents):
    before = found(analyst_a, "torture")
    assert search.rebuild() == Passage.objects.count()
    assert found(analyst_a, "torture") == before


def test_passages_of_documents_one_may_not_see_are_never_found(analyst_a, org_a, viewer_b, monitor_a):
    upload(analyst_a, org_a, "ru.txt", RUSSIAN, confidentiality="restricted")
    assert found(analyst_a, "torture")
    assert found(viewer_b, "torture") == set()
    assert found(monitor_a, "torture") == set()


def test_evidence_search_of_a_verdict_finds_passages_in_other_languages(analyst_a, documents, viewer_b):
    client = Client()
    client.force_login(analyst_a)
    body = client.get("/claims/evidence-search/", {"q": "torture"}).content.decode()
    assert "Коалиция зафиксировала пытки" in body
    assert "<q>torture</q> → пытка, азаптау" in body
    client.force_login(viewer_b)
    body = client.get("/claims/evidence-search/", {"q": "torture"}).content.decode()
    assert "Коалиция" not in body and "Nothing you can see matches" in body
