"""On a phone, a coordinator corrects an intervention and a perpetrator, moves one to the trash, and finds
victims with the filters; the victim list also works with the keyboard alone."""

from __future__ import annotations

import datetime
import re

import pytest
from playwright.sync_api import expect

from rightstrack.incidents import actions
from rightstrack.incidents.models import Intervention, Involvement

from .conftest import login, no_horizontal_scroll

pytestmark = pytest.mark.e2e
D = datetime.date


@pytest.fixture
def case(org_a, coordinator_a):
    victim = actions.create_victim(
        coordinator_a, org_a, pseudonym="Айгуль Т", is_journalist=True, confidentiality="internal"
    )
    actions.create_victim(coordinator_a, org_a, pseudonym="Witness Almaty-Oblast-2024-003", confidentiality="internal")
    event = actions.create_event(
        coordinator_a, org_a, title="Raid on a newsroom", start_date=D(2022, 1, 5), end_date=D(2022, 1, 9)
    )
    act = actions.add_act(coordinator_a, event, act_type="ill_treatment", victim=victim, date=D(2022, 1, 6))
    involvement = actions.add_involvement(coordinator_a, act, unit="police", notes="Unit on patrol")
    intervention = actions.add_intervention(
        coordinator_a, event, intervention_type="complaint", date=D(2022, 2, 1), by="Lawyer", act=act.pk
    )
    return {"event": event, "act": act, "involvement": involvement, "intervention": intervention}


def test_correct_and_delete_on_a_phone(phone_page, live_server, coordinator_a, case, shots):
    page = phone_page
    login(page, live_server, "coordinator_a")
    page.goto(f"{live_server.url}/incidents/{case['event'].pk}/")

    # The intervention: the prosecutor refused.
    page.get_by_role("link", name=re.compile(r"^Edit Complaint")).tap()
    expect(page.get_by_role("heading", name="Edit intervention", level=1)).to_be_visible()
    page.locator("#id_outcome").select_option("rejected")
    page.locator("#id_outcome_date").fill("2022-03-10")
    page.locator("#id_outcome_note").fill("Refused by the prosecutor")
    assert no_horizontal_scroll(page), "intervention edit form scrolls sideways"
    page.screenshot(path=shots / "incident-intervention-edit-phone.png", full_page=True)
    page.get_by_role("button", name="Save").tap()
    expect(page.locator("main")).to_contain_text("Refused by the prosecutor")
    assert Intervention.objects.get().outcome == "rejected"

    # The perpetrator, from the act's page: it was the national security service.
    page.get_by_role("link", name="Edit act").first.tap()
    page.get_by_role("link", name=re.compile(r"^Edit Police")).tap()
    page.locator("#id_unit").select_option("national_security")
    assert no_horizontal_scroll(page), "perpetrator edit form scrolls sideways"
    page.get_by_role("button", name="Save").tap()
    expect(page.locator("main")).to_contain_text("National security")

    # Moved to the trash after confirming.
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name=re.compile(r"^Delete perpetrator")).tap()
    expect(page.locator(".messages")).to_contain_text("Moved to the trash")
    assert Involvement.objects.count() == 0 and Involvement._base_manager.count() == 1
    assert page.errors == [], page.errors


def test_victim_list_on_a_phone_and_with_the_keyboard(phone_page, page, live_server, coordinator_a, case, shots):
    phone = phone_page
    login(phone, live_server, "coordinator_a")
    phone.goto(f"{live_server.url}/incidents/")
    phone.get_by_role("link", name="Victims").tap()
    expect(phone.get_by_role("heading", name="Victims", level=1)).to_be_visible()
    expect(phone.locator("#results")).to_contain_text("2 persons")
    phone.locator("#id_journalist").check()
    expect(phone.locator("#results")).to_contain_text("1 person")
    expect(phone.locator("#results")).not_to_contain_text("Witness")
    assert no_horizontal_scroll(phone), "victim list scrolls sideways"
    phone.screenshot(path=shots / "incident-victims-phone.png", full_page=True)
    assert phone.errors == [], phone.errors

    login(page, live_server, "coordinator_a")
    page.goto(f"{live_server.url}/incidents/victims/")
    page.locator("#id_q").focus()
    page.keyboard.type("АЙГУЛЬ")
    page.keyboard.press("Enter")
    expect(page.locator("#results")).to_contain_text("1 person")
    link = page.get_by_role("link", name="Айгуль Т")
    link.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Айгуль Т", level=1)).to_be_visible()
    assert page.errors == [], page.errors
