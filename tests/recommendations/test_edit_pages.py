"""Edit and delete pages (and API) for reviews, Views and action plan items; the review → recommendations cascade."""

from __future__ import annotations

import datetime
import re

import pytest
from django.test import Client

from rightstrack.core.actions import create_person, restore, soft_delete, update_person
from rightstrack.core.models import AuditEvent, Confidentiality, Role
from rightstrack.recommendations import actions, queries
from rightstrack.recommendations.models import ComplaintView, NapItem, Recommendation, Review

from ..conftest import make_user


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def live(review: Review) -> set[int]:
    return set(Recommendation.objects.filter(review=review, deleted_at__isnull=True).values_list("pk", flat=True))


@pytest.fixture
def analyst_b(org_b):
    return make_user("analyst_b", org_b, Role.ANALYST, restricted=True)


@pytest.fixture
def private_review(analyst_a, org_a):
    return actions.create_review(
        analyst_a, organisation=org_a, mechanism="ccpr", state="Kazakhstan", session="134", confidentiality="internal"
    )


@pytest.fixture
def author(analyst_a, org_a):
    return create_person(analyst_a, org_a, pseudonym="Author A", real_name="Real Name A", confidentiality="restricted")


@pytest.fixture
def view(analyst_a, org_a, author):
    return actions.create_view(
        analyst_a,
        organisation=org_a,
        state="Kazakhstan",
        communication_number="2001/2010",
        author=author,
        articles=[9, 14],
        implementation="not",
        confidentiality="restricted",
    )


@pytest.fixture
def item(analyst_a, org_a, recs):
    return actions.create_nap_item(
        analyst_a,
        organisation=org_a,
        plan="NAP 2023-2025",
        action="Amend the law on assemblies",
        completion=10,
        recommendations=recs[:2],
    )


# --- Cascade: a deleted review takes its recommendations along ----------------------------------------


def test_deleting_a_review_hides_its_recommendations_and_restore_brings_back_only_those(
    analyst_a, coordinator_a, review, recs
):
    soft_delete(coordinator_a, recs[0])  # deleted on its own before the review
    events = AuditEvent.objects.count()
    client = client_for(coordinator_a)
    response = client.post(f"/recommendations/reviews/{review.pk}/delete/")
    assert response.status_code == 302 and response["Location"] == "/recommendations/reviews/"
    assert live(review) == set()
    # Lists, search, counts and the API no longer show them.
    assert not queries.filtered(analyst_a, queries.Filters.from_query({"q": "torture"})).exists()
    assert client.get("/api/recommendations/recommendations").json()["count"] == 0
    assert "0 recommendations" in client.get("/recommendations/").content.decode()
    cascaded = AuditEvent.objects.filter(verb="recommendation.delete", pk__gt=0).order_by("-pk")[:22]
    assert AuditEvent.objects.count() == events + 23  # the review and its 22 live recommendations
    assert all(e.after == {"deleted_with": f"recommendations.review {review.pk}"} for e in cascaded)
    # A recommendation deleted with the review cannot come back alone.
    orphan = client.post(f"/trash/recommendations.Recommendation/{recs[1].pk}/restore/")
    assert orphan.status_code == 400 and "Restore the review it belongs to first" in orphan.content.decode()
    assert live(review) == set()

    assert client.post(f"/trash/recommendations.Review/{review.pk}/restore/").status_code == 302
    assert live(review) == {r.pk for r in recs[1:]}
    assert Recommendation.objects.get(pk=recs[0].pk).deleted_at is not None
    assert AuditEvent.objects.filter(verb="recommendation.restore").count() == 22


def test_a_review_holding_another_organisations_recommendations_is_not_deleted(
    coordinator_a, analyst_b, org_b, review, recs
):
    # Review is public: organisation B files its own (internal: an analyst may not publish) recommendation under it.
    rec_b = actions.create_recommendation(
        analyst_b, review, organisation=org_b, text="B's own", suggest=False, confidentiality="internal"
    )
    events = AuditEvent.objects.count()
    response = client_for(coordinator_a).post(f"/recommendations/reviews/{review.pk}/delete/")
    assert response.status_code == 400 and "Other organisations have records" in response.content.decode()
    assert Review.objects.get(pk=review.pk).deleted_at is None
    assert Recommendation.objects.get(pk=rec_b.pk).deleted_at is None and len(live(review)) == len(recs) + 1
    assert AuditEvent.objects.count() == events


