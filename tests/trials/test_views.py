"""Pages: the register, the phone checklist with HTMX autosave, review, findings, exports and the report."""

from __future__ import annotations

import io

import pytest
from django.test import Client

from rightstrack.core.models import AuditEvent
from rightstrack.trials import actions
from rightstrack.trials.models import Answer, Case, Observation

from .conftest import build_trial, observe


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_pages_need_login(client, trial):
    for url in ["/trials/", f"/trials/cases/{trial.case.pk}/", "/trials/findings/", "/trials/report/"]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_case_list_search_and_htmx(trial, org_a, coordinator_a):
    build_trial(coordinator_a, org_a, None, number="ZZ-9", court=trial.court)
    client = client_for(coordinator_a)
    body = client.get("/trials/").content.decode()
    assert "1-2022" in body and "ZZ-9" in body and "2 cases" in body
    fragment = client.get("/trials/?q=zz", HTTP_HX_REQUEST="true").content.decode()
    assert "ZZ-9" in fragment and "1-2022" not in fragment and "<html" not in fragment


def test_create_case_form_and_bad_input(trial, org_a, coordinator_a, viewer_a):
    client = client_for(coordinator_a)
    response = client.post(
        "/trials/cases/new/",
        {
            "organisation": org_a.pk,
            "number": "N-1",
            "court": trial.court.pk,
            "status": "trial",
            "confidentiality": "internal",
            "charges": "272(2)",
        },
    )
    case = Case.objects.get(number="N-1")
    assert response.status_code == 302 and response["Location"] == f"/trials/cases/{case.pk}/"
    events = AuditEvent.objects.count()
    response = client.post(
        "/trials/cases/new/",
        {"organisation": org_a.pk, "number": "N-2", "court": 999999, "status": "maybe", "confidentiality": "internal"},
    )
    assert response.status_code == 400 and not Case.objects.filter(number="N-2").exists()
    assert AuditEvent.objects.count() == events
    assert client_for(viewer_a).get("/trials/cases/new/").status_code == 404


def test_case_page_shows_pseudonyms_only_where_visible(trial, org_a, coordinator_a, monitor_a):
    from rightstrack.core import actions as core_actions

    hidden = core_actions.create_person(coordinator_a, org_a, pseudonym="Hidden Person", confidentiality="restricted")
    actions.add_defendant(coordinator_a, trial.case, person=hidden)
    assert "Hidden Person" in client_for(coordinator_a).get(f"/trials/cases/{trial.case.pk}/").content.decode()
    body = client_for(monitor_a).get(f"/trials/cases/{trial.case.pk}/").content.decode()
    assert "Hidden Person" not in body and "Defendant 3" in body


