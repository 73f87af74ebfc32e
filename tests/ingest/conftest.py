"""Fixtures for ingestion tests. Nothing here touches the database."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))  # docgen and gold helpers

from gold import CORPUS, GOLD  # noqa: E402


@pytest.fixture
def corpus() -> Path:
    if not GOLD.is_dir():
        pytest.skip(f"no gold answers at {GOLD} (set RIGHTSTRACK_SHARED_DIR to where ../shared is)")
    return CORPUS


@pytest.fixture
def fonts() -> None:
    import docgen

    if not docgen.have_fonts():
        pytest.skip("DejaVu fonts are not installed")
    pytest.importorskip("fpdf")


@pytest.fixture
def capture(django_capture_on_commit_callbacks):
    """Run on-commit callbacks (the job is queued on commit) inside the test's transaction."""
    return django_capture_on_commit_callbacks
