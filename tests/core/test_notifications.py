"""core.notifications.notify: stored, muted, confidential, emailed through a local SMTP server."""

from __future__ import annotations

import pytest

from rightstrack.core import notifications
from rightstrack.core.models import Confidentiality, Notification, Person
from tests.core.smtp_server import LocalSmtp


@pytest.fixture
def smtp(settings):
    with LocalSmtp() as server:
        server.configure(settings)
        yield server


def _person(org, level):
    return Person.objects.create(organisation=org, confidentiality=level, pseudonym=f"P-{level}")


def test_notify_stores_an_unread_alert(monitor_a):
    note = notifications.notify(monitor_a, "hearing.assigned", "Hearing on 5 May", "/trials/hearings/1/")
    assert note.pk and note.read_at is None
    assert notifications.unread_count(monitor_a) == 1
    assert notifications.mark_read(monitor_a) == 1
    assert notifications.unread_count(monitor_a) == 0


def test_bad_kind_or_foreign_url_is_refused(monitor_a):
    with pytest.raises(ValueError, match="unknown notification kind"):
        notifications.notify(monitor_a, "nonsense", "x")
    with pytest.raises(ValueError, match="path on this site"):
        notifications.notify(monitor_a, "report.ready", "x", "https://evil.example/")
    with pytest.raises(ValueError, match="path on this site"):
        notifications.notify(monitor_a, "report.ready", "x", "//evil.example/")
    assert not Notification.objects.exists()


def test_muted_kind_is_not_stored_but_security_alerts_always_are(monitor_a):
    assert notifications.save_settings(monitor_a, muted_kinds=["report.ready", "account.new_device"], email=True)
    assert notifications.notify(monitor_a, "report.ready", "Report ready").pk is None
    assert notifications.notify(monitor_a, "account.new_device", "New sign-in").pk is not None
    # Saved unchanged: nothing written.
    assert not notifications.save_settings(monitor_a, muted_kinds=["report.ready"], email=True)


def test_restricted_record_never_reaches_a_user_without_access(org_a, monitor_a, coordinator_a):
    secret = _person(org_a, Confidentiality.RESTRICTED)
    assert notifications.notify(monitor_a, "deadline", "Secret P", about=secret).pk is None
    assert notifications.notify(coordinator_a, "deadline", "Secret P", about=secret).pk is not None
    assert not Notification.objects.filter(user=monitor_a).exists()


def test_alert_hidden_when_its_record_becomes_restricted(org_a, monitor_a):
    person = _person(org_a, Confidentiality.INTERNAL)
    notifications.notify(monitor_a, "deadline", "About P", about=person)
    assert notifications.unread_count(monitor_a) == 1
    Person.objects.filter(pk=person.pk).update(confidentiality=Confidentiality.RESTRICTED)
    assert notifications.unread_count(monitor_a) == 0
    assert notifications.for_user(monitor_a) == []


def test_keyed_alert_comes_once(monitor_a):
    assert notifications.notify(monitor_a, "deadline", "Due", key="rec-1-2026").pk
    assert notifications.notify(monitor_a, "deadline", "Due", key="rec-1-2026").pk is None
    assert Notification.objects.count() == 1


def test_email_reaches_the_local_smtp_server(monitor_a, smtp, django_capture_on_commit_callbacks):
    monitor_a.email = "monitor@example.org"
    monitor_a.save()
    with django_capture_on_commit_callbacks(execute=True):
        note = notifications.notify(monitor_a, "hearing.assigned", "Hearing on 5 May", "/trials/hearings/1/")
    assert len(smtp.messages) == 1
    message = smtp.messages[0]
    assert message["To"] == "monitor@example.org"
    assert "Hearing on 5 May" in message["Subject"]
    assert "/trials/hearings/1/" in message.get_content()
    note.refresh_from_db()
    assert note.emailed_at is not None


def test_restricted_alert_email_keeps_the_title_out(org_a, coordinator_a, smtp, django_capture_on_commit_callbacks):
    coordinator_a.email = "coord@example.org"
    coordinator_a.save()
    secret = _person(org_a, Confidentiality.RESTRICTED)
    with django_capture_on_commit_callbacks(execute=True):
        notifications.notify(coordinator_a, "deadline", "Aigul Secretname", "/x/", about=secret)
    assert len(smtp.messages) == 1
    assert "Secretname" not in smtp.messages[0].as_string()


