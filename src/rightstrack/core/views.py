"""Pages for the shell, persons, the audit log and the trash. Thin: parse, call, render."""

from __future__ import annotations

import logging

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import actions, notifications, visibility
from .errors import InvalidInput, NotFound, no_page
from .forms import AuditFilterForm, PersonForm, form_error
from .models import AuditEvent, Person

logger = logging.getLogger(__name__)

PAGE_SIZE = 50


def page_of(request: HttpRequest, queryset, size: int = PAGE_SIZE):
    """One page of a queryset from ?page=, tolerant of junk page numbers."""
    return Paginator(queryset, size).get_page(request.GET.get("page"))


@login_required
def home(request: HttpRequest) -> HttpResponse:
    from rightstrack.evidence.models import SourceDocument

    counts = {
        "persons": visibility.visible(request.user, Person).count(),
        "documents": visibility.visible(request.user, SourceDocument).count(),
    }
    from . import activity, home

    recent = (
        [(e, activity.describe(e)) for e in audit_events_for(request.user)[:10]]
        if visibility.org_ids(request.user, roles=visibility.REVIEW_ROLES)
        else []
    )
    # Domain apps add tiles with a `dashboard_tiles(user) -> [{"label", "count", "url"}]` method on their AppConfig;
    # what the user has to do comes first, from their `home_sections(user)` (see core/home.py).
    tiles = [
        tile
        for config in apps.get_app_configs()
        if hasattr(config, "dashboard_tiles")
        for tile in config.dashboard_tiles(request.user)
    ]
    context = {
        "counts": counts,
        "recent": recent,
        "module_tiles": tiles,
        "sections": home.sections(request.user),
        "alerts": notifications.for_user(request.user, unread_only=True, limit=5),
        "help_guide": home.guide_for(request.user),
    }
    return render(request, "core/home.html", context)


def health(request: HttpRequest) -> HttpResponse:
    """For monitors, no login: database, job worker heartbeat, job queue, last automatic backup.

    200 when all is well, 503 when the database fails, an expected worker has gone quiet, or the last
    automatic backup failed, failed verification or is overdue. Ages and the queue length only: no paths,
    no names, no other counts.
    """
    from django.db import connection

    from . import worker

    body: dict = {"status": "ok", "problems": []}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        body["database"] = "ok"
        body["queue"] = worker.queue_status()
    except Exception:
        logger.exception("health check: the database failed")
        body["database"] = "error"
        body["problems"].append("database")
    body["worker"] = worker.worker_health()
    if not body["worker"]["ok"]:
        body["problems"].append("worker")
    body["backup"] = _backup_health()
    if not body["backup"]["ok"]:
        body["problems"].append("backup")
    if body["problems"]:
        body["status"] = "fail"
    response = JsonResponse(body, status=503 if body["problems"] else 200)
    response["Cache-Control"] = "no-store"
    return response


def _backup_health() -> dict:
    """The newest automatic backup's age and verification; a problem only while automatic backups are on."""
    from django.conf import settings

    from .backup import last_backup_status

    every = float(settings.BACKUP_EVERY_HOURS)
    status = last_backup_status()
    age = status.get("age_hours")
    problem = ""
    if every > 0:
        if status.get("error"):
            problem = "the last automatic backup failed"
        elif status.get("verified") is False:
            problem = "the last automatic backup failed verification"
        elif age is not None and age > every * 1.5:  # missed by half a period: the chores are not running
            problem = "the last automatic backup is overdue"
    # The error text may name files: only the summary leaves the server.
    return {
        "automatic": every > 0,
        "age_hours": age,
        "verified": status.get("verified"),
        "ok": not problem,
        "problem": problem,
    }


# --- Persons ---------------------------------------------------------------------------------------


@login_required
def person_list(request: HttpRequest) -> HttpResponse:
    people = visibility.visible(request.user, Person).order_by("pseudonym")
    query = request.GET.get("q", "").strip()
    # Search only what the user may read: the pseudonym, and real names where restricted access allows.
    people = visibility.person_search(request.user, people, query)
    context = {
        "page": page_of(request, people),
        "q": query,
        "can_create": bool(visibility.org_ids(request.user, roles=visibility.WRITE_ROLES)),
    }
    template = "core/_person_rows.html" if request.htmx else "core/person_list.html"
    return render(request, template, context)


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = actions.get_visible(request.user, Person, pk)
    return render(
        request,
        "core/person_detail.html",
        {
            "person": person,
            "sensitive": visibility.can_see_sensitive(request.user, person),
            "can_edit": visibility.can_write(request.user, person),
            "can_delete": visibility.can_write(request.user, person, visibility.REVIEW_ROLES),
        },
    )


