"""Issue 12's chain in the browser: the shadow report built from generated documents (tests/scenario) reads
right in English and Russian, and a footnote leads to the passage it cites."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.scenario.chain import disputed_block, walk
from tests.scenario.test_generated_chain import AUTHOR, _scenario

from .conftest import login, no_horizontal_scroll

pytestmark = pytest.mark.e2e


def test_shadow_report_from_the_chain_in_english_and_russian(
    page, live_server, coordinator_a, django_capture_on_commit_callbacks, shots
):
    org = coordinator_a.memberships.get().organisation
    walked = walk(_scenario(), org, coordinator_a, django_capture_on_commit_callbacks)
    english, russian = walked.reports["en"], walked.reports["ru"]
    block = disputed_block(walked, "en")
    state_note = next(n for n in block.footnotes if n["text"].startswith("CCPR/C/SR."))

    login(page, live_server, "coordinator_a")
    page.goto(f"{live_server.url}/reports/{english.pk}/")
    paragraph = page.locator("p.para", has_text="the coalition finds it not implemented")
    expect(paragraph).to_contain_text(f"Recommendation ({AUTHOR})")
    expect(paragraph).to_contain_text("The State reports partial implementation (12 March 2025)")
    notes = paragraph.locator("xpath=following-sibling::ol[1]")
    expect(notes).to_contain_text(state_note["text"])
    assert "Human Rights Committee, para." not in page.content()
    paragraph.scroll_into_view_if_needed()
    page.screenshot(path=shots / "scenario-report-en.png", full_page=True)

    # The State's footnote opens the passage of the meeting summary it cites.
    notes.get_by_role("link", name=state_note["text"]).click()
    expect(page.get_by_text("87 judges had been trained").first).to_be_visible()
    assert re.search(r"/documents/passages/\d+/$", page.url)

    # The Russian report, in the Russian interface: generated words in Russian, quotations as written.
    page.goto(f"{live_server.url}/reports/{russian.pk}/")
    page.get_by_role("button", name="РУС").click()
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    paragraph = page.locator("p.para", has_text="коалиция считает её невыполненной")
    expect(paragraph).to_contain_text("Государство сообщает о частичном выполнении (12 марта 2025 г.)")
    expect(paragraph).to_contain_text("«Ensure that the rules on liberty and security of person meet article 9")
    expect(paragraph.locator("xpath=following-sibling::ol[1]")).to_contain_text("CCPR/C/SR.9257, п. 6.")
    assert no_horizontal_scroll(page)
    page.screenshot(path=shots / "scenario-report-ru.png", full_page=True)
    assert page.errors == []
