"""Report definitions, generators, regeneration that keeps edits, editing, conflicts and publication."""

from __future__ import annotations

import datetime

import pytest
from django.db import DatabaseError

from rightstrack.core.errors import Conflict, Forbidden, InvalidInput, TooLarge
from rightstrack.core.models import AuditEvent, Confidentiality, Person, Theme
from rightstrack.reports import actions, generators, queries
from rightstrack.reports.models import BuildStatus, Publication, ReportBlock, ReportDefinition

from .factories import recommendation


def _report(user, org, **kwargs) -> ReportDefinition:
    defaults = {"title": "Shadow", "kind": "shadow-iccpr", "organisation": org}
    return actions.create_report(user, **{**defaults, **kwargs})


@pytest.fixture
def recs(org_a):
    return [
        recommendation(org_a, text="Guarantee access to a lawyer from the moment of arrest.", article=14),
        recommendation(org_a, text="Investigate all allegations of torture.", article=7, paragraph="22"),
        recommendation(org_a, text="Fully implemented one.", article=7, paragraph="23", status="fully"),
    ]


def _numbered_texts(report):
    return [(b.key, n) for b, n in queries.numbered_blocks(report) if n]


def test_shadow_report_by_article_with_continuous_numbering_and_recommendations_last(coordinator_a, org_a, recs):
    report = _report(coordinator_a, org_a)
    actions.build_now(coordinator_a, report)
    report.refresh_from_db()
    assert report.build_status == BuildStatus.READY
    keys = [o["key"] for o in report.outline]
    assert keys == ["intro", "art-7", "art-7-recommendations", "art-14", "art-14-recommendations"]
    numbers = [n for _k, n in _numbered_texts(report)]
    assert numbers == list(range(1, len(numbers) + 1))  # continuous across sections
    document = queries.assemble(report)
    art7 = document.sections[1]
    assert art7.title.startswith("Article 7")
    assert art7.subsections[0].title == "Recommendations"
    recs_text = [p.text for p in art7.subsections[0].blocks]
    assert any("Investigate all allegations of torture" in t for t in recs_text)
    assert not any("Fully implemented one" in t for t in recs_text)  # only what is still to do
    summary = art7.blocks[0]
    assert "2 recommendations" in summary.text and "1 fully implemented, 1 not implemented" in summary.text
    assert summary.footnotes and "CCPR/C/KAZ/CO/2, para. 22." in [f.text for f in summary.footnotes]
    # Modules without data say so instead of failing.
    assert "No data was available from" in document.sections[0].blocks[-1].text
    assert document.word_limit == 10700 and 0 < document.word_count() < 10700
    assert AuditEvent.objects.filter(verb="report.build", object_id=str(report.pk)).count() == 1


def test_russian_report_uses_russian_article_titles_and_state_name(coordinator_a, org_a, recs):
    report = _report(coordinator_a, org_a, language="ru", title="Доклад")
    actions.build_now(coordinator_a, report)
    document = queries.assemble(report)
    assert document.language == "ru"
    assert "Пытки" in document.sections[1].title or "пыт" in document.sections[1].title.lower()
    assert "Казахстан" in document.sections[1].blocks[0].text


def test_empty_scope_is_refused_and_writes_no_blocks(coordinator_a, org_a):
    report = _report(coordinator_a, org_a)
    events = AuditEvent.objects.count()
    with pytest.raises(InvalidInput, match="Nothing to report"):
        actions.build_now(coordinator_a, report)
    report.refresh_from_db()
    assert report.build_status == BuildStatus.FAILED and "Nothing to report" in report.build_error
    assert not report.blocks.exists() and report.outline == []
    assert AuditEvent.objects.count() == events


def test_a_failing_module_becomes_a_no_data_note(coordinator_a, org_a, recs, monkeypatch):
    def broken(scope, col):
        raise DatabaseError("relation trials_case does not exist")

    monkeypatch.setattr(generators, "trials_article14", broken)
    report = _report(coordinator_a, org_a)
    actions.build_now(coordinator_a, report)
    note = queries.assemble(report).sections[0].blocks[-1].text
    assert "trial monitoring" in note


