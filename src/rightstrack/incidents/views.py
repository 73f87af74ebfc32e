"""Pages for incidents: events and their case files, acts, victims, statistics, import/export. Thin."""

from __future__ import annotations

import json

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rightstrack.core import visibility
from rightstrack.core.actions import get_visible
from rightstrack.core.errors import DomainError, NotFound, no_page
from rightstrack.core.exports import download
from rightstrack.core.forms import form_error
from rightstrack.core.models import Person
from rightstrack.core.views import page_of

from . import actions, charts, queries, transfer
from .forms import (
    MAX_ROWS,
    ActForm,
    CiteForm,
    EventForm,
    GroupForm,
    ImportForm,
    IncidentActFormSet,
    IncidentVictimFormSet,
    InterventionForm,
    InvolvementForm,
    LinkForm,
    ProfileForm,
    StatFilterForm,
    VictimFilterForm,
    VictimForm,
)
from .models import Act, Consent, Event, ImportBatch, Intervention, Involvement, PersonProfile


def _can_document(user) -> bool:
    return bool(visibility.org_ids(user, roles=visibility.WRITE_ROLES))


def _form_page(request, form, *, title: str, back: str, submit: str, status: int | None = None, **extra):
    context = {"form": form, "title": title, "back": back, "submit": submit, **extra}
    return render(request, "incidents/form.html", context, status=status or (400 if form.errors else 200))


def _edit_page(request, form, *, title: str, back: str, delete_url: str = "", **extra) -> HttpResponse:
    """An edit form with the record's delete button (reviewers) and any related list the page adds."""
    context = {"form": form, "title": title, "back": back, "delete_url": delete_url, **extra}
    return render(request, "incidents/edit.html", context, status=400 if form.errors else 200)


def _editable_events(user, events) -> set[int]:
    """Ids of the events whose acts and interventions the user may edit (for links in case files)."""
    return {e.pk for e in events if visibility.can_write(user, e)}


def _writable_event(request, pk: int) -> Event:
    event = get_visible(request.user, Event, pk)
    if not visibility.can_write(request.user, event):
        raise no_page()
    return event


# --- Events --------------------------------------------------------------------------------------------


@login_required
def event_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    context = {
        "page": page_of(request, queries.events_for(request.user, query)),
        "q": query,
        "can_create": _can_document(request.user),
    }
    return render(request, "incidents/_event_rows.html" if request.htmx else "incidents/event_list.html", context)


@login_required
def event_create(request: HttpRequest) -> HttpResponse:
    if not _can_document(request.user):
        raise no_page()
    form = EventForm(request.POST or None, user=request.user, creating=True)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        organisation = data.pop("organisation")
        try:
            event = actions.create_event(request.user, organisation, **data)
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Event saved. Now add its acts."))
            return redirect("incidents:event_detail", pk=event.pk)
    return _form_page(request, form, title=_("New event"), back=reverse("incidents:event_list"), submit=_("Save"))


@login_required
def incident_record(request: HttpRequest) -> HttpResponse:
    """One screen for an event with its victims and acts, saved in one transaction or not at all."""
    if not _can_document(request.user):
        raise no_page()
    data = request.POST.copy() if request.method == "POST" else None
    adding = data.get("add") if data is not None else None
    if adding in ("victims", "acts"):
        # "Add another …" re-renders the page with one more row and everything typed kept; nothing is saved.
        key = f"{adding}-TOTAL_FORMS"
        row = _int(data.get(key), 1)
        if row < MAX_ROWS:
            data[key] = str(row + 1)
            # The new row starts from the form's defaults (restricted, sex unknown…), never from a list's first choice.
            extra = {"victim_choices": []} if adding == "acts" else {}
            form_class = IncidentActFormSet.form if adding == "acts" else IncidentVictimFormSet.form
            blank = form_class(user=request.user, prefix=f"{adding}-{row}", **extra)
            for name, field in blank.fields.items():
                value = blank[name].value()
                if value not in (None, "", False) and not isinstance(field.widget, forms.CheckboxInput):
                    data.setdefault(blank.add_prefix(name), str(value))
    event_form = EventForm(data, user=request.user, creating=True, prefix="event")
    victims = IncidentVictimFormSet(data, prefix="victims", form_kwargs={"user": request.user})
    choices = [(str(n), form.label(n + 1)) for n, form in enumerate(victims.forms)]
    acts = IncidentActFormSet(data, prefix="acts", form_kwargs={"user": request.user, "victim_choices": choices})
    problem = ""
    if data is not None and not adding:
        if event_form.is_valid() & victims.is_valid() & acts.is_valid():
            event, problem = _record_incident(request, event_form, victims, acts)
            if event is not None:
                return redirect("incidents:event_detail", pk=event.pk)
        else:
            problem = _("Nothing was saved: correct the fields marked below.")
    context = {"event_form": event_form, "victims": victims, "acts": acts, "problem": problem, "max_rows": MAX_ROWS}
    return render(request, "incidents/record.html", context, status=400 if problem else 200)


