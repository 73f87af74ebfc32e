"""Pages of the ingestion flow: upload, progress, review. Thin: parse, call an action, render."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rightstrack.core import visibility
from rightstrack.core.errors import DomainError, no_page
from rightstrack.core.forms import form_error
from rightstrack.core.views import page_of
from rightstrack.evidence import storage

from . import acceptors, actions, queries
from .forms import DocumentDateForm, IngestUploadForm, SuggestionEditForm
from .models import RunStatus, Suggestion, SuggestionKind, SuggestionStatus

REVIEW_PAGE_SIZE = 25


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Recent runs, and the upload form for members who may add documents."""
    actions.fail_stalled_runs()
    can_upload = bool(visibility.org_ids(request.user, roles=visibility.WRITE_ROLES))
    context = {
        "page": page_of(request, queries.recent_runs(request.user), 30),
        "can_upload": can_upload,
    }
    return render(request, "ingest/home.html", context)


@login_required
def upload(request: HttpRequest) -> HttpResponse:
    return upload_page(request, template="ingest/upload.html", done="ingest_document")


def upload_page(request: HttpRequest, *, template: str, done: str) -> HttpResponse:
    """The upload form of every upload page: store the file (checked first), queue its reading, go to ``done``.

    ``done`` is the name of a URL taking the document's pk. The reading happens in the background job,
    so a large file never holds the request beyond storing it.
    """
    if not visibility.org_ids(request.user, roles=visibility.WRITE_ROLES):
        raise no_page()
    # Refuse an over-size body before Django reads it into a temporary file.
    length = int(request.META.get("CONTENT_LENGTH") or 0)
    if request.method == "POST" and length > storage.max_upload_bytes() + 64 * 1024:
        error = _("The file is larger than the limit of %(mb)s MB.") % {"mb": settings.MAX_UPLOAD_MB}
        return _upload_page(request, template, IngestUploadForm(user=request.user), 413, error)
    form = IngestUploadForm(request.POST or None, request.FILES or None, user=request.user)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                document, run, started = actions.upload_for_ingestion(
                    request.user,
                    organisation_id=data["organisation"].pk,
                    upload=data["file"],
                    title=data["title"],
                    confidentiality=data["confidentiality"],
                    document_date=data["document_date"],
                    publisher=data["publisher"],
                    language=data["language"],
                    symbol=data["symbol"],
                )
            except DomainError as exc:
                form.add_error("file" if exc.field == "file" else None, exc.message)
                status = exc.status
            else:
                if started:
                    messages.success(request, _("Document stored. It is being read; you can leave this page."))
                else:
                    messages.info(request, _("This file was already uploaded; here is what was found in it."))
                return redirect(done, pk=document.pk)
        else:
            status = 400
    return _upload_page(request, template, form, status)


def _upload_page(
    request: HttpRequest, template: str, form: IngestUploadForm, status: int, error: str = ""
) -> HttpResponse:
    context = {"form": form, "max_mb": settings.MAX_UPLOAD_MB, "error": error}
    return render(request, template, context, status=status)


def _target_context(request: HttpRequest, document, run, kind: str, new_form=None) -> dict:
    """The choice of record accepted suggestions of ``kind`` go into, when its acceptor needs one, and the
    form that creates a new one in place (pre-filled from the document, or as posted with its errors)."""
    spec = acceptors.target(kind)
    if spec is None:
        return {"has_target": False}
    choices = spec.choices(request.user, document, queries.symbols_of(run))
    if spec.create_form is not None and new_form is None:
        new_form = spec.create_form(request.user, document, None)
    wanted = request.GET.get("target", "")
    selected = next((c.pk for c in choices if str(c.pk) == wanted), None)
    if selected is None:  # pre-select the record whose symbol the document cites, if any
        selected = next((c.pk for c in choices if c.matches), None)
    return {
        "has_target": True,
        "target": spec,
        "choices": choices,
        "target_value": selected or "",
        "new_target_form": new_form,
    }