@pytest.mark.parametrize(
    ("filters", "message"),
    [
        ({"colour": "red"}, "Unknown filter field “colour”"),
        ({"articles": "7"}, "must be a list"),
        ({"articles": [99]}, "numbers from 1 to 53"),
        ({"case": "x"}, "must be a number"),
        ({"public_only": "yes"}, "true or false"),
        ("not a dict", "must be an object"),
    ],
)
def test_bad_filters_are_refused_and_nothing_is_written(coordinator_a, org_a, filters, message):
    events = AuditEvent.objects.count()
    with pytest.raises(InvalidInput, match=message):
        _report(coordinator_a, org_a, filters=filters)
    assert not ReportDefinition.objects.exists()
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"kind": "novel"}, InvalidInput),
        ({"state": "XX"}, InvalidInput),
        ({"language": "de"}, InvalidInput),
        ({"title": "  "}, InvalidInput),
        ({"filters": {"facts": "x" * 20001}}, TooLarge),
    ],
)
def test_bad_definitions_are_refused(coordinator_a, org_a, kwargs, error):
    with pytest.raises(error):
        _report(coordinator_a, org_a, **kwargs)
    assert not ReportDefinition.objects.exists()


def test_viewer_and_other_organisation_cannot_create_or_build(viewer_a, coordinator_a, org_a, org_b, recs):
    with pytest.raises(Forbidden):
        _report(viewer_a, org_a)
    with pytest.raises(Forbidden):
        _report(coordinator_a, org_a, organisations=[org_a.pk, org_b.pk])
    report = _report(coordinator_a, org_a)
    with pytest.raises(Forbidden):
        actions.build_now(viewer_a, report)
    assert not report.blocks.exists()


def _first_paragraph(report, startswith: str = "art-7") -> ReportBlock:
    return report.blocks.filter(kind="paragraph", key__startswith=startswith).order_by("position").first()


def test_edit_is_versioned_audited_and_a_stale_edit_conflicts(analyst_a, coordinator_a, org_a, recs):
    report = _report(coordinator_a, org_a)
    actions.build_now(coordinator_a, report)
    block = _first_paragraph(report)
    edited = actions.edit_block(analyst_a, block, expected_version=1, text="Analyst's own words.")
    assert edited.version == 2 and edited.edited
    event = AuditEvent.objects.get(verb="report.paragraph_edit")
    assert event.after["text"] == "Analyst's own words." and event.before["text"] == block.text
    with pytest.raises(Conflict) as conflict:
        actions.edit_block(coordinator_a, block, expected_version=1, text="Someone else's words.")
    assert conflict.value.current == {"text": "Analyst's own words."}
    block.refresh_from_db()
    assert block.text == "Analyst's own words." and block.version == 2
    assert AuditEvent.objects.filter(verb="report.paragraph_edit").count() == 1


@pytest.mark.parametrize(("text", "error"), [("   ", InvalidInput), ("x" * 20001, TooLarge)])
def test_bad_paragraph_text_is_refused(coordinator_a, org_a, recs, text, error):
    report = _report(coordinator_a, org_a)
    actions.build_now(coordinator_a, report)
    block = _first_paragraph(report)
    with pytest.raises(error):
        actions.edit_block(coordinator_a, block, expected_version=1, text=text)
    block.refresh_from_db()
    assert block.version == 1 and not block.edited


