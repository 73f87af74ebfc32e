"""Report pages: list, create, build with progress, edit, check, publish, download. Thin: parse, call, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rightstrack.core import visibility
from rightstrack.core.actions import get_visible
from rightstrack.core.errors import Forbidden, InvalidInput, NotFound, no_page
from rightstrack.core.forms import form_error
from rightstrack.core.views import page_of

from . import actions, queries
from .forms import ParagraphForm, PublishForm, ReportEditForm, ReportForm
from .models import BuildStatus, Publication, ReportBlock, ReportDefinition
from .render import FORMATS


def _report(request: HttpRequest, pk: int) -> ReportDefinition:
    return get_visible(request.user, ReportDefinition, pk)


def _block(request: HttpRequest, report: ReportDefinition, block_pk: int) -> ReportBlock:
    block = get_visible(request.user, ReportBlock, block_pk)
    if block.report_id != report.pk or not queries.readable_block(request.user, block):
        raise NotFound(_("No such record, or you do not have access to it."))
    return block


def _can_edit(user, report: ReportDefinition) -> bool:
    return visibility.can_write(user, report, visibility.ANALYSE_ROLES) and (
        report.confidentiality != "restricted" or report.organisation_id in visibility.org_ids(user, restricted=True)
    )


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    reports = queries.reports_for(request.user)
    query = request.GET.get("q", "").strip()
    if query:
        reports = reports.filter(Q(title__icontains=query))
    context = {
        "page": page_of(request, reports),
        "q": query,
        "can_create": bool(visibility.org_ids(request.user, roles=visibility.ANALYSE_ROLES)),
    }
    template = "reports/_report_rows.html" if request.htmx else "reports/report_list.html"
    return render(request, template, context)


@login_required
def report_create(request: HttpRequest) -> HttpResponse:
    if not visibility.org_ids(request.user, roles=visibility.ANALYSE_ROLES):
        raise no_page()
    form = ReportForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report = actions.create_report(
                request.user,
                organisation=data["organisation"],
                title=data["title"],
                kind=data["kind"],
                state=data["state"],
                language=data["language"],
                period_start=data["period_start"],
                period_end=data["period_end"],
                filters=form.filters(),
                organisations=data["organisations"] or None,
                word_limit=data["word_limit"],
                confidentiality=data["confidentiality"],
            )
        except (InvalidInput, Forbidden) as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Report created. Build it to fill it from your records."))
            return redirect("reports:detail", pk=report.pk)
    return render(request, "reports/report_form.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    if not _can_edit(request.user, report):
        raise no_page()
    form = ReportEditForm(request.POST or None, user=request.user, report=report)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        changes = {name: data[name] for name in ("title", "language", "period_start", "period_end", "word_limit")}
        changes |= {"filters": form.filters(), "confidentiality": data["confidentiality"]}
        read = (report.version, sorted(report.organisations.values_list("pk", flat=True)))
        try:
            saved = actions.update_report(
                request.user,
                report,
                expected_version=data["version"],
                changes=changes,
                organisations=data["organisations"],
            )
        except (InvalidInput, Forbidden) as exc:
            form_error(form, exc)
        else:
            if (saved.version, sorted(saved.organisations.values_list("pk", flat=True))) == read:
                messages.info(request, _("Nothing changed."))  # saved unchanged: no rebuild to ask for
            else:
                messages.success(
                    request, _("Saved. Rebuild the report to apply it; paragraphs you edited keep your text.")
                )
            return redirect("reports:detail", pk=report.pk)
    return render(
        request,
        "reports/report_form.html",
        {"form": form, "report": report},
        status=400 if form.errors else 200,
    )


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    blocks, withheld = queries.readable_blocks(request.user, report)
    numbered = queries.numbered_blocks(report, blocks)
    document = queries.assemble(report, blocks) if blocks else None
    words = document.word_count() if document else 0
    limit = report.effective_word_limit
    publication = Publication.objects.filter(report=report, deleted_at__isnull=True).first()
    can_edit = _can_edit(request.user, report)
    sections = []
    by_key: dict[str, list] = {}
    for block, number in numbered:
        by_key.setdefault(block.section_key, []).append((block, number))
    for entry in report.outline:
        sections.append({**entry, "blocks": by_key.get(entry["key"], [])})
    return render(
        request,
        "reports/report_detail.html",
        {
            "report": report,
            "sections": sections,
            "words": words,
            "limit": limit,
            "over_limit": bool(limit and words > limit),
            "unsourced": queries.unsourced_figures(report, blocks) if blocks else [],
            "withheld": withheld,
            "changes": queries.readable_changes(request.user, report),
            "publication": publication,
            "can_edit": can_edit,
            "can_publish": visibility.can_write(request.user, report, visibility.REVIEW_ROLES),
            "formats": list(FORMATS),
            "building": report.build_status in (BuildStatus.QUEUED, BuildStatus.BUILDING),
            "publish_form": PublishForm(),
        },
    )


@login_required
def report_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress bar, polled every second by HTMX while a build runs; a finished build reloads the page."""
    report = _report(request, pk)
    building = report.build_status in (BuildStatus.QUEUED, BuildStatus.BUILDING)
    response = render(request, "reports/_progress.html", {"report": report, "building": building})
    if not building and request.htmx:
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_POST
def report_build(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    actions.start_build(request.user, report)
    report.refresh_from_db()
    if report.build_status == BuildStatus.READY:
        messages.success(request, _("Report built."))
    elif report.build_error:
        messages.error(request, report.build_error)
    return redirect("reports:detail", pk=report.pk)


@login_required
def report_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    report = _report(request, pk)
    if not report.outline:
        raise InvalidInput(_("Build the report before downloading it."))
    return queries.download(request.user, report, fmt, queries.report_file_stem(report))


@login_required
def block_edit(request: HttpRequest, pk: int, block_pk: int) -> HttpResponse:
    report = _report(request, pk)
    block = _block(request, report, block_pk)
    if not _can_edit(request.user, report) or block.kind != "paragraph":
        raise no_page()
    form = ParagraphForm(request.POST or None, initial={"text": block.text, "version": block.version})
    if request.method == "POST" and form.is_valid():
        try:
            actions.edit_block(
                request.user, block, expected_version=form.cleaned_data["version"] or 0, text=form.cleaned_data["text"]
            )
        except InvalidInput as exc:
            form.add_error("text", exc.message)
        else:
            messages.success(request, _("Paragraph saved."))
            return redirect(reverse("reports:detail", args=[report.pk]) + f"#block-{block.pk}")
    return render(
        request,
        "reports/block_form.html",
        {"form": form, "report": report, "block": block},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def block_move(request: HttpRequest, pk: int, block_pk: int) -> HttpResponse:
    report = _report(request, pk)
    block = _block(request, report, block_pk)
    actions.move_block(request.user, block, request.POST.get("direction", ""))
    return redirect(reverse("reports:detail", args=[report.pk]) + f"#block-{block.pk}")


@login_required
@require_POST
def block_revert(request: HttpRequest, pk: int, block_pk: int) -> HttpResponse:
    report = _report(request, pk)
    block = _block(request, report, block_pk)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        raise InvalidInput(_("The form is missing the version you read."))
    actions.revert_block(request.user, block, expected_version=version)
    messages.success(request, _("Back to the generated text."))
    return redirect(reverse("reports:detail", args=[report.pk]) + f"#block-{block.pk}")


@login_required
@require_POST
def block_delete(request: HttpRequest, pk: int, block_pk: int) -> HttpResponse:
    report = _report(request, pk)
    block = _block(request, report, block_pk)
    actions.delete_paragraph(request.user, block)
    messages.success(request, _("Paragraph removed."))
    return redirect("reports:detail", pk=report.pk)


@login_required
def paragraph_add(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    if not _can_edit(request.user, report):
        raise no_page()
    section = request.POST.get("section") or request.GET.get("section", "")
    after_pk = request.POST.get("after") or request.GET.get("after", "")
    after = _block(request, report, after_pk) if after_pk else None
    form = ParagraphForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            block = actions.add_paragraph(
                request.user, report, after=after, section_key=section, text=form.cleaned_data["text"]
            )
        except InvalidInput as exc:
            form.add_error("text", exc.message)
        else:
            messages.success(request, _("Paragraph added."))
            return redirect(reverse("reports:detail", args=[report.pk]) + f"#block-{block.pk}")
    return render(
        request,
        "reports/block_form.html",
        {"form": form, "report": report, "adding": True, "section": section, "after": after},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def report_publish(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    form = PublishForm(request.POST)
    accept = form.is_valid() and form.cleaned_data["accept_unsourced"]
    try:
        publication = actions.publish(request.user, report, accept_unsourced=accept)
    except actions.PublicationRefused as exc:
        return render(
            request,
            "reports/publish_refused.html",
            {"report": report, "message": exc.message, "problems": exc.problems},
            status=409,
        )
    except InvalidInput as exc:
        messages.error(request, exc.message)
        return redirect("reports:detail", pk=report.pk)
    messages.success(request, _("Published on the public portal."))
    return redirect("portal:report", slug=publication.slug)


@login_required
@require_POST
def report_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    actions.withdraw(request.user, report)
    messages.success(request, _("Withdrawn from the public portal."))
    return redirect("reports:detail", pk=report.pk)
