"""One-screen incident entry: an event, its victims and acts saved together, or nothing at all."""

from __future__ import annotations

import pytest

from rightstrack.core.models import AuditEvent, Confidentiality, Person, Role
from rightstrack.incidents import actions
from rightstrack.incidents.models import Act, Consent, Event, Involvement

from ..conftest import make_user
from .conftest import D, client_for, nothing_written

URL = "/incidents/record/"


def _post(n_victims: int, n_acts: int, **fields) -> dict:
    """A filled-in page: an event, `n_victims` victim rows and `n_acts` act rows (override any field)."""
    data = {
        "event-organisation": "",
        "event-title": "Detentions after the rally",
        "event-start_date": "2022-01-06",
        "event-start_precision": "day",
        "event-end_date": "",
        "event-end_precision": "day",
        "event-confidentiality": "internal",
        "victims-TOTAL_FORMS": str(n_victims),
        "victims-INITIAL_FORMS": "0",
        "acts-TOTAL_FORMS": str(n_acts),
        "acts-INITIAL_FORMS": "0",
    }
    for n in range(n_victims):
        data.update(
            {
                f"victims-{n}-pseudonym": f"Synthetic V-{n + 1}",
                f"victims-{n}-sex": "unknown",
                f"victims-{n}-age_group": "unknown",
                f"victims-{n}-consent": "internal",
                f"victims-{n}-confidentiality": "restricted",
            }
        )
    for n in range(n_acts):
        data.update(
            {
                f"acts-{n}-act_type": "arbitrary_detention" if n % 2 == 0 else "torture",
                f"acts-{n}-victim_row": str(n % max(n_victims, 1)) if n_victims else "",
                f"acts-{n}-date": "2022-01-07",
                f"acts-{n}-date_precision": "day",
                f"acts-{n}-degree": "direct",
            }
        )
    data.update(fields)
    return data


@pytest.fixture
def documenter(org_a):
    return make_user("documenter_a", org_a, Role.COORDINATOR, restricted=True)