def test_regeneration_keeps_edits_and_free_paragraphs_and_lists_data_changes(coordinator_a, org_a, recs):
    report = _report(coordinator_a, org_a)
    actions.build_now(coordinator_a, report)
    summary = report.blocks.get(key="art-7-recommendations-summary")
    actions.edit_block(coordinator_a, summary, expected_version=1, text="Our careful wording about article 7.")
    free = actions.add_paragraph(coordinator_a, report, after=summary, section_key="art-7", text="A paragraph by hand.")
    untouched = report.blocks.get(key="art-14-recommendations-summary")
    # The data changes: a new article-7 recommendation and a new article-19 one.
    recommendation(org_a, text="Stop torture in pre-trial detention.", article=7, paragraph="24")
    recommendation(org_a, text="Decriminalise defamation.", article=19, paragraph="50")
    changes = actions.build_now(coordinator_a, report)
    summary.refresh_from_db()
    assert summary.text == "Our careful wording about article 7."  # the edit survives
    assert "3 recommendations" in summary.generated_text  # and the data behind it is current
    kinds = {(c["change"], c["key"]) for c in changes}
    assert ("kept-edit", "art-7-recommendations-summary") in kinds
    assert any(change == "added" and key.startswith("art-19") for change, key in kinds)
    assert ReportBlock.objects.filter(pk=free.pk, text="A paragraph by hand.").exists()
    order = [b.key for b in queries.blocks_of(report) if b.section_key == "art-7"]
    assert order.index(free.key) == order.index("art-7-recommendations-summary") + 1  # stays where it was put
    untouched.refresh_from_db()
    assert not untouched.edited
    report.refresh_from_db()
    assert report.last_changes == changes and "art-19" in [o["key"] for o in report.outline]


def test_edited_paragraph_whose_data_disappears_is_kept_as_stale(coordinator_a, org_a, recs):
    report = _report(coordinator_a, org_a)
    actions.build_now(coordinator_a, report)
    rec_block = report.blocks.get(key=f"art-14-rec-{recs[0].pk}")
    actions.edit_block(coordinator_a, rec_block, expected_version=1, text="Edited recommendation.")
    other = report.blocks.get(key=f"art-7-rec-{recs[1].pk}")
    from rightstrack.recommendations.models import Assessment

    Assessment.objects.filter(recommendation__in=[recs[0], recs[1]]).update(status="fully")
    changes = actions.build_now(coordinator_a, report)
    rec_block.refresh_from_db()
    assert rec_block.stale and rec_block.text == "Edited recommendation."
    assert not ReportBlock.objects.filter(pk=other.pk).exists()
    assert {"stale", "removed"} <= {c["change"] for c in changes}
    actions.delete_paragraph(coordinator_a, rec_block)
    assert not ReportBlock.objects.filter(pk=rec_block.pk).exists()


def test_reorder_add_and_delete(coordinator_a, org_a, recs):
    report = _report(coordinator_a, org_a)
    actions.build_now(coordinator_a, report)
    section = [b for b in queries.blocks_of(report) if b.section_key == "art-7"]
    first = section[0]
    with pytest.raises(InvalidInput, match="edge"):
        actions.move_block(coordinator_a, first, "up")
    with pytest.raises(InvalidInput):
        actions.move_block(coordinator_a, first, "sideways")
    free = actions.add_paragraph(coordinator_a, report, after=None, section_key="art-7", text="Opening words.")
    assert [b for b in queries.blocks_of(report) if b.section_key == "art-7"][0].pk == free.pk
    actions.move_block(coordinator_a, free, "down")
    assert [b.pk for b in queries.blocks_of(report) if b.section_key == "art-7"][1] == free.pk
    with pytest.raises(InvalidInput, match="No such section"):
        actions.add_paragraph(coordinator_a, report, after=None, section_key="nope", text="x")
    with pytest.raises(InvalidInput, match="cannot be deleted"):
        actions.delete_paragraph(coordinator_a, first)
    actions.delete_paragraph(coordinator_a, free)
    verbs = set(AuditEvent.objects.values_list("verb", flat=True))
    assert {"report.paragraph_move", "report.paragraph_add", "report.paragraph_delete"} <= verbs


def test_publication_refuses_non_public_records_with_a_list_and_writes_nothing(coordinator_a, org_a, recs):
    recommendation(
        org_a, text="Internal-only recommendation.", article=7, level=Confidentiality.INTERNAL, paragraph="9"
    )
    report = _report(coordinator_a, org_a)
    actions.build_now(coordinator_a, report)
    events = AuditEvent.objects.count()
    with pytest.raises(actions.PublicationRefused) as refused:
        actions.publish(coordinator_a, report, accept_unsourced=True)
    whats = [p.what for p in refused.value.problems]
    assert any("Internal-only recommendation" in w and "not public" in w for w in whats)
    assert all(p.where and p.fix for p in refused.value.problems)
    assert not Publication.objects.exists()
    assert AuditEvent.objects.count() == events