def test_monitor_fills_checklist_with_htmx_autosave(trial, monitor_a):
    client = client_for(monitor_a)
    response = client.post(f"/trials/hearings/{trial.hearing.pk}/observe/")
    observation = Observation.objects.get()
    assert response["Location"] == f"/trials/observations/{observation.pk}/"
    page = client.get(f"/trials/observations/{observation.pk}/?group=DET").content.decode()
    assert "DET-1" in page and "D-1-2022-1" in page and 'hx-post="/trials/observations/' in page
    url = f"/trials/observations/{observation.pk}/answer/"
    response = client.post(
        url,
        {"indicator": "DET-1", "defendant": trial.defendants[0].pk, "value": "yes", "group": "DET"},
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert response.status_code == 200 and "Saved" in body and "<html" not in body
    # Answering DET-1/DET-2 "no" makes DET-3 not applicable: its fragment comes back out of band.
    client.post(url, {"indicator": "DET-1", "defendant": trial.defendants[1].pk, "value": "no"}, HTTP_HX_REQUEST="true")
    response = client.post(
        url, {"indicator": "DET-2", "defendant": trial.defendants[1].pk, "value": "no"}, HTTP_HX_REQUEST="true"
    )
    assert 'hx-swap-oob="true"' in response.content.decode()
    # Numbers and the "not observed" button.
    client.post(url, {"indicator": "GEN-2", "value": ["", "not_observed"]}, HTTP_HX_REQUEST="true")
    assert Answer.objects.get(indicator__code="GEN-2").value == "not_observed"
    assert Answer.objects.filter(observation=observation).count() == 5


def test_bad_answers_through_the_page(trial, monitor_a):
    observation = actions.start_observation(monitor_a, trial.hearing)
    client = client_for(monitor_a)
    url = f"/trials/observations/{observation.pk}/answer/"
    events = AuditEvent.objects.count()
    response = client.post(url, {"indicator": "PUB-3", "value": "perhaps"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 400 and "accepts yes, no" in response.content.decode()
    response = client.post(url, {"indicator": "PUB-3", "value": "perhaps"})
    assert response.status_code == 400
    response = client.post(url, {"indicator": "NOPE-1", "value": "yes"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    response = client.post(url, {"indicator": "PUB-3", "value": "yes", "note": "x" * 3000}, HTTP_HX_REQUEST="true")
    assert response.status_code == 413
    assert not Answer.objects.exists() and AuditEvent.objects.count() == events


def test_not_assigned_monitor_gets_403(trial, monitor2_a):
    response = client_for(monitor2_a).post(f"/trials/hearings/{trial.hearing.pk}/observe/")
    assert response.status_code == 403 and "not assigned" in response.content.decode()
    assert not Observation.objects.exists()


def test_submit_twice_and_edit_reviewed_through_pages(trial, monitor_a, coordinator_a):
    observation = observe(trial, answers={"PUB-1": "yes"}, accept=False)
    client = client_for(monitor_a)
    url = f"/trials/observations/{observation.pk}/submit/"
    assert client.post(url, {"confirm_incomplete": "1"}).status_code == 302
    assert client.post(url, {"confirm_incomplete": "1"}).status_code == 409
    reviewer = client_for(coordinator_a)
    assert reviewer.post(f"/trials/observations/{observation.pk}/review/", {"decision": "later"}).status_code == 400
    assert client.post(f"/trials/observations/{observation.pk}/review/", {"decision": "accept"}).status_code == 404
    assert reviewer.post(f"/trials/observations/{observation.pk}/review/", {"decision": "accept"}).status_code == 302
    response = client.post(
        f"/trials/observations/{observation.pk}/answer/", {"indicator": "PUB-1", "value": "no"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 409 and "reviewed" in response.content.decode()
    assert Answer.objects.get().value == "yes"
    page = client.get(f"/trials/observations/{observation.pk}/").content.decode()
    assert "Reviewed" in page and "hx-post" not in page


def test_hearing_page_lists_disagreements_for_coordinators(trial, coordinator_a, monitor2_a, monitor_a):
    actions.assign_monitor(coordinator_a, trial.hearing, monitor2_a)
    observe(trial, answers={"PUB-3": "yes"}, accept=False)
    actions.submit_observation(monitor_a, Observation.objects.get(monitor=monitor_a))
    second = observe(trial, monitor2_a, answers={"PUB-3": "no"}, accept=False)
    actions.submit_observation(monitor2_a, second)
    body = client_for(coordinator_a).get(f"/trials/hearings/{trial.hearing.pk}/").content.decode()
    assert "Disagreements between monitors" in body and "PUB-3" in body
    assert "Disagreements" not in client_for(monitor_a).get(f"/trials/hearings/{trial.hearing.pk}/").content.decode()


def test_findings_page_drill_and_charts(trial, coordinator_a):
    observe(trial, answers={"PUB-3": "yes", ("DET-1", 0): "yes", ("DET-1", 1): "no"})
    client = client_for(coordinator_a)
    body = client.get("/trials/findings/?breakdown=court,period&period=month").content.decode()
    assert "F-CAGE" in body and "data:image/svg+xml;base64," in body and "2022-06" in body
    assert "/trials/findings/drill/?finding=DET-1" in body
    drill = client.get("/trials/findings/drill/?finding=DET-1&part=n").content.decode()
    assert "1 answer" in drill and "D-1-2022-1" in drill
    assert client.get("/trials/findings/drill/?finding=DET-1&part=zzz").status_code == 400
    assert client.get("/trials/findings/?breakdown=colour").status_code == 200  # form error, empty breakdown


def test_exports_obey_confidentiality_and_are_formula_safe(trial, org_a, coordinator_a, monitor_a, admin_a):
    trial.monitor = monitor_a
    observation = observe(trial, answers={"PUB-3": "yes"}, accept=False)
    actions.save_answer(monitor_a, observation, indicator="PUB-3", value="yes", note='=HYPERLINK("x")')
    actions.submit_observation(monitor_a, observation)
    actions.accept_observation(coordinator_a, observation)
    secret = build_trial(
        coordinator_a, org_a, admin_a, number="SECRET-1", confidentiality="restricted", court=trial.court
    )
    secret.monitor = admin_a
    observe(secret, answers={"PUB-3": "no"})
    full = client_for(coordinator_a).get("/trials/answers/export/?fmt=csv").content.decode("utf-8-sig")
    assert "SECRET-1" in full and "'=HYPERLINK" in full
    limited = client_for(monitor_a).get("/trials/answers/export/?fmt=csv").content.decode("utf-8-sig")
    assert "SECRET-1" not in limited and "1-2022" in limited
    findings_csv = client_for(monitor_a).get("/trials/findings/export/?fmt=csv&breakdown=case").content.decode()
    assert "PUB-3" in findings_csv and "SECRET-1" not in findings_csv
    response = client_for(coordinator_a).get("/trials/findings/export/?fmt=xlsx")
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in next(sheet.iter_rows(max_row=1))][:3] == ["finding", "label", "unit"]
    assert client_for(coordinator_a).get("/trials/answers/export/?fmt=pdf").status_code == 400


def test_report_page_and_docx(trial, coordinator_a, monitor_a):
    observe(trial, answers={"PUB-3": "yes", ("DET-1", 0): "yes"})
    client = client_for(coordinator_a)
    page = client.get("/trials/report/").content.decode()
    assert "Trial monitoring report" in page and "Methodology" in page and "1-2022" in page
    assert "In 1 of 1 hearings where this was observed" in page
    response = client.get(f"/trials/cases/{trial.case.pk}/report/?fmt=docx")
    assert response.status_code == 200 and response.content[:2] == b"PK"
    from docx import Document as Docx

    text = "\n".join(p.text for p in Docx(io.BytesIO(response.content)).paragraphs)
    assert "Trial monitoring report: case 1-2022" in text
    assert client.get("/trials/report/?fmt=exe").status_code == 400


@pytest.mark.parametrize("url", ["/trials/review/", "/trials/schedule/"])
def test_review_pages_only_for_reviewers(trial, monitor_a, coordinator_a, url):
    assert client_for(monitor_a).get(url).status_code == 404
    assert client_for(coordinator_a).get(url).status_code == 200


def test_observation_form_query_count_is_fixed(trial, monitor_a, django_assert_max_num_queries):
    observation = actions.start_observation(monitor_a, trial.hearing)
    client = client_for(monitor_a)
    client.get(f"/trials/observations/{observation.pk}/?group=DET")
    with django_assert_max_num_queries(25):
        client.get(f"/trials/observations/{observation.pk}/?group=DET")


def test_dashboard_tiles(trial, coordinator_a, monitor_a, viewer_b):
    """Tiles count what one can open; the review queue is a home-page section for reviewers only."""
    from django.apps import apps

    config = apps.get_app_config("trials")

    def sections(user):
        return {str(s["title"]): s["count"] for s in config.home_sections(user)}

    tiles = {t["label"]: t["count"] for t in config.dashboard_tiles(coordinator_a)}
    assert tiles["trial cases"] == 1 and sections(coordinator_a)["Observations to review"] == 0
    observe(trial, answers={"PUB-1": "yes"}, accept=False)
    actions.submit_observation(monitor_a, Observation.objects.get())
    assert sections(coordinator_a)["Observations to review"] == 1
    assert "Observations to review" not in sections(monitor_a)
    assert {t["label"]: t["count"] for t in config.dashboard_tiles(viewer_b)}["trial cases"] == 0


def test_defendant_edit_with_conflict_and_bad_input(trial, coordinator_a, monitor_a, viewer_a):
    defendant = trial.defendants[0]
    url = f"/trials/defendants/{defendant.pk}/edit/"
    client = client_for(coordinator_a)
    page = client.get(url)
    assert page.status_code == 200 and "D-1-2022-1" in page.content.decode()
    saved = client.post(url, {"charges": "293", "custody": "house_arrest", "counsel": "Lawyer X", "version": 1})
    assert saved.status_code == 302
    defendant.refresh_from_db()
    assert (defendant.custody, defendant.counsel, defendant.version) == ("house_arrest", "Lawyer X", 2)
    assert AuditEvent.objects.filter(verb="defendant.update").count() == 1
    # A stale form (version 1) answers 409 and keeps the saved values.
    stale = client.post(url, {"charges": "", "custody": "custody", "counsel": "", "version": 1})
    assert stale.status_code == 409 and "Lawyer X" in stale.content.decode()
    bad = client.post(url, {"charges": "", "custody": "on-the-moon", "counsel": "", "version": 2})
    assert bad.status_code == 400
    defendant.refresh_from_db()
    assert (defendant.custody, defendant.version) == ("house_arrest", 2)
    # Monitors and viewers may not edit; a wrong id is a 404.
    assert client_for(monitor_a).get(url).status_code == 404
    assert client_for(viewer_a).post(url, {"custody": "custody", "version": 2}).status_code == 404
    assert client.get("/trials/defendants/987654/edit/").status_code == 404


def test_defendant_removal_only_when_no_observation_describes_it(trial, coordinator_a, monitor_a):
    client = client_for(coordinator_a)
    described, spare = trial.defendants
    observe(trial, answers={("DET-1", 0): "yes"})
    refused = client.post(f"/trials/defendants/{described.pk}/remove/")
    assert refused.status_code == 400 and "cannot be removed" in refused.content.decode()
    assert trial.case.defendants.count() == 2
    assert client.get(f"/trials/defendants/{spare.pk}/remove/").status_code == 405
    assert client_for(monitor_a).post(f"/trials/defendants/{spare.pk}/remove/").status_code == 404
    assert client.post(f"/trials/defendants/{spare.pk}/remove/").status_code == 302
    assert list(trial.case.defendants.values_list("pk", flat=True)) == [described.pk]
    assert AuditEvent.objects.filter(verb="defendant.remove").count() == 1


def test_calendar_month_grid_marks_unassigned_and_hides_what_others_may_not_see(
    trial, org_a, org_b, coordinator_a, monitor_a, viewer_b
):
    import datetime

    from rightstrack.core.models import Role

    from ..conftest import make_user

    # trial: internal case, hearing 2022-06-01 with monitor_a assigned. Add an unassigned public one.
    public = build_trial(
        coordinator_a, org_a, None, number="PUB-7", date=datetime.date(2022, 6, 15), confidentiality="public"
    )
    secret = build_trial(
        coordinator_a, org_a, None, number="SECRET-9", date=datetime.date(2022, 6, 20), confidentiality="restricted"
    )
    coordinator_b = make_user("coordinator_b", org_b, Role.COORDINATOR)
    build_trial(coordinator_b, org_b, None, number="B-ONLY", date=datetime.date(2022, 6, 3))
    page = client_for(coordinator_a).get("/trials/calendar/?month=2022-06").content.decode()
    assert "June 2022" in page and "3 hearings in June 2022" in page
    assert "1-2022" in page and "PUB-7" in page and "SECRET-9" in page and "B-ONLY" not in page
    assert page.count('class="badge unassigned"') == 3  # the legend, PUB-7 and SECRET-9
    assert "monitor_a" in page
    mine = client_for(monitor_a).get("/trials/calendar/?month=2022-06").content.decode()
    assert "SECRET-9" not in mine and ">you<" in mine  # restricted case: monitor without restricted access
    # A member of another organisation sees A's public hearing, not who monitors it nor that nobody does.
    other = client_for(viewer_b).get("/trials/calendar/?month=2022-06").content.decode()
    assert "PUB-7" in other and "B-ONLY" in other and "2 hearings in June 2022" in other
    assert "1-2022" not in other and "SECRET-9" not in other and "monitor_a" not in other
    assert other.count('class="badge unassigned"') == 2  # the legend and B-ONLY, its own organisation's
    assert public.hearing.pk and secret.hearing.pk
    # Months around it link to each other; a malformed month is a clear 400.
    assert 'href="?month=2022-05"' in page and 'href="?month=2022-07"' in page
    for bad in ("2022-13", "June", "0001-01"):
        response = client_for(coordinator_a).get(f"/trials/calendar/?month={bad}")
        assert response.status_code == 400 and "YYYY-MM" in response.content.decode()


def test_court_goes_to_the_trash_only_without_cases(trial, org_a, coordinator_a, analyst_a, monitor_a):
    from rightstrack.trials.models import Court

    client = client_for(coordinator_a)
    edit = client.get(f"/trials/courts/{trial.court.pk}/edit/").content.decode()
    assert f"/trials/courts/{trial.court.pk}/delete/" in edit
    refused = client.post(f"/trials/courts/{trial.court.pk}/delete/")
    assert refused.status_code == 400 and "Cases are still filed under this court" in refused.content.decode()
    assert Court.objects.get(pk=trial.court.pk).deleted_at is None
    empty = actions.create_court(coordinator_a, org_a, name="Empty court", city="Aktau", confidentiality="public")
    # Analysts edit courts but do not delete them; monitors get no page.
    assert (
        f"/trials/courts/{empty.pk}/delete/"
        not in client_for(analyst_a).get(f"/trials/courts/{empty.pk}/edit/").content.decode()
    )
    assert client_for(analyst_a).post(f"/trials/courts/{empty.pk}/delete/").status_code == 404
    assert client_for(monitor_a).post(f"/trials/courts/{empty.pk}/delete/").status_code == 404
    assert client.post(f"/trials/courts/{empty.pk}/delete/").status_code == 302
    assert Court.objects.get(pk=empty.pk).deleted_at is not None
    assert "Empty court" not in client.get("/trials/courts/").content.decode()
    assert "Empty court" in client.get("/trash/").content.decode()
    assert AuditEvent.objects.filter(verb="court.delete").count() == 1
