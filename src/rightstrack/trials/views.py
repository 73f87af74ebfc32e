"""Pages of the trials app. Thin: parse, call an action or a query, render."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rightstrack.core import visibility
from rightstrack.core.actions import get_visible
from rightstrack.core.errors import DomainError, InvalidInput, no_page
from rightstrack.core.forms import form_error
from rightstrack.core.views import page_of

from . import actions, completeness, exports, findings, forms, queries, report
from .models import (
    AnswerType,
    Assignment,
    Case,
    CaseStatus,
    Checklist,
    Court,
    Defendant,
    Hearing,
    Indicator,
    Observation,
    ObservationStatus,
    Scope,
)


def _form_status(form) -> int:
    return 400 if form.errors else 200


# --- Cases -----------------------------------------------------------------------------------------


@login_required
def home(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:100]
    court = request.GET.get("court", "")
    status = request.GET.get("status", "")
    status = status if status in CaseStatus.values else ""
    context = {
        "page": page_of(request, queries.search_cases(request.user, q, court, status)),
        "q": q,
        "court": court,
        "status": status,
        "statuses": CaseStatus.choices,
        "courts": queries.courts(request.user).order_by("city", "name"),
        "can_register": bool(visibility.org_ids(request.user, roles=visibility.ANALYSE_ROLES)),
        "can_review": queries.can_review_any(request.user),
    }
    template = "trials/_case_rows.html" if request.htmx else "trials/home.html"
    return render(request, template, context)


@login_required
def case_create(request: HttpRequest) -> HttpResponse:
    if not visibility.org_ids(request.user, roles=visibility.ANALYSE_ROLES):
        raise no_page()
    form = forms.CaseForm(request.POST or None, user=request.user, creating=True)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        organisation = data.pop("organisation")
        court = data.pop("court")
        try:
            case = actions.create_case(request.user, organisation, court=court, **data)
        except InvalidInput as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Case saved."))
            return redirect("trials:case_detail", pk=case.pk)
    return render(request, "trials/form.html", {"form": form, "title": _("New case")}, status=_form_status(form))


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_visible(request.user, Case, pk)
    can_register = visibility.can_write(request.user, case, visibility.ANALYSE_ROLES)
    return render(
        request,
        "trials/case_detail.html",
        {
            "case": case,
            "defendants": queries.case_defendants(request.user, case),
            "hearings": queries.case_hearings(case),
            "can_register": can_register,
            "can_review": visibility.can_write(request.user, case, visibility.REVIEW_ROLES),
        },
    )


@login_required
def case_edit(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_visible(request.user, Case, pk)
    if not visibility.can_write(request.user, case, visibility.ANALYSE_ROLES):
        raise no_page()
    form = forms.CaseForm(
        request.POST or None, instance=case, initial={"version": case.version}, user=request.user, creating=False
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version") or 0
        try:
            actions.update_case(request.user, case, expected_version=version, changes=data)
        except InvalidInput as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("trials:case_detail", pk=case.pk)
    return render(
        request, "trials/form.html", {"form": form, "title": _("Edit case %s") % case.number}, status=_form_status(form)
    )


@login_required
@require_POST
def case_delete(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_visible(request.user, Case, pk)
    actions.delete_case(request.user, case)
    messages.success(request, _("Moved to the trash. A coordinator can restore it."))
    return redirect("trials:home")


@login_required
def defendant_add(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_visible(request.user, Case, pk)
    if not visibility.can_write(request.user, case, visibility.ANALYSE_ROLES):
        raise no_page()
    form = forms.DefendantForm(request.POST or None, user=request.user, case=case)
    if request.method == "POST" and form.is_valid():
        try:
            actions.add_defendant(request.user, case, **form.cleaned_data)
        except InvalidInput as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Defendant added."))
            return redirect("trials:case_detail", pk=case.pk)
    return render(
        request,
        "trials/form.html",
        {"form": form, "title": _("Add a defendant to %s") % case.number, "back": case},
        status=_form_status(form),
    )


@login_required
def defendant_edit(request: HttpRequest, pk: int) -> HttpResponse:
    defendant = get_visible(request.user, Defendant, pk)
    case = defendant.case
    if not visibility.can_write(request.user, case, visibility.ANALYSE_ROLES):
        raise no_page()
    form = forms.DefendantEditForm(request.POST or None, instance=defendant, initial={"version": defendant.version})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version") or 0
        try:
            actions.update_defendant(request.user, defendant, expected_version=version, changes=data)
        except InvalidInput as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("trials:case_detail", pk=case.pk)
    label = queries.label_defendants(request.user, [defendant])[0].label
    return render(
        request,
        "trials/form.html",
        {
            "form": form,
            "title": _("Edit defendant %s") % label,
            "back": case,
            "delete_url": reverse("trials:defendant_remove", args=[defendant.pk]),
            "delete_note": _("Added by mistake? A defendant that no observation describes can be taken off the case."),
            "delete_label": _("Remove from the case"),
        },
        status=_form_status(form),
    )


@login_required
@require_POST
def defendant_remove(request: HttpRequest, pk: int) -> HttpResponse:
    defendant = get_visible(request.user, Defendant, pk)
    case = defendant.case
    if not visibility.can_write(request.user, case, visibility.ANALYSE_ROLES):
        raise no_page()
    actions.remove_defendant(request.user, defendant)
    messages.success(request, _("Defendant removed from the case."))
    return redirect("trials:case_detail", pk=case.pk)


# --- Courts ----------------------------------------------------------------------------------------


@login_required
def court_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "trials/court_list.html",
        {
            "courts": queries.courts(request.user).order_by("city", "name"),
            "can_register": bool(visibility.org_ids(request.user, roles=visibility.ANALYSE_ROLES)),
        },
    )


@login_required
def court_create(request: HttpRequest) -> HttpResponse:
    if not visibility.org_ids(request.user, roles=visibility.ANALYSE_ROLES):
        raise no_page()
    form = forms.CourtForm(request.POST or None, user=request.user, creating=True)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        organisation = data.pop("organisation")
        try:
            actions.create_court(request.user, organisation, **data)
        except InvalidInput as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Court saved."))
            return redirect("trials:court_list")
    return render(request, "trials/form.html", {"form": form, "title": _("New court")}, status=_form_status(form))


@login_required
def court_edit(request: HttpRequest, pk: int) -> HttpResponse:
    court = get_visible(request.user, Court, pk)
    if not visibility.can_write(request.user, court, visibility.ANALYSE_ROLES):
        raise no_page()
    form = forms.CourtForm(
        request.POST or None, instance=court, initial={"version": court.version}, user=request.user, creating=False
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version") or 0
        actions.update_court(request.user, court, expected_version=version, changes=data)
        messages.success(request, _("Changes saved."))
        return redirect("trials:court_list")
    context = {"form": form, "title": _("Edit court")}
    if visibility.can_write(request.user, court, visibility.REVIEW_ROLES):
        context |= {
            "delete_url": reverse("trials:court_delete", args=[court.pk]),
            "delete_note": _("A court no case is filed under can go to the trash; a coordinator can restore it."),
            "delete_label": _("Move to the trash"),
        }
    return render(request, "trials/form.html", context, status=_form_status(form))


@login_required
@require_POST
def court_delete(request: HttpRequest, pk: int) -> HttpResponse:
    court = get_visible(request.user, Court, pk)
    if not visibility.can_write(request.user, court, visibility.REVIEW_ROLES):
        raise no_page()
    actions.delete_court(request.user, court)
    messages.success(request, _("Moved to the trash. A coordinator can restore it."))
    return redirect("trials:court_list")


# --- Hearings and assignments ----------------------------------------------------------------------


@login_required
def hearing_create(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_visible(request.user, Case, pk)
    if not visibility.can_write(request.user, case, visibility.ANALYSE_ROLES):
        raise no_page()
    form = forms.HearingForm(request.POST or None, creating=True)
    if request.method == "POST" and form.is_valid():
        try:
            hearing = actions.add_hearing(request.user, case, **form.cleaned_data)
        except InvalidInput as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Hearing saved."))
            return redirect("trials:hearing_detail", pk=hearing.pk)
    return render(
        request,
        "trials/form.html",
        {"form": form, "title": _("New hearing in %s") % case.number, "back": case},
        status=_form_status(form),
    )


@login_required
def hearing_detail(request: HttpRequest, pk: int) -> HttpResponse:
    hearing = get_visible(request.user, Hearing, pk)
    case = hearing.case
    can_review = visibility.can_write(request.user, case, visibility.REVIEW_ROLES)
    detail = queries.hearing_detail(request.user, hearing)
    assigned = any(a.monitor_id == request.user.pk for a in detail["assignments"])
    return render(
        request,
        "trials/hearing_detail.html",
        {
            "hearing": hearing,
            "case": case,
            **detail,
            "assigned": assigned,
            "mine": next((o for o in detail["observations"] if o.monitor_id == request.user.pk), None),
            "can_review": can_review,
            "can_register": visibility.can_write(request.user, case, visibility.ANALYSE_ROLES),
            "assign_form": forms.AssignForm(case=case) if can_review else None,
            "disagreements": queries.disagreements(request.user, hearing) if can_review else [],
        },
    )


@login_required
def hearing_edit(request: HttpRequest, pk: int) -> HttpResponse:
    hearing = get_visible(request.user, Hearing, pk)
    if not visibility.can_write(request.user, hearing.case, visibility.ANALYSE_ROLES):
        raise no_page()
    form = forms.HearingForm(request.POST or None, instance=hearing, initial={"version": hearing.version})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version") or 0
        try:
            actions.update_hearing(request.user, hearing, expected_version=version, changes=data)
        except InvalidInput as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("trials:hearing_detail", pk=hearing.pk)
    return render(request, "trials/form.html", {"form": form, "title": _("Edit hearing")}, status=_form_status(form))


@login_required
@require_POST
def hearing_assign(request: HttpRequest, pk: int) -> HttpResponse:
    hearing = get_visible(request.user, Hearing, pk)
    if not visibility.can_write(request.user, hearing.case, visibility.REVIEW_ROLES):
        raise no_page()
    form = forms.AssignForm(request.POST, case=hearing.case)
    if not form.is_valid():
        raise InvalidInput(_("Choose a monitor who is a member of the organisation."), field="monitor")
    actions.assign_monitor(request.user, hearing, form.cleaned_data["monitor"])
    messages.success(request, _("Monitor assigned."))
    return redirect("trials:hearing_detail", pk=hearing.pk)


@login_required
@require_POST
def assignment_remove(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = get_visible(request.user, Assignment, pk)
    hearing_id = assignment.hearing_id
    actions.remove_assignment(request.user, assignment)
    messages.success(request, _("Assignment removed."))
    return redirect("trials:hearing_detail", pk=hearing_id)


@login_required
def my_hearings(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "trials/my_hearings.html",
        {
            "assignments": queries.upcoming_for(request.user)[:200],
            "observations": queries.my_observations(request.user)[:50],
        },
    )


@login_required
def schedule(request: HttpRequest) -> HttpResponse:
    if not queries.can_review_any(request.user):
        raise no_page()
    return render(request, "trials/schedule.html", {"assignments": queries.schedule(request.user)[:500]})


@login_required
def calendar(request: HttpRequest) -> HttpResponse:
    """A month of hearings (every visible one), with who is assigned and which still need a monitor."""
    raw = request.GET.get("month", "")
    try:
        first = datetime.datetime.strptime(raw, "%Y-%m").date() if raw else datetime.date.today().replace(day=1)
    except ValueError:
        raise InvalidInput(_("Give the month as YYYY-MM, for example 2022-06."), field="month") from None
    if not 1900 <= first.year <= 2100:
        raise InvalidInput(_("Give the month as YYYY-MM, for example 2022-06."), field="month")
    previous = (first - datetime.timedelta(days=1)).replace(day=1)
    following = (first + datetime.timedelta(days=31)).replace(day=1)
    weeks = queries.calendar_weeks(request.user, first.year, first.month)
    return render(
        request,
        "trials/calendar.html",
        {
            "first": first,
            "weeks": weeks,
            "weekdays": [day for day, _hearings in weeks[0]],
            "previous": previous.strftime("%Y-%m"),
            "following": following.strftime("%Y-%m"),
            "today": datetime.date.today(),
            "count": sum(len(hearings) for week in weeks for day, hearings in week if day.month == first.month),
        },
    )


# --- Observations ----------------------------------------------------------------------------------


@login_required
@require_POST
def observe(request: HttpRequest, pk: int) -> HttpResponse:
    hearing = get_visible(request.user, Hearing, pk)
    observation = actions.start_observation(request.user, hearing)
    return redirect("trials:observation", pk=observation.pk)


def _form_context(request: HttpRequest, observation: Observation, group_code: str | None) -> dict:
    groups, current, indicators = queries.form_groups(observation, group_code)
    present = queries.defendants_present(request.user, observation)
    answers = queries.observation_answers(observation)
    by_group = {g.pk: g for g in groups}
    sections: list[dict] = []
    for indicator in indicators:
        if not sections or sections[-1]["group"].pk != indicator.group_id:
            sections.append({"group": by_group[indicator.group_id], "items": []})
        subjects = present if indicator.scope == Scope.DEFENDANT else [None]
        sections[-1]["items"].append(
            {
                "indicator": indicator,
                "forms": [
                    _answer_item(indicator, d, answers.get((indicator.pk, d.pk if d else None))) for d in subjects
                ],
            }
        )
    index = next((i for i, g in enumerate(groups) if current and g.pk == current.pk), 0)
    state = completeness.observation_completeness(observation)
    for g in groups:
        g.progress = state.group(g.code)
    return {
        "completeness": state,
        "groups": groups,
        "current": current,
        "sections": sections,
        "previous": groups[index - 1] if current and index > 0 else None,
        "next": groups[index + 1] if current and index + 1 < len(groups) else None,
        "present": present,
        "answered": len(answers),
        "group": current.code if current else "all",
        "answer_url": reverse("trials:observation_answer", args=[observation.pk]),
    }


def _answer_item(indicator: Indicator, defendant, answer) -> dict:
    value = ""
    if answer is not None:
        value = answer.text if indicator.type == AnswerType.TEXT and not answer.value else answer.value
    return {
        "indicator": indicator,
        "defendant": defendant,
        "answer": answer,
        "value": value,
        "note": answer.note if answer else "",
        "dom_id": f"a-{indicator.pk}-{defendant.pk if defendant else 0}",
    }


@login_required
def observation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    observation = get_visible(request.user, Observation, pk)
    editable = observation.editable and observation.monitor_id == request.user.pk
    can_review = observation.status == ObservationStatus.SUBMITTED and visibility.can_write(
        request.user, observation.case, visibility.REVIEW_ROLES
    )
    context = {
        "observation": observation,
        "hearing": observation.hearing,
        "case": observation.case,
        "editable": editable,
        "can_review": can_review,
        "review_form": forms.ReviewForm() if can_review else None,
        "all_defendants": queries.case_defendants(request.user, observation.case) if editable else [],
    }
    if editable:
        context.update(_form_context(request, observation, request.GET.get("group")))
        return render(request, "trials/observation_form.html", context)
    context["rows"] = _read_rows(request, observation)
    if can_review or observation.status == ObservationStatus.SUBMITTED:
        present = queries.defendants_present(request.user, observation)
        context["completeness"] = completeness.observation_completeness(observation, {d.pk: d.label for d in present})
        context["queue_left"] = (
            queries.review_queue(request.user).exclude(pk=observation.pk).count() if can_review else 0
        )
    return render(request, "trials/observation_detail.html", context)


def _read_rows(request: HttpRequest, observation: Observation) -> list:
    answers = list(
        observation.answers.select_related("indicator", "indicator__group", "defendant").order_by(
            "indicator__position", "defendant__position"
        )
    )
    names = queries.defendant_labels(request.user, [a.defendant for a in answers if a.defendant])
    for a in answers:
        a.defendant_label = names.get(a.defendant_id, "") if a.defendant_id else ""
        a.shown = (
            a.text
            if a.indicator.type == AnswerType.TEXT and not a.value
            else (a.indicator.option_label(a.value) if a.indicator.type == AnswerType.CHOICE else a.value)
        )
    return answers


@login_required
@require_POST
def observation_answer(request: HttpRequest, pk: int) -> HttpResponse:
    """Save one answer (HTMX autosave); returns the answer's fragment plus any answers changed with it."""
    observation = get_visible(request.user, Observation, pk)
    values = request.POST.getlist("value")
    # A "not observed" / "not applicable" button wins over a number or text typed in the same form.
    value = next((v for v in values if v in ("not_observed", "not_applicable")), values[0] if values else "")
    code = request.POST.get("indicator", "")
    defendant = request.POST.get("defendant") or None
    error, changed = "", []
    try:
        changed = actions.save_answer(
            request.user,
            observation,
            indicator=code,
            value=value,
            defendant=defendant,
            note=request.POST.get("note", ""),
        )
        status = 200
    except (InvalidInput, DomainError) as exc:
        if not isinstance(exc, InvalidInput) and not request.htmx:
            raise
        error, status = exc.message, exc.status
    if not request.htmx:
        if error:
            raise InvalidInput(error)
        return redirect(f"{request.path.rsplit('/answer/', 1)[0]}/?group={request.POST.get('group', '')}")
    indicator = Indicator.objects.filter(checklist_id=observation.checklist_id, code=code).first()
    if indicator is None:
        return HttpResponse(f'<p class="error" role="alert">{_("Unknown question.")}</p>', status=400)
    present = {d.pk: d for d in queries.defendants_present(request.user, observation)}
    answers = queries.observation_answers(observation)
    subject = present.get(int(defendant)) if defendant and str(defendant).isdigit() else None
    main = _answer_item(indicator, subject, answers.get((indicator.pk, subject.pk if subject else None)))
    main["error"] = error
    main["saved"] = not error
    extra = []
    for answer in changed[1:] if changed else []:
        item = _answer_item(
            answer.indicator, present.get(answer.defendant_id), answers.get((answer.indicator_id, answer.defendant_id))
        )
        item["oob"] = True
        extra.append(item)
    return render(
        request,
        "trials/_answer_response.html",
        {"item": main, "extra": extra, "answer_url": request.path, "group": request.POST.get("group", "")[:20]},
        status=status,
    )


