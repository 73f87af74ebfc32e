"""Writes: every action validates first, checks permission, audits, and writes nothing on bad input."""

from __future__ import annotations

import datetime
import decimal

import pytest

from rightstrack.claims import actions
from rightstrack.claims.models import Claim, ClaimFigure, DataPoint, Indicator, Verdict, VerdictEvidence
from rightstrack.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from rightstrack.core.models import AuditEvent, Confidentiality
from rightstrack.evidence.models import Citation
from tests.conftest import make_user

from .conftest import audit_count

# --- Indicators ------------------------------------------------------------------------------------


def test_create_indicator_audits_and_sets_topics(org_a, analyst_a):
    indicator = actions.create_indicator(
        analyst_a,
        organisation=org_a,
        name=" HRD threat index ",
        unit="acts",
        article=19,
        themes=["human-rights-defenders"],
    )
    assert indicator.name == "HRD threat index" and indicator.article.number == 19
    assert [t.code for t in indicator.themes.all()] == ["human-rights-defenders"]
    assert AuditEvent.objects.filter(verb="indicator.create", object_id=str(indicator.pk)).count() == 1


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"name": "", "unit": "acts"}, "name"),
        ({"name": "X", "unit": "  "}, "unit"),
        ({"name": "X", "unit": "acts", "article": 99}, "article"),
        ({"name": "X", "unit": "acts", "themes": ["no-such-topic"]}, "themes"),
        ({"name": 42, "unit": "acts"}, "name"),
        ({"name": "X" * 201, "unit": "acts"}, "name"),
    ],
)
def test_create_indicator_bad_input_writes_nothing(org_a, analyst_a, fields, field):
    with pytest.raises(InvalidInput) as exc:
        actions.create_indicator(analyst_a, organisation=org_a, **fields)
    assert exc.value.field == field
    assert not Indicator.objects.exists() and not AuditEvent.objects.exists()


def test_duplicate_indicator_name_refused(org_a, analyst_a, indicator):
    with pytest.raises(InvalidInput, match="already has an indicator"):
        actions.create_indicator(analyst_a, organisation=org_a, name="torture COMPLAINTS", unit="complaints")
    assert Indicator.objects.count() == 1


def test_indicator_needs_analyst_role(org_a, org_b, monitor_a, viewer_b, analyst_a):
    with pytest.raises(Forbidden):
        actions.create_indicator(monitor_a, organisation=org_a, name="X", unit="acts")
    with pytest.raises(Forbidden):
        actions.create_indicator(viewer_b, organisation=org_a, name="X", unit="acts")
    with pytest.raises(InvalidInput):
        actions.create_indicator(analyst_a, organisation="1", name="X", unit="acts")  # wrong type
    assert not Indicator.objects.exists()


def test_update_indicator_is_versioned(analyst_a, indicator):
    updated = actions.update_indicator(
        analyst_a, indicator, expected_version=1, changes={"unit": "complaints registered"}, themes=["impunity"]
    )
    assert updated.version == 2 and [t.code for t in updated.themes.all()] == ["impunity"]
    with pytest.raises(Conflict):
        actions.update_indicator(analyst_a, indicator, expected_version=1, changes={"name": "Other"})
    assert Indicator.objects.get().name == "Torture complaints"


# --- Data points -----------------------------------------------------------------------------------


def test_add_data_point_parses_period_and_cites(analyst_a, indicator, ngo_passage):
    point = actions.add_data_point(
        analyst_a,
        indicator,
        period="Jan–Oct 2024",
        value="1 234,5",
        source_kind="ngo",
        source_name="Coalition",
        partial=True,
        passage=ngo_passage,
        quote="980 complaints",
    )
    assert point.period_label == "2024-01..2024-10" and point.precision == "month"
    assert point.period_end == datetime.date(2024, 10, 31)
    assert point.value == decimal.Decimal("1234.5") and point.partial
    assert point.confidentiality == indicator.confidentiality  # inherits by default
    assert Citation.objects.filter(object_id=point.pk, passage=ngo_passage).exists()
    assert AuditEvent.objects.filter(verb="datapoint.create").count() == 1


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"period": "last year"}, "period"),
        ({"period": ""}, "period"),
        ({"period": "2024-13"}, "period"),
        ({"value": "many"}, "value"),
        ({"value": None}, "value"),
        ({"value": True}, "value"),
        ({"value": "NaN"}, "value"),
        ({"value": "1e20"}, "value"),
        ({"source_kind": "rumour"}, "source_kind"),
        ({"partial": "yes"}, "partial"),
        ({"notes": "x" * 5001}, "notes"),
        ({"confidentiality": "secret"}, "confidentiality"),
    ],
)
def test_add_data_point_bad_input_writes_nothing(analyst_a, indicator, fields, field):
    before = audit_count()
    data = {"period": "2023", "value": 5, "source_kind": "ngo", **fields}
    with pytest.raises(InvalidInput) as exc:
        actions.add_data_point(analyst_a, indicator, **data)
    assert exc.value.field == field and str(exc.value.message)
    assert not DataPoint.objects.exists() and audit_count() == before


