"""Incidents import refuses spreadsheet formulas and over-long text, row by row, and imports nothing."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from rightstrack.core import limits
from rightstrack.core.errors import InvalidInput
from rightstrack.core.exports import csv_bytes
from rightstrack.incidents import actions, transfer
from rightstrack.incidents.models import Event, ImportBatch

from .conftest import D, client_for, nothing_written
from .test_transfer import HEADER, row, sheet


def stage(user, org, content: bytes, name: str = "x.csv"):
    return transfer.stage(user, org.pk, name, content, "internal")


def test_formula_cells_are_refused_per_row_and_cell(org_a, coordinator_a):
    content = sheet(
        row(),
        row(act_key="A-2", event_key="EV-2", event_description='=HYPERLINK("http://evil.example","x")'),
        row(act_key="A-3", method="+cmd|' /C calc'!A0"),
        row(act_key="A-4", victim="@SUM(1+1)"),
        row(act_key="A-5", method="\tleading tab"),
        row(act_key="A-6", method="-5 volts, a minus is ordinary text"),
    )
    batch, plans = stage(coordinator_a, org_a, content)
    errors = [" ".join(p.errors) for p in plans]
    assert errors[0] == "" and errors[5] == ""
    assert "event_description starts like a spreadsheet formula" in errors[1]
    assert "method starts like a spreadsheet formula" in errors[2]
    assert "victim starts like a spreadsheet formula" in errors[3]
    assert "method starts like a spreadsheet formula" in errors[4]
    assert batch.summary["errors"] == 4
    with nothing_written(), pytest.raises(InvalidInput, match="Nothing was imported"):
        transfer.apply(coordinator_a, batch)
    assert not Event.objects.exists()


def test_xlsx_formula_cell_is_refused_not_read_as_its_cached_value(org_a, coordinator_a):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet_ = workbook.active
    sheet_.append(HEADER)
    values = row()
    values["method"] = "=1+1"  # openpyxl writes this as a formula cell
    sheet_.append([values.get(c, "") for c in HEADER])
    out = io.BytesIO()
    workbook.save(out)
    batch, plans = stage(coordinator_a, org_a, out.getvalue(), "x.xlsx")
    assert plans[0].errors == ["method starts like a spreadsheet formula (=, +, @); refused."]
    with nothing_written(), pytest.raises(InvalidInput):
        transfer.apply(coordinator_a, batch)


def test_formula_like_text_exported_by_us_round_trips(org_a, coordinator_a, event):
    # Our export escapes "=…" with an apostrophe: that cell is text, imported back as it was.
    actions.update_event(
        coordinator_a, event, expected_version=event.version, changes={"description": "=2+2 was written on a wall"}
    )
    actions.add_act(coordinator_a, event, act_type="torture", date=D(2022, 1, 7))
    exported = client_for(coordinator_a).get("/incidents/acts/?format=csv").content
    assert b"'=2+2" in exported
    _batch, plans = stage(coordinator_a, org_a, exported, "export.csv")
    assert [(p.event_action, p.act_action, p.errors) for p in plans] == [("unchanged", "unchanged", [])]


def test_over_long_cells_are_errors_not_cut_short(org_a, coordinator_a):
    content = sheet(
        row(event_description="x" * (limits.LONG + 1)),
        row(event_key="EV-2", event_title="t" * 301),
        row(event_key="K" * 101),
        row(act_key="A-9", method="m" * 301),
    )
    batch, plans = stage(coordinator_a, org_a, content)
    errors = [" ".join(p.errors) for p in plans]
    assert "event_description: at most 20,000 characters (this has 20,001)." in errors[0]
    assert "event_title: at most 300 characters (this has 301)." in errors[1]
    assert "event_key: at most 100 characters" in errors[2]
    assert "method: at most 300 characters" in errors[3]
    with nothing_written(), pytest.raises(InvalidInput, match="Nothing was imported"):
        transfer.apply(coordinator_a, batch)


def test_import_preview_page_shows_the_formula_error(org_a, coordinator_a):
    client = client_for(coordinator_a)
    content = csv_bytes(HEADER, [[row(event_description="=cmd").get(c, "") for c in HEADER]])
    # csv_bytes escapes formulas: build the bad file by hand instead.
    content = content.replace(b"'=cmd", b"=cmd")
    upload = SimpleUploadedFile("x.csv", content, content_type="text/csv")
    client.post("/incidents/import/", {"organisation": org_a.pk, "confidentiality": "internal", "file": upload})
    batch = ImportBatch.objects.get()
    preview = client.get(f"/incidents/import/{batch.pk}/").content.decode()
    assert "event_description starts like a spreadsheet formula" in preview
    with nothing_written():
        client.post(f"/incidents/import/{batch.pk}/")
    assert not Event.objects.exists()
