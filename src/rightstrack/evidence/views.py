"""Pages for source documents and passages."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rightstrack.core import actions as core_actions
from rightstrack.core import visibility
from rightstrack.core.errors import DomainError, NotFound
from rightstrack.core.views import page_of

from . import actions, storage
from .forms import DocumentForm, UploadForm
from .models import Passage, SourceDocument


@login_required
def document_list(request: HttpRequest) -> HttpResponse:
    documents = (
        visibility.visible(request.user, SourceDocument)
        .annotate(passage_count=Count("passages"))
        .order_by("-created_at", "-pk")
    )
    query = request.GET.get("q", "").strip()
    if query:
        documents = documents.filter(
            Q(title__icontains=query) | Q(symbol__icontains=query) | Q(publisher__icontains=query)
        )
    context = {
        "page": page_of(request, documents),
        "q": query,
        "can_upload": bool(visibility.org_ids(request.user, roles=visibility.WRITE_ROLES)),
    }
    return render(request, "evidence/_document_rows.html" if request.htmx else "evidence/document_list.html", context)


@login_required
def document_upload(request: HttpRequest) -> HttpResponse:
    if not visibility.org_ids(request.user, roles=visibility.WRITE_ROLES):
        raise NotFound(_("No such page, or you do not have access to it."))
    status = 200
    # Refuse an over-size body before Django reads it into a temporary file.
    length = int(request.META.get("CONTENT_LENGTH") or 0)
    if request.method == "POST" and length > storage.max_upload_bytes() + 64 * 1024:
        too_large = _("The file is larger than the limit of %(mb)s MB.") % {"mb": settings.MAX_UPLOAD_MB}
        return _upload_page(request, UploadForm(user=request.user), 413, error=too_large)
    form = UploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                document, created = actions.upload_document(
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
                if created:
                    messages.success(request, _("Document stored and split into passages."))
                else:
                    messages.info(request, _("This file was already uploaded; here it is."))
                return redirect("document_detail", pk=document.pk)
        else:
            status = 400
    return _upload_page(request, form, status)


def _upload_page(request: HttpRequest, form: UploadForm, status: int, error: str = "") -> HttpResponse:
    context = {"form": form, "max_mb": settings.MAX_UPLOAD_MB, "error": error}
    return render(request, "evidence/upload.html", context, status=status)


@login_required
def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    document = core_actions.get_visible(request.user, SourceDocument, pk)
    passages = document.passages.annotate(citation_count=Count("citations")).order_by("number")
    return render(
        request,
        "evidence/document_detail.html",
        {
            "document": document,
            "page": page_of(request, passages, 200),
            "can_edit": visibility.can_write(request.user, document),
            "can_delete": visibility.can_write(request.user, document, visibility.REVIEW_ROLES),
        },
    )


@login_required
def document_edit(request: HttpRequest, pk: int) -> HttpResponse:
    document = core_actions.get_visible(request.user, SourceDocument, pk)
    if not visibility.can_write(request.user, document):
        raise NotFound(_("No such page, or you do not have access to it."))
    form = DocumentForm(request.POST or None, instance=document, initial={"version": document.version})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        core_actions.update_record(request.user, document, expected_version=version, changes=data)
        messages.success(request, _("Changes saved."))
        return redirect("document_detail", pk=pk)
    return render(
        request, "evidence/document_form.html", {"form": form, "document": document}, status=400 if form.errors else 200
    )


@login_required
@require_POST
def document_delete(request: HttpRequest, pk: int) -> HttpResponse:
    document = core_actions.get_visible(request.user, SourceDocument, pk)
    core_actions.soft_delete(request.user, document)
    messages.success(request, _("Moved to the trash. A coordinator can restore it."))
    return redirect("document_list")


@login_required
def passage_detail(request: HttpRequest, pk: int) -> HttpResponse:
    passage = core_actions.get_visible(request.user, Passage, pk)
    return render(
        request,
        "evidence/passage_detail.html",
        {
            "passage": passage,
            "citing": actions.citing_records(request.user, passage),
        },
    )
