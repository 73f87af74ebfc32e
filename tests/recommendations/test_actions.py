"""Writes: permission, confidentiality of children, validation (nothing written on bad input), audit."""

from __future__ import annotations

import datetime

import pytest

from rightstrack.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from rightstrack.core.models import AuditEvent, Confidentiality
from rightstrack.recommendations import actions, queries
from rightstrack.recommendations.models import Assessment, Recommendation, RecurrenceGroup, Review

TODAY = datetime.date.today()


def test_create_review_and_recommendation_are_audited(coordinator_a, review):
    rec = actions.create_recommendation(
        coordinator_a,
        review,
        text="Ratify OP-CAT",
        upr_id="139.61",
        themes=["Torture and other CID treatment"],
        articles=[7],
        sdgs=[16],
        recommending_states=["Norway"],
        action_category=5,
    )
    assert rec.organisation_id == review.organisation_id and rec.confidentiality == "public"
    assert [t.code for t in rec.themes.all()] == ["torture-and-other-cid-treatment"]
    assert rec.classification_confirmed
    verbs = list(AuditEvent.objects.values_list("verb", flat=True))
    assert "review.create" in verbs and "recommendation.create" in verbs


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"text": "  "}, "text"),
        ({"text": "x", "response": "maybe"}, "response"),
        ({"text": "x", "themes": ["No such theme"]}, "themes"),
        ({"text": "x", "articles": [99]}, "articles"),
        ({"text": "x", "sdgs": ["eighteen"]}, "sdgs"),
        ({"text": "x", "recommending_states": ["Atlantis"]}, "state"),
        ({"text": "x", "action_category": 7}, "action_category"),
        ({"text": "x", "upr_id": "139.1-139.3"}, "upr_id"),
        ({"text": "x" * 20_001}, "text"),
    ],
)
def test_bad_recommendation_input_writes_nothing(coordinator_a, review, fields, field):
    before = AuditEvent.objects.count()
    with pytest.raises(InvalidInput) as exc:
        actions.create_recommendation(coordinator_a, review, **fields)
    assert exc.value.field == field
    assert Recommendation.objects.count() == 0
    assert AuditEvent.objects.count() == before


def test_viewers_and_monitors_cannot_write(viewer_a, monitor_a, review):
    for user in (viewer_a, monitor_a):
        with pytest.raises(Forbidden):
            actions.create_recommendation(user, review, text="x")
    assert Recommendation.objects.count() == 0


def test_other_organisation_cannot_attach_to_an_internal_review(analyst_a, org_a, org_b):
    from rightstrack.core.models import Role
    from tests.conftest import make_user

    internal = actions.create_review(analyst_a, organisation=org_a, mechanism="ccpr", state="Kazakhstan")
    analyst_b = make_user("analyst_b", org_b, Role.ANALYST)
    with pytest.raises(NotFound):
        actions.create_recommendation(analyst_b, internal, text="x")
    with pytest.raises(InvalidInput, match="less confidential"):
        actions.create_recommendation(analyst_a, internal, text="x", confidentiality="public")


def test_restricted_recommendation_needs_restricted_access(org_a, review):
    from rightstrack.core.models import Role
    from tests.conftest import make_user

    plain = make_user("plain_analyst", org_a, Role.ANALYST, restricted=False)
    with pytest.raises(Forbidden):
        actions.create_recommendation(plain, review, text="x", confidentiality="restricted")


def test_versioned_update_and_conflict(analyst_a, coordinator_a, recs):
    rec = recs[0]
    actions.update_recommendation(analyst_a, rec, expected_version=1, changes={"text": "New text"}, themes=["justice"])
    rec.refresh_from_db()
    assert rec.version == 2 and rec.text == "New text"
    assert AuditEvent.objects.filter(verb="recommendation.vocabularies").exists()
    with pytest.raises(Conflict):
        actions.update_recommendation(coordinator_a, rec, expected_version=1, changes={"text": "Stale"})
    rec.refresh_from_db()
    assert rec.text == "New text"


