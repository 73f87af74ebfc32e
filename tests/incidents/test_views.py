"""Pages: forms record events, acts, perpetrators, interventions and victims; bad input answers with a fitting
status and writes nothing; case files and statistics show only what the user may see."""

from __future__ import annotations

import re

from rightstrack.core.models import Person
from rightstrack.incidents import actions
from rightstrack.incidents.models import Act, Event, Intervention, Involvement, PersonProfile

from .conftest import D, client_for, nothing_written


def test_pages_need_login(client, event):
    for url in ["/incidents/", "/incidents/statistics/", f"/incidents/{event.pk}/", "/incidents/acts/"]:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_record_event_act_perpetrator_intervention_through_forms(org_a, coordinator_a, victim):
    client = client_for(coordinator_a)
    response = client.post(
        "/incidents/new/",
        {
            "organisation": org_a.pk,
            "title": "Custody in Almaty",
            "start_date": "2022-01-06",
            "start_precision": "day",
            "end_date": "2022-01-20",
            "end_precision": "day",
            "confidentiality": "internal",
            "context": "January 2022 events",
        },
    )
    event = Event.objects.get(title="Custody in Almaty")
    assert response.status_code == 302 and response["Location"] == f"/incidents/{event.pk}/"
    response = client.post(
        f"/incidents/{event.pk}/acts/new/",
        {
            "act_type": "torture",
            "victim": victim.pk,
            "date": "2022-01-08",
            "date_precision": "day",
            "method": "beating",
        },
    )
    act = Act.objects.get()
    assert response["Location"] == f"/incidents/acts/{act.pk}/perpetrators/new/"
    client.post(f"/incidents/acts/{act.pk}/perpetrators/new/", {"unit": "police", "degree": "direct"})
    client.post(
        f"/incidents/{event.pk}/interventions/new/",
        {
            "intervention_type": "complaint",
            "date": "2022-02-01",
            "date_precision": "day",
            "by": "Lawyer",
            "act": act.pk,
            "outcome": "pending",
        },
    )
    assert Involvement.objects.get().unit == "police" and Intervention.objects.get().victim == victim
    body = client.get(f"/incidents/{event.pk}/").content.decode()
    for text in ("Custody in Almaty", "Torture", "Victim V-1", "Police", "Complaint", "Lawyer", "Timeline"):
        assert text in body
    assert "Real Victim" not in body  # the case file never prints real names


def test_end_before_start_form_shows_error(org_a, coordinator_a):
    with nothing_written():
        response = client_for(coordinator_a).post(
            "/incidents/new/",
            {
                "organisation": org_a.pk,
                "title": "E",
                "start_date": "2022-01-06",
                "start_precision": "day",
                "end_date": "2022-01-01",
                "end_precision": "day",
                "confidentiality": "internal",
            },
        )
    assert response.status_code == 400 and "before the start date" in response.content.decode()


def test_act_outside_event_form_shows_error(event, coordinator_a):
    with nothing_written():
        response = client_for(coordinator_a).post(
            f"/incidents/{event.pk}/acts/new/", {"act_type": "torture", "date": "2023-01-08", "date_precision": "day"}
        )
    assert response.status_code == 400 and "outside its event" in response.content.decode()


def test_victim_of_other_organisation_cannot_be_chosen(event, coordinator_a, org_b):
    other = Person.objects.create(organisation=org_b, confidentiality="internal", pseudonym="Other org person")
    client = client_for(coordinator_a)
    assert "Other org person" not in client.get(f"/incidents/{event.pk}/acts/new/").content.decode()
    with nothing_written():
        response = client.post(
            f"/incidents/{event.pk}/acts/new/",
            {
                "act_type": "torture",
                "victim": other.pk,
                "date": "2022-01-08",
                "date_precision": "day",
            },
        )
    assert response.status_code == 400


