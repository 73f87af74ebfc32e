"""A monitor working in Russian on a phone sees how complete the checklist is, is warned about unanswered
questions on submit (by their text, with a way back to them), and the coordinator reviews with the question
texts and moves on to the next observation in the queue."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from rightstrack.trials import actions
from rightstrack.trials.models import Observation, ObservationStatus

from ..trials.conftest import build_trial
from .conftest import login, no_horizontal_scroll

pytestmark = pytest.mark.e2e


def test_incomplete_checklist_is_flagged_before_review(
    phone_page, browser, live_server, org_a, coordinator_a, monitor_a, shots
):
    first = build_trial(coordinator_a, org_a, monitor_a, number="1-2022")
    second = build_trial(coordinator_a, org_a, monitor_a, number="2-2022", court=first.court)
    observation = actions.start_observation(monitor_a, first.hearing)
    actions.save_answer(monitor_a, observation, indicator="PUB-1", value="yes")
    waiting = actions.start_observation(monitor_a, second.hearing)
    actions.save_answer(monitor_a, waiting, indicator="PUB-1", value="no")
    actions.submit_observation(monitor_a, waiting)

    page = phone_page
    login(page, live_server, "monitor_a")
    page.context.add_cookies([{"name": "django_language", "value": "ru", "url": live_server.url}])
    page.goto(f"{live_server.url}/trials/observations/{observation.pk}/")
    expect(page.locator("#progress-all")).to_contain_text("обязательных отвечено: 1 из")
    expect(page.locator("#progress-PUB")).to_contain_text("1/")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Отправить на проверку").click()
    expect(page.get_by_role("heading", name="Перед отправкой", level=1)).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("обязательн")
    assert no_horizontal_scroll(page), "the submit check scrolls sideways"
    page.screenshot(path=shots / "observation-submit-check-ru-phone.png", full_page=True)
    page.get_by_role("button", name="Всё равно отправить неполностью").click()
    expect(
        page.get_by_text("Submitted for review", exact=False).or_(page.get_by_text("проверку", exact=False)).first
    ).to_be_visible()
    observation.refresh_from_db()
    assert observation.status == ObservationStatus.SUBMITTED

    reviewer = browser.new_page(viewport={"width": 1280, "height": 900}, service_workers="block")
    login(reviewer, live_server, "coordinator_a")
    reviewer.goto(f"{live_server.url}/trials/observations/{waiting.pk}/")
    expect(reviewer.get_by_role("heading", name="Completeness")).to_be_visible()
    reviewer.screenshot(path=shots / "observation-review-desktop.png", full_page=True)
    reviewer.locator("input[value=accept]").check()
    reviewer.get_by_role("button", name="Save the review").click()
    # The next observation in the queue opens by itself.
    reviewer.wait_for_url(f"**/trials/observations/{observation.pk}/")
    assert Observation.objects.get(pk=waiting.pk).status == ObservationStatus.REVIEWED
    reviewer.close()