def test_purging_a_review_purges_what_was_deleted_with_it(admin_a, review, recs):
    soft_delete(admin_a, recs[0])
    actions.delete(admin_a, review)
    client = client_for(admin_a)
    # recs[0] was deleted on its own: it still belongs to the review, so the purge is refused whole.
    refused = client.post(f"/trash/recommendations.Review/{review.pk}/purge/")
    assert refused.status_code == 400 and "delete them for good first" in refused.content.decode()
    assert Recommendation.objects.count() == 23 and Review.objects.filter(pk=review.pk).exists()
    assert client.post(f"/trash/recommendations.Recommendation/{recs[0].pk}/purge/").status_code == 302
    assert client.post(f"/trash/recommendations.Review/{review.pk}/purge/").status_code == 302
    assert not Review.objects.filter(pk=review.pk).exists() and Recommendation.objects.count() == 0
    assert AuditEvent.objects.filter(verb="recommendation.purge").count() == 23


def test_review_delete_permissions(analyst_a, viewer_a, coordinator_a, analyst_b, review, private_review):
    for user, pk, status in [
        (viewer_a, review.pk, 403),
        (analyst_a, review.pk, 403),  # analysts edit; coordinators and administrators delete
        (analyst_b, private_review.pk, 404),
        (coordinator_a, 987654, 404),
    ]:
        assert client_for(user).post(f"/recommendations/reviews/{pk}/delete/").status_code == status
    assert client_for(coordinator_a).get(f"/recommendations/reviews/{review.pk}/delete/").status_code == 405
    assert Review.objects.filter(deleted_at__isnull=True).count() == 2


# --- Reviews ------------------------------------------------------------------------------------------


def test_review_edit_page(analyst_a, coordinator_a, review, recs):
    client = client_for(analyst_a)
    detail = client.get(f"/recommendations/reviews/{review.pk}/").content.decode()
    assert f"/recommendations/reviews/{review.pk}/edit/" in detail
    assert f"/recommendations/reviews/{review.pk}/delete/" not in detail  # analysts do not delete
    url = f"/recommendations/reviews/{review.pk}/edit/"
    page = client.get(url).content.decode()
    assert 'value="A/HRC/43/10"' in page and 'name="version"' in page and 'name="mechanism"' not in page
    data = {"version": 1, "cycle": 3, "session": "34", "symbol": "A/HRC/43/10/Add.1", "date": "2019-11-07"}
    data |= {"languages": "en, ru", "confidentiality": "public"}
    assert client.post(url, data).status_code == 302
    review.refresh_from_db()
    assert review.symbol == "A/HRC/43/10/Add.1" and review.languages == "en, ru" and review.version == 2
    event = AuditEvent.objects.filter(verb="review.update").get()
    assert event.before == {"symbol": "A/HRC/43/10", "languages": ""}
    # The coordinator sees the delete button on both pages.
    assert f"/recommendations/reviews/{review.pk}/delete/" in client_for(coordinator_a).get(url).content.decode()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"cycle": "abc"}, "Enter a whole number"),
        ({"cycle": 99}, "less than or equal to 20"),
        ({"date": "07.11.2019"}, "Enter a valid date"),
        ({"confidentiality": "secret"}, "Select a valid choice"),
        ({"version": ""}, "open it again"),
        ({"confidentiality": "internal"}, "would be more visible than the review"),
    ],
)
def test_review_edit_bad_input_changes_nothing(analyst_a, review, recs, change, message):
    data = {"version": 1, "cycle": 3, "session": "35", "symbol": "X", "confidentiality": "public"} | change
    events = AuditEvent.objects.count()
    response = client_for(analyst_a).post(f"/recommendations/reviews/{review.pk}/edit/", data)
    assert response.status_code == 400 and message in response.content.decode()
    review.refresh_from_db()
    assert review.version == 1 and review.session == "34" and AuditEvent.objects.count() == events


