"""A synthetic UPR Info-style recommendations file for the tests that use ../shared/data/upr-info.

Same columns, sorted by session like the real file, every State and theme from the vocabularies.
Each State is reviewed in two cycles and gets the same recommendations again in the second, so
recurrence has something to find; every action category occurs in every session, so the classifier
can be trained on any slice of sessions 1-4.
"""

from __future__ import annotations

import csv
from pathlib import Path

HEADER = [
    "id", "session", "cycle", "state_under_review", "recommending_state", "recommending_regional_group", "text",
    "response", "action_category", "issues",
]  # fmt: skip

# State under review -> the session of its first review (the second is four sessions later).
REVIEWED = {"Canada": 1, "Cuba": 1, "Kenya": 2, "Chad": 2, "Norway": 3, "Brazil": 3, "Poland": 4, "India": 4}
RECOMMENDING = [("Mexico", "GRULAC"), ("France", "WEOG"), ("Japan", "Asia"), ("Chile", "GRULAC"), ("Poland", "EEG")]
# (text, UPR Info action category, issues)
TOPICS = [
    ("Ratify the Optional Protocol to the Convention against Torture", 5,
     "Torture and other CID treatment|International instruments"),
    ("Consider abolishing the death penalty and commute existing sentences", 3, "Death penalty"),
    ("Continue its efforts to combat trafficking in persons, especially women and children", 2, "Trafficking"),
    ("Seek technical assistance from OHCHR to strengthen the national human rights institution", 1,
     "Technical assistance and cooperation|NHRI"),
    ("Take measures to ensure access to education for girls in rural areas", 4, "Right to education|Women's rights"),
    ("Extend a standing invitation to all special procedures", 5, "Special procedures"),
    ("Protect journalists and decriminalise defamation", 4, "Freedom of opinion and expression|Freedom of the press"),
    ("Guarantee the independence of judges and lawyers", 4, "Justice"),
    ("Share its experience of poverty reduction with other developing countries", 1, "Poverty|Development"),
    ("Continue to improve conditions of detention and reduce overcrowding in prisons", 2, "Detention"),
    ("Consider ratifying the Convention on the Rights of Persons with Disabilities", 3,
     "Disabilities|International instruments"),
    ("Ensure that human rights defenders can work without harassment or reprisals", 4, "Human rights defenders"),
]  # fmt: skip
QUALIFIERS = [
    "",
    " as a matter of priority",
    " in consultation with civil society",
    " in line with its international obligations",
    " and report on progress at the next review",
    " with the support of the international community",
    " and allocate adequate resources for this purpose",
    " in all regions of the country",
    " and train the officials concerned",
    " through a national action plan",
    " with measurable targets",
]
PER_REVIEW = len(TOPICS) * len(QUALIFIERS)  # 132 rows, so two reviews fill 250 rows of a session


def rows() -> list[dict[str, str]]:
    """Every row of the synthetic file, in session order."""
    reviews = sorted(
        (first + 4 * again, state) for state, first in REVIEWED.items() for again in (0, 1)
    )  # (session, state)
    out = []
    for session, state in reviews:
        for n in range(PER_REVIEW):
            text, category, issues = TOPICS[n % len(TOPICS)]
            recommending, group = RECOMMENDING[n % len(RECOMMENDING)]
            out.append(
                {
                    "id": f"s{session}-{state.lower()}-{n + 1}",
                    "session": str(session),
                    "cycle": "1" if session <= 4 else "2",
                    "state_under_review": state,
                    "recommending_state": recommending,
                    "recommending_regional_group": group,
                    "text": text + QUALIFIERS[n // len(TOPICS)] + ".",
                    "response": "accepted" if n % 3 else "noted",
                    "action_category": str(category),
                    "issues": issues,
                }
            )
    return out


def write_csv(path: Path) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=HEADER)
        writer.writeheader()
        writer.writerows(rows())
    return path


def upr_info_csv(tmp_path: Path) -> Path:
    """The shared UPR Info file when it is there, else the synthetic one written into ``tmp_path``."""
    from tests.conftest import shared_path

    return shared_path("data", "upr-info", "recommendations.csv") or write_csv(tmp_path / "upr-info-synthetic.csv")