@login_required
@require_POST
def observation_present(request: HttpRequest, pk: int) -> HttpResponse:
    observation = get_visible(request.user, Observation, pk)
    actions.set_defendants_present(request.user, observation, request.POST.getlist("defendants"))
    messages.success(request, _("Defendants present saved."))
    return redirect(f"{request.path.rsplit('/present/', 1)[0]}/?group={request.POST.get('group', '')}")


@login_required
@require_http_methods(["GET", "POST"])
def observation_submit(request: HttpRequest, pk: int) -> HttpResponse:
    observation = get_visible(request.user, Observation, pk)
    if request.method == "GET":
        # What submitting would find, without submitting (the page a POST showed, opened again or kept offline).
        return _submit_check(request, observation, "", completeness.observation_completeness(observation))
    try:
        actions.submit_observation(
            request.user, observation, confirm_incomplete=request.POST.get("confirm_incomplete") == "1"
        )
    except actions.Incomplete as exc:
        return _submit_check(request, observation, exc.message, exc.state)
    except InvalidInput as exc:
        if exc.field != "hearing":
            raise
        return _submit_check(request, observation, exc.message, None)
    messages.success(request, _("Submitted for review. Thank you."))
    return redirect("trials:observation", pk=observation.pk)


def _submit_check(request: HttpRequest, observation: Observation, message: str, state) -> HttpResponse:
    """The refusal or warning shown where the monitor pressed "Submit", with the way to fix it."""
    return render(
        request,
        "trials/submit_check.html",
        {
            "observation": observation,
            "hearing": observation.hearing,
            "case": observation.case,
            "message": message,
            "state": state,
            "incomplete": [g for g in state.groups if g.missing] if state else [],
        },
        status=400 if state is None else 200,
    )