def test_wrong_types_and_unknown_ids(event, coordinator_a):
    client = client_for(coordinator_a)
    with nothing_written():
        assert client.post(f"/incidents/{event.pk}/acts/new/", {"act_type": "x", "date": "soon"}).status_code == 400
        assert client.post("/incidents/987654/acts/new/", {"act_type": "torture"}).status_code == 404
        assert client.get("/incidents/acts/987654/perpetrators/new/").status_code == 404
        assert client.get("/incidents/acts/?year=abc").status_code == 400
        assert client.get("/incidents/statistics/?region=drop").status_code == 400
        assert client.get("/incidents/statistics/?since=2024-01-01&until=2023-01-01").status_code == 400


def test_forbidden_event_looks_missing(event, viewer_b):
    client = client_for(viewer_b)
    forbidden, missing = client.get(f"/incidents/{event.pk}/"), client.get("/incidents/987654/")
    assert forbidden.status_code == missing.status_code == 404
    assert "Detentions" not in forbidden.content.decode()


def test_viewer_cannot_document(event, viewer_a):
    client = client_for(viewer_a)
    with nothing_written():
        assert client.get("/incidents/new/").status_code == 404
        assert client.post(f"/incidents/{event.pk}/acts/new/", {"act_type": "threat"}).status_code == 404
        assert client.get("/incidents/victims/new/").status_code == 404
        assert client.get("/incidents/import/").status_code == 404


def test_duplicate_victim_form_suggests_and_asks(org_a, coordinator_a, victim):
    client = client_for(coordinator_a)
    data = {
        "organisation": org_a.pk,
        "pseudonym": "Another",
        "real_name": "Real Victim",
        "sex": "unknown",
        "age_group": "unknown",
        "consent": "none",
        "confidentiality": "restricted",
    }
    with nothing_written():
        response = client.post("/incidents/victims/new/", data)
    body = response.content.decode()
    assert response.status_code == 409 and "may already be recorded" in body
    assert f"/incidents/victims/{victim.pk}/" in body
    response = client.post("/incidents/victims/new/", {**data, "confirm_new": "on"})
    assert response.status_code == 302 and Person.objects.count() == 2


def test_consent_page_and_publish(event, coordinator_a, victim):
    client = client_for(coordinator_a)
    actions.add_act(coordinator_a, event, act_type="torture", victim=victim, date=D(2022, 1, 7))
    with nothing_written():
        response = client.post(f"/incidents/{event.pk}/publish/", {"version": event.version})
    assert response.status_code == 400 and "consent" in response.content.decode()
    response = client.post(
        f"/incidents/victims/{victim.pk}/consent/",
        {
            "age_group": "18-29",
            "consent": "anonymised",
            "consent_date": "2022-05-01",
        },
    )
    assert response.status_code == 302
    assert PersonProfile.objects.get(person=victim).consent == "anonymised"
    assert client.post(f"/incidents/{event.pk}/publish/", {"version": event.version}).status_code == 302
    event.refresh_from_db()
    assert event.confidentiality == "public"


def test_victim_case_file(event, coordinator_a, monitor_a, defender):
    actions.add_act(coordinator_a, event, act_type="threat", victim=defender, date=D(2022, 1, 7))
    body = client_for(coordinator_a).get(f"/incidents/victims/{defender.pk}/").content.decode()
    assert "Defender D-1" in body and "Threat or intimidation" in body and "Detentions in Almaty" in body
    assert "No consent recorded" in body


def test_case_file_hides_restricted_victim_from_monitor(event, coordinator_a, monitor_a, victim):
    actions.add_act(coordinator_a, event, act_type="torture", victim=victim, date=D(2022, 1, 7))
    body = client_for(monitor_a).get(f"/incidents/{event.pk}/").content.decode()
    assert "Victim V-1" not in body and "a person you cannot see" in body
    assert client_for(monitor_a).get(f"/incidents/victims/{victim.pk}/").status_code == 404


