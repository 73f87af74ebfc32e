"""The web flow: upload → background job → review → accept, through the Django test client."""

from __future__ import annotations

import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from rightstrack.core.actions import create_person
from rightstrack.core.errors import InvalidInput
from rightstrack.core.models import AuditEvent, Person
from rightstrack.evidence.models import Citation, Passage, SourceDocument
from rightstrack.ingest import acceptors
from rightstrack.ingest.acceptors import cite_suggestion
from rightstrack.ingest.detect import recommendations
from rightstrack.ingest.models import IngestionRun, RunStatus, Suggestion

REPORT = """# Alternative report on fair trials (test)

## Article 14 of the ICCPR

1. In 2023 monitors attended 120 hearings in Almaty; see CCPR/C/KAZ/CO/2 and, on follow-up, 139.61-139.63.

2. At the dialogue of 5 January 2024 the delegation said that 45 judges had been trained since 2021.

3. A Committee Expert said that 300 complaints of torture had been filed in 2022.

### Recommendations

- ensure that all hearings are open to the public;
- guarantee confidential access to a lawyer from the first hour of detention.
"""


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post_upload(client: Client, org, name: str, content: bytes, capture, **extra):
    """Upload through the page; the job (immediate backend) runs when the upload's transaction commits."""
    data = {"organisation": org.pk, "confidentiality": "internal", "file": SimpleUploadedFile(name, content), **extra}
    with capture(execute=True):
        return client.post("/ingest/upload/", data)


@pytest.fixture
def done(org_a, coordinator_a, capture):
    """A report uploaded and read: (client, document, run)."""
    client = client_for(coordinator_a)
    response = post_upload(client, org_a, "report.md", REPORT.encode(), capture)
    document = SourceDocument.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/ingest/documents/{document.pk}/"
    return client, document, IngestionRun.objects.get()


@pytest.fixture
def no_acceptors():
    saved = {k: acceptors.get(k) for k in acceptors.KINDS}
    for kind in acceptors.KINDS:
        acceptors.unregister(kind)
    yield
    for kind, fn in saved.items():
        acceptors.unregister(kind)  # also drops whatever the test registered
        if fn is not None:
            acceptors.register(kind, fn)


def person_acceptor(user, suggestion):
    """A stand-in acceptor: creates a Person (any Record would do) and cites the passage."""
    document = suggestion.document
    person = create_person(
        user,
        document.organisation_id,
        pseudonym=str(suggestion.data.get("text", suggestion.summary()))[:100],
        confidentiality=document.confidentiality,
    )
    cite_suggestion(user, person, suggestion)
    return person


@pytest.fixture
def with_acceptor(no_acceptors):
    acceptors.register("recommendation", person_acceptor)
    yield


def one(run, kind: str) -> Suggestion:
    return run.suggestions.filter(kind=kind).order_by("position").first()


# --- upload, job, progress --------------------------------------------------------------------


def test_upload_runs_job_and_stores_passages_and_suggestions(done):
    client, document, run = done
    assert run.status == RunStatus.DONE and run.progress == 100 and run.finished_at
    assert run.stage_versions["upr_ids"] == "upr-1.1" and "suggest" in run.stage_versions
    document.refresh_from_db()
    assert document.text_status == "ready" and document.title == "Alternative report on fair trials (test)"
    assert document.language == "en"
    numbers = list(document.passages.values_list("number", flat=True))
    assert numbers == list(range(1, len(numbers) + 1))
    first = document.passages.get(label="1")
    assert first.text.startswith("In 2023 monitors") and first.section == "Article 14 of the ICCPR"
    assert first.language == "en"
    kinds = {k: run.suggestions.filter(kind=k).count() for k in acceptors.KINDS}
    assert kinds["recommendation"] == 2 and kinds["upr_id"] == 3 and kinds["symbol"] == 1
    assert kinds["claim"] >= 1 and kinds["figure"] >= 1
    rec = one(run, "recommendation")
    assert rec.data["text"] == "ensure that all hearings are open to the public;"
    assert rec.passage.text == rec.data["text"] and rec.stage == "recommendations"
    assert rec.stage_version == recommendations.VERSION and rec.status == "pending"
    claim = run.suggestions.get(kind="claim", data__value=45)
    assert claim.data["speaker"] == "state" and claim.passage.label == "2"
    # The UPR range without the word "recommendation" nearby is IDs, not a figure.
    assert not run.suggestions.filter(kind="figure", data__value=139.61).exists()
    assert one(run, "upr_id").passage == first
    assert AuditEvent.objects.filter(verb="ingest.done").count() == 1


