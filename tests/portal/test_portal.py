"""The public portal: published reports, recommendations, trials, search and the Atom feed — public data only."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from django.test import Client

from rightstrack.core.models import Confidentiality
from rightstrack.reports import actions
from rightstrack.reports.models import Publication
from tests.reports.factories import recommendation


@pytest.fixture
def published(coordinator_a, org_a):
    recommendation(org_a, text="Investigate all allegations of torture.", article=7, paragraph="22")
    recommendation(org_a, text="Hidden internal advice.", article=7, paragraph="23", level=Confidentiality.INTERNAL)
    report = actions.create_report(
        coordinator_a,
        organisation=org_a,
        title="Public shadow report",
        kind="shadow-iccpr",
        filters={"public_only": True},
    )
    actions.build_now(coordinator_a, report)
    return actions.publish(coordinator_a, report)


def test_home_lists_publications_without_login(published):
    page = Client().get("/public/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Public shadow report" in body and f"/public/reports/{published.slug}/" in body
    assert "<script" not in body.split("<main")[1]  # the content works without JavaScript


def test_report_page_shows_numbered_text_and_notes_but_no_internal_data(published):
    body = Client().get(f"/public/reports/{published.slug}/").content.decode()
    assert "Investigate all allegations of torture" in body
    assert "Hidden internal advice" not in body
    assert 'id="p-1"' in body and 'id="fn-1"' in body


@pytest.mark.parametrize("fmt", ["pdf", "docx", "md", "html"])
def test_public_downloads(published, fmt):
    response = Client().get(f"/public/reports/{published.slug}/download/{fmt}/")
    assert response.status_code == 200 and len(response.content) > 100


def test_unknown_slug_and_format_are_404(published):
    assert Client().get("/public/reports/nope/").status_code == 404
    assert Client().get(f"/public/reports/{published.slug}/download/exe/").status_code == 404


def test_post_is_refused(published):
    assert Client().post(f"/public/reports/{published.slug}/").status_code == 405


def test_recommendations_page_shows_public_ones_with_status(published):
    body = Client().get("/public/recommendations/").content.decode()
    assert "Investigate all allegations of torture" in body and "not implemented" in body
    assert "Hidden internal advice" not in body
    filtered = Client().get("/public/recommendations/", {"status": "fully"}).content.decode()
    assert "Investigate all allegations" not in filtered
    junk = Client().get("/public/recommendations/", {"status": "<x>", "page": "zz"})
    assert junk.status_code == 200


def test_search_finds_reports_and_recommendations_but_not_internal(published):
    body = Client().get("/public/search/", {"q": "torture"}).content.decode()
    assert "Public shadow report" in body and "Investigate all allegations" in body
    hidden = Client().get("/public/search/", {"q": "Hidden internal"}).content.decode()
    assert "Hidden internal advice" not in hidden.replace('value="Hidden internal"', "")


@pytest.mark.django_db
def test_trials_page_shows_zero_public_cases_without_data():
    response = Client().get("/public/trials/")
    assert response.status_code == 200
    assert '<span class="tile-figure">0</span>' in response.content.decode()


@pytest.mark.django_db
def test_trials_page_degrades_when_the_module_is_not_ready(monkeypatch):
    from rightstrack.portal import queries

    monkeypatch.setattr(queries, "ready_model", lambda label: None)
    body = Client().get("/public/trials/").content.decode()
    assert "No trial-monitoring data is published yet." in body
    assert "No recommendations are published yet." in Client().get("/public/recommendations/").content.decode()


def test_atom_feed(published):
    response = Client().get("/public/feed.atom")
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)  # noqa: S314 - our own feed, in a test
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entries = root.findall("a:entry", ns)
    assert [e.find("a:title", ns).text for e in entries] == ["Public shadow report"]
    published.deleted_at = published.published_at
    published.save()
    again = Client().get("/public/feed.atom").content
    assert ET.fromstring(again).findall("a:entry", ns) == []  # noqa: S314


def test_restricted_publication_is_never_shown(published):
    Publication.objects.filter(pk=published.pk).update(confidentiality=Confidentiality.RESTRICTED)
    assert Client().get(f"/public/reports/{published.slug}/").status_code == 404
    assert "Public shadow report" not in Client().get("/public/").content.decode()


def test_portal_pages_use_a_fixed_number_of_queries(published, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        Client().get("/public/")
    with django_assert_max_num_queries(12):
        Client().get("/public/recommendations/")
