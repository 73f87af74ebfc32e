"""Derived outputs follow the confidentiality of the records they were built from.

A coordinator with restricted access builds an internal report that quotes a restricted recommendation;
a monitor of the same organisation without restricted access may read the report but not that paragraph:
on the page, in every download and through the API it is withheld and replaced by a visible note.
"""

from __future__ import annotations

import io

import pytest
from django.test import Client
from docx import Document as WordDocument
from pypdf import PdfReader

from rightstrack.core.models import Confidentiality
from rightstrack.reports import actions, queries
from rightstrack.reports.models import ReportBlock

from .factories import recommendation

SECRET = "Release the detained witness Qwertyzed"
PUBLIC = "Investigate all allegations of torture"


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def text_of(response) -> str:
    """What a reader of the file sees: the text of a DOCX or PDF, the body of anything else."""
    content = response.content
    if content.startswith(b"PK"):
        doc = WordDocument(io.BytesIO(content))
        parts = [p.text for p in doc.paragraphs]
        parts += [c.text for t in doc.tables for row in t.rows for c in row.cells]
        return "\n".join(parts)
    if content.startswith(b"%PDF"):
        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return content.decode()


@pytest.fixture
def report(coordinator_a, org_a):
    recommendation(org_a, text=PUBLIC, article=7, paragraph="22")
    recommendation(org_a, text=SECRET, article=9, paragraph="23", level=Confidentiality.RESTRICTED, symbol="X/1")
    report = actions.create_report(coordinator_a, organisation=org_a, title="Internal shadow", kind="shadow-iccpr")
    actions.build_now(coordinator_a, report)
    return report


def test_builder_sees_everything(report, coordinator_a):
    page = _client(coordinator_a).get(f"/reports/{report.pk}/").content.decode()
    assert SECRET in page and PUBLIC in page and "withheld" not in page


def test_blocks_record_the_level_and_organisations_of_their_sources(report, org_a):
    secret = ReportBlock.objects.get(report=report, text__contains=SECRET)
    assert secret.access == {"level": "restricted", "internal": [], "restricted": [org_a.pk]}
    intro = ReportBlock.objects.get(report=report, key="intro-purpose")
    assert intro.access == {"level": "public", "internal": [], "restricted": []}


def test_page_withholds_what_the_reader_may_not_see(report, monitor_a):
    response = _client(monitor_a).get(f"/reports/{report.pk}/")
    page = response.content.decode()
    assert response.status_code == 200
    assert PUBLIC in page and SECRET not in page and "Qwertyzed" not in page
    assert "withheld" in page and "records you do not have access to" in page


@pytest.mark.parametrize("fmt", ["html", "md", "docx", "pdf"])
def test_downloads_are_rendered_for_each_reader(report, coordinator_a, monitor_a, fmt):
    own = _client(coordinator_a).get(f"/reports/{report.pk}/download/{fmt}/")
    assert SECRET.split()[-1] in text_of(own)
    theirs = _client(monitor_a).get(f"/reports/{report.pk}/download/{fmt}/")
    assert theirs.status_code == 200
    text = text_of(theirs)
    assert "Qwertyzed" not in text and "withheld" in text
    # Never kept by a browser or proxy: the next reader may have less access.
    assert "no-store" in theirs["Cache-Control"] and "private" in theirs["Cache-Control"]


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_api_download_withholds_too(report, monitor_a, fmt):
    text = text_of(_client(monitor_a).get(f"/api/reports/reports/{report.pk}/download/{fmt}"))
    assert "Qwertyzed" not in text and "withheld" in text


def test_api_paragraphs_withhold_and_say_so(report, monitor_a, coordinator_a):
    rows = _client(monitor_a).get(f"/api/reports/reports/{report.pk}/paragraphs").json()
    assert "Qwertyzed" not in str(rows)
    withheld = [r for r in rows if r["withheld"]]
    # Article 9's summary and its recommendation both quote the restricted recommendation.
    assert len(withheld) == 2 and all(r["text"] == "" and r["version"] == 0 for r in withheld)
    own = _client(coordinator_a).get(f"/api/reports/reports/{report.pk}/paragraphs").json()
    assert not any(r["withheld"] for r in own) and SECRET in str(own)


def test_edited_paragraph_keeps_the_level_it_was_generated_from(report, coordinator_a, monitor_a):
    block = ReportBlock.objects.get(report=report, text__contains=SECRET)
    actions.edit_block(coordinator_a, block, expected_version=block.version, text="Free Qwertyzed now.")
    actions.build_now(coordinator_a, report)  # a rebuild keeps the edit and its level
    page = _client(monitor_a).get(f"/reports/{report.pk}/").content.decode()
    assert "Qwertyzed" not in page and "withheld" in page


def test_free_paragraph_has_the_reports_level(report, coordinator_a, monitor_a):
    actions.add_paragraph(coordinator_a, report, after=None, section_key="intro", text="Our own words Plonkish.")
    page = _client(monitor_a).get(f"/reports/{report.pk}/").content.decode()
    assert "Plonkish" in page


def test_a_record_made_restricted_after_the_build_is_withheld_at_once(report, org_a, monitor_a):
    from rightstrack.recommendations.models import Recommendation

    Recommendation.objects.filter(text=PUBLIC).update(confidentiality=Confidentiality.RESTRICTED)
    page = _client(monitor_a).get(f"/reports/{report.pk}/").content.decode()
    assert PUBLIC not in page