def test_assessment_needs_a_date_and_known_values(analyst_a, org_a, recs):
    rec = recs[0]
    base = {"organisation": org_a, "assessor_kind": "coalition", "status": "partially"}
    with pytest.raises(InvalidInput, match="needs a date"):
        actions.add_assessment(analyst_a, rec, date=None, **base)
    with pytest.raises(InvalidInput, match="2024-05-31"):
        actions.add_assessment(analyst_a, rec, date="31/05/2024", **base)
    with pytest.raises(InvalidInput, match="future"):
        actions.add_assessment(analyst_a, rec, date=TODAY + datetime.timedelta(days=30), **base)
    with pytest.raises(InvalidInput, match="Unknown status"):
        actions.add_assessment(analyst_a, rec, date=TODAY, **{**base, "status": "done"})
    with pytest.raises(InvalidInput, match="Unknown assessor"):
        actions.add_assessment(analyst_a, rec, date=TODAY, **{**base, "assessor_kind": "oracle"})
    with pytest.raises(NotFound):
        actions.add_assessment(analyst_a, rec, date=TODAY, passages=[424242], **base)
    assert Assessment.objects.count() == 0


def test_assessment_cites_evidence(analyst_a, org_a, recs):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from rightstrack.evidence.actions import upload_document

    doc, _created = upload_document(
        analyst_a, organisation_id=org_a.pk, upload=SimpleUploadedFile("n.txt", b"Note\n\n1. The law was amended.\n")
    )
    passage = doc.passages.first()
    a = actions.add_assessment(
        analyst_a,
        recs[0],
        organisation=org_a,
        assessor_kind="ngo",
        date=TODAY,
        status="partially",
        passages=[passage.pk],
    )
    timeline = queries.timeline(analyst_a, recs[0])
    assert timeline["entries"][0].assessment == a
    assert timeline["entries"][0].assessment.visible_citations == [passage]


def test_range_assessment_assesses_ten_or_nothing(analyst_a, org_a, review, recs):
    fields = {"organisation": org_a, "assessor_kind": "coalition", "date": TODAY, "status": "partially"}
    created = actions.assess_upr_ids(analyst_a, review, "139.61-139.67, 139.79-139.81", **fields)
    assert len(created) == 10
    assert sorted(a.recommendation.upr_id for a in created)[0] == "139.61"
    with pytest.raises(InvalidInput, match="139.99"):
        actions.assess_upr_ids(analyst_a, review, "139.80-139.82, 139.99", **fields)
    with pytest.raises(InvalidInput, match="backwards"):
        actions.assess_upr_ids(analyst_a, review, "139.67-139.61", **fields)
    assert Assessment.objects.count() == 10


def test_timeline_shows_state_and_civil_society_and_disagreement(coordinator_a, org_a, recs):
    rec = recs[1]
    common = {"organisation": org_a, "confidentiality": "public"}
    actions.add_assessment(coordinator_a, rec, assessor_kind="state", date="2023-01-01", status="fully", **common)
    actions.add_assessment(
        coordinator_a, rec, assessor_kind="coalition", date="2023-06-01", status="partially", **common
    )
    t = queries.timeline(coordinator_a, rec)
    assert t["state"].status == "fully" and t["cso"].status == "partially" and t["disagreement"]
    assert [e.disagrees for e in t["entries"]] == [True, False]
    actions.add_assessment(coordinator_a, rec, assessor_kind="ngo", date="2024-01-01", status="fully", **common)
    assert not queries.timeline(coordinator_a, rec)["disagreement"]


def test_hidden_assessment_is_not_in_anyone_elses_timeline(analyst_a, viewer_b, org_a, recs):
    actions.add_assessment(
        analyst_a,
        recs[0],
        organisation=org_a,
        assessor_kind="ngo",
        date=TODAY,
        status="not",
        confidentiality="restricted",
    )
    assert queries.timeline(viewer_b, recs[0])["entries"] == []


def test_confirm_classification(analyst_a, viewer_a, recs):
    rec = recs[1]
    with pytest.raises(Forbidden):
        actions.confirm_classification(viewer_a, rec, themes=["justice"], action_category=4)
    with pytest.raises(InvalidInput):
        actions.confirm_classification(analyst_a, rec, themes=[], action_category=4)
    with pytest.raises(InvalidInput):
        actions.confirm_classification(analyst_a, rec, themes=["justice"], action_category=9)
    actions.confirm_classification(analyst_a, rec, themes=["justice"], action_category=4)
    rec.refresh_from_db()
    assert rec.classification_confirmed and rec.action_category == 4


def test_new_recommendations_get_suggestions(coordinator_a, review):
    rec = actions.create_recommendation(coordinator_a, review, text="Abolish the death penalty for all crimes")
    rec.refresh_from_db()
    assert "death-penalty" in rec.suggested_themes
    assert rec.suggested_action_category in range(1, 6)
    assert not rec.classification_confirmed and rec.themes.count() == 0