def test_add_data_point_forbidden_and_unknown(org_b, analyst_a, viewer_a, indicator):
    with pytest.raises(Forbidden):
        actions.add_data_point(viewer_a, indicator, period="2023", value=1, source_kind="ngo")
    other = make_user("analyst_b", org_b, "analyst")
    with pytest.raises(NotFound):
        actions.add_data_point(other, indicator, period="2023", value=1, source_kind="ngo")
    with pytest.raises(NotFound):
        actions.add_data_point(analyst_a, 987654, period="2023", value=1, source_kind="ngo")
    assert not DataPoint.objects.exists()


def test_passage_of_another_organisation_cannot_be_cited(org_b, analyst_a, indicator):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from rightstrack.evidence.actions import upload_document

    owner = make_user("coord_b", org_b, "coordinator")
    doc, _ = upload_document(owner, organisation_id=org_b.pk, upload=SimpleUploadedFile("b.txt", b"Private B."))
    with pytest.raises(NotFound):
        actions.add_data_point(
            analyst_a, indicator, period="2023", value=1, source_kind="ngo", passage=doc.passages.first()
        )
    assert not DataPoint.objects.exists()


def test_overlapping_point_is_an_explicit_conflict(analyst_a, indicator):
    first = actions.add_data_point(
        analyst_a, indicator, period="2024", value=85, source_kind="ngo", source_name="Coalition"
    )
    before = audit_count()
    with pytest.raises(actions.OverlapConflict) as exc:
        actions.add_data_point(
            analyst_a, indicator, period="Jan–Oct 2024", value=80, source_kind="ngo", source_name="coalition"
        )
    assert exc.value.status == 409 and exc.value.existing == [first] and "2024: 85" in exc.value.message
    assert DataPoint.objects.get().value == 85 and audit_count() == before  # nothing overwritten or added
    # Replacing something else than the overlapping figure is still a conflict.
    with pytest.raises(actions.OverlapConflict):
        actions.add_data_point(
            analyst_a,
            indicator,
            period="2024",
            value=80,
            source_kind="ngo",
            source_name="Coalition",
            replace=[first.pk + 1],
        )
    assert DataPoint.objects.filter(deleted_at__isnull=True).count() == 1


def test_overlap_resolved_by_explicit_replace(analyst_a, indicator):
    first = actions.add_data_point(analyst_a, indicator, period="2024", value=85, source_kind="ngo", source_name="C")
    second = actions.add_data_point(
        analyst_a, indicator, period="Jan–Oct 2024", value=80, source_kind="ngo", source_name="C", replace=[first.pk]
    )
    first.refresh_from_db()
    assert first.deleted_at is not None  # in the trash, restorable, not overwritten
    assert list(DataPoint.objects.filter(deleted_at__isnull=True)) == [second]
    assert AuditEvent.objects.filter(verb="datapoint.replace", object_id=str(first.pk)).exists()


def test_replace_needs_analyst_and_must_name_an_overlap(org_a, analyst_a, monitor_a, indicator):
    first = actions.add_data_point(analyst_a, indicator, period="2024", value=85, source_kind="ngo")
    with pytest.raises(Forbidden):
        actions.add_data_point(monitor_a, indicator, period="2024", value=1, source_kind="ngo", replace=[first.pk])
    with pytest.raises(InvalidInput, match="nothing to replace"):
        actions.add_data_point(analyst_a, indicator, period="2022", value=1, source_kind="ngo", replace=[first.pk])
    with pytest.raises(InvalidInput):
        actions.add_data_point(analyst_a, indicator, period="2024", value=1, source_kind="ngo", replace=["x"])
    assert DataPoint.objects.filter(deleted_at__isnull=True).count() == 1


