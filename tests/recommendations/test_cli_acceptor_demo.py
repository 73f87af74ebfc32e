"""The `recommendations` command, the ingest acceptor and the demo data."""

from __future__ import annotations

import csv
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from rightstrack.core.errors import InvalidInput
from rightstrack.evidence.models import Citation
from rightstrack.recommendations.acceptors import accept_recommendation
from rightstrack.recommendations.models import Recommendation

from .test_import import csv_file


def test_cli_import_is_idempotent_and_export_lists_it(analyst_a, org_a, tmp_path, capsys):
    path = tmp_path / "upr.csv"
    path.write_bytes(csv_file())
    call_command("recommendations", "import", str(path), "--user", "analyst_a")
    assert "created=3" in capsys.readouterr().out
    call_command("recommendations", "import", str(path), "--user", "analyst_a")
    assert "created=0 updated=0 unchanged=3" in capsys.readouterr().out
    call_command("recommendations", "export", "--user", "analyst_a", "--q", "defamation")
    rows = list(csv.reader(capsys.readouterr().out.splitlines()))
    assert len(rows) == 2 and rows[1][1] == "s34-2"
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"id,text\n1,x\n")
    with pytest.raises(CommandError, match="Missing columns"):
        call_command("recommendations", "import", str(bad), "--user", "analyst_a")
    with pytest.raises(CommandError, match="No user"):
        call_command("recommendations", "import", str(path), "--user", "nobody")


def test_cli_classify_adds_columns(tmp_path, capsys):
    src, out = tmp_path / "in.csv", tmp_path / "out.csv"
    src.write_text("id,text\n1,Abolish the death penalty\n2,=cmd|' /C calc'!A0\n", encoding="utf-8")
    call_command("recommendations", "classify", "--in", str(src), "--out", str(out))
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert "Death penalty" in rows[0]["predicted_issues"].split("|")
    assert rows[0]["predicted_action_category"] in {"1", "2", "3", "4", "5"}
    assert rows[1]["text"].startswith("'=")  # echoed input stays formula-safe
    src.write_text("id,body\n1,x\n", encoding="utf-8")
    with pytest.raises(CommandError, match="'text' column"):
        call_command("recommendations", "classify", "--in", str(src), "--out", str(out))


def test_cli_train_refuses_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="No training CSV"):
        call_command("recommendations", "train", str(tmp_path / "none.csv"), str(tmp_path))


def _suggestion(passage, **data):
    document = passage.document
    return SimpleNamespace(
        pk=1, kind="recommendation", data=data, passage=passage, passage_id=passage.pk,
        organisation_id=document.organisation_id, confidentiality=document.confidentiality,
    )  # fmt: skip


def test_acceptor_creates_a_cited_recommendation(analyst_a, org_a, review):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from rightstrack.evidence.actions import upload_document

    doc, _ = upload_document(
        analyst_a,
        organisation_id=org_a.pk,
        confidentiality="restricted",
        upload=SimpleUploadedFile("r.txt", b"Report\n\n1. Ensure fair trials for all.\n"),
    )
    passage = doc.passages.get(label="1")  # the paragraph, not the "Report" title above it
    # The review is public; the document is restricted, so the recommendation inherits "restricted".
    with pytest.raises(InvalidInput, match="Choose the review"):  # never a guessed review
        accept_recommendation(analyst_a, _suggestion(passage, text="Ensure fair trials for all."))
    rec = accept_recommendation(
        analyst_a,
        _suggestion(passage, text="Ensure fair trials for all.", section="1", article="14", review_id=review.pk),
    )
    assert rec.review == review and rec.confidentiality == "restricted" and rec.paragraph == "1"
    assert [a.number for a in rec.articles.all()] == [14]
    assert Citation.objects.filter(object_id=rec.pk, passage=passage).exists()
    with pytest.raises(InvalidInput, match="no text"):
        accept_recommendation(analyst_a, _suggestion(passage, text=" "))
    assert Recommendation.objects.count() == 1


def test_acceptor_is_registered_when_ingest_exists():
    from rightstrack.ingest import acceptors

    assert acceptors.get("recommendation") is accept_recommendation


def test_demo_loads_kazakhstan_reviews_and_the_ten_assessed_ids(db):
    from rightstrack.core.demo import load_demo
    from rightstrack.recommendations import demo, queries
    from rightstrack.recommendations.models import Assessment, Review

    try:
        ctx = load_demo()
    except Exception:  # another app's demo may fail while it is being written; ours must still load
        from rightstrack.core.demo import DemoContext, ensure_users, load_core

        ctx = DemoContext()
        ensure_users(ctx)
        load_core(ctx)
        demo.load(ctx)
    assert Review.objects.filter(is_synthetic=True, state__name="Kazakhstan").count() == 6
    # The alternative report's recommendations are the coalition's own, with no mechanism.
    alternative = Review.objects.get(is_synthetic=True, source_kind="ngo_report")
    assert alternative.mechanism is None and alternative.made_by == "Demo coalition of NGOs (synthetic)"
    assert alternative.recommendations.count() == 2
    coalition = Assessment.objects.filter(assessor_kind="coalition", status="partially")
    assert sorted(coalition.values_list("recommendation__upr_id", flat=True)) == sorted(
        [f"139.{i}" for i in [*range(61, 68), *range(79, 82)]]
    )
    assert all(r.text.startswith("[SYNTHETIC") for r in Recommendation.objects.all())
    viewer = ctx.users["viewer"]
    assert queries.filtered(viewer, queries.Filters(upr="139.61-139.67, 139.79-139.81")).count() == 10
    demo.load(ctx)  # idempotent
    assert Review.objects.filter(is_synthetic=True).count() == 6