@login_required
def person_create(request: HttpRequest) -> HttpResponse:
    if not visibility.org_ids(request.user, roles=visibility.WRITE_ROLES):
        raise no_page()
    sensitive = bool(visibility.org_ids(request.user, restricted=True))
    form = PersonForm(request.POST or None, user=request.user, sensitive_allowed=sensitive, creating=True)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        organisation = data.pop("organisation")
        try:
            person = actions.create_person(request.user, organisation, **data)
        except InvalidInput as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Person saved."))
            return redirect("person_detail", pk=person.pk)
    return render(
        request, "core/person_form.html", {"form": form, "creating": True}, status=400 if form.errors else 200
    )


@login_required
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = actions.get_visible(request.user, Person, pk)
    if not visibility.can_write(request.user, person):
        raise no_page()
    sensitive = visibility.can_see_sensitive(request.user, person)
    form = PersonForm(
        request.POST or None,
        instance=person,
        initial={"version": person.version},
        user=request.user,
        sensitive_allowed=sensitive,
        creating=False,
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version") or 0
        actions.update_person(request.user, person, expected_version=version, changes=data)
        messages.success(request, _("Changes saved."))
        return redirect("person_detail", pk=person.pk)
    return render(
        request, "core/person_form.html", {"form": form, "person": person}, status=400 if form.errors else 200
    )


@login_required
@require_POST
def person_delete(request: HttpRequest, pk: int) -> HttpResponse:
    person = actions.get_visible(request.user, Person, pk)
    actions.soft_delete(request.user, person)
    messages.success(request, _("Moved to the trash. A coordinator can restore it."))
    return redirect("person_list")


# --- Trash -----------------------------------------------------------------------------------------

#: Models whose deleted records the trash page lists. Domain apps append "app.Model" in AppConfig.ready().
TRASH_MODELS = ["core.Person", "evidence.SourceDocument"]


def _trash_model(label: str):
    if label not in TRASH_MODELS:
        raise NotFound(_("No such record, or you do not have access to it."))
    return apps.get_model(label)


@login_required
def trash(request: HttpRequest) -> HttpResponse:
    sections = []
    for label in TRASH_MODELS:
        model = apps.get_model(label)
        rows = visibility.deleted(request.user, model).order_by("-deleted_at")[:200]
        sections.append({"label": label, "name": model._meta.verbose_name_plural, "rows": rows})
    return render(request, "core/trash.html", {"sections": sections})


@login_required
@require_POST
def trash_restore(request: HttpRequest, label: str, pk: int) -> HttpResponse:
    model = _trash_model(label)
    obj = visibility.deleted(request.user, model).filter(pk=pk).first()
    if obj is None:
        raise NotFound(_("No such record, or you do not have access to it."))
    actions.restore(request.user, obj)
    messages.success(request, _("Restored."))
    return redirect("trash")


@login_required
@require_POST
def trash_purge(request: HttpRequest, label: str, pk: int) -> HttpResponse:
    model = _trash_model(label)
    obj = visibility.deleted(request.user, model).filter(pk=pk).first()
    if obj is None:
        raise NotFound(_("No such record, or you do not have access to it."))
    actions.purge(request.user, obj)
    messages.success(request, _("Deleted for good. The audit log keeps a copy of what it was."))
    return redirect("trash")


# --- Audit log -------------------------------------------------------------------------------------


def audit_events_for(user):
    """Events of organisations the user reviews; restricted records' events only with restricted access."""
    reviewed = visibility.org_ids(user, roles=visibility.REVIEW_ROLES)
    restricted = set(visibility.org_ids(user, restricted=True)) & set(reviewed)
    return (
        AuditEvent.objects.filter(organisation_id__in=reviewed)
        .filter(~Q(confidentiality="restricted") | Q(organisation_id__in=restricted))
        .select_related("actor", "organisation")
    )


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    if not visibility.org_ids(request.user, roles=visibility.REVIEW_ROLES):
        raise no_page()
    form = AuditFilterForm(request.GET or None)
    events = audit_events_for(request.user)
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            events = events.filter(Q(object_repr__icontains=data["q"]) | Q(object_type__icontains=data["q"]))
        if data["verb"]:
            events = events.filter(verb__icontains=data["verb"])
        if data["actor"]:
            events = events.filter(actor__username__icontains=data["actor"])
        if data["since"]:
            events = events.filter(at__date__gte=data["since"])
        if data["until"]:
            events = events.filter(at__date__lte=data["until"])
    page = page_of(request, events)
    restricted = set(visibility.org_ids(request.user, restricted=True))
    for event in page:
        hidden = set(event.sensitive_fields) if event.organisation_id not in restricted else set()
        before, after = event.before or {}, event.after or {}
        event.changes = [
            (name, "•••" if name in hidden else before.get(name), "•••" if name in hidden else after.get(name))
            for name in sorted(set(before) | set(after))
        ]
    return render(request, "core/audit_log.html", {"form": form, "page": page})