@login_required
@require_POST
def observation_review(request: HttpRequest, pk: int) -> HttpResponse:
    observation = get_visible(request.user, Observation, pk)
    if not visibility.can_write(request.user, observation.case, visibility.REVIEW_ROLES):
        raise no_page()
    form = forms.ReviewForm(request.POST)
    if not form.is_valid():
        raise InvalidInput(_("Choose accept or return."), field="decision")
    if form.cleaned_data["decision"] == "accept":
        actions.accept_observation(request.user, observation, comment=form.cleaned_data["comment"])
        messages.success(request, _("Observation accepted: its answers now count in the findings."))
    else:
        actions.return_observation(request.user, observation, comment=form.cleaned_data["comment"])
        messages.success(request, _("Observation returned to the monitor."))
    # On to the next observation waiting for review, oldest first; the queue page says when none is left.
    following = queries.review_queue(request.user).exclude(pk=observation.pk).first()
    if following is not None:
        return redirect("trials:observation", pk=following.pk)
    return redirect("trials:review_queue")


@login_required
def review_queue(request: HttpRequest) -> HttpResponse:
    if not queries.can_review_any(request.user):
        raise no_page()
    return render(request, "trials/review_queue.html", {"observations": queries.review_queue(request.user)[:200]})


# --- Findings, exports, report ---------------------------------------------------------------------


