from django.test import Client

from rightstrack.core import actions
from rightstrack.core.models import AuditEvent, Confidentiality, Person


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_pages_need_login(client):
    for url in ["/", "/people/", "/documents/", "/audit/", "/trash/"]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_person_list_and_search(org_a, coordinator_a):
    actions.create_person(coordinator_a, org_a, pseudonym="Alpha")
    actions.create_person(coordinator_a, org_a, pseudonym="Beta", real_name="Gamma Secret")
    client = client_for(coordinator_a)
    body = client.get("/people/").content.decode()
    assert "Alpha" in body and "Beta" in body and "2 people" in body
    assert "Alpha" not in client.get("/people/?q=bet").content.decode()
    # Restricted-access members may find people by real name.
    assert "Beta" in client.get("/people/?q=gamma").content.decode()


def test_person_search_ignores_case_in_cyrillic_and_kazakh_letters(org_a, coordinator_a, monitor_a):
    actions.create_person(coordinator_a, org_a, pseudonym="ӘСЕЛЬ Свидетель", real_name="Үміт Жұмабаева")
    actions.create_person(coordinator_a, org_a, pseudonym="Other")
    client = client_for(coordinator_a)
    assert "ӘСЕЛЬ" in client.get("/people/?q=әсель").content.decode()
    assert "ӘСЕЛЬ" in client.get("/people/?q=ҮМІТ").content.decode()  # real name, restricted access
    api = client.get("/api/persons?q=свидетель").json()
    assert [p["pseudonym"] for p in api["items"]] == ["ӘСЕЛЬ Свидетель"]
    # Without restricted access, the real name is not searched: through the page or the API.
    assert "ӘСЕЛЬ" not in client_for(monitor_a).get("/people/?q=үміт").content.decode()
    assert client_for(monitor_a).get("/api/persons?q=үміт").json()["items"] == []


