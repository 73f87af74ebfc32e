"""Issue 12's chain on the real documents of ../shared/corpus (skips without them): the Coalition against
torture's alternative report, the UN summary of Kazakhstan's dialogue with the Human Rights Committee and the
UPR pre-session slides, through ingestion, assessments and the shadow report in English and Russian."""

from __future__ import annotations

import datetime
import json
import os
from pathlib import Path

import pytest

from tests.conftest import shared_path

from .chain import Scenario, Upload, check_all, paragraph_text, walk

pytestmark = pytest.mark.django_db

# Which corpus file is which, by what the gold answers say about it (the meeting summary has none).
ALTERNATIVE, MEETING, SLIDES = "001_c008fc2137a3a917", "002_aa714492c530a688", "003_1293311b077a35a3"


def _corpus_scenario() -> Scenario:
    corpus = shared_path("corpus")
    if corpus is None or not (corpus / "gold").is_dir():
        pytest.skip("../shared/corpus is not beside the checkout (set RIGHTSTRACK_SHARED_DIR to where it is)")
    files = {name: corpus / f"{name}.txt" for name in (ALTERNATIVE, MEETING, SLIDES)}
    missing = [str(p) for p in files.values() if not p.is_file()]
    if missing:
        pytest.skip(f"corpus files not found: {', '.join(missing)}")
    gold = json.loads((corpus / "gold" / f"{ALTERNATIVE}.json").read_text())
    slides_gold = json.loads((corpus / "gold" / f"{SLIDES}.json").read_text())
    assert gold["kind"].startswith("alternative report") and slides_gold["mechanism"] == "UPR"
    author = "Coalition of Non-governmental Organisations of Kazakhstan against Torture"
    assert author.lower() == gold["author"].lower()
    meeting_head = files[MEETING].read_text(encoding="utf-8")[:2000]
    assert "Human Rights Committee" in meeting_head and "26.06.2025" in meeting_head

    def upload(name: str) -> Upload:
        return Upload(f"{name}.txt", files[name].read_bytes())

    return Scenario(
        alternative=upload(ALTERNATIVE),
        meeting=upload(MEETING),
        slides=upload(SLIDES),
        # The gold's author, capitalised as the document's title ("STATEMENT BY THE COALITION OF …") reads.
        author=author,
        alternative_date=datetime.date(2025, 5, 1),  # "May 2025"
        meeting_date=datetime.date(2025, 6, 26),
        slides_author="Coalition for the Security and Protection of Human Rights Defenders",
        slides_date=datetime.date(2024, 12, 1),  # the slides count "10 months of 2024": presented after October
        upr_symbol="A/HRC/43/10",  # Kazakhstan's third-cycle UPR outcome, whose recommendations are numbered 139.x
        upr_cycle=3,
        upr_status=(slides_gold["status_claims"][0]["ids"], "partially"),
        disputed="independence of the National Preventive Mechanism",
        disputed_article=7,
        coalition_cites="¶8",  # "It should be noted that the National Preventive Mechanism …"
        state_cites="maintained operational independence",
        claim="more than 500 monitoring visits per year",
    )


def test_corpus_documents_to_shadow_report(org_a, coordinator_a, capture):
    scenario = _corpus_scenario()
    walked = walk(scenario, org_a, coordinator_a, capture)
    check_all(scenario, walked)
    # Uploaded without a title, the report is cited by its all-capitals heading made readable.
    assert walked.documents["alternative"].title.startswith(f"Statement by the {scenario.author} regarding the Third")
    out = os.environ.get("RIGHTSTRACK_SCENARIO_OUT")
    if os.environ.get("RIGHTSTRACK_SCENARIO_DUMP"):
        Path(os.environ["RIGHTSTRACK_SCENARIO_DUMP"]).write_text(
            walked.renders[("en", "md")] + walked.renders[("ru", "md")]
        )
    if out:  # the closing note quotes one paragraph of this report, in both languages
        Path(out).write_text(
            "English\n\n" + paragraph_text(walked, "en") + "\n\nRussian\n\n" + paragraph_text(walked, "ru") + "\n"
        )