def _findings_params(request: HttpRequest):
    form = forms.FindingsForm(request.GET or None, user=request.user)
    if request.GET and not form.is_valid():
        return form, [], "month", findings.Filters()
    if not request.GET:
        form.is_valid()
    data = form.cleaned_data if form.is_bound else {}
    filters = findings.Filters(
        court=data.get("court"),
        city=data.get("city") or "",
        charge=data.get("charge") or "",
        since=data.get("since"),
        until=data.get("until"),
    )
    return (
        form,
        form.breakdown_list() if form.is_bound else [],
        form.period_value() if form.is_bound else "month",
        filters,
    )


@login_required
@require_GET
def findings_page(request: HttpRequest) -> HttpResponse:
    form, breakdown, period, filters = _findings_params(request)
    rows = findings.indicator_findings(request.user, breakdown=breakdown, period=period, filters=filters)
    derived = findings.derived_findings(request.user, breakdown=breakdown, period=period, filters=filters)
    keys = sorted({k for f in [*rows, *derived] for k in f.by})
    labels = findings.labels(request.user, breakdown, keys)
    charts = report.findings_charts(request.user, rows, derived, filters)
    return render(
        request,
        "trials/findings.html",
        {
            "form": form,
            "breakdown": ",".join(breakdown),
            "period": period,
            "rows": [f for f in rows if f.kind != "text"],
            "derived": derived,
            "keys": [(k, labels[k]) for k in keys],
            "summary": findings.summary(request.user, filters),
            "charts": charts,
            "query": request.GET.urlencode(),
        },
    )