def test_review_edit_conflict_and_access(analyst_a, viewer_a, analyst_b, review, private_review):
    actions.update_review(analyst_a, review, expected_version=1, changes={"session": "35"})
    stale = {"version": 1, "session": "36", "confidentiality": "public"}
    response = client_for(analyst_a).post(f"/recommendations/reviews/{review.pk}/edit/", stale)
    assert response.status_code == 409 and "Someone else saved this record" in response.content.decode()
    review.refresh_from_db()
    assert review.session == "35" and review.version == 2
    # Viewers, other organisations (even on a public review) and missing ids: no page.
    assert client_for(viewer_a).get(f"/recommendations/reviews/{review.pk}/edit/").status_code == 404
    assert client_for(analyst_b).get(f"/recommendations/reviews/{review.pk}/edit/").status_code == 404
    assert client_for(analyst_b).post(f"/recommendations/reviews/{private_review.pk}/edit/", stale).status_code == 404
    assert client_for(analyst_a).get("/recommendations/reviews/987654/edit/").status_code == 404


def test_review_may_become_private_once_its_recommendations_are(analyst_a, review, recs):
    for rec in recs:
        actions.update_recommendation(analyst_a, rec, expected_version=1, changes={"confidentiality": "internal"})
    review = actions.update_review(analyst_a, review, expected_version=1, changes={"confidentiality": "internal"})
    assert review.confidentiality == "internal"


# --- Views --------------------------------------------------------------------------------------------


def test_view_create_and_edit_with_author_and_articles(analyst_a, org_a, author, view):
    client = client_for(analyst_a)
    created = client.post(
        "/recommendations/views/",
        {
            "communication_number": "3000/2018",
            "mechanism": "ccpr",
            "state": view.state_id,
            "author": author.pk,
            "articles": [19],
            "implementation": "no_info",
            "notes": "Follow-up letter sent",
            "organisation": org_a.pk,
            "confidentiality": "restricted",
        },
    )
    assert created.status_code == 302
    new = ComplaintView.objects.get(communication_number="3000/2018")
    assert new.author == author and new.notes == "Follow-up letter sent"
    listing = client.get("/recommendations/views/").content.decode()
    assert f"/recommendations/views/{view.pk}/edit/" in listing
    url = f"/recommendations/views/{view.pk}/edit/"
    page = client.get(url).content.decode()
    # The author is chosen by pseudonym; the real name never shows in the form.
    assert "Author A" in page and "Real Name A" not in page
    other = create_person(analyst_a, org_a, pseudonym="Author B", confidentiality="restricted")
    data = {
        "version": 1,
        "communication_number": "2001/2010",
        "author": other.pk,
        "adopted_on": "2014-07-24",
        "articles": [9, 19],
        "remedies": "Compensation",
        "implementation": "partially",
        "confidentiality": "restricted",
    }
    assert client.post(url, data).status_code == 302
    view.refresh_from_db()
    assert view.author == other and view.implementation == "partially" and view.version == 2
    assert sorted(a.number for a in view.articles.all()) == [9, 19]
    links = AuditEvent.objects.filter(verb="complaintview.update", after__has_key="author").get()
    assert links.before == {"author": author.pk, "articles": [9, 14]}
    assert links.after == {"author": other.pk, "articles": [9, 19]}