def test_one_page_records_an_event_with_two_victims_and_three_acts(org_a, documenter):
    data = _post(2, 3, **{"event-organisation": str(org_a.pk), "acts-2-unit": "police"})
    response = client_for(documenter).post(URL, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    event = Event.objects.get()
    assert response["Location"] == f"/incidents/{event.pk}/"
    acts = list(event.acts.order_by("pk"))
    assert [a.act_type for a in acts] == ["arbitrary_detention", "torture", "arbitrary_detention"]
    assert [a.victim.pseudonym for a in acts] == ["Synthetic V-1", "Synthetic V-2", "Synthetic V-1"]
    assert Involvement.objects.get().act == acts[2]
    victim = Person.objects.get(pseudonym="Synthetic V-2")
    assert victim.confidentiality == Confidentiality.RESTRICTED
    assert victim.incident_profile.consent == Consent.INTERNAL
    record = AuditEvent.objects.get(verb="incident.record")
    assert len(record.after["victims"]) == 2 and record.after["acts"] == 3


def test_an_existing_person_and_an_empty_spare_row(org_a, documenter, victim):
    data = _post(
        2,
        2,
        **{
            "event-organisation": str(org_a.pk),
            "victims-0-pseudonym": "",
            "victims-0-existing": str(victim.pk),
            "victims-1-pseudonym": "",  # a spare row left empty is skipped
            "acts-1-act_type": "",
            "acts-1-victim_row": "",
        },
    )
    response = client_for(documenter).post(URL, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    act = Act.objects.get()
    assert act.victim == victim
    assert Person.objects.count() == 1


def test_add_another_row_keeps_what_was_typed_and_saves_nothing(org_a, documenter):
    data = _post(1, 1, **{"event-organisation": str(org_a.pk), "add": "victims"})
    with nothing_written():
        response = client_for(documenter).post(URL, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="victims-TOTAL_FORMS" value="2"' in html
    assert 'value="Synthetic V-1"' in html and 'value="Detentions after the rally"' in html
    assert "Victim 2" in html
    # The new row starts from the defaults, not from the first choice of each list (public, female…).
    new_row = html[html.index('id="victim-2"') :]
    new_row = new_row[: new_row.index("</fieldset>")]
    assert '<option value="restricted" selected>' in new_row
    assert '<option value="unknown" selected>' in new_row
    assert '<option value="public" selected>' not in new_row


def test_a_refusal_is_shown_at_its_row_and_nothing_is_saved(org_a, documenter):
    # A public event cannot name a victim who did not consent to publication.
    data = _post(2, 2, **{"event-organisation": str(org_a.pk), "event-confidentiality": "public"})
    with nothing_written():
        response = client_for(documenter).post(URL, data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "Nothing was saved" in html and "Synthetic V-1" in html and "consent" in html
    assert 'value="Detentions after the rally"' in html  # what was typed is still there


def test_an_act_outside_the_event_dates_is_refused_beside_its_date(org_a, documenter):
    data = _post(1, 2, **{"event-organisation": str(org_a.pk), "acts-1-date": "2021-12-01"})
    with nothing_written():
        response = client_for(documenter).post(URL, data)
    assert response.status_code == 400
    html = response.content.decode()
    act_two = html[html.index('id="act-2"') :]
    assert 'class="error"' in act_two[: act_two.index("</fieldset>")]


def test_forged_references_are_refused(org_a, org_b, documenter):
    outsider = make_user("coordinator_b", org_b, Role.COORDINATOR, restricted=True)
    theirs = actions.create_victim(outsider, org_b, pseudonym="Other org person", confidentiality="restricted")
    for forged in (
        {"victims-0-existing": str(theirs.pk), "victims-0-pseudonym": ""},
        {"victims-0-existing": "999999", "victims-0-pseudonym": ""},
        {"acts-0-victim_row": "7"},
        {"acts-0-act_type": "not-a-type"},
    ):
        with nothing_written():
            response = client_for(documenter).post(URL, _post(1, 1, **{"event-organisation": str(org_a.pk)}, **forged))
        assert response.status_code == 400, forged
        assert "Other org person" not in response.content.decode()


def test_a_possible_duplicate_asks_before_creating(org_a, documenter, victim):
    data = _post(1, 1, **{"event-organisation": str(org_a.pk), "victims-0-pseudonym": "Victim V-1"})
    with nothing_written():
        response = client_for(documenter).post(URL, data)
    assert response.status_code == 400 and "Possible matches already recorded" in response.content.decode()
    data["victims-0-confirm_new"] = "on"
    assert client_for(documenter).post(URL, data).status_code == 302
    assert Person.objects.filter(pseudonym="Victim V-1").count() == 2


def test_only_documenters_open_the_page_and_hidden_persons_are_never_offered(org_a, viewer_a, monitor_a, victim):
    assert client_for(viewer_a).get(URL).status_code == 404
    member = make_user("analyst_plain", org_a, Role.ANALYST, restricted=False)
    page = client_for(member).get(URL).content.decode()
    assert "Victim V-1" not in page  # a restricted person: not in the "existing person" list
    with nothing_written():
        response = client_for(member).post(
            URL, _post(1, 1, **{"event-organisation": str(org_a.pk), "victims-0-existing": str(victim.pk)})
        )
    assert response.status_code == 400 and "Victim V-1" not in response.content.decode()


def test_event_list_offers_the_one_screen_entry(documenter):
    page = client_for(documenter).get("/incidents/").content.decode()
    assert URL in page


def test_too_many_rows_are_refused(org_a, documenter):
    data = _post(1, 1, **{"event-organisation": str(org_a.pk), "acts-TOTAL_FORMS": "500"})
    with nothing_written():
        response = client_for(documenter).post(URL, data)
    assert response.status_code == 400


def test_the_date_refusal_uses_the_event_dates(org_a, documenter):
    # Direct call: the action locates refusals by row.
    with pytest.raises(Exception) as caught:
        actions.record_incident(
            documenter,
            org_a,
            event={"title": "x", "start_date": D(2022, 1, 6)},
            victims=[],
            acts=[{"act_type": "torture", "date": D(2021, 1, 1)}],
        )
    assert caught.value.field == "acts-0-date"
    assert not Event.objects.exists()


def test_the_act_form_records_a_new_victim_with_the_act(event, documenter, victim):
    url = f"/incidents/{event.pk}/acts/new/"
    form = {"act_type": "torture", "date_precision": "day", "new_victim_consent": "internal"}
    response = client_for(documenter).post(url, {**form, "new_victim_pseudonym": "Synthetic new V"})
    assert response.status_code == 302
    act = Act.objects.get()
    assert act.victim.pseudonym == "Synthetic new V"
    assert act.victim.confidentiality == Confidentiality.RESTRICTED
    assert act.victim.incident_profile.consent == Consent.INTERNAL
    # A recorded victim and a new one at once is ambiguous; a likely duplicate points to the list.
    with nothing_written():
        both = client_for(documenter).post(url, {**form, "victim": victim.pk, "new_victim_pseudonym": "Someone"})
        assert both.status_code == 400 and "not both" in both.content.decode()
        again = client_for(documenter).post(url, {**form, "new_victim_pseudonym": "Victim V-1"})
        assert again.status_code == 400 and "choose them in the Victim list" in again.content.decode()


def test_editing_an_act_offers_no_new_victim_fields(event, documenter, victim):
    act = actions.add_act(documenter, event, act_type="torture", victim=victim)
    page = client_for(documenter).get(f"/incidents/acts/{act.pk}/edit/").content.decode()
    assert "new_victim_pseudonym" not in page