def test_recurring_groups_confirm_split_merge(analyst_a, viewer_a, org_a):
    reviews = [
        actions.create_review(
            analyst_a,
            organisation=org_a,
            mechanism="upr",
            state="Kazakhstan",
            cycle=c,
            date=datetime.date(2010 + 5 * c, 1, 1),
        )
        for c in (1, 2, 3)
    ]
    for review in reviews:
        actions.create_recommendation(
            analyst_a, review, text="Ratify the Optional Protocol to the Convention against Torture", suggest=False
        )
        actions.create_recommendation(analyst_a, review, text="Abolish the death penalty for all crimes", suggest=False)
    summary = actions.compute_recurrence(analyst_a, org_a)
    assert summary["groups"] == 2
    groups = list(RecurrenceGroup.objects.order_by("pk"))
    info = queries.group_summary(analyst_a, groups[0])
    assert len(info["members"]) == 3 and info["reviews"] == 3 and info["years"] == 10.0
    with pytest.raises(Forbidden):
        actions.confirm_group(viewer_a, groups[0])
    actions.confirm_group(analyst_a, groups[0], label="Ratify OP-CAT")
    members = list(groups[0].recommendations.values_list("pk", flat=True))
    with pytest.raises(InvalidInput):
        actions.split_group(analyst_a, groups[0], members)
    with pytest.raises(InvalidInput):
        actions.split_group(analyst_a, groups[0], [groups[1].recommendations.first().pk])
    new = actions.split_group(analyst_a, groups[0], members[:1])
    assert new.recommendations.count() == 1 and groups[0].recommendations.count() == 2
    merged = actions.merge_groups(analyst_a, groups[0], new)
    assert merged.recommendations.count() == 3 and not RecurrenceGroup.objects.filter(pk=new.pk).exists()
    with pytest.raises(InvalidInput):
        actions.merge_groups(analyst_a, groups[0], groups[0])
    # Recomputing keeps confirmed groups and does not suggest their members again.
    again = actions.compute_recurrence(analyst_a, org_a)
    assert again["groups"] == 1 and RecurrenceGroup.objects.get(pk=groups[0].pk).status == "confirmed"


def test_views_and_action_plan(analyst_a, org_a, recs):
    from rightstrack.core.actions import create_person

    author = create_person(analyst_a, org_a, pseudonym="Author A", confidentiality="restricted")
    with pytest.raises(InvalidInput, match="less confidential"):
        actions.create_view(
            analyst_a,
            organisation=org_a,
            state="Kazakhstan",
            communication_number="1/2020",
            author=author,
            confidentiality="internal",
        )
    view = actions.create_view(
        analyst_a,
        organisation=org_a,
        state="Kazakhstan",
        communication_number="1/2020",
        author=author,
        articles=[9, 14],
        implementation="not",
        confidentiality="restricted",
    )
    assert [a.number for a in view.articles.all()] == [9, 14]
    assert queries.unimplemented_views(analyst_a) == [("Kazakhstan", 1)]
    with pytest.raises(InvalidInput):
        actions.create_nap_item(analyst_a, organisation=org_a, plan="P", action="A", completion=120)
    item = actions.create_nap_item(
        analyst_a, organisation=org_a, plan="P", action="A", completion=40, recommendations=recs[:2]
    )
    assert item.recommendations.count() == 2


def test_soft_deleted_review_hides_nothing_else(analyst_a, coordinator_a, review, recs):
    from rightstrack.core.actions import soft_delete

    soft_delete(coordinator_a, recs[0])
    assert not queries.recommendations(analyst_a).filter(pk=recs[0].pk).exists()
    assert Review.objects.filter(pk=review.pk, deleted_at__isnull=True).exists()
    assert review.confidentiality == Confidentiality.PUBLIC


@pytest.mark.django_db
def test_analyst_adding_to_a_public_review_keeps_the_recommendation_internal(analyst_a, coordinator_a, review):
    """Creating a public record is publishing: an analyst's new recommendation stays in the organisation."""
    rec = actions.create_recommendation(analyst_a, review, text="Guarantee access to a lawyer from arrest")
    assert rec.confidentiality == Confidentiality.INTERNAL
    with pytest.raises(Forbidden):
        actions.create_recommendation(
            analyst_a, review, text="Publish this one", confidentiality=Confidentiality.PUBLIC
        )
    assert actions.create_recommendation(coordinator_a, review, text="Public").confidentiality == "public"
