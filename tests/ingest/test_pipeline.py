"""The extract() contract, and the CLI command that prints it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from rightstrack.ingest.pipeline import STAGE_VERSIONS, extract, extract_text

REPO = Path(__file__).resolve().parents[2]
SAMPLE = (
    "# Alternative report on fair trials\n\n"
    "## Fair trial (Article 14 of the ICCPR)\n\n"
    "1. In 2023 monitors attended 120 hearings; see CCPR/C/KAZ/CO/2 and recommendations 139.61-139.62.\n\n"
    "### Recommendations (Article 14 of the ICCPR)\n\n"
    "- to open all hearings to the public;\n"
)


def test_contract_keys_and_shapes() -> None:
    result = extract_text(SAMPLE.encode(), "report.md")
    assert set(result) == {
        "language",
        "title",
        "passages",
        "symbols",
        "upr_ids",
        "recommendations",
        "figures",
        "document_kind",
        "notes",
        "stage_versions",
    }
    assert result["language"] == "en"
    assert result["title"] == "Alternative report on fair trials"
    assert all(set(p) == {"number", "text", "section", "page", "label_source"} for p in result["passages"])
    assert result["passages"][0]["label_source"] == "own_line" and result["notes"] == []
    assert result["passages"][0]["number"] == "1"
    assert result["symbols"] == ["CCPR/C/KAZ/CO/2"]
    assert result["upr_ids"] == ["139.61", "139.62"]
    assert result["recommendations"] == [
        {
            "text": "to open all hearings to the public;",
            "section": "Recommendations (Article 14 of the ICCPR)",
            "article": "14",
            "passage": 1,
        }
    ]
    figure = result["figures"][0]
    assert set(figure) == {
        *("value", "high", "qualifier", "unit", "counts", "text", "side", "speaker", "period", "confidence"),
        "passage",
    }
    # An alternative report: civil society gives its figures.
    assert result["document_kind"] == "ngo_report" and (figure["side"], figure["speaker"]) == ("ngo", None)
    assert (figure["value"], figure["unit"], figure["period"]["start"], figure["passage"]) == (
        120,
        "hearings",
        "2023",
        0,
    )
    assert result["stage_versions"] == STAGE_VERSIONS
    assert all(isinstance(v, str) and v for v in STAGE_VERSIONS.values())
    json.dumps(result)  # plain data only


def test_extract_path_and_bytes_agree(tmp_path: Path) -> None:
    path = tmp_path / "report.md"
    path.write_text(SAMPLE, encoding="utf-8")
    assert extract(path) == extract_text(path.read_bytes(), "report.md")


def _cli(*args: str) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "rightstrack.settings",
        "PYTHONPATH": str(REPO / "src") + os.pathsep + os.environ.get("PYTHONPATH", ""),
    }
    return subprocess.run(
        [sys.executable, "-m", "django", "extract", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        cwd=REPO,
    )


def test_command_prints_one_json_object(tmp_path: Path) -> None:
    path = tmp_path / "report.md"
    path.write_text(SAMPLE.replace("fair trials", "fair trials in Қазақстан"), encoding="utf-8")
    done = _cli(str(path), "--json")
    if done.returncode and "settings" in done.stderr.lower() and "extract" not in done.stderr:
        pytest.skip("project settings are not importable yet")
    assert done.returncode == 0, done.stderr
    assert "Қазақстан" in done.stdout  # ensure_ascii=False
    assert json.loads(done.stdout)["upr_ids"] == ["139.61", "139.62"]


def test_command_reports_ingest_error_on_one_line(tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    path.write_bytes(b"MZ\x90\x00" + b"\x00" * 64)
    done = _cli(str(path), "--json")
    assert done.returncode != 0
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "executable" in lines[0] and "Traceback" not in done.stderr