def test_document_page_groups_suggestions_by_kind(done):
    client, document, run = done
    page = client.get(f"/ingest/documents/{document.pk}/").content.decode()
    assert "Recommendations" in page and "UPR recommendation IDs" in page and "UN document symbols" in page
    # The first kind with suggestions waiting is shown, each beside its passage.
    assert "ensure that all hearings are open to the public;" in page and 'class="passage-number"' in page
    symbols = client.get(f"/ingest/documents/{document.pk}/?kind=symbol").content.decode()
    assert "CCPR/C/KAZ/CO/2" in symbols and "In 2023 monitors attended 120 hearings" in symbols
    assert "No module turns these into records yet" in symbols


def test_progress_fragment_polls_until_finished(org_a, coordinator_a, settings):
    # The database backend: the job waits for a worker, as in production.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    client = client_for(coordinator_a)
    client.post(
        "/ingest/upload/",
        {"organisation": org_a.pk, "confidentiality": "internal", "file": SimpleUploadedFile("r.md", REPORT.encode())},
    )
    document = SourceDocument.objects.get()
    run = IngestionRun.objects.get()
    assert run.status == RunStatus.QUEUED and document.text_status == "pending"
    page = client.get(f"/ingest/documents/{document.pk}/").content.decode()
    assert 'hx-trigger="every 1s"' in page and "<progress" in page and "you can leave this page" in page.lower()
    IngestionRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING, progress=40)
    fragment = client.get(f"/ingest/documents/{document.pk}/progress/", HTTP_HX_REQUEST="true")
    assert 'value="40"' in fragment.content.decode() and "HX-Refresh" not in fragment
    IngestionRun.objects.filter(pk=run.pk).update(status=RunStatus.QUEUED, progress=0)
    from rightstrack.ingest.actions import execute_run

    assert execute_run(run.pk) == "done"
    assert execute_run(run.pk) == "skipped"  # a retried job does nothing twice
    fragment = client.get(f"/ingest/documents/{document.pk}/progress/", HTTP_HX_REQUEST="true")
    assert fragment["HX-Refresh"] == "true" and "every 1s" not in fragment.content.decode()


def test_same_file_again_duplicates_nothing(done, org_a, capture):
    client, document, run = done
    passages, suggestions, events = Passage.objects.count(), Suggestion.objects.count(), AuditEvent.objects.count()
    again = post_upload(client, org_a, "copy.md", REPORT.encode(), capture)
    assert again.status_code == 302 and again["Location"] == f"/ingest/documents/{document.pk}/"
    assert SourceDocument.objects.count() == 1 and IngestionRun.objects.count() == 1
    assert (Passage.objects.count(), Suggestion.objects.count(), AuditEvent.objects.count()) == (
        passages,
        suggestions,
        events,
    )
    # Asking to read it again does nothing either.
    with capture(execute=True):
        client.post(f"/ingest/documents/{document.pk}/start/")
    assert IngestionRun.objects.count() == 1 and Suggestion.objects.count() == suggestions


def test_document_from_evidence_upload_reuses_its_passages(org_a, coordinator_a, capture):
    from rightstrack.evidence.actions import upload_document

    document, _ = upload_document(
        coordinator_a, organisation_id=org_a.pk, upload=SimpleUploadedFile("r.md", REPORT.encode())
    )
    ids = list(document.passages.values_list("pk", flat=True))
    client = client_for(coordinator_a)
    page = client.get(f"/ingest/documents/{document.pk}/").content.decode()
    assert "Read it and suggest records" in page
    with capture(execute=True):
        response = client.post(f"/ingest/documents/{document.pk}/start/")
    assert response.status_code == 302
    assert list(document.passages.values_list("pk", flat=True)) == ids
    run = IngestionRun.objects.get()
    assert run.status == RunStatus.DONE and one(run, "recommendation").passage_id in ids