def test_htmx_search_returns_fragment(org_a, coordinator_a):
    actions.create_person(coordinator_a, org_a, pseudonym="Alpha")
    response = client_for(coordinator_a).get("/people/?q=alp", HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "Alpha" in body and "<html" not in body


def test_real_name_search_needs_restricted_access(org_a, coordinator_a, monitor_a):
    actions.create_person(coordinator_a, org_a, pseudonym="Beta", real_name="Gamma Secret")
    assert "Beta" not in client_for(monitor_a).get("/people/?q=gamma").content.decode()


def test_person_detail_hides_identity_without_restricted_access(org_a, coordinator_a, monitor_a):
    person = actions.create_person(coordinator_a, org_a, pseudonym="P", real_name="Real Name Here")
    assert "Real Name Here" in client_for(coordinator_a).get(f"/people/{person.pk}/").content.decode()
    body = client_for(monitor_a).get(f"/people/{person.pk}/").content.decode()
    assert "Real Name Here" not in body and "Hidden" in body


def test_create_person_form(org_a, coordinator_a):
    client = client_for(coordinator_a)
    response = client.post(
        "/people/new/",
        {"organisation": org_a.pk, "pseudonym": "Formed", "sex": "female", "confidentiality": "internal"},
    )
    person = Person.objects.get(pseudonym="Formed")
    assert response.status_code == 302 and response["Location"] == f"/people/{person.pk}/"
    assert AuditEvent.objects.filter(verb="person.create").count() == 1


def test_malformed_form_changes_nothing(org_a, coordinator_a):
    client = client_for(coordinator_a)
    response = client.post(
        "/people/new/",
        {
            "organisation": org_a.pk,
            "pseudonym": "X",
            "sex": "robot",
            "confidentiality": "internal",
            "birth_date": "not a date",
        },
    )
    assert response.status_code == 400
    assert not Person.objects.exists() and not AuditEvent.objects.exists()


def test_viewer_cannot_open_create_form(org_a, viewer_a):
    assert client_for(viewer_a).get("/people/new/").status_code == 404


def test_monitor_cannot_choose_other_org(org_a, org_b, monitor_a):
    response = client_for(monitor_a).post(
        "/people/new/", {"organisation": org_b.pk, "pseudonym": "X", "sex": "unknown", "confidentiality": "internal"}
    )
    assert response.status_code == 400 and not Person.objects.exists()


def test_stale_edit_shows_conflict_page(org_a, coordinator_a, analyst_a):
    person = actions.create_person(coordinator_a, org_a, pseudonym="Start")
    actions.update_person(analyst_a, person, expected_version=1, changes={"pseudonym": "Theirs"})
    response = client_for(coordinator_a).post(
        f"/people/{person.pk}/edit/",
        {
            "pseudonym": "Mine",
            "sex": "unknown",
            "confidentiality": "internal",
            "version": 1,
        },
    )
    body = response.content.decode()
    assert response.status_code == 409
    assert "Theirs" in body and "Mine" in body
    person.refresh_from_db()
    assert person.pseudonym == "Theirs"


def test_forbidden_and_unknown_records_look_the_same(org_a, coordinator_a, viewer_b):
    person = actions.create_person(
        coordinator_a, org_a, pseudonym="Hidden one", confidentiality=Confidentiality.RESTRICTED
    )
    client = client_for(viewer_b)
    forbidden = client.get(f"/people/{person.pk}/")
    unknown = client.get("/people/987654/")
    assert forbidden.status_code == unknown.status_code == 404
    assert "Hidden one" not in forbidden.content.decode()


def test_delete_needs_post_and_reviewer(org_a, coordinator_a, monitor_a):
    person = actions.create_person(coordinator_a, org_a, pseudonym="P")
    assert client_for(coordinator_a).get(f"/people/{person.pk}/delete/").status_code == 405
    assert client_for(monitor_a).post(f"/people/{person.pk}/delete/").status_code == 403
    assert client_for(coordinator_a).post(f"/people/{person.pk}/delete/").status_code == 302
    person.refresh_from_db()
    assert person.deleted_at is not None
    body = client_for(coordinator_a).get("/trash/").content.decode()
    assert "P" in body
    client_for(coordinator_a).post(f"/trash/core.Person/{person.pk}/restore/")
    person.refresh_from_db()
    assert person.deleted_at is None


def test_trash_refuses_unknown_model(coordinator_a):
    assert client_for(coordinator_a).post("/trash/auth.User/1/restore/").status_code == 404


def test_audit_log_filters_and_masks(org_a, coordinator_a, admin_a):
    from rightstrack.core.models import Membership

    person = actions.create_person(admin_a, org_a, pseudonym="Audited", real_name="Very Secret")
    actions.update_person(admin_a, person, expected_version=1, changes={"pseudonym": "Audited 2"})
    client = client_for(coordinator_a)
    body = client.get("/audit/?verb=update").content.decode()
    assert "person.update" in body and "person.create" not in body
    assert "Very Secret" in client.get("/audit/").content.decode()
    # A coordinator without restricted access sees the events with identifying values masked.
    Membership.objects.filter(user=coordinator_a).update(restricted_access=False)
    client = client_for(coordinator_a)
    body = client.get("/audit/").content.decode()
    assert "person.create" in body and "Very Secret" not in body and "•••" in body


def test_audit_log_is_for_reviewers(monitor_a):
    assert client_for(monitor_a).get("/audit/").status_code == 404


def test_security_headers(client):
    response = client.get("/accounts/login/")
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_pages_have_no_inline_scripts_or_remote_assets(org_a, coordinator_a):
    import re

    body = client_for(coordinator_a).get("/").content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)", body), "inline script would be blocked by the CSP"
    assert "http://" not in body.replace("http://127.0.0.1", "") and "https://" not in body


def test_login_throttled_after_failures(org_a, coordinator_a, settings):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": "coordinator_a", "password": "wrong"})
    response = client.post("/accounts/login/", {"username": "coordinator_a", "password": "correct horse battery"})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_login_works_and_passwords_use_argon2(org_a, coordinator_a, settings):
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]
    client = Client()
    response = client.post("/accounts/login/", {"username": "coordinator_a", "password": "correct horse battery"})
    assert response.status_code == 302
    coordinator_a.refresh_from_db()
    assert coordinator_a.password.startswith("argon2")


def test_language_switch(client):
    response = client.post("/i18n/setlang/", {"language": "ru", "next": "/accounts/login/"}, follow=True)
    assert 'lang="ru"' in response.content.decode()


def test_help_text_is_the_one_its_field_points_to(coordinator_a):
    """Screen readers read a field's help through aria-describedby: the ids must match."""
    html = client_for(coordinator_a).get("/recommendations/reviews/").content.decode()
    assert 'aria-describedby="id_languages_helptext"' in html
    assert 'id="id_languages_helptext"' in html