def test_no_conflict_for_other_source_breakdown_or_period(analyst_a, indicator):
    actions.add_data_point(analyst_a, indicator, period="2024", value=85, source_kind="ngo")
    actions.add_data_point(analyst_a, indicator, period="2024", value=12, source_kind="official")
    actions.add_data_point(analyst_a, indicator, period="2024", value=40, source_kind="ngo", disaggregation="women")
    actions.add_data_point(analyst_a, indicator, period="2023", value=70, source_kind="ngo")
    actions.add_data_point(analyst_a, indicator, period="2024", value=90, source_kind="ngo", source_name="Other NGO")
    assert DataPoint.objects.count() == 5


def test_conflict_with_a_figure_the_user_cannot_see(org_a, analyst_a, monitor_a, indicator):
    actions.add_data_point(
        analyst_a, indicator, period="2024", value=85, source_kind="ngo", confidentiality="restricted"
    )
    with pytest.raises(actions.OverlapConflict) as exc:
        actions.add_data_point(monitor_a, indicator, period="2024", value=1, source_kind="ngo")
    assert exc.value.existing == [] and exc.value.hidden == 1 and "85" not in exc.value.message


def test_update_data_point_checks_overlap_and_version(analyst_a, indicator):
    a = actions.add_data_point(analyst_a, indicator, period="2023", value=1, source_kind="ngo")
    b = actions.add_data_point(analyst_a, indicator, period="2024", value=2, source_kind="ngo")
    with pytest.raises(actions.OverlapConflict):
        actions.update_data_point(analyst_a, b, expected_version=1, changes={"period": "2023"})
    with pytest.raises(InvalidInput):
        actions.update_data_point(analyst_a, b, expected_version=1, changes={"period": "sometime"})
    with pytest.raises(InvalidInput):
        actions.update_data_point(analyst_a, b, expected_version=1, changes={"indicator": 3})
    updated = actions.update_data_point(analyst_a, b, expected_version=1, changes={"value": "3", "period": "Q1 2025"})
    assert updated.value == 3 and updated.period_label == "2025-01..2025-03" and updated.version == 2
    with pytest.raises(Conflict):
        actions.update_data_point(analyst_a, b, expected_version=1, changes={"value": 9})
    a.refresh_from_db()
    assert a.value == 1


# --- Claims ----------------------------------------------------------------------------------------


def test_create_claim_with_figures_and_quote(claim, passage, indicator):
    figure = claim.figures.get()
    assert figure.unit == "complaints" and figure.period_label == "2023" and figure.indicator == indicator
    assert claim.article.number == 7 and [t.code for t in claim.themes.all()] == ["torture-and-other-cid-treatment"]
    citation = Citation.objects.get(object_id=claim.pk, content_type__model="claim")
    assert citation.passage == passage and "800" in citation.quote
    verbs = set(AuditEvent.objects.filter(object_type="claims.claim").values_list("verb", flat=True))
    assert {"claim.create", "claim.figures", "citation.add"} <= verbs


@pytest.mark.parametrize(
    ("figure", "message"),
    [
        ({"value": 100, "period": "2023"}, "no unit"),
        ({"value": 100, "unit": " ", "period": "2023"}, "no unit"),
        ({"value": 100, "unit": "cases"}, "no period"),
        ({"value": 100, "unit": "cases", "period": "recently"}, "not a period"),
        ({"unit": "cases", "period": "2023"}, "numeric value"),
        ({"value": "about a hundred", "unit": "cases", "period": "2023"}, "not a number"),
        ("100 cases", "not a figure"),
    ],
)
def test_claim_with_bad_figure_writes_nothing(org_a, analyst_a, figure, message):
    with pytest.raises(InvalidInput, match=message):
        actions.create_claim(analyst_a, organisation=org_a, text="A claim", date="2024-01-01", figures=[figure])
    assert not Claim.objects.exists() and not ClaimFigure.objects.exists() and not AuditEvent.objects.exists()


def test_claim_figure_unit_must_match_indicator(org_a, analyst_a, indicator):
    with pytest.raises(InvalidInput, match="same unit"):
        actions.create_claim(
            analyst_a,
            organisation=org_a,
            text="A claim",
            date="2024-01-01",
            figures=[{"value": 1, "unit": "cases", "period": "2023", "indicator": indicator.pk}],
        )
    assert not Claim.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"text": ""}, "text"),
        ({"date": "yesterday"}, "date"),
        ({"date": None}, "date"),
        ({"speaker_kind": "robot"}, "speaker_kind"),
        ({"forum_kind": "tweet"}, "forum_kind"),
        ({"article": "seven"}, "article"),
        ({"themes": ["nope"]}, "themes"),
        ({"text": "x" * 5001}, "text"),
    ],
)
def test_claim_bad_fields(org_a, analyst_a, fields, field):
    data = {"text": "A claim", "date": "2024-01-01", **fields}
    with pytest.raises(InvalidInput) as exc:
        actions.create_claim(analyst_a, organisation=org_a, **data)
    assert exc.value.field == field
    assert not Claim.objects.exists() and not AuditEvent.objects.exists()


