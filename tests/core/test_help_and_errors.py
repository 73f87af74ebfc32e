"""Help pages, styled error pages with a way out, and the error pages' search box."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from rightstrack.core.help_views import GLOSSARY, GUIDES


@pytest.mark.parametrize("language", ["en", "ru", "kk"])
def test_help_pages_answer_in_every_language(client, language, db):
    client.cookies["django_language"] = language
    for url in [reverse("help"), reverse("help_glossary")] + [reverse("help_guide", args=[g.slug]) for g in GUIDES]:
        response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200, url
        assert f'lang="{language}"' in response.content.decode()


def test_help_has_a_guide_per_role_and_the_glossary(client, db):
    assert {g.slug for g in GUIDES} == {"monitor", "documenter", "analyst", "coordinator"}
    page = client.get(reverse("help")).content.decode()
    for term in (
        "UPR",
        "Treaty body",
        "Concluding observations",
        "Special procedures",
        "Event",
        "Act",
        "Victim",
        "Perpetrator",
        "Intervention",
    ):
        assert term in page


def test_help_in_russian_is_translated(client, db):
    client.cookies["django_language"] = "ru"
    page = client.get(reverse("help_glossary")).content.decode()
    assert "Универсальный периодический обзор" in page
    assert "A treaty body's decision" not in page


def test_help_search_finds_and_says_when_nothing_matches(client, db):
    page = client.get(reverse("help"), {"q": "perpetrator"}).content.decode()
    assert "Perpetrator" in page and "Treaty body" not in page
    page = client.get(reverse("help"), {"q": "zzzqqq"}).content.decode()
    assert "Nothing in the help matches" in page


def test_unknown_guide_is_a_styled_404(client, db):
    response = client.get("/help/astronaut/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


@pytest.mark.parametrize("language,title", [("en", "Page not found"), ("ru", "Страница не найдена")])
def test_404_is_styled_with_a_way_back_and_search(settings, client, db, language, title):
    settings.DEBUG = False
    client.cookies["django_language"] = language
    response = client.get("/no/such/page/", HTTP_REFERER="http://testserver/help/")
    assert response.status_code == 404
    page = response.content.decode()
    assert title in page
    assert 'href="/help/"' in page  # back to where the user came from
    assert 'action="/search/"' in page and 'name="q"' in page
    assert "app.css" in page and "<script>" not in page


def test_403_is_styled(rf, db):
    from django.contrib.auth.models import AnonymousUser
    from django.core.exceptions import PermissionDenied

    from rightstrack.core.error_views import permission_denied

    request = rf.get("/somewhere/")
    request.user = AnonymousUser()
    response = permission_denied(request, PermissionDenied())
    assert response.status_code == 403
    assert "Not allowed" in response.content.decode()


def test_500_page_needs_no_database(rf):
    """No `db` fixture: any query would fail the test."""
    from django.utils import translation

    from rightstrack.core.error_views import server_error

    with translation.override("ru"):
        response = server_error(rf.get("/boom/"))
    assert response.status_code == 500
    page = response.content.decode()
    assert "Что-то пошло не так" in page and 'lang="ru"' in page and "app.css" in page


def test_stale_form_gets_a_page_saying_how_to_send_it_again(admin_a):
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_a)
    response = client.post(reverse("notification_read_all"))
    assert response.status_code == 403
    assert "The form has expired" in response.content.decode()


def test_error_search_box_sends_the_words_to_the_chosen_list(client, monitor_a):
    assert client.get("/search/", {"q": "torture", "in": "help"})["Location"] == "/help/?q=torture"
    # Signed out, private lists are not offered: the words go to the public site.
    assert client.get("/search/", {"q": "x", "in": "people"})["Location"].startswith("/public/search/")
    client.force_login(monitor_a)
    assert client.get("/search/", {"q": "x", "in": "people"})["Location"] == "/people/?q=x"
    assert client.get("/search/", {"in": "nonsense"})["Location"] == reverse("recommendation_list")


def test_glossary_terms_are_unique():
    terms = [str(t) for t, _ in GLOSSARY]
    assert len(terms) == len(set(terms))
