"""Report pages, the background build with its progress bar, downloads, the API and the CLI."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone
from docx import Document as WordDocument

from rightstrack.core.models import AuditEvent, Confidentiality
from rightstrack.reports import actions
from rightstrack.reports.models import BuildStatus, Publication, ReportDefinition

from .factories import recommendation


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def built(coordinator_a, org_a):
    recommendation(org_a, text="Investigate all allegations of torture.", article=7, paragraph="22")
    report = actions.create_report(
        coordinator_a, organisation=org_a, title="Shadow", kind="shadow-iccpr", filters={"public_only": True}
    )
    actions.build_now(coordinator_a, report)
    return report


def test_create_then_build_in_background_with_progress(coordinator_a, org_a, django_capture_on_commit_callbacks):
    recommendation(org_a, text="Investigate all allegations of torture.", article=7, paragraph="22")
    client = _client(coordinator_a)
    assert client.get("/reports/new/").status_code == 200
    response = client.post(
        "/reports/new/",
        {
            "title": "My shadow report",
            "kind": "shadow-iccpr",
            "organisation": org_a.pk,
            "state": "KZ",
            "language": "en",
            "articles": "7, 14",
            "confidentiality": "internal",
        },
    )
    report = ReportDefinition.objects.get()
    assert response.status_code == 302 and report.filters == {"articles": [7, 14]}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/reports/{report.pk}/build/")
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.build_status == BuildStatus.READY and report.progress == 100
    page = client.get(f"/reports/{report.pk}/").content.decode()
    assert "Investigate all allegations of torture" in page
    progress = client.get(f"/reports/{report.pk}/progress/", HTTP_HX_REQUEST="true")
    assert progress["HX-Refresh"] == "true"  # finished: the page reloads itself


def test_progress_bar_polls_while_building(coordinator_a, org_a):
    report = actions.create_report(coordinator_a, organisation=org_a, title="R", kind="shadow-iccpr")
    ReportDefinition.objects.filter(pk=report.pk).update(build_status=BuildStatus.BUILDING, progress=40)
    html = _client(coordinator_a).get(f"/reports/{report.pk}/progress/", HTTP_HX_REQUEST="true")
    body = html.content.decode()
    assert 'hx-trigger="every 1s"' in body and 'value="40"' in body and "HX-Refresh" not in html


def test_create_form_errors_are_400_and_write_nothing(coordinator_a, org_a):
    response = _client(coordinator_a).post(
        "/reports/new/",
        {
            "title": "X",
            "kind": "shadow-iccpr",
            "organisation": org_a.pk,
            "state": "KZ",
            "language": "en",
            "articles": "seven",
            "confidentiality": "internal",
        },
    )
    assert response.status_code == 400 and "article numbers" in response.content.decode()
    assert not ReportDefinition.objects.exists()


def test_viewer_cannot_reach_the_create_page_or_build(viewer_a, built):
    client = _client(viewer_a)
    assert client.get("/reports/new/").status_code == 404
    events = AuditEvent.objects.count()
    assert client.post(f"/reports/{built.pk}/build/").status_code == 403
    assert client.get(f"/reports/{built.pk}/blocks/{built.blocks.first().pk}/edit/").status_code == 404
    assert AuditEvent.objects.count() == events


def test_other_organisation_gets_404(viewer_b, built):
    client = _client(viewer_b)
    assert client.get(f"/reports/{built.pk}/").status_code == 404
    assert client.get(f"/reports/{built.pk}/download/md/").status_code == 404


def test_edit_page_and_conflict_page(coordinator_a, analyst_a, built):
    block = built.blocks.filter(kind="paragraph", key__startswith="art-7").first()
    client = _client(analyst_a)
    assert client.get(f"/reports/{built.pk}/blocks/{block.pk}/edit/").status_code == 200
    ok = client.post(f"/reports/{built.pk}/blocks/{block.pk}/edit/", {"text": "Mine.", "version": 1})
    assert ok.status_code == 302
    stale = _client(coordinator_a).post(
        f"/reports/{built.pk}/blocks/{block.pk}/edit/", {"text": "Theirs.", "version": 1}
    )
    assert stale.status_code == 409
    assert "Mine." in stale.content.decode() and "Theirs." in stale.content.decode()
    block.refresh_from_db()
    assert block.text == "Mine."
    empty = client.post(f"/reports/{built.pk}/blocks/{block.pk}/edit/", {"text": "", "version": 2})
    assert empty.status_code == 400


def test_add_move_revert_delete_through_pages(coordinator_a, built):
    client = _client(coordinator_a)
    block = built.blocks.filter(kind="paragraph", key__startswith="art-7").first()
    response = client.post(f"/reports/{built.pk}/add/", {"section": "art-7", "after": block.pk, "text": "Free words."})
    assert response.status_code == 302
    free = built.blocks.get(text="Free words.")
    assert client.post(f"/reports/{built.pk}/blocks/{free.pk}/move/", {"direction": "up"}).status_code == 302
    assert client.post(f"/reports/{built.pk}/add/", {"section": "nope", "text": "x"}).status_code == 400
    client.post(f"/reports/{built.pk}/blocks/{block.pk}/edit/", {"text": "Changed.", "version": 1})
    assert client.post(f"/reports/{built.pk}/blocks/{block.pk}/revert/", {"version": 2}).status_code == 302
    block.refresh_from_db()
    assert block.text == block.generated_text and not block.edited
    assert client.post(f"/reports/{built.pk}/blocks/{free.pk}/delete/").status_code == 302
    assert client.post(f"/reports/{built.pk}/blocks/{block.pk}/delete/").status_code == 400
    assert client.post(f"/reports/{built.pk}/blocks/{block.pk}/revert/", {"version": "x"}).status_code == 400


@pytest.mark.parametrize("fmt", ["html", "md", "docx", "pdf"])
def test_downloads(coordinator_a, built, fmt):
    response = _client(coordinator_a).get(f"/reports/{built.pk}/download/{fmt}/")
    assert response.status_code == 200
    # type-language-period end; an open-ended period is named by the build date
    stem = f"shadow-report-en-{timezone.localdate().isoformat()}"
    assert response["Content-Disposition"] == f'attachment; filename="{stem}.{fmt}"'
    if fmt == "docx":
        word = WordDocument(io.BytesIO(response.content))
        assert any(p.style.name == "Heading 1" and p.text.startswith("Article 7") for p in word.paragraphs)


def test_unknown_download_format_is_400(coordinator_a, built):
    assert _client(coordinator_a).get(f"/reports/{built.pk}/download/rtf/").status_code == 400


def test_publish_refused_page_lists_problems(coordinator_a, org_a):
    recommendation(org_a, text="Internal one.", article=7, level=Confidentiality.INTERNAL)
    report = actions.create_report(coordinator_a, organisation=org_a, title="R", kind="shadow-iccpr")
    actions.build_now(coordinator_a, report)
    response = _client(coordinator_a).post(f"/reports/{report.pk}/publish/")
    assert response.status_code == 409
    assert "not public" in response.content.decode()
    assert not Publication.objects.exists()


def test_publish_then_anonymous_sees_it_on_the_portal(coordinator_a, built):
    response = _client(coordinator_a).post(f"/reports/{built.pk}/publish/")
    publication = Publication.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/public/reports/{publication.slug}/"
    page = Client().get(f"/public/reports/{publication.slug}/").content.decode()
    assert "Investigate all allegations of torture" in page
    assert _client(coordinator_a).post(f"/reports/{built.pk}/withdraw/").status_code == 302
    assert Client().get(f"/public/reports/{publication.slug}/").status_code == 404


def test_api_create_build_read_and_refuse(coordinator_a, org_a, django_capture_on_commit_callbacks):
    recommendation(org_a, text="Investigate all allegations of torture.", article=7)
    client = _client(coordinator_a)
    bad = client.post(
        "/api/reports/reports",
        json.dumps({"organisation": org_a.pk, "title": "A", "kind": "shadow-iccpr", "filters": {"colour": 1}}),
        content_type="application/json",
    )
    assert bad.status_code == 400 and "Unknown filter field" in bad.json()["detail"]
    created = client.post(
        "/api/reports/reports",
        json.dumps({"organisation": org_a.pk, "title": "A", "kind": "shadow-iccpr"}),
        content_type="application/json",
    )
    assert created.status_code == 201
    pk = created.json()["id"]
    with django_capture_on_commit_callbacks(execute=True):
        built = client.post(f"/api/reports/reports/{pk}/build")
    assert built.status_code == 200
    assert client.get(f"/api/reports/reports/{pk}").json()["build_status"] == "ready"
    paragraphs = client.get(f"/api/reports/reports/{pk}/paragraphs").json()
    assert [p["number"] for p in paragraphs if p["number"]] == list(
        range(1, 1 + sum(1 for p in paragraphs if p["number"]))
    )
    assert client.get(f"/api/reports/reports/{pk}/download/md").status_code == 200
    assert client.get("/api/reports/reports/424242").status_code == 404


def test_api_build_of_empty_scope_reports_the_error(coordinator_a, org_a, django_capture_on_commit_callbacks):
    report = actions.create_report(coordinator_a, organisation=org_a, title="Empty", kind="shadow-iccpr")
    with django_capture_on_commit_callbacks(execute=True):
        response = _client(coordinator_a).post(f"/api/reports/reports/{report.pk}/build")
    report.refresh_from_db()
    assert report.build_status == BuildStatus.FAILED and "Nothing to report" in report.build_error
    assert not report.blocks.exists()
    assert response.status_code == 200


def test_cli_builds_public_records_and_refuses_empty_scope(org_a, tmp_path):
    out = tmp_path / "report.docx"
    with pytest.raises(CommandError, match="Nothing to report"):
        call_command(
            "report", "build", "--type", "shadow-iccpr", "--state", "KZ", "--format", "docx", "--out", str(out)
        )
    assert not out.exists()
    recommendation(org_a, text="Investigate all allegations of torture.", article=7)
    recommendation(org_a, text="Secret internal one.", article=7, level=Confidentiality.INTERNAL, paragraph="9")
    call_command("report", "build", "--type", "shadow-iccpr", "--state", "KZ", "--format", "docx", "--out", str(out))
    text = "\n".join(p.text for p in WordDocument(str(out)).paragraphs)
    assert "Investigate all allegations of torture" in text and "Secret internal one" not in text
    with pytest.raises(CommandError, match="Unknown filter field"):
        call_command("report", "build", "--type", "shadow-iccpr", "--filters", '{"x": 1}', "--out", str(out))
    with pytest.raises(CommandError, match="no active user"):
        call_command("report", "build", "--type", "shadow-iccpr", "--user", "ghost", "--out", str(out))


def test_cli_as_a_member_includes_internal_records(coordinator_a, org_a, tmp_path):
    recommendation(org_a, text="Secret internal one.", article=7, level=Confidentiality.INTERNAL)
    out = tmp_path / "r.md"
    call_command(
        "report",
        "build",
        "--type",
        "shadow-iccpr",
        "--format",
        "md",
        "--out",
        str(out),
        "--user",
        "coordinator_a",
        "--organisation",
        "org-a",
        "--language",
        "ru",
    )
    assert "Secret internal one" in out.read_text()


def test_definition_edit_changes_scope_and_keeps_manual_edits(
    coordinator_a, analyst_a, viewer_a, viewer_b, built, org_b
):
    from rightstrack.core.models import Membership, Role

    url = f"/reports/{built.pk}/edit/"
    client = _client(coordinator_a)
    page = client.get(url).content.decode()
    assert 'name="version"' in page and 'name="kind"' not in page and 'name="facts"' not in page
    block = next(b for b in built.blocks.all() if b.kind == "paragraph" and b.generated_text)
    actions.edit_block(coordinator_a, block, expected_version=block.version, text="Our own wording.")
    data = {"version": built.version, "title": "Shadow 2024", "language": "ru", "period_start": "2024-01-01"}
    data |= {"period_end": "2024-12-31", "articles": "7, 9", "confidentiality": "internal"}
    assert client.post(url, data).status_code == 302
    built.refresh_from_db()
    assert (built.title, built.language, str(built.period_start)) == ("Shadow 2024", "ru", "2024-01-01")
    assert built.filters == {"articles": [7, 9]} and built.version == 2
    assert AuditEvent.objects.filter(verb="report.update").count() == 1
    actions.build_now(coordinator_a, built)
    block.refresh_from_db()
    assert block.text == "Our own wording."  # the rebuild keeps the hand-edited paragraph
    # A stale form is a 409 and changes nothing; a period that ends before it starts is a 400.
    assert client.post(url, data | {"title": "Stale"}).status_code == 409
    bad = client.post(url, data | {"version": built.version, "period_end": "2023-01-01"})
    assert bad.status_code == 400 and "ends before it starts" in bad.content.decode()
    # Records of an organisation the author does not belong to: refused, nothing changed.
    other = client.post(url, data | {"version": built.version, "organisations": [org_b.pk]})
    assert other.status_code in (400, 403)
    built.refresh_from_db()
    assert built.title == "Shadow 2024" and list(built.organisations.values_list("pk", flat=True)) != [org_b.pk]
    # Joining B makes it possible, and the change is audited.
    Membership.objects.create(user=coordinator_a, organisation=org_b, role=Role.VIEWER)
    coordinator_a._rt_memberships = None
    both = data | {"version": built.version, "organisations": [built.organisation_id, org_b.pk]}
    assert _client(coordinator_a).post(url, both).status_code == 302
    assert set(built.organisations.values_list("pk", flat=True)) == {built.organisation_id, org_b.pk}
    assert AuditEvent.objects.filter(verb="report.organisations").count() == 1
    # Viewers and other organisations: no page.
    assert _client(viewer_a).get(url).status_code == 404
    assert _client(viewer_b).post(url, data).status_code == 404
    assert client.get("/reports/987654/edit/").status_code == 404