def test_claim_permissions(org_a, viewer_a, viewer_b, monitor_a):
    for user in (viewer_a, viewer_b):
        with pytest.raises(Forbidden):
            actions.create_claim(user, organisation=org_a, text="A", date="2024-01-01")
    with pytest.raises(Forbidden):  # a monitor without restricted access cannot file a restricted claim
        actions.create_claim(monitor_a, organisation=org_a, text="A", date="2024-01-01", confidentiality="restricted")
    assert actions.create_claim(monitor_a, organisation=org_a, text="A", date="2024-01-01").pk


def test_too_many_figures(org_a, analyst_a):
    figures = [{"value": i, "unit": "cases", "period": "2023"} for i in range(actions.MAX_FIGURES + 1)]
    with pytest.raises(InvalidInput, match="At most"):
        actions.create_claim(analyst_a, organisation=org_a, text="A", date="2024-01-01", figures=figures)
    assert not Claim.objects.exists()


def test_add_and_remove_figure(analyst_a, viewer_a, claim):
    figure = actions.add_figure(analyst_a, claim, {"value": "40000", "unit": "cameras", "period": "2024"})
    assert claim.figures.count() == 2
    with pytest.raises(InvalidInput, match="no unit"):
        actions.add_figure(analyst_a, claim, {"value": 1, "unit": "", "period": "2024"})
    with pytest.raises(Forbidden):
        actions.add_figure(viewer_a, claim, {"value": 1, "unit": "x", "period": "2024"})
    with pytest.raises(Forbidden):
        actions.remove_figure(viewer_a, figure)
    actions.remove_figure(analyst_a, figure)
    assert claim.figures.count() == 1
    assert AuditEvent.objects.filter(verb="claim.figure.remove").count() == 1


def test_update_claim(analyst_a, claim):
    updated = actions.update_claim(
        analyst_a, claim, expected_version=1, changes={"text": "Reworded", "article": 14}, themes=["justice"]
    )
    assert updated.text == "Reworded" and updated.article.number == 14
    assert [t.code for t in updated.themes.all()] == ["justice"]
    with pytest.raises(InvalidInput):
        actions.update_claim(analyst_a, claim, expected_version=2, changes={"organisation": 3})
    with pytest.raises(Conflict):
        actions.update_claim(analyst_a, claim, expected_version=1, changes={"text": "Stale"})


# --- Verdicts --------------------------------------------------------------------------------------


def test_verdict_needs_evidence(analyst_a, claim):
    before = audit_count()
    with pytest.raises(InvalidInput, match="needs evidence") as exc:
        actions.give_verdict(analyst_a, claim, rating="contradicted", rationale="NGO figures are ten times higher")
    assert exc.value.field == "evidence"
    assert not Verdict.objects.exists() and audit_count() == before


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"rating": "wrong"}, InvalidInput),
        ({"rating": None}, InvalidInput),
        ({"rationale": ""}, InvalidInput),
        ({"rationale": 5}, InvalidInput),
        ({"evidence": [("auth.user", 1)]}, InvalidInput),
        ({"evidence": [("claims.datapoint", 987654)]}, NotFound),
        ({"evidence": ["garbage"]}, InvalidInput),
        ({"passages": [987654]}, NotFound),
    ],
)
def test_verdict_bad_input_writes_nothing(analyst_a, claim, ngo_passage, fields, error):
    data = {"rating": "contradicted", "rationale": "Because", "passages": [ngo_passage.pk], **fields}
    before = audit_count()
    with pytest.raises(error):
        actions.give_verdict(analyst_a, claim, **data)
    assert not Verdict.objects.exists() and not VerdictEvidence.objects.exists() and audit_count() == before
    assert not Citation.objects.filter(content_type__model="verdict").exists()


