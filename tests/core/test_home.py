"""The role-aware home: next actions first, counts only of what the user can act on, readable activity."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from rightstrack.core import notifications
from rightstrack.core.activity import describe
from rightstrack.core.audit import record_event
from rightstrack.core.models import AuditEvent, Person
from tests.trials.conftest import build_trial


@pytest.fixture
def suggestions(org_a, coordinator_a):
    """A document of A with three pending suggestions."""
    from rightstrack.evidence.models import SourceDocument
    from rightstrack.ingest.models import IngestionRun, Suggestion

    document = SourceDocument.objects.create(
        organisation=org_a,
        confidentiality="internal",
        title="Synthetic UN report",
        sha256="a" * 64,
        size=1,
        original_filename="x.txt",
    )
    run = IngestionRun.objects.create(document=document, sha256=document.sha256, status="done")
    for n in range(3):
        Suggestion.objects.create(
            run=run, document=document, position=n + 1, kind="recommendation", key=f"k{n}", data={}, proposed={}
        )
    return document


def _home(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def test_monitor_sees_next_hearing_and_no_review_queues(client, org_a, coordinator_a, monitor_a, suggestions):
    build_trial(coordinator_a, org_a, monitor_a, date=datetime.date.today() + datetime.timedelta(days=3))
    page = _home(client, monitor_a)
    assert "Your next hearings" in page and "1-2022" in page
    assert "Suggestions to review" not in page and "suggestions to review" not in page
    assert "Observations to review" not in page
    # The alert about the assignment is on the home page too.
    assert "You are assigned to the hearing" in page


def test_coordinator_sees_suggestions_to_review_with_the_document(client, coordinator_a, suggestions):
    page = _home(client, coordinator_a)
    assert "Suggestions to review" in page
    assert "Synthetic UN report" in page and "3 suggestions" in page
    assert reverse("ingest_document", args=[suggestions.pk]) in page


def test_partner_viewer_sees_no_action_counts(client, viewer_b, suggestions):
    page = _home(client, viewer_b)
    assert "Suggestions to review" not in page and "suggestions to review" not in page
    assert "Synthetic UN report" not in page
    assert "Nothing is waiting for you" in page


def test_victim_without_consent_listed_for_documenters(client, org_a, coordinator_a, analyst_a, viewer_a):
    from rightstrack.incidents.models import Act, Event

    person = Person.objects.create(organisation=org_a, confidentiality="internal", pseudonym="Victim V-1")
    event = Event.objects.create(
        organisation=org_a, confidentiality="internal", title="Synthetic event", start_date=datetime.date(2022, 1, 5)
    )
    Act.objects.create(event=event, act_type="threat", victim=person, date=datetime.date(2022, 1, 5))
    assert "Victim V-1" in _home(client, analyst_a)
    assert "Victims without consent" not in _home(client, viewer_a)


def test_activity_reads_as_sentences(client, org_a, coordinator_a):
    coordinator_a.first_name = "Aigerim"
    coordinator_a.save()
    person = Person.objects.create(organisation=org_a, confidentiality="internal", pseudonym="P-7")
    record_event(coordinator_a, "person.create", person)
    event = AuditEvent.objects.latest("at")
    assert describe(event) == "Aigerim added the person “P-7”"
    page = _home(client, coordinator_a)
    assert "Aigerim added the person" in page and "person.create" not in page


def test_activity_in_russian(org_a, coordinator_a):
    from django.utils import translation

    person = Person.objects.create(organisation=org_a, confidentiality="internal", pseudonym="P-8")
    record_event(coordinator_a, "person.delete", person)
    with translation.override("ru"):
        sentence = describe(AuditEvent.objects.latest("at"))
    assert "coordinator_a" in sentence and "P-8" in sentence and "удалил" in sentence


def test_home_query_count_is_bounded(client, coordinator_a, suggestions, django_assert_max_num_queries):
    client.force_login(coordinator_a)
    notifications.notify(coordinator_a, "report.ready", "Ready")
    with django_assert_max_num_queries(60):
        client.get(reverse("home"))