def test_statistics_page_charts_tables_and_drill_down(event, coordinator_a, defender):
    actions.add_act(coordinator_a, event, act_type="threat", victim=defender, date=D(2022, 1, 7))
    client = client_for(coordinator_a)
    response = client.get("/incidents/statistics/?until=2022-10-31")
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count('src="data:image/svg+xml;base64,') == 5  # four breakdowns and the threat index
    assert "partial" in body and "HRD threat index" in body
    assert not re.search(r"<script(?![^>]*\bsrc=)", body)
    links = re.findall(r'href="(/incidents/acts/\?[^"]+)"', body)
    assert any("act_type=threat" in link for link in links)
    drill = client.get(links[0].replace("&amp;", "&")).content.decode()
    assert "Detentions in Almaty" in drill
    fragment = client.get("/incidents/statistics/?act_type=torture", HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in fragment and "No acts." in fragment


def test_act_list_exports_csv_and_xlsx(event, coordinator_a, monitor_a, victim):
    actions.add_act(coordinator_a, event, act_type="torture", victim=victim, date=D(2022, 1, 7), method="=HYPERLINK()")
    response = client_for(coordinator_a).get("/incidents/acts/?format=csv")
    text = response.content.decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv") and "Victim V-1" in text and "'=HYPERLINK()" in text
    monitor_csv = client_for(monitor_a).get("/incidents/acts/?format=csv").content.decode("utf-8-sig")
    assert "Victim V-1" not in monitor_csv and "torture" in monitor_csv
    xlsx = client_for(coordinator_a).get("/incidents/acts/?format=xlsx")
    assert xlsx.content[:2] == b"PK"


def test_event_list_search_htmx(event, coordinator_a):
    client = client_for(coordinator_a)
    assert "Detentions in Almaty" in client.get("/incidents/?q=almaty").content.decode()
    fragment = client.get("/incidents/?q=nothing", HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in fragment and "No events found." in fragment


def test_delete_and_trash(event, coordinator_a, monitor_a):
    assert client_for(monitor_a).post(f"/incidents/{event.pk}/delete/").status_code == 403
    assert client_for(coordinator_a).post(f"/incidents/{event.pk}/delete/").status_code == 302
    assert "Detentions in Almaty" in client_for(coordinator_a).get("/trash/").content.decode()
    client_for(coordinator_a).post(f"/trash/incidents.Event/{event.pk}/restore/")
    event.refresh_from_db()
    assert event.deleted_at is None


def test_group_and_link_pages(org_a, coordinator_a, event):
    client = client_for(coordinator_a)
    client.post(
        "/incidents/groups/new/", {"organisation": org_a.pk, "name": "Newsroom X", "confidentiality": "internal"}
    )
    assert "Newsroom X" in client.get("/incidents/groups/").content.decode()
    other = actions.create_event(coordinator_a, org_a, title="Follow-up", start_date=D(2022, 2, 1))
    client.post(f"/incidents/{event.pk}/links/new/", {"link_type": "follows", "to_event": other.pk})
    assert "Follow-up" in client.get(f"/incidents/{event.pk}/").content.decode()
    assert "Detentions in Almaty" in client.get(f"/incidents/{other.pk}/").content.decode()


def test_esf_json_export(event, coordinator_a, monitor_a, victim):
    act = actions.add_act(coordinator_a, event, act_type="torture", victim=victim, date=D(2022, 1, 7))
    actions.add_involvement(coordinator_a, act, unit="police")
    data = client_for(coordinator_a).get("/incidents/export.json").json()
    esf = data["events"][0]
    assert esf["event_title"] == "Detentions in Almaty" and esf["initial_date_type"] == "day"
    assert esf["acts"][0]["type_of_act"] == "torture"
    assert esf["acts"][0]["victim"]["real_name"] == "Real Victim"
    assert esf["acts"][0]["involvements"][0]["type_of_perpetrator"] == "police"
    monitor = client_for(monitor_a).get("/incidents/export.json").content.decode()
    assert "Real Victim" not in monitor and "Victim V-1" not in monitor and "torture" in monitor


def test_menu_entry_and_dashboard_tiles(event, coordinator_a, viewer_b):
    from django.apps import apps

    assert 'href="/incidents/"' in client_for(coordinator_a).get("/").content.decode()
    actions.add_act(coordinator_a, event, act_type="threat", date=D(2022, 1, 7))
    config = apps.get_app_config("incidents")
    assert [t["count"] for t in config.dashboard_tiles(coordinator_a)] == [1, 1]
    assert [t["count"] for t in config.dashboard_tiles(viewer_b)] == [0, 0]