def _review_context(request: HttpRequest, document, run, *, kind: str = "", new_form=None) -> dict:
    can_review = visibility.can_write(request.user, document)
    context = {"document": document, "run": run, "can_review": can_review}
    if run is None or run.status != RunStatus.DONE:
        return context
    context.update(_date_context(document, run, can_review))
    kinds = queries.kind_counts(run)
    wanted = kind or request.GET.get("kind", "")
    known = [k["kind"] for k in kinds]
    kind = wanted if wanted in known else next((k["kind"] for k in kinds if k["pending"]), known[0] if known else "")
    status = request.GET.get("status", "")
    status = status if status in SuggestionStatus.values or status == "all" else "pending"
    for k in kinds:
        k["has_acceptor"] = acceptors.get(k["kind"]) is not None
    current = next((k for k in kinds if k["kind"] == kind), None)
    if can_review and current and current["pending"]:
        context.update(_target_context(request, document, run, kind, new_form))
    context.update(
        {
            "kinds": kinds,
            "kind": kind,
            "current": current,
            "status": status,
            "statuses": [
                ("pending", _("Waiting")),
                ("accepted", _("Accepted")),
                ("edited", _("Edited")),
                ("rejected", _("Rejected")),
                ("all", _("All")),
            ],
            "page": page_of(
                request,
                queries.suggestions_of(run, kind, "" if status == "all" else status),
                REVIEW_PAGE_SIZE,
            )
            if kind
            else None,
        }
    )
    return context


@login_required
def document(request: HttpRequest, pk: int) -> HttpResponse:
    """The document's reading: progress while the job runs, then the review of its suggestions."""
    actions.fail_stalled_runs()
    document, run = queries.document_and_run(request.user, pk)
    return render(request, "ingest/document.html", _review_context(request, document, run))


@login_required
def progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress fragment the document page polls every second; reloads the page when the run ends."""
    actions.fail_stalled_runs()
    document, run = queries.document_and_run(request.user, pk)
    context = {"document": document, "run": run, "can_review": visibility.can_write(request.user, document)}
    response = render(request, "ingest/_progress.html", context)
    if request.htmx and (run is None or run.finished):
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_POST
def start(request: HttpRequest, pk: int) -> HttpResponse:
    """Read a document already in the evidence store (or try again after a failure)."""
    _run, started = actions.start_ingestion(request.user, pk)
    if started:
        messages.success(request, _("The document is being read; you can leave this page."))
    return redirect("ingest_document", pk=pk)


@login_required
@require_POST
def new_target(request: HttpRequest, pk: int) -> HttpResponse:
    """Create the record accepted suggestions go into (a civil-society source for recommendations) from the
    review screen; it is then pre-selected. A refusal shows the form again, open, with the message at its field."""
    document, run = queries.document_and_run(request.user, pk)
    kind = request.POST.get("kind", "")
    spec = acceptors.target(kind)
    if spec is None or spec.create_form is None or not visibility.can_write(request.user, document):
        raise no_page()
    form = spec.create_form(request.user, document, request.POST)
    if form.is_valid():
        try:
            record = spec.create(request.user, document, form.cleaned_data)
        except DomainError as exc:
            if exc.status == 404:
                raise
            form_error(form, exc)
        else:
            messages.success(
                request, _("“%(name)s” created and chosen below: accept the suggestions into it.") % {"name": record}
            )
            return redirect(_review_url(pk, kind, str(record.pk)))
    context = _review_context(request, document, run, kind=kind, new_form=form)
    context["new_target_open"] = True
    return render(request, "ingest/document.html", context, status=400)


def _date_context(document, run, can_review: bool) -> dict:
    """The document's date as found and as confirmed, with the form to confirm or correct it."""
    form = None
    if can_review:
        date = document.document_date or run.found_date
        form = DocumentDateForm(
            initial={"document_date": date.isoformat() if date else "", "version": document.version},
            auto_id="doc-%s",
        )
    return {"date_form": form, "date_confirmed": run.date_confirmed_at is not None}