# --- review -----------------------------------------------------------------------------------


def test_accept_without_acceptor_keeps_accepted_suggestion(done, no_acceptors):
    client, document, run = done
    s = one(run, "symbol")
    response = client.post(f"/ingest/suggestions/{s.pk}/accept/", {"version": s.version}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    body = response.content.decode()
    assert "no record was created" in body and f'id="suggestion-{s.pk}"' in body
    s.refresh_from_db()
    assert s.status == "accepted" and s.record_id is None and s.reviewer.username == "coordinator_a"
    assert AuditEvent.objects.filter(verb="suggestion.accept", object_id=str(s.pk)).count() == 1


def test_accept_calls_acceptor_which_cites_the_passage(done, with_acceptor):
    client, document, run = done
    s = one(run, "recommendation")
    response = client.post(f"/ingest/suggestions/{s.pk}/accept/", {"version": s.version})
    assert response.status_code == 302 and response["Location"].endswith("?kind=recommendation")
    s.refresh_from_db()
    person = Person.objects.get()
    assert s.status == "accepted" and s.record == person
    citation = Citation.objects.get()
    assert citation.passage == s.passage and citation.target == person
    assert citation.quote == s.data["text"]
    page = client.get(f"/ingest/documents/{document.pk}/?kind=recommendation&status=accepted").content.decode()
    assert "was created, citing this passage" in page


def test_edit_then_accept(done, with_acceptor):
    client, document, run = done
    s = one(run, "recommendation")
    form = client.get(f"/ingest/suggestions/{s.pk}/edit/", HTTP_HX_REQUEST="true").content.decode()
    assert 'name="text"' in form and "Save and accept" in form
    response = client.post(
        f"/ingest/suggestions/{s.pk}/accept/",
        {"edit": "1", "version": s.version, "text": "Ensure open hearings.", "section": "Recs", "article": "14"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    s.refresh_from_db()
    assert s.status == "edited" and s.data["text"] == "Ensure open hearings." and s.data["article"] == "14"
    assert s.proposed["text"] == "ensure that all hearings are open to the public;"
    assert Person.objects.get().pseudonym == "Ensure open hearings."


def test_reject(done):
    client, document, run = done
    s = one(run, "date") or one(run, "figure")
    response = client.post(f"/ingest/suggestions/{s.pk}/reject/", {"version": s.version})
    assert response.status_code == 302
    s.refresh_from_db()
    assert s.status == "rejected" and s.record_id is None
    assert AuditEvent.objects.filter(verb="suggestion.reject").count() == 1


def test_accept_all_of_one_kind(done, with_acceptor):
    client, document, run = done
    rejected = run.suggestions.filter(kind="recommendation").last()
    client.post(f"/ingest/suggestions/{rejected.pk}/reject/")
    response = client.post(f"/ingest/documents/{document.pk}/accept-all/", {"kind": "recommendation"})
    assert response.status_code == 302
    statuses = sorted(run.suggestions.filter(kind="recommendation").values_list("status", flat=True))
    assert statuses == ["accepted", "rejected"]
    assert Person.objects.count() == 1 and Citation.objects.count() == 1
    assert run.suggestions.filter(kind="upr_id", status="pending").count() == 3  # other kinds untouched


def test_accept_all_skips_what_the_acceptor_refuses(done, no_acceptors):
    client, document, run = done

    def picky(user, suggestion):
        if suggestion.data["upr_id"] == "139.62":
            raise InvalidInput("Not this one.")
        return person_acceptor(user, suggestion)

    acceptors.register("upr_id", picky)
    response = client.post(f"/ingest/documents/{document.pk}/accept-all/", {"kind": "upr_id"}, follow=True)
    assert "Not this one." in response.content.decode()
    statuses = {s.data["upr_id"]: s.status for s in run.suggestions.filter(kind="upr_id")}
    assert statuses == {"139.61": "accepted", "139.62": "pending", "139.63": "accepted"}
    assert Person.objects.count() == 2


# --- bad review input: clear error, fitting status, nothing written ----------------------------


def _nothing_changed(s: Suggestion, events: int) -> bool:
    fresh = Suggestion.objects.get(pk=s.pk)
    return (
        fresh.status == "pending"
        and fresh.data == s.data
        and fresh.version == s.version
        and AuditEvent.objects.count() == events
        and not Person.objects.exists()
        and not Citation.objects.exists()
    )


@pytest.mark.parametrize(
    "kind,fields,message",
    [
        ("figure", {"value": "many", "unit": "x", "text": "t"}, "must be a number"),
        ("figure", {"value": "nan", "unit": "x", "text": "t"}, "must be a number"),
        ("upr_id", {"upr_id": "139"}, "looks like 139.61"),
        ("symbol", {"symbol": "not a symbol"}, "looks like CCPR/C/KAZ/CO/2"),
        ("recommendation", {"text": "   ", "section": "", "article": ""}, "required"),
        ("recommendation", {"text": "x" * 5001, "section": "", "article": ""}, "too long"),
        ("recommendation", {"text": "ok", "section": "", "article": "fourteen"}, "14 or 2.3"),
        ("claim", {"value": "1", "unit": "", "text": "t", "speaker": "someone"}, "valid choice"),
    ],
)
def test_bad_edits_are_refused(done, with_acceptor, kind, fields, message):
    client, document, run = done
    s = one(run, kind)
    events = AuditEvent.objects.count()
    response = client.post(
        f"/ingest/suggestions/{s.pk}/accept/", {"edit": "1", "version": s.version, **fields}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 400 and message in response.content.decode()
    assert _nothing_changed(s, events)


def test_bad_date_edit(done):
    client, document, run = done
    s = one(run, "date")
    if s is None:
        pytest.skip("no date in the sample")
    events = AuditEvent.objects.count()
    response = client.post(
        f"/ingest/suggestions/{s.pk}/accept/", {"edit": "1", "version": s.version, "date": "2023-02-30"}
    )
    assert response.status_code == 400
    assert _nothing_changed(s, events)


def test_action_refuses_unknown_fields_and_wrong_types(done, coordinator_a):
    from rightstrack.ingest.actions import accept_suggestion

    client, document, run = done
    s = one(run, "upr_id")
    events = AuditEvent.objects.count()
    with pytest.raises(InvalidInput, match="cannot be changed"):
        accept_suggestion(coordinator_a, s.pk, edits={"passage": 1})
    with pytest.raises(InvalidInput, match="expected text or a number"):
        accept_suggestion(coordinator_a, s.pk, edits={"upr_id": ["139.61"]})
    assert _nothing_changed(s, events)


def test_reviewing_twice_or_stale_is_refused(done):
    client, document, run = done
    s = one(run, "upr_id")
    assert client.post(f"/ingest/suggestions/{s.pk}/reject/", {"version": s.version}).status_code == 302
    events = AuditEvent.objects.count()
    again = client.post(f"/ingest/suggestions/{s.pk}/accept/", {"version": s.version}, HTTP_HX_REQUEST="true")
    assert again.status_code == 400 and "already reviewed" in again.content.decode()
    other = run.suggestions.filter(kind="upr_id", status="pending").first()
    stale = client.post(f"/ingest/suggestions/{other.pk}/accept/", {"version": other.version + 5})
    assert stale.status_code == 400 and "reload the page" in stale.content.decode()
    assert AuditEvent.objects.count() == events


def test_acceptor_failure_undoes_everything(done, no_acceptors):
    client, document, run = done

    def half_then_fail(user, suggestion):
        create_person(user, suggestion.document.organisation_id, pseudonym="half-created")
        raise InvalidInput("The recommendation needs a review to belong to.")

    acceptors.register("recommendation", half_then_fail)
    s = one(run, "recommendation")
    events = AuditEvent.objects.count()
    response = client.post(f"/ingest/suggestions/{s.pk}/accept/", {"version": s.version}, HTTP_HX_REQUEST="true")
    assert response.status_code == 400 and "needs a review to belong to" in response.content.decode()
    assert _nothing_changed(s, events)


def test_unknown_kind_for_accept_all(done):
    client, document, run = done
    events = AuditEvent.objects.count()
    response = client.post(f"/ingest/documents/{document.pk}/accept-all/", {"kind": "everything"})
    assert response.status_code == 400 and "Unknown kind" in response.content.decode()
    assert AuditEvent.objects.count() == events


def test_permissions(done, viewer_a, viewer_b, monitor_a, org_a):
    client, document, run = done
    s = one(run, "upr_id")
    events = AuditEvent.objects.count()
    # A viewer of the organisation sees the review but may not decide.
    viewer = client_for(viewer_a)
    page = viewer.get(f"/ingest/documents/{document.pk}/?kind=upr_id").content.decode()
    assert "139.61" in page and "ingest_accept" not in page and f"/ingest/suggestions/{s.pk}/accept/" not in page
    assert viewer.post(f"/ingest/suggestions/{s.pk}/accept/").status_code == 403
    assert viewer.post(f"/ingest/documents/{document.pk}/accept-all/", {"kind": "upr_id"}).status_code == 403
    assert viewer.get(f"/ingest/suggestions/{s.pk}/edit/").status_code == 404
    assert viewer.get("/ingest/upload/").status_code == 404
    # Another organisation's viewer cannot tell the document exists.
    other = client_for(viewer_b)
    for url in (
        f"/ingest/documents/{document.pk}/",
        f"/ingest/documents/{document.pk}/progress/",
        f"/ingest/suggestions/{s.pk}/edit/",
    ):
        assert other.get(url).status_code == 404
    assert other.post(f"/ingest/suggestions/{s.pk}/accept/").status_code == 404
    assert other.post(f"/ingest/suggestions/{s.pk}/reject/").status_code == 404
    assert other.post(f"/ingest/documents/{document.pk}/start/").status_code == 404
    # Unknown ids answer the same.
    assert client.post("/ingest/suggestions/999999/accept/").status_code == 404
    assert client.get("/ingest/documents/999999/").status_code == 404
    # A restricted document is invisible to a monitor without restricted access.
    SourceDocument.objects.filter(pk=document.pk).update(confidentiality="restricted")
    monitor = client_for(monitor_a)
    assert monitor.get(f"/ingest/documents/{document.pk}/").status_code == 404
    assert monitor.post(f"/ingest/suggestions/{s.pk}/accept/").status_code == 404
    assert AuditEvent.objects.count() == events
    assert Suggestion.objects.get(pk=s.pk).status == "pending"


def test_anonymous_is_sent_to_login(done):
    _client, document, run = done
    response = Client().get(f"/ingest/documents/{document.pk}/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_get_on_post_routes_is_refused(done):
    client, document, run = done
    s = one(run, "upr_id")
    assert client.get(f"/ingest/suggestions/{s.pk}/accept/").status_code == 405
    assert client.get(f"/ingest/documents/{document.pk}/start/").status_code == 405


def test_home_lists_runs_and_tile(done, viewer_b):
    client, document, run = done
    page = client.get("/ingest/").content.decode()
    assert document.title in page and "Done" in page
    assert "Alternative report" not in client_for(viewer_b).get("/ingest/").content.decode()
    from django.apps import apps

    # Suggestions to review are a home-page section for those who review them; a partner viewer gets none.
    (section,) = apps.get_app_config("ingest").home_sections(run.created_by)
    assert section["count"] == run.suggestions.filter(status="pending").count() > 0
    assert section["items"][0]["url"] == f"/ingest/documents/{document.pk}/"
    assert apps.get_app_config("ingest").home_sections(viewer_b) == []


def test_acceptor_registry_rejects_unknown_kinds():
    with pytest.raises(ValueError, match="Unknown suggestion kind"):
        acceptors.register("verdict", person_acceptor)
    with pytest.raises(TypeError):
        acceptors.register("figure", "not callable")
    assert acceptors.get("verdict") is None


def test_generic_record_link(done, with_acceptor):
    client, document, run = done
    s = one(run, "recommendation")
    client.post(f"/ingest/suggestions/{s.pk}/accept/")
    s.refresh_from_db()
    assert s.record_type == ContentType.objects.get_for_model(Person)


def _pdf_bytes(pages: int = 1, encrypt: bool = False) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=72, height=72)
    if encrypt:
        writer.encrypt("secret")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
