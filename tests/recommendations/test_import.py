"""Import: UPR Info-style CSV and JSON, idempotent, one transaction, row numbers in every error."""

from __future__ import annotations

import csv
import io
import json

import pytest

from rightstrack.core.errors import InvalidInput, TooLarge
from rightstrack.core.models import AuditEvent
from rightstrack.recommendations import actions, importer, queries
from rightstrack.recommendations.models import ImportJob, Recommendation, Review

from .upr_synthetic import upr_info_csv

HEADER = [
    "id", "session", "cycle", "state_under_review", "recommending_state", "recommending_regional_group", "text",
    "response", "action_category", "issues",
]  # fmt: skip
ROWS = [
    ["s34-1", "34", "3", "Kazakhstan", "Norway", "WEOG",
     "Ratify the Optional Protocol to the Convention against Torture",
     "accepted", "5", "Torture and other CID treatment|International instruments"],
    ["s34-2", "34", "3", "Kazakhstan", "Brazil", "GRULAC", "Decriminalise defamation", "noted", "5",
     "Freedom of opinion and expression"],
    ["s20-1", "20", "2", "Kazakhstan", "(Unknown)", "(Unknown)", "Continue efforts on gender equality", "accepted", "2",
     "Women's rights"],
]  # fmt: skip


def csv_file(rows=ROWS, header=HEADER) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode()


def do_import(user, org, content: bytes, name: str = "upr.csv", **kw) -> dict:
    rows, _sha = importer.parse(content, name)
    return importer.apply(user, org, rows, filename=name, **kw)


def test_import_then_reimport_changes_nothing(analyst_a, org_a):
    first = do_import(analyst_a, org_a, csv_file())
    assert first["create"] == 3 and first["new_reviews"] == 2
    rec = Recommendation.objects.get(source_id="s34-1")
    assert rec.response == "supported" and rec.action_category == 5 and rec.classification_confirmed
    assert sorted(t.code for t in rec.themes.all()) == ["international-instruments", "torture-and-other-cid-treatment"]
    assert [s.name for s in rec.recommending_states.all()] == ["Norway"]
    assert Recommendation.objects.get(source_id="s20-1").recommending_states.count() == 0
    events = AuditEvent.objects.count()
    second = do_import(analyst_a, org_a, csv_file())
    assert second["create"] == 0 and second["update"] == 0 and second["unchanged"] == 3
    assert Recommendation.objects.count() == 3 and Review.objects.count() == 2
    assert AuditEvent.objects.count() == events + 1  # only the import summary


def test_changed_row_updates_never_duplicates(analyst_a, org_a):
    do_import(analyst_a, org_a, csv_file())
    changed = [list(r) for r in ROWS]
    changed[1][7] = "accepted"
    changed[1][9] = "Freedom of opinion and expression|Freedom of the press"
    result = do_import(analyst_a, org_a, csv_file(changed))
    assert (result["create"], result["update"], result["unchanged"]) == (0, 1, 2)
    rec = Recommendation.objects.get(source_id="s34-2")
    assert rec.response == "supported" and rec.themes.count() == 2 and rec.version == 2
    event = AuditEvent.objects.get(verb="recommendation.import_update")
    assert event.before["response"] == "noted" and event.after["response"] == "supported"
    # The search index follows the update.
    assert queries.filtered(analyst_a, queries.Filters(q="defamation")).count() == 1


