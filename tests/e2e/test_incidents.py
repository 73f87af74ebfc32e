"""A documenter on a phone records a victim, an event, an act, its perpetrator and an intervention; the case
file, the statistics and the threat index show it, and a member without restricted access sees no identity."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from rightstrack.incidents.models import Act, Event, Intervention, Involvement

from .conftest import login, no_horizontal_scroll

pytestmark = pytest.mark.e2e


def test_documenter_records_an_incident_on_a_phone(phone_page, live_server, coordinator_a, monitor_a, org_a, shots):
    page = phone_page
    login(page, live_server, "coordinator_a")
    page.goto(f"{live_server.url}/incidents/")
    expect(page.get_by_role("heading", name="Incidents", level=1)).to_be_visible()

    # A victim: a defender, with consent to anonymised publication.
    page.get_by_role("link", name="New victim").tap()
    page.locator("#id_pseudonym").fill("Defender Aktau-7")
    page.locator("#id_real_name").fill("Saule Realname")
    page.locator("#id_is_hrd").check()
    page.locator("#id_consent").select_option("anonymised")
    page.locator("#id_consent_date").fill("2022-02-01")
    assert no_horizontal_scroll(page), "victim form scrolls sideways"
    page.get_by_role("button", name="Save").tap()
    expect(page.get_by_role("heading", name="Defender Aktau-7", level=1)).to_be_visible()

    # The event.
    page.goto(f"{live_server.url}/incidents/new/")
    page.locator("#id_title").fill("Detention of a defender in Aktau")
    page.locator("#id_start_date").fill("2022-01-06")
    page.locator("#id_end_date").fill("2022-01-20")
    page.locator("#id_place").select_option(label="Mangystau Region")
    page.locator("#id_context").fill("January 2022 events")
    assert no_horizontal_scroll(page), "event form scrolls sideways"
    page.screenshot(path=shots / "incident-event-form-phone.png", full_page=True)
    page.get_by_role("button", name="Save").tap()
    expect(page.get_by_role("heading", name="Detention of a defender in Aktau", level=1)).to_be_visible()

    # An act with its victim, then its perpetrator.
    page.get_by_role("link", name="Add an act").tap()
    page.locator("#id_act_type").select_option("torture")
    page.locator("#id_victim").select_option(label="Defender Aktau-7")
    page.locator("#id_date").fill("2022-01-08")
    page.locator("#id_method").fill("beating during interrogation")
    page.get_by_role("button", name="Save act").tap()
    expect(page.get_by_role("heading", name=re.compile("Perpetrator of"))).to_be_visible()
    page.locator("#id_unit").select_option("police")
    page.locator("#id_degree").select_option("direct")
    page.get_by_role("button", name="Save perpetrator").tap()

    # An intervention about the act.
    page.get_by_role("link", name="Add an intervention").tap()
    page.locator("#id_intervention_type").select_option("complaint")
    page.locator("#id_date").fill("2022-02-01")
    page.locator("#id_by").fill("The defender's lawyer")
    page.locator("#id_act").select_option(index=1)
    page.get_by_role("button", name="Save intervention").tap()

    # The case file: timeline of the act and the intervention.
    expect(page.get_by_role("heading", name="Timeline")).to_be_visible()
    timeline = page.locator("ol.timeline")
    expect(timeline.locator("li")).to_have_count(2)
    expect(timeline.locator("li").nth(0)).to_contain_text("Torture")
    expect(timeline.locator("li").nth(1)).to_contain_text("Complaint")
    expect(page.locator("main")).to_contain_text("Police")
    assert no_horizontal_scroll(page), "case file scrolls sideways"
    page.screenshot(path=shots / "incident-case-file-phone.png", full_page=True)
    event = Event.objects.get()
    assert Act.objects.get().victim.pseudonym == "Defender Aktau-7"
    assert Involvement.objects.get().unit == "police" and Intervention.objects.count() == 1

    # Statistics and the threat index show it; a figure drills down to the act.
    page.goto(f"{live_server.url}/incidents/statistics/?since=2022-01-01&until=2022-10-31")
    expect(page.get_by_role("heading", name="Acts by type")).to_be_visible()
    expect(page.locator("table.threat")).to_contain_text("2022")
    expect(page.locator("table.threat")).to_contain_text("partial")
    expect(page.locator("table.threat tr.partial td").nth(2)).to_have_text("1.2")  # 1 act in 304 days
    assert no_horizontal_scroll(page), "statistics scroll sideways"
    page.screenshot(path=shots / "incident-statistics-phone.png", full_page=True)
    page.get_by_role("link", name="1 — Torture").tap()
    expect(page.get_by_role("heading", name="Acts", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="Detention of a defender in Aktau")).to_be_visible()
    assert page.errors == [], page.errors

    # A monitor without restricted access sees the event but not who the victim is.
    other = page.context.browser.new_context(viewport={"width": 390, "height": 844}, service_workers="block")
    monitor = other.new_page()
    login(monitor, live_server, "monitor_a")
    monitor.goto(f"{live_server.url}/incidents/{event.pk}/")
    expect(monitor.get_by_role("heading", name="Detention of a defender in Aktau")).to_be_visible()
    html = monitor.content()
    assert "Defender Aktau-7" not in html and "Saule Realname" not in html
    other.close()