def test_view_author_hidden_from_editors_without_restricted_access(analyst_a, org_a, view):
    analyst_nr = make_user("analyst_nr", org_a, Role.ANALYST, restricted=False)
    client = client_for(analyst_nr)
    assert client.get(f"/recommendations/views/{view.pk}/edit/").status_code == 404  # a restricted View
    person = create_person(analyst_a, org_a, pseudonym="Later restricted", confidentiality="internal")
    internal = actions.create_view(
        analyst_a, organisation=org_a, state="Kazakhstan", communication_number="8/2021", author=person,
        confidentiality="internal",
    )  # fmt: skip
    # The person record becomes restricted later: editors without restricted access neither see nor drop it.
    update_person(analyst_a, person, expected_version=1, changes={"confidentiality": "restricted"})
    url = f"/recommendations/views/{internal.pk}/edit/"
    page = client.get(url).content.decode()
    assert 'name="author"' not in page and "Later restricted" not in page
    data = {"version": 1, "communication_number": "8/2021", "implementation": "implemented"}
    assert client.post(url, data | {"confidentiality": "internal"}).status_code == 302
    internal.refresh_from_db()
    assert internal.author_id == person.pk and internal.implementation == "implemented"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"communication_number": "  "}, "This field is required"),
        ({"implementation": "maybe"}, "Select a valid choice"),
        ({"articles": [99]}, "Select a valid choice"),
        ({"author": 987654}, "Select a valid choice"),
        ({"adopted_on": "yesterday"}, "Enter a valid date"),
        ({"confidentiality": "internal"}, "cannot be less confidential"),
    ],
)
def test_view_edit_bad_input_changes_nothing(coordinator_a, view, change, message):
    data = {
        "version": 1,
        "communication_number": "2001/2010-bis",
        "author": view.author_id,
        "articles": [9],
        "implementation": "implemented",
        "confidentiality": "restricted",
    } | change
    events = AuditEvent.objects.count()
    response = client_for(coordinator_a).post(f"/recommendations/views/{view.pk}/edit/", data)
    assert response.status_code == 400 and message in response.content.decode()
    view.refresh_from_db()
    assert view.communication_number == "2001/2010" and view.version == 1 and view.implementation == "not"
    assert sorted(a.number for a in view.articles.all()) == [9, 14] and AuditEvent.objects.count() == events


def test_view_edit_conflict_access_delete_and_restore(analyst_a, coordinator_a, viewer_a, analyst_b, view):
    actions.update_view(analyst_a, view, expected_version=1, changes={"remedies": "Retrial"})
    url = f"/recommendations/views/{view.pk}/edit/"
    stale = {"version": 1, "communication_number": "X", "implementation": "implemented"}
    stale |= {"confidentiality": "restricted"}
    response = client_for(analyst_a).post(url, stale)
    assert response.status_code == 409
    view.refresh_from_db()
    assert view.communication_number == "2001/2010" and view.remedies == "Retrial"
    for user in (viewer_a, analyst_b):
        assert client_for(user).get(url).status_code == 404
        assert client_for(user).post(f"/recommendations/views/{view.pk}/delete/").status_code == 404
    assert client_for(analyst_a).post(f"/recommendations/views/{view.pk}/delete/").status_code == 403
    assert client_for(analyst_a).get("/recommendations/views/987654/edit/").status_code == 404
    coordinator = client_for(coordinator_a)
    assert "Move this View to the trash?" in coordinator.get(url).content.decode()
    assert coordinator.post(f"/recommendations/views/{view.pk}/delete/").status_code == 302
    assert "2001/2010" not in coordinator.get("/recommendations/views/").content.decode()
    assert "2001/2010" in coordinator.get("/trash/").content.decode()
    assert coordinator.post(f"/trash/recommendations.ComplaintView/{view.pk}/restore/").status_code == 302
    assert "2001/2010" in coordinator.get("/recommendations/views/").content.decode()


# --- Action plan items --------------------------------------------------------------------------------


