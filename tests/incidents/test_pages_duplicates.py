"""Duplicate person suggestions match names case-insensitively in Cyrillic and Kazakh on every database
(SQLite's LIKE and lower() fold only ASCII), through a name key every write path keeps up to date."""

from __future__ import annotations

from importlib import import_module

import pytest
from django.apps import apps

from rightstrack.core import actions as core_actions
from rightstrack.core.models import Confidentiality, Person, name_key
from rightstrack.incidents import actions, transfer
from rightstrack.incidents.queries import possible_duplicates

from .conftest import client_for, nothing_written


def test_name_key_folds_case_spaces_and_compatibility_forms():
    assert name_key("  АЙГУЛЬ   Серикова ") == "айгуль серикова"
    assert name_key("ӘСЕЛ ҮМБЕТОВА") == name_key("әсел үмбетова") == "әсел үмбетова"
    assert name_key("ҚАНАТ Ғалым Ңң Өө Ұұ Һһ І") == "қанат ғалым ңң өө ұұ һһ і"
    assert name_key("ﬁ Straße") == "fi strasse"
    assert name_key(None) == ""


@pytest.mark.parametrize(
    "recorded, typed",
    [
        ("Айгуль", "АЙГУЛЬ"),
        ("АЙГУЛЬ", "айгуль"),
        ("Әсел Үмбетова", "ӘСЕЛ ҮМБЕТОВА"),
        ("ұлжан", "Ұлжан"),
        ("Ержан  Қасым", "ержан қасым"),
    ],
)
def test_pseudonym_matches_whatever_the_case(org_a, coordinator_a, recorded, typed):
    person = actions.create_victim(coordinator_a, org_a, pseudonym=recorded, confidentiality="internal")
    assert possible_duplicates(coordinator_a, org_a.pk, pseudonym=typed) == [person]
    assert possible_duplicates(coordinator_a, org_a.pk, pseudonym=typed + " 2") == []


def test_real_name_and_birth_date_match_only_with_restricted_access(org_a, coordinator_a, monitor_a):
    import datetime

    person = actions.create_victim(
        coordinator_a,
        org_a,
        pseudonym="P-1",
        real_name="Гүлнар Әбенова",
        birth_date=datetime.date(1990, 4, 2),
        confidentiality=Confidentiality.INTERNAL,
    )
    assert possible_duplicates(coordinator_a, org_a.pk, real_name="ГҮЛНАР ӘБЕНОВА") == [person]
    # Same birth date and a name in common, in another case.
    assert possible_duplicates(
        coordinator_a, org_a.pk, real_name="гүлнар Сейтова", birth_date=datetime.date(1990, 4, 2)
    ) == [person]
    # A monitor without restricted access: the check must not reveal the real name or birth date.
    assert possible_duplicates(monitor_a, org_a.pk, real_name="ГҮЛНАР ӘБЕНОВА") == []
    assert possible_duplicates(monitor_a, org_a.pk, birth_date=datetime.date(1990, 4, 2)) == []


def test_persons_of_other_organisations_or_hidden_are_not_suggested(org_a, org_b, coordinator_a, monitor_a):
    Person.objects.create(organisation=org_b, confidentiality="internal", pseudonym="Айгуль")
    Person.objects.create(organisation=org_a, confidentiality="restricted", pseudonym="Асель")
    assert possible_duplicates(coordinator_a, org_a.pk, pseudonym="АЙГУЛЬ") == []
    assert possible_duplicates(monitor_a, org_a.pk, pseudonym="АСЕЛЬ") == []


def test_new_victim_form_stops_at_a_cyrillic_duplicate(org_a, coordinator_a):
    existing = actions.create_victim(coordinator_a, org_a, pseudonym="Айгуль", confidentiality="internal")
    data = {
        "organisation": org_a.pk,
        "pseudonym": "АЙГУЛЬ",
        "sex": "unknown",
        "age_group": "unknown",
        "consent": "none",
        "confidentiality": "internal",
    }
    client = client_for(coordinator_a)
    with nothing_written():
        response = client.post("/incidents/victims/new/", data)
    assert response.status_code == 409 and f"/incidents/victims/{existing.pk}/" in response.content.decode()
    assert client.post("/incidents/victims/new/", {**data, "confirm_new": "on"}).status_code == 302
    assert Person.objects.filter(pseudonym_key="айгуль").count() == 2


def test_every_write_path_keeps_the_keys(org_a, coordinator_a):
    person = core_actions.create_person(coordinator_a, org_a, pseudonym="ӘЛИЯ", real_name="Әлия Нұрова")
    assert (person.pseudonym_key, person.real_name_key) == ("әлия", "әлия нұрова")
    person = core_actions.update_person(
        coordinator_a, person, expected_version=person.version, changes={"pseudonym": "ҮМІТ"}
    )
    assert Person.objects.get(pk=person.pk).pseudonym_key == "үміт"
    person.real_name = "ҚАЙРАТ"
    person.save(update_fields=["real_name"])
    assert Person.objects.get(pk=person.pk).real_name_key == "қайрат"
    [bulk] = Person.objects.bulk_create([Person(organisation=org_a, pseudonym="ЖАНАР")])
    assert Person.objects.get(pk=bulk.pk).pseudonym_key == "жанар"


def test_imported_victims_get_keys_and_match(org_a, coordinator_a):
    rows = "event_key,event_title,event_start,act_key,act_type,victim\nE1,Event,2022-01-05,A1,threat,ӨМІРЗАҚ\n"
    batch, _plans = transfer.stage(coordinator_a, org_a.pk, "import.csv", rows.encode(), "internal")
    transfer.apply(coordinator_a, batch)
    imported = Person.objects.get(pseudonym="ӨМІРЗАҚ")
    assert imported.pseudonym_key == "өмірзақ"
    assert possible_duplicates(coordinator_a, org_a.pk, pseudonym="өмірзақ") == [imported]


def test_migration_fills_keys_of_existing_persons(org_a):
    person = Person.objects.create(organisation=org_a, pseudonym="ДАНА", real_name="Дана Әли")
    Person.objects.filter(pk=person.pk).update(pseudonym_key="", real_name_key="")
    import_module("rightstrack.core.migrations.0003_person_name_keys").fill_keys(apps, None)
    person.refresh_from_db()
    assert (person.pseudonym_key, person.real_name_key) == ("дана", "дана әли")
