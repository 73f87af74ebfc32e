import pytest

from rightstrack.core import actions
from rightstrack.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from rightstrack.core.models import AuditEvent, Confidentiality, Person


def test_create_person_writes_audit(org_a, coordinator_a):
    person = actions.create_person(coordinator_a, org_a, pseudonym="P1", real_name="Secret Name")
    event = AuditEvent.objects.get(object_id=str(person.pk))
    assert event.verb == "person.create"
    assert event.actor == coordinator_a
    assert event.after["pseudonym"] == "P1"
    assert event.organisation_id == org_a.pk
    assert "real_name" in event.sensitive_fields


def test_viewer_cannot_create(org_a, viewer_a):
    with pytest.raises(Forbidden):
        actions.create_person(viewer_a, org_a, pseudonym="P1")
    assert not Person.objects.exists() and not AuditEvent.objects.exists()


def test_member_of_other_org_cannot_create(org_a, viewer_b):
    with pytest.raises(Forbidden):
        actions.create_person(viewer_b, org_a, pseudonym="P1")


def test_restricted_record_needs_restricted_access(org_a, monitor_a):
    with pytest.raises(Forbidden):
        actions.create_person(monitor_a, org_a, pseudonym="P1", confidentiality=Confidentiality.RESTRICTED)
    assert not Person.objects.exists()


@pytest.mark.parametrize(
    "fields", [{"pseudonym": "  "}, {"pseudonym": "x", "confidentiality": "secret"}, {"pseudonym": "x", "sex": "robot"}]
)
def test_bad_input_changes_nothing(org_a, coordinator_a, fields):
    with pytest.raises(InvalidInput):
        actions.create_person(coordinator_a, org_a, **fields)
    assert not Person.objects.exists() and not AuditEvent.objects.exists()


def test_update_records_before_and_after(org_a, coordinator_a):
    person = actions.create_person(coordinator_a, org_a, pseudonym="Old")
    updated = actions.update_person(coordinator_a, person, expected_version=1, changes={"pseudonym": "New"})
    assert updated.version == 2
    event = AuditEvent.objects.filter(verb="person.update").get()
    assert event.before == {"pseudonym": "Old"} and event.after == {"pseudonym": "New"}


def test_stale_update_is_a_conflict_and_overwrites_nothing(org_a, coordinator_a, analyst_a):
    person = actions.create_person(coordinator_a, org_a, pseudonym="Start")
    actions.update_person(analyst_a, person, expected_version=1, changes={"pseudonym": "First save"})
    with pytest.raises(Conflict) as info:
        actions.update_person(coordinator_a, person, expected_version=1, changes={"pseudonym": "Second save"})
    assert info.value.current["pseudonym"] == "First save"
    assert info.value.submitted["pseudonym"] == "Second save"
    person.refresh_from_db()
    assert person.pseudonym == "First save" and person.version == 2


def test_sensitive_fields_need_restricted_access_to_change(org_a, coordinator_a, monitor_a):
    person = actions.create_person(coordinator_a, org_a, pseudonym="P", real_name="Real")
    with pytest.raises(Forbidden):
        actions.update_person(monitor_a, person, expected_version=1, changes={"real_name": "Changed"})
    person.refresh_from_db()
    assert person.real_name == "Real"


def test_unknown_field_refused(org_a, coordinator_a):
    person = actions.create_person(coordinator_a, org_a, pseudonym="P")
    with pytest.raises(InvalidInput):
        actions.update_record(coordinator_a, person, expected_version=1, changes={"organisation_id": 99})


def test_soft_delete_restore_purge(org_a, admin_a, coordinator_a, monitor_a):
    person = actions.create_person(coordinator_a, org_a, pseudonym="P")
    with pytest.raises(Forbidden):
        actions.soft_delete(monitor_a, person)
    actions.soft_delete(coordinator_a, person)
    with pytest.raises(NotFound):
        actions.get_visible(coordinator_a, Person, person.pk)
    with pytest.raises(Forbidden):
        actions.purge(coordinator_a, person)
    actions.restore(coordinator_a, person)
    assert actions.get_visible(coordinator_a, Person, person.pk)
    with pytest.raises(InvalidInput):
        actions.purge(admin_a, person)  # must be deleted first
    actions.soft_delete(coordinator_a, person)
    actions.purge(admin_a, person)
    assert not Person.objects.filter(pk=person.pk).exists()
    verbs = list(AuditEvent.objects.order_by("id").values_list("verb", flat=True))
    assert verbs == ["person.create", "person.delete", "person.restore", "person.delete", "person.purge"]
    assert AuditEvent.objects.get(verb="person.purge").before["pseudonym"] == "P"


@pytest.mark.parametrize("pk", [999999, "abc", None, -1])
def test_unknown_ids_are_not_found(coordinator_a, pk):
    with pytest.raises(NotFound):
        actions.get_visible(coordinator_a, Person, pk)


def test_conflict_hides_identity_from_editor_without_restricted_access(org_a, coordinator_a, monitor_a):
    person = actions.create_person(coordinator_a, org_a, pseudonym="P", real_name="Hidden Real Name")
    actions.update_person(coordinator_a, person, expected_version=1, changes={"notes": "theirs"})
    with pytest.raises(Conflict) as info:
        actions.update_person(monitor_a, person, expected_version=1, changes={"notes": "mine"})
    assert "real_name" not in info.value.current and "real_name" not in info.value.submitted
    assert "Hidden Real Name" not in str(info.value.rows())
    assert ("notes", "theirs", "mine", True) in info.value.rows()
