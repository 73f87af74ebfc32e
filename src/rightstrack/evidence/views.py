"""Pages for source documents and passages."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from rightstrack.core import actions as core_actions
from rightstrack.core import visibility
from rightstrack.core.errors import InvalidInput, NotFound, no_page
from rightstrack.core.views import page_of
from rightstrack.ingest.views import upload_page

from . import actions, citing
from .forms import DocumentForm
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
    """Upload through the ingestion flow (stored now, read in the background), then show the document."""
    return upload_page(request, template="evidence/upload.html", done="document_detail")


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
        raise no_page()
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


@login_required
@require_GET
def passage_preview(request: HttpRequest) -> HttpResponse:
    """HTMX fragment for the citation picker: the passage a document + label names, or why there is none.

    Answers 200 either way so HTMX shows the message; a document the user may not see reads as one
    that does not exist.
    """
    field = request.GET.get("field", "")
    prefix = f"{field}_" if field else ""
    document = request.GET.get(f"{prefix}document", "").strip()
    label = request.GET.get(f"{prefix}label", "").strip()
    passage, error = None, ""
    if label:
        try:
            if not document:
                raise InvalidInput(_("Choose the document of paragraph %(label)s.") % {"label": label[:40]})
            passage = citing.resolve_passage(request.user, document, label)
        except NotFound:
            error = _("Choose a document from the list.")
        except InvalidInput as exc:
            error = exc.message
    return render(request, "evidence/_citation_preview.html", {"passage": passage, "error": error})
