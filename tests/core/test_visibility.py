import pytest
from django.utils import timezone

from rightstrack.core import visibility
from rightstrack.core.models import Confidentiality, Person


@pytest.fixture
def people(org_a, org_b):
    def make(org, level, name):
        return Person.objects.create(organisation=org, confidentiality=level, pseudonym=name)

    return {
        "a_public": make(org_a, Confidentiality.PUBLIC, "a_public"),
        "a_internal": make(org_a, Confidentiality.INTERNAL, "a_internal"),
        "a_restricted": make(org_a, Confidentiality.RESTRICTED, "a_restricted"),
        "b_internal": make(org_b, Confidentiality.INTERNAL, "b_internal"),
    }


def names(user):
    return set(visibility.visible(user, Person).values_list("pseudonym", flat=True))


def test_anonymous_sees_only_public(people):
    assert names(visibility.anonymous()) == {"a_public"}


def test_member_without_restricted_access(people, monitor_a):
    assert names(monitor_a) == {"a_public", "a_internal"}


def test_member_with_restricted_access(people, coordinator_a):
    assert names(coordinator_a) == {"a_public", "a_internal", "a_restricted"}


def test_other_organisation_sees_only_public(people, viewer_b):
    assert names(viewer_b) == {"a_public", "b_internal"}


def test_soft_deleted_is_invisible_to_everyone(people, coordinator_a):
    Person.objects.filter(pk=people["a_public"].pk).update(deleted_at=timezone.now())
    assert "a_public" not in names(coordinator_a)
    assert "a_public" not in names(visibility.anonymous())
    assert [p.pseudonym for p in visibility.deleted(coordinator_a, Person)] == ["a_public"]


def test_sensitive_fields_need_restricted_access(people, monitor_a, coordinator_a, viewer_b):
    person = people["a_internal"]
    assert visibility.can_see_sensitive(coordinator_a, person)
    assert not visibility.can_see_sensitive(monitor_a, person)
    assert not visibility.can_see_sensitive(viewer_b, person)


def test_visibility_through_parent(org_a, monitor_a):
    """Passages inherit their document's confidentiality and deletion."""
    import hashlib

    from rightstrack.evidence.models import Passage, SourceDocument

    doc = SourceDocument.objects.create(
        organisation=org_a,
        confidentiality=Confidentiality.RESTRICTED,
        title="t",
        sha256=hashlib.sha256(b"x").hexdigest(),
        size=1,
        kind="txt",
        original_filename="x.txt",
    )
    Passage.objects.create(document=doc, number=1, text="secret")
    assert not visibility.visible(monitor_a, Passage).exists()
    SourceDocument.objects.filter(pk=doc.pk).update(confidentiality=Confidentiality.INTERNAL)
    assert visibility.visible(monitor_a, Passage).count() == 1
    SourceDocument.objects.filter(pk=doc.pk).update(deleted_at=timezone.now())
    assert not visibility.visible(monitor_a, Passage).exists()