def _int(value, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _record_incident(request: HttpRequest, event_form, victims, acts) -> tuple[Event | None, str]:
    """Call the action; on a refusal put its message beside the field of the row it names and say why."""
    event_data = dict(event_form.cleaned_data)
    organisation = event_data.pop("organisation")
    victim_forms = [f for f in victims.forms if not f.is_blank()]
    rows = {victims.forms.index(f): n for n, f in enumerate(victim_forms)}
    act_forms = [f for f in acts.forms if not f.is_blank()]
    try:
        event = actions.record_incident(
            request.user,
            organisation,
            event=event_data,
            victims=[f.action_fields() for f in victim_forms],
            acts=[f.action_fields(rows) for f in act_forms],
        )
    except DomainError as exc:
        section, _sep, rest = (exc.field or "").partition("-")
        number, _sep, name = rest.partition("-")
        target = event_form
        if section == "event":
            name = rest
        elif section in ("victims", "acts") and number.isdigit():
            forms_of = victim_forms if section == "victims" else act_forms
            target = forms_of[int(number)] if int(number) < len(forms_of) else event_form
        if isinstance(exc, actions.PossibleDuplicate):
            target.candidates = exc.candidates
        target.add_error(name if name in target.fields else None, exc.message)
        return None, _("Nothing was saved: %(reason)s") % {"reason": exc.message}
    messages.success(
        request,
        _("Incident saved with %(victims)d victim(s) and %(acts)d act(s).")
        % {"victims": len(victim_forms), "acts": len(act_forms)},
    )
    return event, ""


@login_required
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _event_page(request, get_visible(request.user, Event, pk))


def _event_page(request: HttpRequest, event: Event, cite_form: CiteForm | None = None) -> HttpResponse:
    case = queries.event_case_file(request.user, event)
    return render(
        request,
        "incidents/event_detail.html",
        {
            "event": event,
            "case": case,
            "can_edit": visibility.can_write(request.user, event),
            "can_delete": visibility.can_write(request.user, event, visibility.REVIEW_ROLES),
            "editable_events": _editable_events(request.user, [event]),
            "cite_form": cite_form or CiteForm(user=request.user),
        },
        status=400 if cite_form is not None else 200,
    )


@login_required
def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    event = _writable_event(request, pk)
    initial = {name: getattr(event, name) for name in Event.EDITABLE_FIELDS}
    form = EventForm(
        request.POST or None, initial={**initial, "version": event.version}, user=request.user, creating=False
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version") or 0
        try:
            actions.update_event(request.user, event, expected_version=version, changes=data)
        except DomainError as exc:
            if exc.status == 409:
                raise
            form_error(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("incidents:event_detail", pk=pk)
    return _form_page(
        request,
        form,
        title=_("Edit %(title)s") % {"title": event.title},
        back=reverse("incidents:event_detail", args=[pk]),
        submit=_("Save"),
    )


@login_required
@require_POST
def event_publish(request: HttpRequest, pk: int) -> HttpResponse:
    event = _writable_event(request, pk)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = -1
    actions.publish_event(request.user, event, expected_version=version)
    messages.success(request, _("The event is now public."))
    return redirect("incidents:event_detail", pk=pk)


@login_required
@require_POST
def event_delete(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_visible(request.user, Event, pk)
    actions.delete_event(request.user, event)
    messages.success(request, _("Moved to the trash. A coordinator can restore it."))
    return redirect("incidents:event_list")


@login_required
def link_create(request: HttpRequest, pk: int) -> HttpResponse:
    event = _writable_event(request, pk)
    form = LinkForm(request.POST or None, user=request.user, event=event)
    if request.method == "POST" and form.is_valid():
        try:
            actions.link_events(request.user, event, form.cleaned_data["to_event"], form.cleaned_data["link_type"])
        except DomainError as exc:
            form_error(form, exc)
        else:
            return redirect("incidents:event_detail", pk=pk)
    return _form_page(
        request,
        form,
        title=_("Link to another event"),
        back=reverse("incidents:event_detail", args=[pk]),
        submit=_("Link"),
    )


@login_required
@require_POST
def event_cite(request: HttpRequest, pk: int) -> HttpResponse:
    event = _writable_event(request, pk)
    form = CiteForm(request.POST, user=request.user)
    if not form.is_valid():
        return _event_page(request, event, cite_form=form)  # the refusal shows at the form, which stays open
    try:
        with transaction.atomic():  # several passages: all or none
            for passage in form.cleaned_data["passages"]:
                actions.cite(request.user, event, passage.pk, quote=form.cleaned_data["quote"])
    except DomainError as exc:
        form_error(form, exc)
        return _event_page(request, event, cite_form=form)
    messages.success(request, _("Citation added."))
    return redirect(reverse("incidents:event_detail", args=[pk]) + "#documents-cited")


# --- Acts, involvements, interventions -----------------------------------------------------------------------


@login_required
def act_create(request: HttpRequest, pk: int) -> HttpResponse:
    event = _writable_event(request, pk)
    form = ActForm(request.POST or None, user=request.user, event=event)
    if request.method == "POST" and form.is_valid():
        new_victim = form.new_victim()
        data = dict(form.cleaned_data)
        data.pop("version", None)
        try:
            if new_victim:
                data.pop("victim", None)
                act = actions.add_act_for_new_victim(request.user, event, victim=new_victim, **data)
            else:
                act = actions.add_act(request.user, event, **data)
        except actions.PossibleDuplicate as exc:
            names = ", ".join(p.pseudonym for p in exc.candidates)
            form.add_error(
                "new_victim_pseudonym",
                _("This person may already be recorded (%(names)s): choose them in the Victim list instead.")
                % {"names": names},
            )
        except DomainError as exc:
            if exc.field and exc.field.startswith("new_victim-"):
                exc.field = "new_victim_" + exc.field.removeprefix("new_victim-")
            form_error(form, exc)
        else:
            messages.success(request, _("Act added. Who did it?"))
            return redirect("incidents:involvement_create", pk=act.pk)
    return _form_page(
        request,
        form,
        title=_("New act in %(event)s") % {"event": event.title},
        back=reverse("incidents:event_detail", args=[pk]),
        submit=_("Save act"),
    )


@login_required
def act_edit(request: HttpRequest, pk: int) -> HttpResponse:
    act = get_visible(request.user, Act, pk)
    if not visibility.can_write(request.user, act):
        raise no_page()
    initial = {name: getattr(act, name) for name in Act.EDITABLE_FIELDS}
    form = ActForm(
        request.POST or None,
        initial={**initial, "version": act.version},
        user=request.user,
        event=act.event,
        current=act,
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version") or 0
        try:
            actions.update_act(request.user, act, expected_version=version, changes=data)
        except DomainError as exc:
            if exc.status == 409:
                raise
            form_error(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("incidents:event_detail", pk=act.event_id)
    involvements = list(act.involvements.select_related("perpetrator", "perpetrator_group"))
    can_delete = visibility.can_write(request.user, act, visibility.REVIEW_ROLES)
    return _edit_page(
        request,
        form,
        title=_("Edit act"),
        back=reverse("incidents:event_detail", args=[act.event_id]),
        delete_url=reverse("incidents:act_delete", args=[pk]) if can_delete else "",
        delete_confirm=_("Delete this act?"),
        act=act,
        involvements=involvements,
        can_delete=can_delete,
        person_ids=queries.visible_person_ids(request.user, [i.perpetrator_id for i in involvements]),
        group_ids=queries.visible_group_ids(request.user, [i.perpetrator_group_id for i in involvements]),
    )


@login_required
@require_POST
def act_delete(request: HttpRequest, pk: int) -> HttpResponse:
    act = get_visible(request.user, Act, pk)
    event_id = act.event_id
    actions.delete_act(request.user, act)
    messages.success(request, _("Act deleted."))
    return redirect("incidents:event_detail", pk=event_id)


@login_required
def involvement_create(request: HttpRequest, pk: int) -> HttpResponse:
    act = get_visible(request.user, Act, pk)
    if not visibility.can_write(request.user, act):
        raise no_page()
    form = InvolvementForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            actions.add_involvement(request.user, act, **form.cleaned_data)
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Perpetrator recorded."))
            return redirect("incidents:event_detail", pk=act.event_id)
    return _form_page(
        request,
        form,
        title=_("Perpetrator of: %(act)s") % {"act": act},
        back=reverse("incidents:event_detail", args=[act.event_id]),
        submit=_("Save perpetrator"),
    )


@login_required
def intervention_create(request: HttpRequest, pk: int) -> HttpResponse:
    event = _writable_event(request, pk)
    acts = visibility.visible(request.user, Act).filter(event=event)
    form = InterventionForm(request.POST or None, acts=acts, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            actions.add_intervention(request.user, event, **form.cleaned_data)
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Intervention recorded."))
            return redirect("incidents:event_detail", pk=pk)
    return _form_page(
        request,
        form,
        title=_("New intervention"),
        back=reverse("incidents:event_detail", args=[pk]),
        submit=_("Save intervention"),
    )


def _editable(request, model, pk: int):
    """An involvement or intervention the user may see and edit, else 404 (as for a missing one)."""
    record = get_visible(request.user, model, pk)
    if not visibility.can_write(request.user, record):
        raise no_page()
    return record


def _save_edit(request, form, record, update) -> HttpResponse | None:
    """Apply a valid edit form; a stale version raises Conflict (the 409 comparison page)."""
    if request.method != "POST" or not form.is_valid():
        return None
    data = dict(form.cleaned_data)
    version = data.pop("version") or 0
    try:
        update(request.user, record, expected_version=version, changes=data)
    except DomainError as exc:
        if exc.status == 409:
            raise
        form_error(form, exc)
        return None
    messages.success(request, _("Changes saved."))
    return redirect("incidents:event_detail", pk=record.event_id)


@login_required
def involvement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    involvement = _editable(request, Involvement, pk)
    initial = {name: getattr(involvement, name) for name in Involvement.EDITABLE_FIELDS}
    form = InvolvementForm(
        request.POST or None,
        initial={**initial, "version": involvement.version},
        user=request.user,
        current=involvement,
    )
    saved = _save_edit(request, form, involvement, actions.update_involvement)
    if saved:
        return saved
    can_delete = visibility.can_write(request.user, involvement, visibility.REVIEW_ROLES)
    return _edit_page(
        request,
        form,
        title=_("Perpetrator of: %(act)s") % {"act": involvement.act},
        back=reverse("incidents:event_detail", args=[involvement.event_id]),
        delete_url=reverse("incidents:involvement_delete", args=[pk]) if can_delete else "",
        delete_confirm=_("Move this perpetrator to the trash?"),
    )


@login_required
@require_POST
def involvement_delete(request: HttpRequest, pk: int) -> HttpResponse:
    involvement = get_visible(request.user, Involvement, pk)
    actions.delete_involvement(request.user, involvement)
    messages.success(request, _("Moved to the trash. A coordinator can restore it."))
    return redirect("incidents:event_detail", pk=involvement.event_id)


@login_required
def intervention_edit(request: HttpRequest, pk: int) -> HttpResponse:
    intervention = _editable(request, Intervention, pk)
    acts = visibility.visible(request.user, Act).filter(event_id=intervention.event_id)
    initial = {name: getattr(intervention, name) for name in Intervention.EDITABLE_FIELDS}
    initial["act"] = str(intervention.act_id or "")
    form = InterventionForm(
        request.POST or None,
        initial={**initial, "version": intervention.version},
        acts=acts,
        user=request.user,
        current=intervention,
    )
    saved = _save_edit(request, form, intervention, actions.update_intervention)
    if saved:
        return saved
    can_delete = visibility.can_write(request.user, intervention, visibility.REVIEW_ROLES)
    return _edit_page(
        request,
        form,
        title=_("Edit intervention"),
        back=reverse("incidents:event_detail", args=[intervention.event_id]),
        delete_url=reverse("incidents:intervention_delete", args=[pk]) if can_delete else "",
        delete_confirm=_("Move this intervention to the trash?"),
    )


@login_required
@require_POST
def intervention_delete(request: HttpRequest, pk: int) -> HttpResponse:
    intervention = get_visible(request.user, Intervention, pk)
    actions.delete_intervention(request.user, intervention)
    messages.success(request, _("Moved to the trash. A coordinator can restore it."))
    return redirect("incidents:event_detail", pk=intervention.event_id)


# --- Victims and groups ----------------------------------------------------------------------------------------


@login_required
def victim_list(request: HttpRequest) -> HttpResponse:
    form = VictimFilterForm(request.GET or None)
    context = {"form": form, "page": None, "can_create": _can_document(request.user)}
    status = 200
    if request.GET and not form.is_valid():
        status = 400
    else:
        people = queries.victims_for(request.user, **(form.filters() if request.GET else {}))
        page = page_of(request, people)
        # Real names only for persons of organisations where the user has restricted access.
        identifying = set(visibility.org_ids(request.user, restricted=True))
        context.update(
            page=page,
            identifying=bool(identifying),
            rows=[{"person": p, "real_name": p.real_name if p.organisation_id in identifying else ""} for p in page],
        )
    template = "incidents/_victim_rows.html" if request.htmx else "incidents/victim_list.html"
    return render(request, template, context, status=status)


@login_required
def victim_create(request: HttpRequest) -> HttpResponse:
    if not _can_document(request.user):
        raise no_page()
    form = VictimForm(request.POST or None, user=request.user)
    candidates = []
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        organisation = data.pop("organisation")
        try:
            person = actions.create_victim(request.user, organisation, **data)
        except actions.PossibleDuplicate as exc:
            candidates = exc.candidates
            form.add_error(None, exc.message)
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Person saved."))
            return redirect("incidents:victim_detail", pk=person.pk)
    return _form_page(
        request,
        form,
        title=_("New victim or person"),
        back=reverse("incidents:event_list"),
        submit=_("Save"),
        candidates=candidates,
        status=409 if candidates else None,
    )


@login_required
def victim_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_visible(request.user, Person, pk)
    case = queries.person_case_file(request.user, person)
    profile = PersonProfile.objects.filter(person=person).first()
    return render(
        request,
        "incidents/victim_detail.html",
        {
            "person": person,
            "case": case,
            "profile": profile,
            "consent": profile.get_consent_display() if profile else Consent.NONE.label,
            "can_edit": visibility.can_write(request.user, person),
            "editable_events": _editable_events(request.user, case.events),
        },
    )


@login_required
def victim_profile(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_visible(request.user, Person, pk)
    if not visibility.can_write(request.user, person):
        raise no_page()
    profile = PersonProfile.objects.filter(person=person).first()
    initial = (
        {
            "age_group": profile.age_group,
            "consent": profile.consent,
            "consent_date": profile.consent_date,
            "consent_note": profile.consent_note,
        }
        if profile
        else {}
    )
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.set_profile(request.user, person, **form.cleaned_data)
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Consent and profile saved."))
            return redirect("incidents:victim_detail", pk=pk)
    return _form_page(
        request,
        form,
        title=_("Consent and profile of %(p)s") % {"p": person.pseudonym},
        back=reverse("incidents:victim_detail", args=[pk]),
        submit=_("Save"),
    )


@login_required
def group_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "incidents/group_list.html",
        {"page": page_of(request, queries.groups_for(request.user)), "can_create": _can_document(request.user)},
    )


@login_required
def group_create(request: HttpRequest) -> HttpResponse:
    if not _can_document(request.user):
        raise no_page()
    form = GroupForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        organisation = data.pop("organisation")
        try:
            actions.create_group(request.user, organisation, **data)
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Group saved."))
            return redirect("incidents:group_list")
    return _form_page(
        request, form, title=_("New group or organisation"), back=reverse("incidents:group_list"), submit=_("Save")
    )


# --- Statistics and drill-down -------------------------------------------------------------------------------


def _filters(request: HttpRequest) -> tuple[StatFilterForm, queries.StatFilters | None]:
    form = StatFilterForm(request.GET or None)
    if not request.GET:
        return form, queries.StatFilters()
    if not form.is_valid():
        return form, None
    data = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
    return form, queries.StatFilters(**data)


@login_required
def statistics(request: HttpRequest) -> HttpResponse:
    form, filters = _filters(request)
    context = {"form": form}
    status = 200
    if filters is None:
        status = 400
    else:
        stats = queries.statistics(request.user, filters)
        breakdowns = [stats.by_type, stats.by_region, stats.by_period, stats.by_unit]
        context.update(
            stats=stats,
            breakdowns=[{"b": b, "chart": charts.breakdown_chart(b)} for b in breakdowns],
            index=[{"p": p, "query": filters.query(defenders=True, year=p.year, month="")} for p in stats.threat],
            index_chart=charts.threat_chart(stats.threat),
            filters=filters,
        )
    template = "incidents/_statistics.html" if request.htmx else "incidents/statistics.html"
    return render(request, template, context, status=status)


@login_required
def act_list(request: HttpRequest) -> HttpResponse:
    form, filters = _filters(request)
    if filters is None:
        return render(request, "incidents/act_list.html", {"form": form, "page": None}, status=400)
    acts = queries.acts_list(request.user, filters)
    fmt = request.GET.get("format", "")
    if fmt in ("csv", "xlsx"):
        return download(transfer.COLUMNS, transfer.export_rows(request.user, acts), filename="incidents-acts", fmt=fmt)
    page = page_of(request, acts)
    victims = queries.visible_person_ids(request.user, [a.victim_id for a in page])
    return render(
        request,
        "incidents/act_list.html",
        {"form": form, "page": page, "victims": victims, "query": filters.query()},
    )


@login_required
def export_json(request: HttpRequest) -> HttpResponse:
    events = visibility.visible(request.user, Event).order_by("start_date", "pk")
    if request.GET.get("event", "").isdigit():
        events = events.filter(pk=int(request.GET["event"]))
    document = transfer.esf_document(request.user, events)
    response = HttpResponse(json.dumps(document, ensure_ascii=False, indent=2), content_type="application/json")
    response["Content-Disposition"] = 'attachment; filename="incidents-esf.json"'
    return response


# --- Import ---------------------------------------------------------------------------------------------------


@login_required
def import_upload(request: HttpRequest) -> HttpResponse:
    if not _can_document(request.user):
        raise no_page()
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["file"]
            if upload.size > transfer.MAX_BYTES:
                form.add_error("file", _("The file is larger than %(mb)d MB.") % {"mb": transfer.MAX_BYTES // 2**20})
                status = 413
            else:
                try:
                    batch, _plans = transfer.stage(
                        request.user,
                        form.cleaned_data["organisation"].pk,
                        upload.name or "upload.csv",
                        upload.read(),
                        form.cleaned_data["confidentiality"],
                    )
                except DomainError as exc:
                    form_error(form, exc)
                    status = exc.status
                else:
                    return redirect("incidents:import_preview", pk=batch.pk)
        else:
            status = 400
    return render(request, "incidents/import.html", {"form": form, "columns": transfer.COLUMNS}, status=status)


def _own_batch(request, pk: int) -> ImportBatch:
    batch = ImportBatch.objects.filter(pk=pk, created_by=request.user, applied_at__isnull=True).first()
    if batch is None:
        raise NotFound(_("No such import, or it was already applied."))
    return batch


@login_required
def import_preview(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _own_batch(request, pk)
    if request.method == "POST":
        counts = transfer.apply(request.user, batch)
        messages.success(
            request,
            _("Imported: %(ec)d new events, %(ac)d new acts, %(au)d updated acts, %(pc)d new persons.")
            % {
                "ec": counts["events_created"],
                "ac": counts["acts_created"],
                "au": counts["acts_updated"],
                "pc": counts["persons_created"],
            },
        )
        return redirect("incidents:event_list")
    plans = transfer.plan(
        request.user, batch.organisation_id, transfer.read_table(bytes(batch.content), batch.filename)
    )
    return render(
        request, "incidents/import_preview.html", {"batch": batch, "plans": plans, "summary": transfer.summary(plans)}
    )
