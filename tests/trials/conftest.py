"""A small trial-monitoring world: one court, one case with two defendants, a hearing, an assigned monitor."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

import pytest

from rightstrack.core import actions as core_actions
from rightstrack.core.models import Role
from rightstrack.trials import actions
from rightstrack.trials.models import Case, Court, Defendant, Hearing

from ..conftest import make_user


@pytest.fixture(autouse=True)
def _every_figure_reportable(settings):
    """These worlds hold a handful of hearings: their figures are checked as numbers, so the minimum behind a
    reportable figure is lowered to one here (tests/trials/test_integrity.py checks the real minimum)."""
    settings.FINDINGS_MIN_OBSERVATIONS = 1


@dataclass
class Trial:
    court: Court
    case: Case
    defendants: list[Defendant]
    hearing: Hearing
    monitor: object
    coordinator: object
    extra: dict = field(default_factory=dict)


def build_trial(
    coordinator,
    org,
    monitor,
    *,
    number="1-2022",
    city="Almaty",
    date=None,
    n_defendants=2,
    confidentiality="internal",
    court=None,
) -> Trial:
    court = court or actions.create_court(
        coordinator, org, name=f"Court of {city}", city=city, confidentiality="public"
    )
    case = actions.create_case(
        coordinator,
        org,
        court=court,
        number=number,
        charges="272(2), 293",
        context="January 2022 events",
        confidentiality=confidentiality,
    )
    defendants = []
    for n in range(n_defendants):
        person = core_actions.create_person(coordinator, org, pseudonym=f"D-{number}-{n + 1}")
        defendants.append(actions.add_defendant(coordinator, case, person=person, custody="custody"))
    hearing = actions.add_hearing(coordinator, case, date=date or datetime.date(2022, 6, 1), courtroom="5")
    if monitor is not None:
        actions.assign_monitor(coordinator, hearing, monitor)
    return Trial(court, case, defendants, hearing, monitor, coordinator)


@pytest.fixture
def monitor2_a(org_a):
    return make_user("monitor2_a", org_a, Role.MONITOR, restricted=False)


@pytest.fixture
def trial(org_a, coordinator_a, monitor_a) -> Trial:
    return build_trial(coordinator_a, org_a, monitor_a)


def observe(trial: Trial, monitor=None, answers: dict | None = None, *, accept: bool = True):
    """Start, fill (code → value, or (code, defendant index) → value), submit and accept an observation."""
    monitor = monitor or trial.monitor
    observation = actions.start_observation(monitor, trial.hearing)
    for key, value in (answers or {}).items():
        code, index = key if isinstance(key, tuple) else (key, None)
        defendant = trial.defendants[index].pk if index is not None else None
        actions.save_answer(monitor, observation, indicator=code, value=value, defendant=defendant)
    if accept:
        actions.submit_observation(monitor, observation)
        actions.accept_observation(trial.coordinator, observation)
    return observation