def test_nap_edit_fields_and_links(analyst_a, item, recs):
    client = client_for(analyst_a)
    url = f"/recommendations/action-plan/{item.pk}/edit/"
    assert url in client.get("/recommendations/action-plan/").content.decode()
    page = client.get(url).content.decode()
    assert f'value="{recs[0].pk}, {recs[1].pk}"' in page
    data = {
        "version": 1,
        "plan": "NAP 2023-2025",
        "action": "Amend the law on assemblies",
        "responsible_body": "Ministry of Justice",
        "deadline": "2025-12-31",
        "indicator": "Law adopted",
        "completion": 60,
        "recommendation_ids": f"{recs[1].pk}, {recs[2].pk}",
        "confidentiality": "internal",
    }
    assert client.post(url, data).status_code == 302
    item.refresh_from_db()
    assert item.completion == 60 and item.deadline == datetime.date(2025, 12, 31) and item.version == 2
    assert set(item.recommendations.values_list("pk", flat=True)) == {recs[1].pk, recs[2].pk}
    event = AuditEvent.objects.filter(verb="napitem.update", after__has_key="recommendations").get()
    assert event.before == {"recommendations": sorted([recs[0].pk, recs[1].pk])}


def test_nap_edit_keeps_links_the_editor_cannot_see(analyst_a, coordinator_a, review, item, recs):
    actions.delete(coordinator_a, review)  # its recommendations, linked to the item, are hidden now
    client = client_for(analyst_a)
    url = f"/recommendations/action-plan/{item.pk}/edit/"
    field = re.search(r'<input[^>]*name="recommendation_ids"[^>]*>', client.get(url).content.decode()).group(0)
    assert "value=" not in field
    data = {"version": 1, "plan": "P", "action": "A", "completion": 20, "confidentiality": "internal"}
    assert client.post(url, data | {"recommendation_ids": ""}).status_code == 302
    assert set(item.recommendations.values_list("pk", flat=True)) == {recs[0].pk, recs[1].pk}
    # Restoring the review shows the links again.
    restore(coordinator_a, Review.objects.get(pk=review.pk))
    assert f"{recs[0].pk}, {recs[1].pk}" in client.get(url).content.decode()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"completion": 150}, "less than or equal to 100"),
        ({"completion": -1}, "greater than or equal to 0"),
        ({"action": ""}, "This field is required"),
        ({"deadline": "soon"}, "Enter a valid date"),
        ({"recommendation_ids": "1, x"}, "Recommendation numbers are numbers"),
        ({"recommendation_ids": "987654"}, "No recommendation 987654"),
        ({"version": 5}, "Someone else saved this record"),
    ],
)
def test_nap_edit_bad_input_changes_nothing(analyst_a, item, recs, change, message):
    data = {"version": 1, "plan": "P2", "action": "A2", "completion": 30, "confidentiality": "internal"} | change
    events = AuditEvent.objects.count()
    response = client_for(analyst_a).post(f"/recommendations/action-plan/{item.pk}/edit/", data)
    assert response.status_code == (409 if "version" in change else 400)
    assert message in response.content.decode()
    item.refresh_from_db()
    assert item.plan == "NAP 2023-2025" and item.completion == 10 and item.version == 1
    assert item.recommendations.count() == 2 and AuditEvent.objects.count() == events


def test_nap_link_to_other_organisations_private_recommendation_is_refused(analyst_a, analyst_b, org_b, item):
    review_b = actions.create_review(analyst_b, organisation=org_b, mechanism="upr", state="Kazakhstan")
    rec_b = actions.create_recommendation(analyst_b, review_b, text="Private to B", suggest=False)
    data = {"version": 1, "plan": "P", "action": "A", "completion": 0, "confidentiality": "internal"}
    response = client_for(analyst_a).post(
        f"/recommendations/action-plan/{item.pk}/edit/", data | {"recommendation_ids": str(rec_b.pk)}
    )
    assert response.status_code == 400 and f"No recommendation {rec_b.pk}" in response.content.decode()
    assert NapItem.objects.get(pk=item.pk).version == 1


def test_nap_access_and_delete(analyst_a, coordinator_a, viewer_a, analyst_b, item):
    url = f"/recommendations/action-plan/{item.pk}/edit/"
    for user in (viewer_a, analyst_b):
        assert client_for(user).get(url).status_code == 404
    assert client_for(viewer_a).post(f"/recommendations/action-plan/{item.pk}/delete/").status_code == 403
    assert client_for(analyst_b).post(f"/recommendations/action-plan/{item.pk}/delete/").status_code == 404
    assert client_for(coordinator_a).post("/recommendations/action-plan/987654/delete/").status_code == 404
    assert client_for(coordinator_a).post(f"/recommendations/action-plan/{item.pk}/delete/").status_code == 302
    assert not NapItem.objects.filter(deleted_at__isnull=True).exists()
    assert AuditEvent.objects.filter(verb="napitem.delete").count() == 1


