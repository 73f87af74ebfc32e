"""Spreadsheet import (previewed, idempotent, all or nothing) and export round trips."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from rightstrack.core.errors import InvalidInput, TooLarge
from rightstrack.core.exports import xlsx_bytes
from rightstrack.incidents import actions, transfer
from rightstrack.incidents.models import Act, Event, ImportBatch, Involvement

from .conftest import D, client_for, nothing_written

HEADER = transfer.COLUMNS


def sheet(*rows: dict) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=HEADER)
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
    return out.getvalue().encode()


def row(**over) -> dict:
    base = {
        "event_key": "EV-1",
        "event_title": "Shutdown",
        "event_start": "2022-01-05",
        "event_start_precision": "day",
        "event_end": "2022-01-10",
        "event_end_precision": "day",
        "event_place": "kz",
        "act_key": "A-1",
        "act_type": "internet_shutdown",
        "act_date": "2022-01-05",
        "act_date_precision": "day",
        "victim": "Journalist J",
        "perpetrator_unit": "telecom",
        "degree": "direct",
    }
    return {**base, **over}


def test_preview_then_apply_then_reimport_is_unchanged(org_a, coordinator_a):
    content = sheet(row(), row(act_key="A-2", act_type="threat", act_date="2022-01-06", victim=""))
    with nothing_written():
        plans = transfer.plan(coordinator_a, org_a.pk, transfer.read_table(content, "x.csv"))
    assert [(p.event_action, p.act_action, p.errors) for p in plans] == [("create", "create", [])] * 2
    batch, _plans = transfer.stage(coordinator_a, org_a.pk, "x.csv", content, "internal")
    counts = transfer.apply(coordinator_a, batch)
    assert counts == {
        "events_created": 1,
        "events_updated": 0,
        "acts_created": 2,
        "acts_updated": 0,
        "persons_created": 1,
    }
    assert Event.objects.get().external_key == "EV-1" and Involvement.objects.filter(unit="telecom").count() == 2
    # The same file again: every row unchanged, and applying it writes nothing new.
    batch2, plans2 = transfer.stage(coordinator_a, org_a.pk, "x.csv", content, "internal")
    assert {(p.event_action, p.act_action) for p in plans2} == {("unchanged", "unchanged")}
    transfer.apply(coordinator_a, batch2)
    assert Event.objects.count() == 1 and Act.objects.count() == 2


def test_changed_row_updates_the_act(org_a, coordinator_a):
    batch, _ = transfer.stage(coordinator_a, org_a.pk, "x.csv", sheet(row()), "internal")
    transfer.apply(coordinator_a, batch)
    batch, plans = transfer.stage(coordinator_a, org_a.pk, "x.csv", sheet(row(method="throttling")), "internal")
    assert plans[0].act_action == "update"
    assert transfer.apply(coordinator_a, batch)["acts_updated"] == 1
    act = Act.objects.get()
    assert act.method == "throttling" and act.version == 2


def test_export_then_import_round_trip_is_idempotent(org_a, coordinator_a, event, victim):
    actions.add_act(coordinator_a, event, act_type="torture", victim=victim, date=D(2022, 1, 7))
    response = client_for(coordinator_a).get("/incidents/acts/?format=csv")
    _batch, plans = transfer.stage(coordinator_a, org_a.pk, "export.csv", response.content, "internal")
    assert [(p.event_action, p.act_action, p.errors) for p in plans] == [("unchanged", "unchanged", [])]


def test_xlsx_import(org_a, coordinator_a):
    content = xlsx_bytes(HEADER, [[row().get(c, "") for c in HEADER]])
    batch, plans = transfer.stage(coordinator_a, org_a.pk, "x.xlsx", content, "internal")
    assert not plans[0].errors
    assert transfer.apply(coordinator_a, batch)["acts_created"] == 1


def test_rows_with_errors_block_the_whole_import(org_a, coordinator_a):
    content = sheet(
        row(),
        row(act_key="A-2", act_type="weather"),
        row(act_key="A-3", act_date="2023-01-01"),
        row(event_key="EV-2", event_end="2021-01-01", act_key="B-1", act_date=""),
        row(act_key="A-4", event_place="atlantis"),
        row(act_key="", act_date="2022-01-06"),
        row(act_key="A-5", act_date="not a date"),
    )
    batch, plans = transfer.stage(coordinator_a, org_a.pk, "x.csv", content, "internal")
    errors = [" ".join(p.errors) for p in plans]
    assert errors[0] == ""
    assert "Unknown act type" in errors[1]
    assert "outside its event" in errors[2]
    assert "before the start" in errors[3]
    assert "Unknown place" in errors[4] and "differently" in errors[4]
    assert "act_key is empty" in errors[5]
    assert "not a date" in errors[6]
    with nothing_written(), pytest.raises(InvalidInput, match="Nothing was imported"):
        transfer.apply(coordinator_a, batch)


def test_bad_files(org_a, coordinator_a):
    with nothing_written():
        with pytest.raises(InvalidInput, match="Missing columns"):
            transfer.stage(coordinator_a, org_a.pk, "x.csv", b"a,b\n1,2\n", "internal")
        with pytest.raises(InvalidInput, match=r"\.csv or \.xlsx"):
            transfer.stage(coordinator_a, org_a.pk, "x.pdf", b"%PDF-1.4", "internal")
        with pytest.raises(InvalidInput, match="XLSX"):
            transfer.stage(coordinator_a, org_a.pk, "x.xlsx", b"PK\x03\x04 broken", "internal")
        with pytest.raises(InvalidInput, match="UTF-8"):
            transfer.stage(coordinator_a, org_a.pk, "x.csv", "event_key;Ä".encode("latin-1"), "internal")
        with pytest.raises(TooLarge):
            transfer.stage(coordinator_a, org_a.pk, "x.csv", b"x" * (transfer.MAX_BYTES + 1), "internal")
    assert not ImportBatch.objects.exists()


def test_import_pages(org_a, coordinator_a, viewer_b):
    client = client_for(coordinator_a)
    upload = SimpleUploadedFile("x.csv", sheet(row()), content_type="text/csv")
    response = client.post(
        "/incidents/import/", {"organisation": org_a.pk, "confidentiality": "internal", "file": upload}
    )
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/incidents/import/{batch.pk}/"
    preview = client.get(f"/incidents/import/{batch.pk}/").content.decode()
    assert "Import these rows" in preview and "EV-1" in preview
    assert not Event.objects.exists()  # preview writes nothing
    # Someone else's staged import is not found.
    assert client_for(viewer_b).get(f"/incidents/import/{batch.pk}/").status_code == 404
    assert client.post(f"/incidents/import/{batch.pk}/").status_code == 302
    assert Event.objects.count() == 1
    assert client.post(f"/incidents/import/{batch.pk}/").status_code == 404  # applied once only


def test_import_page_errors(org_a, coordinator_a):
    client = client_for(coordinator_a)
    with nothing_written():
        response = client.post(
            "/incidents/import/",
            {
                "organisation": org_a.pk,
                "confidentiality": "internal",
                "file": SimpleUploadedFile("x.csv", b"nothing,useful\n"),
            },
        )
    assert response.status_code == 400 and "Missing columns" in response.content.decode()