def test_verdict_with_passage_and_data_points(analyst_a, claim, series, ngo_passage):
    ngo = series[("ngo", "2023")]
    verdict = actions.give_verdict(
        analyst_a,
        claim,
        rating="contradicted",
        rationale="The coalition recorded 980 complaints in 2023.",
        passages=[ngo_passage.pk, ngo_passage.pk],
        evidence=[("claims.datapoint", ngo.pk), {"kind": "claims.DataPoint", "id": ngo.pk}],
    )
    assert verdict.analyst == analyst_a and verdict.reviewed_at is None
    assert VerdictEvidence.objects.get(verdict=verdict).object_id == ngo.pk  # duplicates collapse
    assert Citation.objects.filter(content_type__model="verdict", object_id=verdict.pk).count() == 1
    event = AuditEvent.objects.get(verb="verdict.create")
    assert event.after["rating"] == "contradicted" and event.after["evidence"] == [f"claims.datapoint#{ngo.pk}"]


def test_verdict_can_cite_a_document(analyst_a, claim, document):
    verdict = actions.give_verdict(
        analyst_a,
        claim,
        rating="unverifiable",
        rationale="No data",
        evidence=[("evidence.sourcedocument", document.pk)],
    )
    assert verdict.evidence.get().target == document


def test_verdict_roles(org_b, monitor_a, viewer_b, claim, ngo_passage):
    with pytest.raises(Forbidden):
        actions.give_verdict(monitor_a, claim, rating="supported", rationale="ok", passages=[ngo_passage])
    with pytest.raises(NotFound):
        actions.give_verdict(viewer_b, claim, rating="supported", rationale="ok", passages=[ngo_passage])
    assert not Verdict.objects.exists()


def test_history_and_review(analyst_a, coordinator_a, claim, ngo_passage):
    from rightstrack.claims import queries

    first = actions.give_verdict(analyst_a, claim, rating="partly", rationale="first", passages=[ngo_passage])
    second = actions.give_verdict(
        coordinator_a, claim, rating="contradicted", rationale="second", passages=[ngo_passage]
    )
    with pytest.raises(Forbidden):
        actions.review_verdict(analyst_a, first)  # analysts do not review
    with pytest.raises(Forbidden, match="other than its author"):
        actions.review_verdict(coordinator_a, second)
    assert queries.shown_verdict(queries.claim_detail(analyst_a, claim.pk)) is None
    actions.review_verdict(coordinator_a, first)
    with pytest.raises(InvalidInput, match="already been reviewed"):
        actions.review_verdict(coordinator_a, first)
    shown = queries.shown_verdict(queries.claim_detail(analyst_a, claim.pk))
    assert shown == first  # the unreviewed second opinion stays in the history only
    assert Verdict.objects.filter(claim=claim).count() == 2
    assert AuditEvent.objects.filter(verb="verdict.review").count() == 1


def test_restricted_claim_needs_restricted_access(org_a, analyst_a, monitor_a):
    claim = actions.create_claim(
        analyst_a, organisation=org_a, text="R", date="2024-01-01", confidentiality="restricted"
    )
    with pytest.raises(NotFound):
        actions.add_figure(monitor_a, claim, {"value": 1, "unit": "x", "period": "2024"})
    assert Claim.objects.get().confidentiality == Confidentiality.RESTRICTED


def test_other_apps_records_as_evidence(monkeypatch, analyst_a, monitor_a, claim, passage):
    """Any registered model that visibility can filter (own or VISIBILITY_VIA) may be cited; others may not."""
    from rightstrack.claims import evidence_kinds, queries

    monkeypatch.setattr(evidence_kinds, "CANDIDATES", [*evidence_kinds.CANDIDATES])
    assert evidence_kinds.model_for("evidence.passage") is None
    with pytest.raises(InvalidInput, match="cannot cite"):
        actions.give_verdict(
            analyst_a, claim, rating="partly", rationale="r", evidence=[("evidence.passage", passage.pk)]
        )
    evidence_kinds.register("evidence.Passage")  # a child model: visible through its document
    evidence_kinds.register("core.Organisation")  # no confidentiality at all: never a kind
    assert "core.organisation" not in evidence_kinds.kinds()
    verdict = actions.give_verdict(
        analyst_a, claim, rating="partly", rationale="r", evidence=[("evidence.passage", passage.pk)]
    )
    items = queries.verdict_evidence(monitor_a, [verdict])[verdict.pk]
    assert [i.record for i in items] == [passage]
    # Search looks only at free text, never at choice fields such as confidentiality.
    assert "confidentiality" not in evidence_kinds.search_fields(DataPoint)
    assert [p.pk for p in evidence_kinds.search(analyst_a, type(passage), "about 800")] == [passage.pk]