def test_json_format_with_lists(analyst_a, org_a):
    data = {"recommendations": [
        {"id": "j1", "session": "34", "cycle": 3, "state_under_review": "Kazakhstan", "text": "Protect defenders",
         "response": "supported", "issues": ["Human rights defenders"], "articles": [19, 22], "sdgs": [16],
         "upr_id": "139.70", "mechanism": "upr"},
    ]}  # fmt: skip
    result = do_import(analyst_a, org_a, json.dumps(data).encode(), "recs.json")
    assert result["create"] == 1
    rec = Recommendation.objects.get(source_id="j1")
    assert rec.upr_id == "139.70" and [a.number for a in rec.articles.all()] == [19, 22]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (csv_file(header=["id", "text"]), "Missing columns: state_under_review, response"),
        (
            "id,state_under_review,text,response\nx1,Kazakhstan,Caf\u00e9,noted\n".encode("latin-1"),
            r"not UTF-8 text \(line 2\)",
        ),
        (
            csv_file(
                [
                    *ROWS,
                    [
                        "s1",
                        "1",
                        "1",
                        "Kazakhstan",
                        "Norway",
                        "WEOG",
                        '=HYPERLINK("http://x","click")',
                        "noted",
                        "4",
                        "General",
                    ],
                ]
            ),
            "Row 4: column .text. starts like a spreadsheet formula",
        ),
        (
            csv_file([ROWS[0], ["s2", "1", "1", "Atlantis", "Norway", "WEOG", "t", "noted", "4", "General"]]),
            "Row 2: unknown State",
        ),
        (
            csv_file(
                [ROWS[0], ROWS[1], ["s3", "1", "1", "Kazakhstan", "Norway", "WEOG", "t", "noted", "4", "Space law"]]
            ),
            "Row 3: unknown theme .Space law.",
        ),
        (
            csv_file([["s4", "1", "1", "Kazakhstan", "Norway", "WEOG", "t", "maybe", "4", "General"]]),
            "Row 1: unknown response",
        ),
        (
            csv_file([["s5", "1", "1", "Kazakhstan", "Norway", "WEOG", "t", "noted", "9", "General"]]),
            "Row 1: the action category",
        ),
        (
            csv_file([["s6", "1", "1", "Kazakhstan", "Narnia", "WEOG", "t", "noted", "4", "General"]]),
            "Row 1: unknown recommending State",
        ),
        (csv_file([ROWS[0], ROWS[0]]), "Row 2: the id .s34-1. repeats row 1"),
        (
            csv_file([["", "1", "1", "Kazakhstan", "Norway", "WEOG", "t", "noted", "4", "General"]]),
            "Row 1: the id is empty",
        ),
        (b"[1, 2]", "list of recommendation objects"),
        (b"{not json", "JSON is not valid"),
        (csv_file([]), "holds no recommendations"),
    ],
)
def test_bad_files_are_refused_with_row_numbers_and_nothing_is_written(analyst_a, org_a, content, message):
    name = "bad.json" if content.startswith((b"[", b"{")) else "bad.csv"
    with pytest.raises(InvalidInput, match=message):
        do_import(analyst_a, org_a, content, name)
    assert Recommendation.objects.count() == 0 and Review.objects.count() == 0


def test_oversize_file_is_refused(analyst_a, org_a, monkeypatch):
    monkeypatch.setattr(importer, "MAX_BYTES", 100)
    with pytest.raises(TooLarge):
        do_import(analyst_a, org_a, csv_file())


def test_failure_in_the_middle_rolls_everything_back(analyst_a, org_a, monkeypatch):
    def explode(items):
        list(items)
        raise RuntimeError("disk full")

    monkeypatch.setattr(importer.search, "index", explode)
    with pytest.raises(RuntimeError):
        do_import(analyst_a, org_a, csv_file())
    assert Recommendation.objects.count() == 0 and Review.objects.count() == 0


def test_viewer_cannot_import(viewer_a, org_a):
    from rightstrack.core.errors import Forbidden

    with pytest.raises(Forbidden):
        actions.stage_import(
            viewer_a, organisation=org_a, content=csv_file(), filename="x.csv", confidentiality="internal"
        )
    assert ImportJob.objects.count() == 0


def test_staged_job_previews_then_runs_in_the_background(analyst_a, org_a):
    job, preview = actions.stage_import(
        analyst_a, organisation=org_a, content=csv_file(), filename="upr.csv", confidentiality="internal"
    )
    assert (preview["create"], preview["update"], preview["unchanged"]) == (3, 0, 0)
    assert Recommendation.objects.count() == 0  # nothing before confirmation
    job = actions.confirm_import(analyst_a, job)  # tests run tasks at once
    assert job.status == "done" and job.created_count == 3 and job.rows == []
    assert actions.job_progress(job) == (3, 3)
    with pytest.raises(InvalidInput, match="already started"):
        actions.confirm_import(analyst_a, job)
    job2, preview2 = actions.stage_import(
        analyst_a, organisation=org_a, content=csv_file(), filename="upr.csv", confidentiality="internal"
    )
    assert preview2["unchanged"] == 3 and preview2["create"] == 0


def test_failed_background_job_reports_and_writes_nothing(analyst_a, org_a, monkeypatch):
    job, _preview = actions.stage_import(
        analyst_a, organisation=org_a, content=csv_file(), filename="upr.csv", confidentiality="internal"
    )

    def boom(*a, **k):
        raise RuntimeError("boom")

    monkeypatch.setattr(importer, "_set_m2m", boom)
    job = actions.confirm_import(analyst_a, job)
    assert job.status == "failed" and "nothing was written" in job.error
    assert Recommendation.objects.count() == 0


def test_a_slice_of_the_upr_info_file_imports_idempotently(analyst_a, org_a, tmp_path):
    path = upr_info_csv(tmp_path)
    lines = path.read_bytes().splitlines(keepends=True)
    content = b"".join(lines[:401])
    first = do_import(analyst_a, org_a, content, suggest=False)
    assert first["create"] == 400
    assert do_import(analyst_a, org_a, content, suggest=False)["unchanged"] == 400