@login_required
@require_GET
def findings_drill(request: HttpRequest) -> HttpResponse:
    form, breakdown, period, filters = _findings_params(request)
    key = request.GET.get("finding", "")
    part = request.GET.get("part", "d")
    finding, answers = findings.drill(
        request.user, key, part=part, breakdown=breakdown, key=request.GET.get("key", ""), filters=filters
    )
    page = page_of(request, answers)
    names = queries.defendant_labels(request.user, [a.defendant for a in page if a.defendant])
    for a in page:
        a.defendant_label = names.get(a.defendant_id, "") if a.defendant_id else ""
    return render(
        request,
        "trials/drill.html",
        {"finding": finding, "page": page, "part": part, "key": request.GET.get("key", "")},
    )


@login_required
@require_GET
def findings_export(request: HttpRequest) -> HttpResponse:
    _form, breakdown, period, filters = _findings_params(request)
    return exports.findings_download(
        request.user, breakdown=breakdown, period=period, filters=filters, fmt=request.GET.get("fmt", "csv")
    )


@login_required
@require_GET
def answers_export(request: HttpRequest) -> HttpResponse:
    _form, _breakdown, _period, filters = _findings_params(request)
    return exports.answers_download(request.user, filters=filters, fmt=request.GET.get("fmt", "csv"))


