"""The victim list: persons with an incident profile or a visible act, filtered and paginated. Hidden persons
are absent from rows and counts, acts the reader cannot see are not counted, and real names show only to
members with restricted access."""

from __future__ import annotations

import re

import pytest

from rightstrack.core.models import Confidentiality, Person, Place
from rightstrack.incidents import actions

from .conftest import D, client_for


def count_of(body: str) -> int:
    return int(re.search(r"(\d+) persons?\b", body).group(1))


@pytest.fixture
def people(org_a, org_b, coordinator_a, event, victim, defender):
    """victim (restricted, real name), defender (internal HRD), a witness without profile or act, a victim of an
    act without a profile, a journalist of org B, and persons with profiles set."""
    witness = Person.objects.create(organisation=org_a, confidentiality="internal", pseudonym="Witness W")
    act_only = Person.objects.create(organisation=org_a, confidentiality="internal", pseudonym="Imported I", sex="male")
    actions.add_act(coordinator_a, event, act_type="threat", victim=act_only, date=D(2022, 1, 7))
    lawyer = actions.create_victim(
        coordinator_a,
        org_a,
        pseudonym="Айгуль Л",
        real_name="Айгуль Сериккызы",
        sex="female",
        is_lawyer=True,
        age_group="30-59",
        consent="anonymised",
        consent_date=D(2022, 5, 1),
        confidentiality=Confidentiality.INTERNAL,
    )
    other_org = Person.objects.create(organisation=org_b, confidentiality="internal", pseudonym="Org B person")
    return {"victim": victim, "defender": defender, "witness": witness, "act_only": act_only, "lawyer": lawyer} | {
        "other_org": other_org
    }


def test_list_shows_incident_persons_with_real_names_only_for_restricted_access(people, coordinator_a, monitor_a):
    body = client_for(coordinator_a).get("/incidents/victims/").content.decode()
    for name in ("Victim V-1", "Defender D-1", "Imported I", "Айгуль Л"):
        assert name in body
    assert "Witness W" not in body and "Org B person" not in body
    assert count_of(body) == 4
    assert "Real name" in body and "Real Victim" in body and "Айгуль Сериккызы" in body
    assert f'href="/incidents/victims/{people["victim"].pk}/"' in body
    assert "Female · 30–59" in body and "Anonymised publication" in body
    # A monitor without restricted access: no restricted person, no count of them, no real names.
    monitor = client_for(monitor_a).get("/incidents/victims/").content.decode()
    assert "Victim V-1" not in monitor and "Real Victim" not in monitor and "Айгуль Сериккызы" not in monitor
    assert "Real name" not in monitor and count_of(monitor) == 3


def test_list_is_empty_for_other_organisations(people, viewer_b):
    body = client_for(viewer_b).get("/incidents/victims/").content.decode()
    assert count_of(body) == 0 and "Defender D-1" not in body and "No persons found." in body


def test_act_counts_leave_out_acts_the_reader_cannot_see(org_a, coordinator_a, monitor_a, event, defender):
    actions.add_act(coordinator_a, event, act_type="threat", victim=defender, date=D(2022, 1, 7))
    secret = actions.create_event(
        coordinator_a, org_a, title="Secret", start_date=D(2022, 3, 1), confidentiality=Confidentiality.RESTRICTED
    )
    actions.add_act(coordinator_a, secret, act_type="torture", victim=defender, date=D(2022, 3, 1))
    actions.add_act(coordinator_a, secret, act_type="threat", victim=defender, date=D(2022, 3, 2))

    def acts_cell(user) -> str:
        body = client_for(user).get("/incidents/victims/").content.decode()
        return re.search(r'class="num" data-label="Acts">(\d+)<', body).group(1)

    assert acts_cell(coordinator_a) == "3"
    assert acts_cell(monitor_a) == "1"


def test_filters(people, coordinator_a, event):
    client = client_for(coordinator_a)

    def names(query: str) -> set[str]:
        body = client.get(f"/incidents/victims/?{query}").content.decode()
        return {p for p in ("Victim V-1", "Defender D-1", "Imported I", "Айгуль Л") if p in body}

    assert names("hrd=on") == {"Defender D-1"}
    assert names("hrd=on&lawyer=on") == {"Defender D-1", "Айгуль Л"}  # any of the ticked roles
    assert names("sex=male") == {"Imported I"}
    assert names("age_group=30-59") == {"Айгуль Л"}
    # No profile reads as unknown age group and no consent.
    assert names("age_group=unknown") == {"Victim V-1", "Defender D-1", "Imported I"}
    assert names("consent=none") == {"Victim V-1", "Defender D-1", "Imported I"}
    assert names("consent=anonymised") == {"Айгуль Л"}
    almaty = Place.objects.get(code="kz-almaty")
    actions.update_event(coordinator_a, event, expected_version=event.version, changes={"place": almaty})
    assert names(f"region={almaty.pk}") == {"Imported I"}
    other = Place.objects.exclude(pk=almaty.pk).first()
    assert names(f"region={other.pk}") == set()


def test_search_by_pseudonym_is_case_insensitive_in_cyrillic(people, coordinator_a, monitor_a):
    client = client_for(coordinator_a)
    assert "Айгуль Л" in client.get("/incidents/victims/", {"q": "АЙГУЛЬ"}).content.decode()
    assert "Айгуль Л" not in client.get("/incidents/victims/", {"q": "Асель"}).content.decode()
    # Real names are searched only where the reader may see them.
    assert "Айгуль Л" in client.get("/incidents/victims/", {"q": "сериккызы"}).content.decode()
    monitor = client_for(monitor_a).get("/incidents/victims/", {"q": "сериккызы"}).content.decode()
    assert "Айгуль Л" not in monitor and count_of(monitor) == 0


def test_bad_filter_values_answer_400(people, coordinator_a):
    client = client_for(coordinator_a)
    for query in ("sex=robot", "age_group=ancient", "consent=maybe", "region=abc", "region=987654"):
        response = client.get(f"/incidents/victims/?{query}")
        assert response.status_code == 400 and "Check the filters" in response.content.decode()


def test_pagination_and_htmx_fragment(org_a, coordinator_a):
    for n in range(55):
        actions.create_victim(coordinator_a, org_a, pseudonym=f"Person {n:02d}", confidentiality="internal")
    client = client_for(coordinator_a)
    first = client.get("/incidents/victims/?sex=unknown").content.decode()
    assert count_of(first) == 55 and "Page 1 of 2" in first and "?sex=unknown&amp;page=2" in first
    second = client.get("/incidents/victims/?sex=unknown&page=2").content.decode()
    assert "Person 54" in second and "Person 00" not in second
    fragment = client.get("/incidents/victims/?q=person 0", HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in fragment and count_of(fragment) == 10


def test_list_needs_login_and_is_in_the_sub_navigation(client, coordinator_a):
    response = client.get("/incidents/victims/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert 'href="/incidents/victims/"' in client_for(coordinator_a).get("/incidents/").content.decode()
