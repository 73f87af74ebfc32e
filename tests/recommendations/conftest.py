"""Fixtures for the recommendations tests: a public UPR review of Kazakhstan with a few recommendations."""

from __future__ import annotations

import datetime

import pytest

from rightstrack.core.models import Confidentiality
from rightstrack.recommendations import actions


@pytest.fixture
def review(coordinator_a, org_a):
    # Public records are created by a coordinator: only reviewers may publish (see visibility.can_set_confidentiality).
    return actions.create_review(
        coordinator_a,
        organisation=org_a,
        mechanism="upr",
        state="Kazakhstan",
        cycle=3,
        session="34",
        symbol="A/HRC/43/10",
        date=datetime.date(2019, 11, 7),
        confidentiality=Confidentiality.PUBLIC,
    )


@pytest.fixture
def recs(coordinator_a, review):
    """139.60 … 139.82 (23 recommendations) with texts on torture, assemblies and expression."""
    texts = [
        "Ratify the Optional Protocol to the Convention against Torture",
        "Bring the law on peaceful assemblies into line with the Covenant",
        "Decriminalise defamation and protect journalists",
    ]
    out = []
    for n in range(60, 83):
        out.append(
            actions.create_recommendation(
                coordinator_a,
                review,
                text=texts[n % 3],
                upr_id=f"139.{n}",
                response="supported" if n % 2 else "noted",
                recommending_states=["Norway"] if n % 2 else ["Brazil"],
                themes=["torture-and-other-cid-treatment"] if n % 3 == 0 else [],
                suggest=False,
                confidentiality=Confidentiality.PUBLIC,
            )
        )
    return out
