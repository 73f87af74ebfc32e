"""Alerts in the browser: a coordinator assigns a hearing, the monitor's bell shows it, the email reaches a local
SMTP server; each role's home page starts with what that role has to do (screenshots for a reviewer)."""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import expect

from rightstrack.core import notifications
from rightstrack.trials import actions
from tests.core.smtp_server import LocalSmtp

from .conftest import _new_page, login, no_horizontal_scroll

pytestmark = pytest.mark.e2e


@pytest.fixture
def smtp(settings):
    with LocalSmtp() as server:
        server.configure(settings)
        yield server


@pytest.fixture
def hearing(org_a, coordinator_a):
    court = actions.create_court(
        coordinator_a, org_a, name="Synthetic Court of Shymkent", city="Shymkent", confidentiality="public"
    )
    case = actions.create_case(
        coordinator_a, org_a, court=court, number="ALERT-1/2026", charges="174", context="synthetic case"
    )
    return actions.add_hearing(
        coordinator_a,
        case,
        date=datetime.date.today() + datetime.timedelta(days=2),
        start_time=datetime.time(10),
        courtroom="2",
    )


def test_assigned_hearing_rings_the_bell_and_sends_an_email(
    browser, live_server, hearing, coordinator_a, monitor_a, smtp, shots
):
    monitor_a.email = "monitor@example.org"
    monitor_a.save()
    context, page = _new_page(browser, viewport={"width": 1280, "height": 800})
    login(page, live_server, "coordinator_a")
    page.goto(f"{live_server.url}/trials/hearings/{hearing.pk}/")
    page.get_by_label("Assign a monitor").select_option(label="monitor_a")
    page.get_by_role("button", name="Assign").click()
    expect(page.locator("body")).to_contain_text("monitor_a")
    context.close()

    context, page = _new_page(
        browser, viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True, has_touch=True
    )
    login(page, live_server, "monitor_a")
    bell = page.locator("#bell")
    expect(bell.locator(".bell-count")).to_have_text("1")
    page.screenshot(path=str(shots / "alerts-monitor-home-phone.png"), full_page=True)
    assert no_horizontal_scroll(page)
    bell.click()
    expect(page.locator(".alert-list")).to_contain_text("ALERT-1/2026")
    page.screenshot(path=str(shots / "alerts-list-phone.png"), full_page=True)
    page.locator(".alert-list a", has_text="ALERT-1/2026").click()
    page.wait_for_url(f"**/trials/hearings/{hearing.pk}/")
    expect(page.locator("#bell .bell-count")).to_have_count(0)  # read once opened
    context.close()

    assert len(smtp.messages) == 1
    message = smtp.messages[0]
    assert message["To"] == "monitor@example.org"
    assert "ALERT-1/2026" in message["Subject"]
    assert f"/trials/hearings/{hearing.pk}/" in message.get_content()


def test_bell_refreshes_without_reloading(browser, live_server, monitor_a, page):
    login(page, live_server, "monitor_a")
    expect(page.locator("#bell .bell-count")).to_have_count(0)
    notifications.notify(monitor_a, "report.ready", "Synthetic report is ready")
    # HTMX polls every 60 s; trigger the poll now instead of waiting.
    page.evaluate("htmx.ajax('GET', '/alerts/bell/', {target: '#bell', swap: 'outerHTML'})")
    expect(page.locator("#bell .bell-count")).to_have_text("1")


def test_each_role_home_starts_with_its_next_actions(
    browser, live_server, hearing, org_a, coordinator_a, monitor_a, analyst_a, viewer_b, shots
):
    from rightstrack.core.models import Person
    from rightstrack.incidents.models import Act, Event
    from rightstrack.recommendations import actions as rec_actions

    actions.assign_monitor(coordinator_a, hearing, monitor_a)
    # A submitted observation waits for the coordinator; an earlier hearing is the monitor's.
    past = actions.add_hearing(coordinator_a, hearing.case, date=datetime.date.today() - datetime.timedelta(days=3))
    actions.assign_monitor(coordinator_a, past, monitor_a)
    observation = actions.start_observation(monitor_a, past)
    actions.save_answer(monitor_a, observation, indicator="PUB-3", value="yes")
    actions.submit_observation(monitor_a, observation)
    # A UPR review whose mid-term report falls due within 90 days.
    today = datetime.date.today()
    review_date = datetime.date(today.year - 2, today.month, 1) - datetime.timedelta(days=150)
    rec_actions.create_review(
        coordinator_a,
        organisation=org_a,
        mechanism="upr",
        state="Kazakhstan",
        cycle=4,
        session="48",
        symbol="A/HRC/SYN/1",
        date=review_date,
        confidentiality="internal",
    )
    person = Person.objects.create(organisation=org_a, confidentiality="internal", pseudonym="Synthetic victim V")
    event = Event.objects.create(
        organisation=org_a,
        confidentiality="internal",
        title="Synthetic dispersal",
        start_date=datetime.date(2025, 1, 5),
    )
    Act.objects.create(event=event, act_type="threat", victim=person, date=datetime.date(2025, 1, 5))

    expected = {
        "coordinator_a": ("Observations to review", "Deadlines in the next 90 days"),
        "monitor_a": ("Your next hearings", "ALERT-1/2026"),
        "analyst_a": ("Victims without consent to publication", "Synthetic victim V"),
        "viewer_b": ("Nothing is waiting for you",),
    }
    absent = {"monitor_a": "Observations to review", "viewer_b": "Suggestions to review"}
    for username, texts in expected.items():
        for width, height, suffix in ((1280, 900, "desktop"), (390, 844, "phone")):
            context, page = _new_page(browser, viewport={"width": width, "height": height})
            login(page, live_server, username)
            main = page.locator("main")
            for text in texts:
                expect(main).to_contain_text(text)
            if username in absent:
                expect(main).not_to_contain_text(absent[username])
            assert no_horizontal_scroll(page), f"{username} {suffix}"
            page.screenshot(path=str(shots / f"alerts-home-{username}-{suffix}.png"), full_page=True)
            context.close()


def test_error_pages_have_a_way_out(live_server, page, shots, settings):
    login_free = page
    response = login_free.goto(f"{live_server.url}/no/such/page/")
    assert response.status == 404
    expect(login_free.locator("main")).to_contain_text("Page not found")
    expect(login_free.get_by_role("searchbox")).to_be_visible()
    login_free.screenshot(path=str(shots / "alerts-404.png"), full_page=True)
    login_free.get_by_role("searchbox").fill("perpetrator")
    login_free.get_by_label("Where", exact=True).select_option("help")
    login_free.get_by_role("button", name="Search").click()
    expect(login_free.locator("main")).to_contain_text("Perpetrator")