def test_monitor_cannot_edit_or_read_withheld_block_directly(report, coordinator_a, org_a):
    from rightstrack.core.models import Role
    from tests.conftest import make_user

    analyst = make_user("analyst_norestricted", org_a, Role.ANALYST, restricted=False)
    block = ReportBlock.objects.get(report=report, text__contains=SECRET)
    client = _client(analyst)
    assert client.get(f"/reports/{report.pk}/blocks/{block.pk}/edit/").status_code == 404
    response = client.post(f"/reports/{report.pk}/blocks/{block.pk}/edit/", {"text": "x", "version": block.version})
    assert response.status_code == 404
    block.refresh_from_db()
    assert SECRET in block.text


def test_other_organisation_gets_nothing(report, viewer_b):
    client = _client(viewer_b)
    assert client.get(f"/reports/{report.pk}/").status_code == 404
    assert client.get(f"/reports/{report.pk}/download/md/").status_code == 404
    assert client.get(f"/api/reports/reports/{report.pk}/paragraphs").status_code == 404


def test_readable_blocks_counts_what_is_withheld(report, monitor_a, coordinator_a):
    shown, withheld = queries.readable_blocks(monitor_a, report)
    assert withheld == 2 and all("Qwertyzed" not in b.text for b in shown)
    assert queries.readable_blocks(coordinator_a, report)[1] == 0


def test_publishing_still_refuses_non_public_content(report, coordinator_a):
    with pytest.raises(actions.PublicationRefused):
        actions.publish(coordinator_a, report, accept_unsourced=True)


def test_what_changed_list_hides_items_built_from_hidden_records(report, coordinator_a, monitor_a):
    from rightstrack.recommendations.models import Recommendation

    Recommendation.objects.filter(text=SECRET).update(text=SECRET + " and Zorblat")
    actions.build_now(coordinator_a, report)
    report.refresh_from_db()
    assert any("Zorblat" in c["after"] for c in report.last_changes)
    assert "Zorblat" in _client(coordinator_a).get(f"/reports/{report.pk}/").content.decode()
    page = _client(monitor_a).get(f"/reports/{report.pk}/").content.decode()
    assert "Zorblat" not in page and "Qwertyzed" not in page


def test_an_edited_paragraph_keeps_its_old_sources_and_level(coordinator_a, monitor_a, org_a):
    from rightstrack.recommendations.models import Recommendation

    recommendation(org_a, text=PUBLIC, article=7, paragraph="22")
    hidden = recommendation(
        org_a, text=SECRET, article=7, paragraph="23", level=Confidentiality.RESTRICTED, symbol="X/1"
    )
    report = actions.create_report(coordinator_a, organisation=org_a, title="R", kind="shadow-iccpr")
    actions.build_now(coordinator_a, report)
    summary = ReportBlock.objects.get(report=report, key="art-7-recommendations-summary")
    assert ["recommendations.Recommendation", hidden.pk] in summary.sources
    actions.edit_block(coordinator_a, summary, expected_version=summary.version, text="Two asks, one of them secret.")
    Recommendation.objects.get(pk=hidden.pk).articles.clear()  # the data no longer puts it under article 7
    actions.build_now(coordinator_a, report)
    summary.refresh_from_db()
    # Still generated (the public one remains), still quoting what the hidden one said when it was written.
    assert not summary.stale and ["recommendations.Recommendation", hidden.pk] in summary.sources
    assert summary.access["level"] == "restricted"
    assert "one of them secret" not in _client(monitor_a).get(f"/reports/{report.pk}/").content.decode()
    problems = [p.what for p in queries.publication_problems(coordinator_a, report)]
    assert any("not public" in p for p in problems)


def test_publication_refuses_blocks_built_from_records_that_were_not_public(report, coordinator_a):
    from rightstrack.recommendations.models import Assessment, Recommendation

    # The records were made public after the build: the stored level still says restricted until a rebuild.
    Recommendation.objects.update(confidentiality=Confidentiality.PUBLIC)
    Assessment.objects.update(confidentiality=Confidentiality.PUBLIC)
    problems = [p.what for p in queries.publication_problems(coordinator_a, report)]
    assert any("were not public at the time" in p for p in problems)
    actions.build_now(coordinator_a, report)
    problems = [p.what for p in queries.publication_problems(coordinator_a, report)]
    assert not any("were not public at the time" in p for p in problems)


def test_refused_publication_does_not_name_persons_the_publisher_may_not_see(org_a, coordinator_a):
    from rightstrack.core.actions import create_person
    from rightstrack.core.models import Role
    from tests.conftest import make_user

    create_person(coordinator_a, org_a, pseudonym="Shadowfox", confidentiality=Confidentiality.RESTRICTED)
    report = actions.create_report(
        coordinator_a, organisation=org_a, title="S", kind="statement", filters={"facts": "Shadowfox was detained."}
    )
    actions.build_now(coordinator_a, report)
    plain = make_user("coordinator_plain", org_a, Role.COORDINATOR, restricted=False)
    response = _client(plain).post(f"/reports/{report.pk}/publish/", {"accept_unsourced": "on"})
    assert response.status_code == 409 and "names person" in response.content.decode()
    assert "Shadowfox" not in response.content.decode().replace("Shadowfox was detained", "")
    own = _client(coordinator_a).post(f"/reports/{report.pk}/publish/", {"accept_unsourced": "on"})
    assert "names person “Shadowfox”" in own.content.decode()
