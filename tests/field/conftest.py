from __future__ import annotations

import pytest

from rightstrack.trials import actions as trial_actions

from ..trials.conftest import build_trial, monitor2_a, trial  # noqa: F401 - fixtures reused here


@pytest.fixture
def observation(trial):  # noqa: F811
    return trial_actions.start_observation(trial.monitor, trial.hearing)