def test_publication_refuses_a_restricted_persons_name(coordinator_a, org_a, recs):
    Person.objects.create(
        organisation=org_a,
        confidentiality=Confidentiality.RESTRICTED,
        pseudonym="Witness Q",
        real_name="Aigerim Secret",
    )
    report = _report(coordinator_a, org_a, filters={"public_only": True})
    actions.build_now(coordinator_a, report)
    section = report.outline[1]["key"]
    actions.add_paragraph(coordinator_a, report, after=None, section_key=section, text="We met Aigerim Secret in May.")
    with pytest.raises(actions.PublicationRefused) as refused:
        actions.publish(coordinator_a, report, accept_unsourced=True)
    assert any("Witness Q" in p.what for p in refused.value.problems)
    assert not any("Aigerim" in p.what for p in refused.value.problems)  # the list itself names no one
    assert not Publication.objects.exists()


def test_unsourced_figures_are_listed_and_block_publication_until_accepted(coordinator_a, org_a, recs):
    report = _report(coordinator_a, org_a, filters={"public_only": True})
    actions.build_now(coordinator_a, report)
    assert queries.unsourced_figures(report) == []  # generated figures all carry footnotes
    section = report.outline[1]["key"]
    actions.add_paragraph(coordinator_a, report, after=None, section_key=section, text="At least 238 people died.")
    unsourced = queries.unsourced_figures(report)
    assert len(unsourced) == 1 and "238" in unsourced[0]["figures"]
    with pytest.raises(InvalidInput, match="without a source"):
        actions.publish(coordinator_a, report)
    assert not Publication.objects.exists()
    publication = actions.publish(coordinator_a, report, accept_unsourced=True)
    assert publication.confidentiality == Confidentiality.PUBLIC
    assert "238" in publication.search_text


def test_publish_needs_a_reviewer_and_a_built_report(analyst_a, coordinator_a, org_a, recs):
    report = _report(coordinator_a, org_a, filters={"public_only": True})
    with pytest.raises(InvalidInput, match="Build the report"):
        actions.publish(coordinator_a, report)
    actions.build_now(coordinator_a, report)
    with pytest.raises(Forbidden):
        actions.publish(analyst_a, report)
    publication = actions.publish(coordinator_a, report)
    again = actions.publish(coordinator_a, report)
    assert again.pk == publication.pk and again.version == 2
    actions.withdraw(coordinator_a, report)
    assert not queries.publications().exists()
    with pytest.raises(InvalidInput):
        actions.withdraw(coordinator_a, report)


def test_public_edition_reads_public_records_only(coordinator_a, org_a, recs):
    recommendation(
        org_a, text="Internal-only recommendation.", article=7, level=Confidentiality.INTERNAL, paragraph="9"
    )
    report = _report(coordinator_a, org_a, filters={"public_only": True})
    actions.build_now(coordinator_a, report)
    texts = " ".join(b.text + b.generated_text for b in report.blocks.all())
    assert "Internal-only" not in texts
    assert queries.publication_problems(coordinator_a, report) == []


def test_upr_submission_by_theme_with_status_table(coordinator_a, org_a):
    theme = Theme.objects.filter(name_en="Detention").first() or Theme.objects.first()
    recommendation(
        org_a,
        text="Ratify OP-CAT.",
        mechanism="upr",
        symbol="A/HRC/41/10",
        upr_id="139.61",
        theme=theme.code,
        status="partially",
    )
    report = _report(coordinator_a, org_a, kind="upr-submission", title="UPR")
    actions.build_now(coordinator_a, report)
    document = queries.assemble(report)
    section = next(s for s in document.sections if s.key == f"theme-{theme.code}")
    table = next(b for b in section.blocks if hasattr(b, "rows"))
    assert table.rows[0][0] == "139.61" and table.rows[0][4] == "partially implemented (1 January 2023)"
    assert section.subsections[0].blocks[0].style == "recommendation"
    assert document.word_limit == 5630