def _report(request: HttpRequest, case: Case | None) -> HttpResponse:
    fmt = request.GET.get("fmt", "page")
    if fmt == "page":
        document = report.build(request.user, case)
        return render(request, "trials/report.html", {"document": document, "case": case, "formats": report.FORMATS})
    return report.download(request.user, case, fmt)


@login_required
@require_GET
def programme_report(request: HttpRequest) -> HttpResponse:
    return _report(request, None)


@login_required
@require_GET
def case_report(request: HttpRequest, pk: int) -> HttpResponse:
    return _report(request, get_visible(request.user, Case, pk))


# --- Checklists ------------------------------------------------------------------------------------


@login_required
def checklist_list(request: HttpRequest) -> HttpResponse:
    from .checklists import current_checklist

    current_checklist()
    checklists = Checklist.objects.select_related("supersedes").order_by("key", "-version")
    return render(
        request,
        "trials/checklist_list.html",
        {
            "checklists": checklists,
            "can_import": bool(visibility.org_ids(request.user, roles={"admin"})),
        },
    )


@login_required
def checklist_detail(request: HttpRequest, pk: int) -> HttpResponse:
    checklist = Checklist.objects.filter(pk=pk).first()
    if checklist is None:
        raise no_page()
    groups = checklist.groups.prefetch_related("indicators")
    return render(
        request,
        "trials/checklist_detail.html",
        {"checklist": checklist, "groups": groups, "in_use": checklist.in_use()},
    )


@login_required
def checklist_import(request: HttpRequest) -> HttpResponse:
    if not visibility.org_ids(request.user, roles={"admin"}):
        raise no_page()
    form = forms.ChecklistImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data.get("file")
        if upload is not None and upload.size > 512 * 1024:
            form.add_error("file", _("The checklist file is larger than 512 KB."))
            return render(
                request,
                "trials/form.html",
                {"form": form, "title": _("Import a checklist version"), "multipart": True},
                status=413,
            )
        text = upload.read() if upload is not None else form.cleaned_data["text"]
        try:
            checklist = actions.import_checklist(request.user, text)
        except DomainError as exc:
            form.add_error(None, exc.message)
            return render(
                request,
                "trials/form.html",
                {"form": form, "title": _("Import a checklist version"), "multipart": True},
                status=exc.status,
            )
        messages.success(request, _("Checklist %s imported.") % checklist)
        return redirect("trials:checklist_detail", pk=checklist.pk)
    return render(
        request,
        "trials/form.html",
        {"form": form, "title": _("Import a checklist version"), "multipart": True},
        status=_form_status(form),
    )
