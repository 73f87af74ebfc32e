"""Issue 12's chain on generated documents, so a clone without ../shared proves it too: a synthetic
alternative report by a named coalition, a synthetic meeting summary and synthetic UPR pre-session slides."""

from __future__ import annotations

import datetime
import sys
from pathlib import Path

import pytest

from .chain import Scenario, Upload, check_all, disputed_block, walk

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "ingest"))  # docgen, meetinggen

import docgen  # noqa: E402
import meetinggen  # noqa: E402

pytestmark = pytest.mark.django_db

AUTHOR = "Test Coalition against Torture"
SLIDES_AUTHOR = "Test Coalition for Human Rights Defenders"
MEETING_DAY = datetime.date(2025, 3, 12)

# Synthetic pre-session slides in the corpus slides' layout: a status line over UPR ID ranges, then the
# coalition's own recommendations lettered a, b, c under a section of topics.
SLIDES = """TEST COALITION FOR HUMAN RIGHTS DEFENDERS

UPR Pre-session on Kazakhstan (synthetic test slides)

Of the 4 recommendations, 139.61-139.63, 139.80
partially implemented

i. Situation of human rights defenders

Recommendations

a. Adopt a law on the protection of human rights defenders.

b. Investigate every threat against human rights defenders and publish the outcome.
"""


def _scenario() -> Scenario:
    report = docgen.synthetic_report(12)
    lines = report.text.splitlines()
    # Its heading names the coalition that wrote it and the State, as real alternative reports do.
    lines[0] = f"# Alternative report by the {AUTHOR} regarding the periodic report of Kazakhstan (synthetic)"
    return Scenario(
        alternative=Upload("alternative-report.md", "\n".join(lines).encode()),
        meeting=Upload("meeting-summary.txt", meetinggen.meeting_summary(MEETING_DAY).text.encode()),
        slides=Upload("pre-session-slides.txt", SLIDES.encode()),
        author=AUTHOR,
        alternative_date=datetime.date(2025, 3, 1),  # "*March 2025*"
        meeting_date=MEETING_DAY,
        slides_author=SLIDES_AUTHOR,
        slides_date=datetime.date(2024, 12, 1),
        upr_symbol="A/HRC/43/10",
        upr_cycle=3,
        upr_status=("139.61-139.63, 139.80", "partially"),
        disputed="meet article 9 of the Covenant",
        disputed_article=9,
        coalition_cites="¶2",  # "In 2021 the coalition's monitors attended 26 hearings in Almaty; …"
        state_cites="87 judges had been trained",
        claim="87 judges had been trained",
    )


def test_generated_documents_to_shadow_report(org_a, coordinator_a, capture):
    scenario = _scenario()
    walked = walk(scenario, org_a, coordinator_a, capture)
    check_all(scenario, walked)
    # The summary record opens with its own symbol: the State's words are cited to it, never to "Human Rights
    # Committee", the heading below it.
    symbol = f"CCPR/C/SR.9{MEETING_DAY.year % 100:02d}7"
    assert walked.documents["meeting"].symbol == symbol
    notes = [n["text"] for n in disputed_block(walked, "en").footnotes]
    assert f"{symbol}, para. 6." in notes and not any(n.startswith("Human Rights Committee") for n in notes), notes
