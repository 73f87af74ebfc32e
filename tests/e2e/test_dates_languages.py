"""In English, Russian and Kazakh, a coordinator opens an event and a report that have dates, saves them
unchanged, and finds every date kept: the date pickers show it (ISO value, shown by the browser in the page's
language) and the pages write it the way the language does."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from playwright.sync_api import expect

from rightstrack.incidents import actions as incidents
from rightstrack.incidents.models import Event
from rightstrack.reports import actions as reports
from rightstrack.reports.models import ReportDefinition

from .conftest import login, no_horizontal_scroll

pytestmark = pytest.mark.e2e
D = datetime.date

# How each language writes the dates of the records below.
WRITTEN = {
    "en": ("5 January 2022", "1 January 2021", "31 December 2021", "6 March 2022"),
    "ru": ("5 января 2022 г.", "1 января 2021 г.", "31 декабря 2021 г.", "6 марта 2022 г."),
    "kk": ("2022 жылғы 5 қаңтар", "2021 жылғы 1 қаңтар", "2021 жылғы 31 желтоқсан", "2022 жылғы 6 наурыз"),
}

NOTHING_CHANGED = {"en": "Nothing changed.", "ru": "Ничего не изменилось.", "kk": "Ештеңе өзгерген жоқ."}


@pytest.fixture
def dated(org_a, coordinator_a):
    event = incidents.create_event(
        coordinator_a, org_a, title="Detention at a rally (synthetic)", start_date=D(2022, 1, 5), end_date=D(2022, 1, 9)
    )
    report = reports.create_report(
        coordinator_a,
        organisation=org_a,
        title="Annual shadow report (synthetic)",
        kind="shadow-iccpr",
        period_start=D(2021, 1, 1),
        period_end=D(2021, 12, 31),
    )
    return event, report


def in_language(page, live_server, code: str) -> None:
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": code, "url": live_server.url}])


def save_unchanged(page, field_id: str) -> None:
    page.locator(f"form:has(#{field_id}) button[type=submit].primary").click()
    page.wait_for_url(lambda url: "/edit/" not in url)


@pytest.mark.parametrize("code", ["en", "ru", "kk"])
def test_dates_survive_an_unchanged_save_in_every_language(phone_page, live_server, coordinator_a, dated, shots, code):
    if code not in dict(settings.LANGUAGES):
        pytest.skip(f"{code} is not offered yet")
    event, report = dated
    page = phone_page
    login(page, live_server, "coordinator_a")
    in_language(page, live_server, code)
    start, period_start, period_end, other = WRITTEN[code]

    page.goto(f"{live_server.url}/incidents/{event.pk}/edit/")
    assert page.locator("html").get_attribute("lang") == code  # the native picker follows the page's language
    expect(page.locator("#id_start_date")).to_have_value("2022-01-05")
    expect(page.locator("#id_end_date")).to_have_value("2022-01-09")
    # The picker is drawn in the browser's locale; beside it the date is written in the page's language,
    # and follows what the user picks.
    written = page.locator('.date-written[data-date-for="id_start_date"]')
    expect(written).to_have_text(start)
    page.locator("#id_start_date").fill("2022-03-06")
    expect(written).to_have_text(other)
    page.locator("#id_start_date").fill("2022-01-05")
    expect(written).to_have_text(start)
    assert no_horizontal_scroll(page), f"event edit form scrolls sideways in {code}"
    page.screenshot(path=shots / f"dates-event-edit-{code}.png", full_page=True)
    save_unchanged(page, "id_start_date")
    expect(page.locator("main")).to_contain_text(start)
    page.screenshot(path=shots / f"dates-event-detail-{code}.png", full_page=True)
    saved = Event.objects.get(pk=event.pk)
    assert (saved.start_date, saved.end_date, saved.version) == (D(2022, 1, 5), D(2022, 1, 9), event.version)

    page.goto(f"{live_server.url}/reports/{report.pk}/edit/")
    expect(page.locator("#id_period_start")).to_have_value("2021-01-01")
    expect(page.locator("#id_period_end")).to_have_value("2021-12-31")
    page.screenshot(path=shots / f"dates-report-edit-{code}.png", full_page=True)
    save_unchanged(page, "id_period_start")
    expect(page.locator("main")).to_contain_text(f"{period_start} – {period_end}")
    expect(page.locator("main")).to_contain_text(NOTHING_CHANGED[code])  # no "rebuild to apply" for no change
    page.screenshot(path=shots / f"dates-report-detail-{code}.png", full_page=True)
    saved = ReportDefinition.objects.get(pk=report.pk)
    assert (saved.period_start, saved.period_end, saved.version) == (D(2021, 1, 1), D(2021, 12, 31), report.version)
    assert page.errors == [], page.errors
