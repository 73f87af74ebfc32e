"""The "not published" list links each blocking record with advice for its kind (consent only for people)."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from rightstrack.core.models import Confidentiality, Person
from rightstrack.recommendations.models import Recommendation
from rightstrack.reports import actions
from rightstrack.reports.queries import _record_fix

from .factories import recommendation


def test_refused_page_links_the_record_and_advises_without_consent(coordinator_a, org_a):
    recommendation(org_a, text="Internal one.", article=7, level=Confidentiality.INTERNAL)
    rec = Recommendation.objects.get()
    report = actions.create_report(coordinator_a, organisation=org_a, title="R", kind="shadow-iccpr")
    actions.build_now(coordinator_a, report)
    client = Client()
    client.force_login(coordinator_a)
    page = client.post(f"/reports/{report.pk}/publish/").content.decode()
    assert f'href="{reverse("recommendation_detail", args=[rec.pk])}"' in page
    assert "Make the record public, or remove the paragraph." in page
    assert "consent" not in page.lower()


def test_advice_for_a_person_is_about_consent_and_links_their_consent_form(coordinator_a, org_a):
    person = Person.objects.create(organisation=org_a, confidentiality="internal", pseudonym="P-1")
    advice, links = _record_fix(Person, person)
    assert "consent" in advice
    assert [url for _label, url in links] == [
        reverse("incidents:victim_detail", args=[person.pk]),
        reverse("incidents:victim_profile", args=[person.pk]),
    ]
    # Not seen by the reader: advice, no links.
    assert _record_fix(Person, None)[1] == ()