def test_statement_needs_facts_and_lists_demands(coordinator_a, org_a):
    report = _report(coordinator_a, org_a, kind="statement", title="Statement")
    with pytest.raises(InvalidInput, match="facts"):
        actions.build_now(coordinator_a, report)
    report = _report(
        coordinator_a,
        org_a,
        kind="statement",
        title="Statement 2",
        filters={"facts": "First fact.\n\nSecond fact.", "demands": "- Release him\n- Investigate", "place": "Almaty"},
    )
    actions.build_now(coordinator_a, report)
    document = queries.assemble(report)
    assert [p.text for p in document.sections[0].blocks][1:] == ["First fact.", "Second fact."]
    assert document.sections[0].blocks[0].text.startswith("Almaty")
    assert [p.text for p in document.sections[1].blocks] == ["Release him", "Investigate"]


def test_trial_data_feeds_article_14_with_a_chart_and_the_trial_report(coordinator_a, org_a):
    from .factories import trial

    case = trial(org_a, city="Almaty", hearings=3)
    trial(org_a, number="2-5/2022", city="Taldykorgan", hearings=2)
    report = _report(
        coordinator_a, org_a, period_start=datetime.date(2022, 1, 1), period_end=datetime.date(2022, 12, 31)
    )
    actions.build_now(coordinator_a, report)
    document = queries.assemble(report)
    art14 = next(s for s in document.sections if s.key == "art-14")
    assert art14.blocks[0].text == (
        "Criminal cases followed by monitors: 2; courts: 2; hearings held from 1 January 2022 to 31 December 2022: 5."
    )
    assert art14.blocks[0].footnotes  # the figure has a source
    figure = art14.blocks[1]
    assert figure.chart.rows == [("Almaty", 3), ("Taldykorgan", 2)]
    trial_report = _report(coordinator_a, org_a, kind="trial", title="Trials", filters={"case": case.pk})
    actions.build_now(coordinator_a, trial_report)
    document = queries.assemble(trial_report)
    # The trials module's own report (findings, cases, method) for the chosen case only.
    assert [s.key for s in document.sections] == ["intro", "summary", "rights", "cases", "method"]
    cases = next(s for s in document.sections if s.key == "cases")
    assert [row[0] for row in cases.blocks[0].rows] == ["1-22/2022"]
    assert cases.blocks[0].sources == [("trials.Case", case.pk)]


def test_trial_report_carries_the_trial_findings_of_the_chosen_cases_and_period(coordinator_a, org_a, monitor_a, org_b):
    from rightstrack.core.models import Role

    from ..conftest import make_user
    from ..trials.conftest import build_trial, observe

    coordinator_b = make_user("coordinator_b", org_b, Role.COORDINATOR)

    june = build_trial(coordinator_a, org_a, monitor_a, number="A-6", date=datetime.date(2022, 6, 1))
    observe(june, answers={"PUB-3": "yes", "PUB-4": "no"})
    march = build_trial(coordinator_a, org_a, monitor_a, number="A-3", date=datetime.date(2022, 3, 1))
    observe(march, answers={"PUB-3": "yes"})
    # Another organisation's internal case is not the builder's to see.
    build_trial(coordinator_b, org_b, None, number="B-1", confidentiality="internal")
    report = _report(
        coordinator_a,
        org_a,
        kind="trial",
        title="Trials",
        period_start=datetime.date(2022, 5, 1),
        period_end=datetime.date(2022, 12, 31),
    )
    actions.build_now(coordinator_a, report)
    document = queries.assemble(report)
    cases = next(s for s in document.sections if s.key == "cases")
    # Only visible cases; March's hearing is outside the period so its case counts no observed hearing.
    assert {row[0]: row[-1] for row in cases.blocks[0].rows} == {"A-3": "0", "A-6": "1"}
    summary = next(s for s in document.sections if s.key == "summary")
    assert "Hearings observed: 1." in summary.blocks[0].text
    assert any(s.key == "rights" and s.subsections for s in document.sections)
    # The cases are internal: the publication check names them.
    problems = queries.publication_problems(coordinator_a, report)
    assert problems and all("not public" in p.what for p in problems)