# --- API ----------------------------------------------------------------------------------------------


def test_api_review_patch_and_delete(analyst_a, coordinator_a, analyst_b, review, private_review, recs):
    client = client_for(analyst_a)
    url = f"/api/recommendations/reviews/{review.pk}"
    ok = client.patch(url, {"version": 1, "symbol": "A/HRC/43/10/Corr.1"}, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["symbol"] == "A/HRC/43/10/Corr.1" and ok.json()["version"] == 2
    stale = client.patch(url, {"version": 1, "symbol": "Y"}, content_type="application/json")
    assert stale.status_code == 409 and stale.json()["current"]["symbol"] == "A/HRC/43/10/Corr.1"
    bad = client.patch(url, {"version": 2, "cycle": -1}, content_type="application/json")
    assert bad.status_code == 400 and Review.objects.get(pk=review.pk).cycle == 3
    other = client_for(analyst_b).patch(
        f"/api/recommendations/reviews/{private_review.pk}", {"version": 1}, content_type="application/json"
    )
    assert other.status_code == 404
    assert client.delete(url).status_code == 403
    assert client_for(coordinator_a).delete(url).status_code == 204
    assert live(review) == set() and client.get(url).status_code == 404


def test_api_view_and_nap_endpoints(analyst_a, coordinator_a, viewer_b, view, item, recs):
    client = client_for(analyst_a)
    url = f"/api/recommendations/views/{view.pk}"
    got = client.get(url).json()
    assert got["author_pseudonym"] == "Author A" and got["version"] == 1 and "real_name" not in got
    patched = client.patch(
        url, {"version": 1, "author_id": None, "articles": [7], "notes": "n"}, content_type="application/json"
    )
    assert patched.status_code == 200
    assert patched.json()["author_pseudonym"] is None and patched.json()["articles"] == [7]
    bad = client.patch(url, {"version": 2, "implementation": "maybe"}, content_type="application/json")
    assert bad.status_code == 400 and bad.json()["field"] == "implementation"
    assert client_for(viewer_b).get(url).status_code == 404

    nap = f"/api/recommendations/action-plan/{item.pk}"
    assert client.get(nap).json()["recommendation_ids"] == sorted(r.pk for r in recs[:2])
    too_much = client.patch(nap, {"version": 1, "completion": 150}, content_type="application/json")
    assert too_much.status_code == 400 and NapItem.objects.get(pk=item.pk).completion == 10
    done = client.patch(
        nap, {"version": 1, "completion": 100, "recommendation_ids": [recs[5].pk]}, content_type="application/json"
    )
    assert done.status_code == 200 and done.json()["recommendation_ids"] == [recs[5].pk]
    assert client.delete(nap).status_code == 403
    coordinator = client_for(coordinator_a)
    assert coordinator.delete(nap).status_code == 204 and coordinator.delete(url).status_code == 204
    assert coordinator.delete(f"/api/recommendations/recommendations/{recs[0].pk}").status_code == 204
    assert client.get(f"/api/recommendations/recommendations/{recs[0].pk}").status_code == 404
    assert ComplaintView.objects.get(pk=view.pk).deleted_at is not None


def test_restricted_recommendation_stays_hidden_when_public_review_is_restored(
    analyst_a, coordinator_a, viewer_b, review
):
    """Restoring brings records back exactly as they were: confidentiality is untouched."""
    secret = actions.create_recommendation(
        analyst_a, review, text="Restricted note", confidentiality=Confidentiality.RESTRICTED, suggest=False
    )
    actions.delete(coordinator_a, review)
    restore(coordinator_a, Review.objects.get(pk=review.pk))
    assert live(review) == {secret.pk}
    assert not queries.recommendations(viewer_b).filter(pk=secret.pk).exists()