def test_no_email_without_smtp_or_when_switched_off(monitor_a, smtp, settings, django_capture_on_commit_callbacks):
    monitor_a.email = "monitor@example.org"
    monitor_a.save()
    notifications.save_settings(monitor_a, muted_kinds=[], email=False)
    with django_capture_on_commit_callbacks(execute=True):
        notifications.notify(monitor_a, "report.ready", "Ready")
    settings.EMAIL_ENABLED = False
    notifications.save_settings(monitor_a, muted_kinds=[], email=True)
    with django_capture_on_commit_callbacks(execute=True):
        notifications.notify(monitor_a, "report.ready", "Ready again")
    assert smtp.messages == []
    assert Notification.objects.filter(user=monitor_a).count() == 2


# --- pages ---------------------------------------------------------------------------------------------


def test_bell_shows_the_unread_count_and_refreshes_by_htmx(client, monitor_a):
    notifications.notify(monitor_a, "hearing.assigned", "Hearing on 5 May", "/help/")
    client.force_login(monitor_a)
    page = client.get("/help/").content.decode()
    assert 'class="bell-count" aria-hidden="true">1<' in page
    assert 'hx-get="/alerts/bell/"' in page and "<script>" not in page
    bell = client.get("/alerts/bell/").content.decode()
    assert 'id="bell"' in bell and ">1<" in bell


def test_open_marks_read_and_follows_the_link(client, monitor_a):
    note = notifications.notify(monitor_a, "hearing.assigned", "Hearing", "/help/monitor/")
    client.force_login(monitor_a)
    response = client.get(f"/alerts/{note.pk}/")
    assert response.status_code == 302 and response["Location"] == "/help/monitor/"
    note.refresh_from_db()
    assert note.read_at is not None


def test_mark_read_and_all_read(client, monitor_a):
    first = notifications.notify(monitor_a, "hearing.assigned", "First")
    notifications.notify(monitor_a, "report.ready", "Second")
    client.force_login(monitor_a)
    response = client.post(f"/alerts/{first.pk}/read/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "First" in response.content.decode()
    assert notifications.unread_count(monitor_a) == 1
    page = client.post("/alerts/read-all/", follow=True).content.decode()
    assert "All alerts marked read." in page
    assert notifications.unread_count(monitor_a) == 0
    page = client.post("/alerts/read-all/", follow=True).content.decode()
    assert "There were no unread alerts." in page


def test_another_users_alert_is_not_found_and_unchanged(client, monitor_a, viewer_a):
    note = notifications.notify(monitor_a, "hearing.assigned", "Secret title of A")
    client.force_login(viewer_a)
    assert client.get(f"/alerts/{note.pk}/").status_code == 404
    assert client.post(f"/alerts/{note.pk}/read/").status_code == 404
    client.post("/alerts/read-all/")
    assert "Secret title of A" not in client.get("/alerts/").content.decode()
    note.refresh_from_db()
    assert note.read_at is None


def test_settings_page_saves_choices_and_refuses_unknown_kinds(client, monitor_a, settings):
    settings.EMAIL_ENABLED = True
    client.force_login(monitor_a)
    page = client.get("/alerts/settings/").content.decode()
    assert "A hearing is assigned to me" in page and "Also send my alerts by email" in page
    kinds = [k for k in notifications.KINDS if k != "report.ready"]
    page = client.post("/alerts/settings/", {"form": "alerts", "kind": kinds}, follow=True).content.decode()
    assert "Your alert choices were saved." in page
    current = notifications.settings_for(monitor_a)
    assert current.muted_kinds == ["report.ready"] and current.email is False
    page = client.post("/alerts/settings/", {"form": "alerts", "kind": kinds}, follow=True).content.decode()
    assert "Nothing changed." in page
    page = client.post("/alerts/settings/", {"form": "alerts", "kind": [*kinds, "bogus"], "email": "on"})
    assert page.status_code == 400 and "Unknown kind of alert" in page.content.decode()
    current.refresh_from_db()
    assert current.email is False
    client.post("/alerts/settings/", {})  # a stray empty POST does not mute everything
    current.refresh_from_db()
    assert current.muted_kinds == ["report.ready"]


def test_settings_page_without_smtp_says_so(client, monitor_a, settings):
    settings.EMAIL_ENABLED = False
    client.force_login(monitor_a)
    page = client.get("/alerts/settings/").content.decode()
    assert "This server does not send email" in page and 'name="email"' not in page


def test_settings_page_in_russian_and_kazakh(client, monitor_a):
    client.force_login(monitor_a)
    client.cookies["django_language"] = "ru"
    assert "Меня назначили на судебное заседание" in client.get("/alerts/settings/").content.decode()
    client.cookies["django_language"] = "kk"
    from django.utils import translation

    with translation.override("kk"):
        kazakh = translation.gettext("A hearing is assigned to me")
    assert kazakh != "A hearing is assigned to me" and any(c in kazakh for c in "әғқңөұүһі")
    assert kazakh in client.get("/alerts/settings/").content.decode()