@login_required
@require_POST
def document_date(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm or correct the document's date; a refusal is shown at the field, on the review screen."""
    form = DocumentDateForm(request.POST, auto_id="doc-%s")
    form.is_valid()  # the action checks both fields and says what is wrong
    data = getattr(form, "cleaned_data", {})
    kind = request.POST.get("kind", "")
    try:
        changed = actions.confirm_document_date(
            request.user, pk, data.get("document_date", ""), expected_version=data.get("version")
        )
    except DomainError as exc:
        if exc.status == 404:
            raise
        form_error(form, exc)
        return _review_page(request, pk, kind, date_form=form, status=exc.status)
    if changed:
        messages.success(request, _("The document's date is saved; figures and claims will use it."))
    else:
        messages.info(request, _("The date was already confirmed; nothing changed."))
    return redirect(_review_url(pk, kind, _target_value(request)) + "#document-date")


@login_required
@require_POST
def accept_all(request: HttpRequest, pk: int) -> HttpResponse:
    """Accept every waiting suggestion of a kind; those refused stay, each with its reason on its card."""
    kind = request.POST.get("kind", "")
    try:
        accepted, problems = actions.accept_all(request.user, pk, kind, target=request.POST.get("target"))
    except DomainError as exc:
        if exc.field != "target":
            raise
        return _review_page(request, pk, kind, target_error=exc.message, status=exc.status)
    if not problems:
        messages.success(request, _("%(n)s suggestions accepted.") % {"n": accepted})
        return redirect(_review_url(pk, kind, _target_value(request)))
    messages.warning(
        request,
        _("%(n)s suggestions accepted; %(m)s could not be: the reason is on each one below, with what to fix.")
        % {"n": accepted, "m": len(problems)},
    )
    return _review_page(request, pk, kind, refusals={p.suggestion_id: p for p in problems}, status=200)


#: Refusals fixed by choosing where the records go (the review or source select above the cards).
TARGET_FIELDS = ("target", "review_id", "source_id")


def _review_page(
    request: HttpRequest,
    document_id: int,
    kind: str,
    *,
    refusals: dict | None = None,
    forms: dict | None = None,
    target_error: str = "",
    date_form: DocumentDateForm | None = None,
    focus: Suggestion | None = None,
    status: int = 400,
) -> HttpResponse:
    """The review screen again after a refused POST (no JavaScript), each refusal on its card.

    ``refusals`` maps suggestion ids to ``actions.Refusal``; ``forms`` to an edit form already holding its
    error; ``focus`` is a suggestion whose page is shown.
    """
    document, run = queries.document_and_run(request.user, document_id)
    params = QueryDict(mutable=True)
    params.update({"kind": kind, "status": "pending"})
    if _target_value(request):
        params["target"] = _target_value(request)
    if focus is not None and run is not None:
        before = queries.suggestions_of(run, kind, "pending").filter(
            Q(position__lt=focus.position) | Q(position=focus.position, pk__lt=focus.pk)
        )
        params["page"] = str(before.count() // REVIEW_PAGE_SIZE + 1)
    request.GET = params  # the screen is read from the query string; this POST stands for one
    context = _review_context(request, document, run)
    context["target_error"] = target_error
    if date_form is not None:
        context["date_form"] = date_form
    page = context.get("page")
    if page is not None:
        page.object_list = list(page.object_list)
        for s in page.object_list:
            refusal = (refusals or {}).get(s.pk)
            form = (forms or {}).get(s.pk)
            if refusal is not None and form is None:
                form = _fix_form(s, refusal.message, refusal.field)
            if refusal is not None or form is not None:
                s.refusal = refusal.message if refusal is not None and form is None else ""
                s.fix_form = form
                s.fix_target = refusal is not None and refusal.field in TARGET_FIELDS
    return render(request, "ingest/document.html", context, status=status)


def _fix_form(suggestion: Suggestion, message: str, field: str | None) -> SuggestionEditForm | None:
    """The card's edit form as shown, with the refusal at the field that fixes it (None: no field does)."""
    shown = SuggestionEditForm(suggestion=suggestion)
    if field not in shown.fields or field == "version":
        return None
    values = {k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in shown.initial.items()}
    form = SuggestionEditForm(values, suggestion=suggestion)
    form.is_valid()
    form.add_error(field, message)
    return form


def _review_url(document_id: int, kind: str, target: str = "") -> str:
    """The review page of one kind, keeping the reviewer's choice of target."""
    query = {"kind": kind, **({"target": target} if target else {})}
    return f"{reverse('ingest_document', args=[document_id])}?{urlencode(query)}"


def _target_value(request: HttpRequest) -> str:
    raw = request.POST.get("target", request.GET.get("target", ""))
    return raw if raw.isascii() and raw.isdigit() else ""


def _card(
    request: HttpRequest,
    suggestion: Suggestion,
    *,
    form=None,
    error: str = "",
    fix_target: bool = False,
    status: int = 200,
):
    context = {
        "s": suggestion,
        "form": form,
        "error": error,
        "fix_target": fix_target,
        "can_review": visibility.can_write(request.user, suggestion.document),
        "has_acceptor": acceptors.get(suggestion.kind) is not None,
        "has_target": acceptors.target(suggestion.kind) is not None,
        "target_value": _target_value(request),
    }
    return render(request, "ingest/_suggestion.html", context, status=status)


def _after_review(request: HttpRequest, suggestion: Suggestion) -> HttpResponse:
    if request.htmx:
        return _card(request, suggestion)
    return redirect(_review_url(suggestion.document_id, suggestion.kind, _target_value(request)))


def _version(request: HttpRequest) -> int | None:
    raw = request.POST.get("version", "")
    return int(raw) if raw.isdigit() else None


@login_required
@require_POST
def accept(request: HttpRequest, pk: int) -> HttpResponse:
    """Accept as proposed, or with the edits posted from the edit form."""
    suggestion = queries.visible_suggestion(request.user, pk)
    form = SuggestionEditForm(request.POST, suggestion=suggestion) if request.POST.get("edit") else None
    if form is not None and not form.is_valid():
        if request.htmx:
            return _card(request, suggestion, form=form, status=400)
        forms = {suggestion.pk: form}
        return _review_page(request, suggestion.document_id, suggestion.kind, forms=forms, focus=suggestion)
    try:
        done = actions.accept_suggestion(
            request.user,
            pk,
            edits=form.edits() if form is not None else None,
            expected_version=form.cleaned_data["version"] if form is not None else _version(request),
            target=request.POST.get("target"),
        )
    except DomainError as exc:
        if exc.status == 404:
            raise
        return _refused(request, suggestion, exc, form)
    return _after_review(request, done)


def _refused(request: HttpRequest, suggestion: Suggestion, exc: DomainError, form) -> HttpResponse:
    """Show why Accept was refused on the card, with the field (or the choice above) that fixes it.

    With HTMX the card alone is answered; without JavaScript the whole review screen, at the card's page.
    """
    suggestion.refresh_from_db()
    if form is not None:  # keep the reviewer's edits on screen with the reason
        form_error(form, exc)
    else:
        form = _fix_form(suggestion, exc.message, exc.field)
    error = "" if form is not None else exc.message
    fix_target = exc.field in TARGET_FIELDS
    if request.htmx:
        return _card(request, suggestion, form=form, error=error, fix_target=fix_target, status=exc.status)
    return _review_page(
        request,
        suggestion.document_id,
        suggestion.kind,
        refusals={suggestion.pk: actions.Refusal(suggestion.pk, exc.message, exc.field)},
        forms={suggestion.pk: form} if form is not None else None,
        focus=suggestion,
        status=exc.status,
    )


@login_required
@require_POST
def reject(request: HttpRequest, pk: int) -> HttpResponse:
    suggestion = queries.visible_suggestion(request.user, pk)
    try:
        done = actions.reject_suggestion(request.user, pk, expected_version=_version(request))
    except DomainError as exc:
        if not request.htmx or exc.status == 404:
            raise
        suggestion.refresh_from_db()
        return _card(request, suggestion, error=exc.message, status=exc.status)
    return _after_review(request, done)


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The edit form for one suggestion: in place with HTMX, or as a page of its own."""
    suggestion = queries.visible_suggestion(request.user, pk)
    if not visibility.can_write(request.user, suggestion.document) or suggestion.status != SuggestionStatus.PENDING:
        raise no_page()
    form = SuggestionEditForm(suggestion=suggestion)
    if request.htmx:
        return _card(request, suggestion, form=form)
    return render(
        request,
        "ingest/suggestion_edit.html",
        {
            "s": suggestion,
            "form": form,
            "document": suggestion.document,
            "kinds": SuggestionKind,
            "has_target": acceptors.target(suggestion.kind) is not None,
            "target_value": _target_value(request),
        },
    )
