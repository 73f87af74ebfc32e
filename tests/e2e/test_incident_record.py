"""One screen for a whole incident: a documenter records an event with two victims and three acts, on a phone and
on a desktop, adding rows as they go; everything typed survives "add another"."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from rightstrack.incidents.models import Act, Event, Involvement

from .conftest import login, no_horizontal_scroll

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_one_incident_with_two_victims_and_three_acts(size, browser, live_server, coordinator_a, org_a, shots):
    width, height = (390, 844) if size == "phone" else (1280, 900)
    context = browser.new_context(viewport={"width": width, "height": height}, service_workers="block")
    page = context.new_page()
    login(page, live_server, "coordinator_a")
    page.goto(f"{live_server.url}/incidents/")
    page.get_by_role("link", name="Record an incident").click()
    expect(page.get_by_role("heading", name="Record an incident", level=1)).to_be_visible()

    page.locator("#id_event-title").fill("Synthetic: detentions after a rally")
    page.locator("#id_event-start_date").fill("2022-01-06")
    page.locator("#id_victims-0-pseudonym").fill("Synthetic V-A")
    page.locator("#id_victims-0-consent").select_option("internal")
    page.get_by_role("button", name="Add another victim").click()
    # The page came back with a second row and what was typed kept.
    expect(page.locator("#id_victims-0-pseudonym")).to_have_value("Synthetic V-A")
    expect(page.locator("#id_event-title")).to_have_value("Synthetic: detentions after a rally")
    page.locator("#id_victims-1-pseudonym").fill("Synthetic V-B")
    page.get_by_role("button", name="Add another act").click()
    page.get_by_role("button", name="Add another act").click()
    for n, (act_type, victim) in enumerate([("arbitrary_detention", "0"), ("torture", "0"), ("threat", "1")]):
        page.locator(f"#id_acts-{n}-act_type").select_option(act_type)
        page.locator(f"#id_acts-{n}-victim_row").select_option(victim)
        page.locator(f"#id_acts-{n}-date").fill("2022-01-07")
    page.locator("#id_acts-1-unit").select_option("police")
    assert no_horizontal_scroll(page), "the one-screen entry scrolls sideways"
    page.screenshot(path=shots / f"incident-record-{size}.png", full_page=True)
    page.get_by_role("button", name="Save the incident").click()
    expect(page.get_by_role("heading", name="Synthetic: detentions after a rally", level=1)).to_be_visible()
    expect(page.get_by_text("2 victim(s) and 3 act(s)")).to_be_visible()

    event = Event.objects.get()
    acts = list(event.acts.order_by("pk").select_related("victim"))
    assert [(a.act_type, a.victim.pseudonym) for a in acts] == [
        ("arbitrary_detention", "Synthetic V-A"),
        ("torture", "Synthetic V-A"),
        ("threat", "Synthetic V-B"),
    ]
    assert Involvement.objects.get().act == acts[1]
    assert Act.objects.count() == 3
    context.close()
