"""Fixtures of the evidence-chain scenario."""

from __future__ import annotations

import pytest


@pytest.fixture
def capture(django_capture_on_commit_callbacks):
    """Run on-commit callbacks (ingestion and report jobs are queued on commit) inside the test's transaction."""
    return django_capture_on_commit_callbacks
