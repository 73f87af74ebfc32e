"""Pages of the recommendations app. Thin: parse, call actions/queries, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rightstrack.core import visibility
from rightstrack.core.actions import get_visible, soft_delete
from rightstrack.core.charts import bar_chart
from rightstrack.core.errors import DomainError, Forbidden, InvalidInput, NotFound, no_page
from rightstrack.core.exports import download
from rightstrack.core.forms import form_error
from rightstrack.core.models import Person
from rightstrack.core.views import page_of
from rightstrack.evidence import citing
from rightstrack.evidence.models import SourceDocument

from . import actions, matrix, queries, search
from .forms import (
    AssessmentForm,
    ClassifyForm,
    ImportForm,
    NapItemEditForm,
    NapItemForm,
    RangeAssessmentForm,
    RecommendationEditForm,
    RecommendationForm,
    ReviewEditForm,
    ReviewForm,
    ViewEditForm,
    ViewForm,
)
from .models import ComplaintView, ImportJob, NapItem, Recommendation, RecurrenceGroup, Review, Status

PAGE_SIZE = 25


def _analyst(request: HttpRequest) -> bool:
    return bool(visibility.org_ids(request.user, roles=actions.ROLES))


def _require_analyst(request: HttpRequest) -> None:
    if not _analyst(request):
        raise no_page()


# --- List, search, export ------------------------------------------------------------------------


@login_required
def recommendation_list(request: HttpRequest) -> HttpResponse:
    filters = queries.Filters.from_query(request.GET)
    qs = queries.filtered(request.user, filters)
    exact = request.GET.get("count") == "all"  # counting every match is slower: only when asked
    page = queries.result_page(qs, request.GET.get("page"), PAGE_SIZE, exact=exact)
    # Whose status: the State's and civil society's latest assessments, side by side, never merged into one.
    latest = queries.latest_by_side(request.user, page)
    for rec in page:
        rec.latest_state, rec.latest_cso = latest[rec.pk].get("state"), latest[rec.pk].get("cso")
    query = request.GET.copy()
    query.pop("page", None)
    # The other way of searching the same words: only those typed, or with the thesaurus's translations.
    other = query.copy()
    other.pop("literal", None)
    if not filters.literal:
        other["literal"] = "1"
    context = {
        "page": page,
        "count_limit": queries.COUNT_LIMIT,
        "filters": filters,
        "expansions": search.expansions(filters.q) if filters.q else [],
        "other_search": other.urlencode(),
        "selects": queries.select_options(filters, _("any")) if not request.htmx else {},
        "query": query.urlencode(),
        "can_analyse": _analyst(request),
    }
    template = "recommendations/_results.html" if request.htmx else "recommendations/list.html"
    return render(request, template, context)


@login_required
def recommendation_export(request: HttpRequest) -> HttpResponse:
    """CSV or XLSX of any result: the same filters as the list page."""
    qs = queries.filtered(request.user, queries.Filters.from_query(request.GET))
    fmt = "xlsx" if request.GET.get("fmt") == "xlsx" else "csv"
    return download(queries.EXPORT_HEADERS, queries.export_rows(request.user, qs), filename="recommendations", fmt=fmt)


@login_required
def matrix_export(request: HttpRequest) -> HttpResponse:
    """The matrix of the current result: an HTML preview, or XLSX/DOCX with ?fmt=."""
    qs = queries.filtered(request.user, queries.Filters.from_query(request.GET))
    fmt = request.GET.get("fmt", "")
    if fmt in ("xlsx", "docx"):
        return matrix.download(request.user, qs, fmt)
    query = request.GET.copy()
    query.pop("fmt", None)
    context = {
        "headers": matrix.headers(),
        "rows": list(matrix.rows(request.user, qs[: matrix.PREVIEW_ROWS])),
        "count": qs.count(),
        "preview_rows": matrix.PREVIEW_ROWS,
        "query": query.urlencode(),
    }
    return render(request, "recommendations/matrix.html", context)


# --- One recommendation ----------------------------------------------------------------------------


def _detail_context(request: HttpRequest, rec: Recommendation, **extra) -> dict:
    from rightstrack.core.models import Theme

    can_write = visibility.can_write(request.user, rec, actions.ROLES)
    suggested = list(Theme.objects.filter(code__in=rec.suggested_themes)) if rec.suggested_themes else []
    context = {
        "rec": rec,
        "timeline": queries.timeline(request.user, rec),
        "can_write": can_write,
        "can_assess": _analyst(request),
        "can_delete": visibility.can_write(request.user, rec, visibility.REVIEW_ROLES),
        "suggested_themes": suggested,
        "recommending": list(rec.recommending_states.all()),
        "groups": queries.groups(request.user).filter(recommendations=rec),
        "nap_items": visibility.visible(request.user, NapItem).filter(recommendations=rec),
        "source_passages": citing.passages_cited_by(request.user, rec),
    }
    if context["can_assess"] and "assess_form" not in extra:
        context["assess_form"] = AssessmentForm(user=request.user, initial={"date": queries.today()})
    if can_write and not rec.classification_confirmed and "classify_form" not in extra:
        context["classify_form"] = ClassifyForm(
            initial={"themes": rec.suggested_themes, "action_category": rec.suggested_action_category}
        )
    context.update(extra)
    return context


@login_required
def recommendation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    rec = get_visible(request.user, Recommendation, pk)
    return render(request, "recommendations/detail.html", _detail_context(request, rec))


@login_required
@require_POST
def recommendation_assess(request: HttpRequest, pk: int) -> HttpResponse:
    rec = get_visible(request.user, Recommendation, pk)
    _require_analyst(request)
    form = AssessmentForm(request.POST, user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.add_assessment(
                request.user,
                rec,
                organisation=data["organisation"],
                assessor_kind=data["assessor_kind"],
                assessor_name=data["assessor_name"],
                date=data["date"],
                status=data["status"],
                rationale=data["rationale"],
                confidentiality=data["confidentiality"],
                passages=data["passages"],
            )
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Assessment recorded."))
            return redirect("recommendation_detail", pk=rec.pk)
    context = _detail_context(request, rec, assess_form=form)
    return render(request, "recommendations/detail.html", context, status=400)


@login_required
@require_POST
def recommendation_classify(request: HttpRequest, pk: int) -> HttpResponse:
    rec = actions.recommendation_for_write(request.user, pk)
    form = ClassifyForm(request.POST)
    if form.is_valid():
        try:
            actions.confirm_classification(
                request.user,
                rec,
                themes=[t.code for t in form.cleaned_data["themes"]],
                action_category=form.cleaned_data["action_category"],
            )
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Classification confirmed."))
            return redirect("recommendation_detail", pk=rec.pk)
    return render(request, "recommendations/detail.html", _detail_context(request, rec, classify_form=form), status=400)


@login_required
def recommendation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    rec = actions.recommendation_for_write(request.user, pk)
    initial = {
        "version": rec.version,
        "text": rec.text,
        "paragraph": rec.paragraph,
        "upr_id": rec.upr_id,
        "response": rec.response,
        "affected_groups": rec.affected_groups,
        "translation_ru": rec.translations.get("ru", ""),
    }
    form = RecommendationEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        translations = {**rec.translations, "ru": data.pop("translation_ru")}
        changes = {k: v for k, v in data.items() if v != initial.get(k)}
        if translations != rec.translations:
            changes["translations"] = {k: v for k, v in translations.items() if v}
        try:
            actions.update_recommendation(request.user, rec, expected_version=version, changes=changes)
        except InvalidInput as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("recommendation_detail", pk=rec.pk)
    return render(request, "recommendations/edit.html", {"form": form, "rec": rec}, status=400 if form.errors else 200)


@login_required
@require_POST
def recommendation_delete(request: HttpRequest, pk: int) -> HttpResponse:
    rec = get_visible(request.user, Recommendation, pk)
    soft_delete(request.user, rec)
    messages.success(request, _("Moved to the trash. A coordinator can restore it."))
    return redirect("recommendation_list")


# --- Reviews ---------------------------------------------------------------------------------------


@login_required
def review_list(request: HttpRequest) -> HttpResponse:
    form = ReviewForm(request.POST or None, user=request.user) if _analyst(request) else None
    if request.method == "POST":
        _require_analyst(request)
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                review = actions.create_review(request.user, **data)
            except DomainError as exc:
                form_error(form, exc)
            else:
                messages.success(request, _("Review saved."))
                return redirect("review_detail", pk=review.pk)
    context = {"page": page_of(request, queries.reviews(request.user)), "form": form}
    return render(request, "recommendations/reviews.html", context, status=400 if form and form.errors else 200)


def _review_context(request: HttpRequest, review: Review, **extra) -> dict:
    recs = queries.with_details(
        visibility.visible(request.user, Recommendation).filter(review=review).order_by("upr_id", "pk")
    )
    context = {
        "review": review,
        "page": page_of(request, recs, 100),
        "can_write": False,
        "can_delete": visibility.can_write(request.user, review, visibility.REVIEW_ROLES),
        # The document the source is, when the reader may see it (a public source can name a restricted file).
        "document": visibility.visible(request.user, SourceDocument).filter(pk=review.document_id).first()
        if review.document_id
        else None,
    }
    if _analyst(request):
        context["can_write"] = visibility.can_write(request.user, review, actions.ROLES)
        context.setdefault("range_form", RangeAssessmentForm(user=request.user, initial={"date": queries.today()}))
        if context["can_write"]:
            context.setdefault("add_form", RecommendationForm())
    context.update(extra)
    return context


@login_required
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    review = get_visible(request.user, Review, pk)
    return render(request, "recommendations/review.html", _review_context(request, review))


@login_required
@require_POST
def review_add(request: HttpRequest, pk: int) -> HttpResponse:
    review = get_visible(request.user, Review, pk)
    if not visibility.can_write(request.user, review, actions.ROLES):
        raise no_page()
    form = RecommendationForm(request.POST)
    if form.is_valid():
        data = dict(form.cleaned_data)
        ru = data.pop("translation_ru")
        try:
            rec = actions.create_recommendation(
                request.user,
                review,
                translations={"ru": ru} if ru else {},
                recommending_states=list(data.pop("recommending_states")),
                themes=list(data.pop("themes")),
                articles=[a.number for a in data.pop("articles")],
                sdgs=[s.number for s in data.pop("sdgs")],
                **data,
            )
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Recommendation saved."))
            return redirect("recommendation_detail", pk=rec.pk)
    return render(request, "recommendations/review.html", _review_context(request, review, add_form=form), status=400)


@login_required
@require_POST
def review_assess(request: HttpRequest, pk: int) -> HttpResponse:
    """Assess many recommendations of a review at once, by UPR IDs and ranges."""
    review = get_visible(request.user, Review, pk)
    _require_analyst(request)
    form = RangeAssessmentForm(request.POST, user=request.user)
    if form.is_valid():
        data = dict(form.cleaned_data)
        spec = data.pop("upr_ids")
        try:
            created = actions.assess_upr_ids(request.user, review, spec, **data)
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("%(n)s assessments recorded.") % {"n": len(created)})
            return redirect(reverse("review_detail", args=[review.pk]))
    return render(request, "recommendations/review.html", _review_context(request, review, range_form=form), status=400)


# --- Import ----------------------------------------------------------------------------------------


@login_required
def import_start(request: HttpRequest) -> HttpResponse:
    _require_analyst(request)
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            upload = data["file"]
            try:
                job, _preview = actions.stage_import(
                    request.user,
                    organisation=data["organisation"],
                    content=upload.read(),
                    filename=upload.name or "upload.csv",
                    confidentiality=data["confidentiality"],
                )
            except DomainError as exc:
                form_error(form, exc)
                status = exc.status
            else:
                return redirect("import_detail", pk=job.pk)
        else:
            status = 400
    jobs = visibility.visible(request.user, ImportJob).filter(
        organisation_id__in=visibility.org_ids(request.user, roles=actions.ROLES)
    )[:10]
    return render(request, "recommendations/import.html", {"form": form, "jobs": jobs}, status=status)


@login_required
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = actions.job_for_user(request.user, pk)
    preview = None
    if job.status == ImportJob.JobStatus.PREVIEW:
        from . import importer

        rows = [importer.Row.from_json(r) for r in job.rows]
        preview = importer.preview(request.user, job.organisation_id, rows, job.confidentiality)
    done, total = actions.job_progress(job)
    context = {"job": job, "preview": preview, "done": done, "total": total}
    return render(request, "recommendations/import_job.html", context)


@login_required
@require_POST
def import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    job = actions.job_for_user(request.user, pk)
    actions.confirm_import(request.user, job)
    return redirect("import_detail", pk=job.pk)


@login_required
def import_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress bar fragment, polled every second while the job runs."""
    job = actions.job_for_user(request.user, pk)
    done, total = actions.job_progress(job)
    return render(request, "recommendations/_progress.html", {"job": job, "done": done, "total": total})


# --- Recurring groups ------------------------------------------------------------------------------


@login_required
def group_list(request: HttpRequest) -> HttpResponse:
    groups = queries.groups(request.user).order_by("state__name", "label")
    status = request.GET.get("status", "")
    if status in RecurrenceGroup.GroupStatus.values:
        groups = groups.filter(status=status)
    return render(
        request,
        "recommendations/groups.html",
        {"page": page_of(request, groups), "can_analyse": _analyst(request), "status": status},
    )


@login_required
@require_POST
def group_compute(request: HttpRequest) -> HttpResponse:
    orgs = actions.require_analyst(request.user)
    total = 0
    for org_id in orgs:
        total += actions.compute_recurrence(request.user, org_id)["groups"]
    messages.success(request, _("%(n)s recurring groups suggested.") % {"n": total})
    return redirect("group_list")


@login_required
def group_detail(request: HttpRequest, pk: int) -> HttpResponse:
    group = get_visible(request.user, RecurrenceGroup, pk)
    others = queries.groups(request.user).filter(state=group.state, organisation=group.organisation).exclude(pk=pk)
    return render(
        request,
        "recommendations/group.html",
        {
            "group": group,
            "summary": queries.group_summary(request.user, group),
            "can_write": visibility.can_write(request.user, group, actions.ROLES),
            "others": others[:50],
        },
    )


@login_required
@require_POST
def group_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    group = get_visible(request.user, RecurrenceGroup, pk)
    actions.confirm_group(request.user, group, label=request.POST.get("label", ""))
    messages.success(request, _("Group confirmed."))
    return redirect("group_detail", pk=pk)


@login_required
@require_POST
def group_split(request: HttpRequest, pk: int) -> HttpResponse:
    group = get_visible(request.user, RecurrenceGroup, pk)
    ids = request.POST.getlist("members")
    if not all(i.isdigit() for i in ids):
        raise InvalidInput(_("Choose members of this group to split off."), field="members")
    new = actions.split_group(request.user, group, [int(i) for i in ids])
    messages.success(request, _("Split into a new group."))
    return redirect("group_detail", pk=new.pk)


@login_required
@require_POST
def group_merge(request: HttpRequest, pk: int) -> HttpResponse:
    group = get_visible(request.user, RecurrenceGroup, pk)
    other_id = request.POST.get("other", "")
    other = get_visible(request.user, RecurrenceGroup, other_id if other_id.isdigit() else 0)
    actions.merge_groups(request.user, group, other)
    messages.success(request, _("Groups merged."))
    return redirect("group_detail", pk=pk)


# --- Dashboard, Views, action plan ------------------------------------------------------------------


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    data = queries.dashboard(request.user)
    status_labels = dict(Status.choices)
    charts = []
    if data["by_status"]:
        keys = [s for s in Status.values if data["by_status"].get(s)]
        charts.append(
            bar_chart(
                [str(status_labels[k]) for k in keys],
                [data["by_status"][k] for k in keys],
                title=_("Latest civil-society assessment"),
                unit=_("recommendations"),
            )
        )
    if data["by_response"]:
        from .models import Response

        labels = dict(Response.choices)
        keys = [k for k in Response.values if data["by_response"].get(k)]
        charts.append(
            bar_chart(
                [str(labels[k]) for k in keys],
                [data["by_response"][k] for k in keys],
                title=_("Responses of the State"),
                unit=_("recommendations"),
            )
        )
    if data["by_theme_status"]:
        themes = list(data["by_theme_status"])
        charts.append(
            bar_chart(
                themes,
                [
                    data["by_theme_status"][t].get("not", 0) + data["by_theme_status"][t].get("partially", 0)
                    for t in themes
                ],
                title=_("Not or only partially implemented, by theme"),
                unit=_("recommendations"),
            )
        )
    return render(
        request,
        "recommendations/dashboard.html",
        {"data": data, "charts": charts, "statuses": Status.choices},
    )


@login_required
def view_list(request: HttpRequest) -> HttpResponse:
    form = ViewForm(request.POST or None, user=request.user) if _analyst(request) else None
    if request.method == "POST":
        _require_analyst(request)
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                actions.create_view(
                    request.user,
                    organisation=data["organisation"],
                    state=data["state"],
                    communication_number=data["communication_number"],
                    mechanism=data["mechanism"].code,
                    adopted_on=data["adopted_on"],
                    articles=[a.number for a in data["articles"]],
                    author=data["author"],
                    remedies=data["remedies"],
                    implementation=data["implementation"],
                    notes=data["notes"],
                    confidentiality=data["confidentiality"],
                )
            except DomainError as exc:
                form_error(form, exc)
            else:
                messages.success(request, _("View saved."))
                return redirect("view_list")
    views = (
        visibility.visible(request.user, ComplaintView)
        .select_related("state", "mechanism", "author")
        .prefetch_related("articles")
    )
    page = page_of(request, views)
    visible_authors = set(
        visibility.visible(request.user, Person)
        .filter(pk__in=[v.author_id for v in page if v.author_id])
        .values_list("pk", flat=True)
    )
    context = {
        "page": page,
        "form": form,
        "per_state": queries.unimplemented_views(request.user),
        "visible_authors": visible_authors,
        "writable_orgs": visibility.org_ids(request.user, roles=actions.ROLES),
    }
    return render(request, "recommendations/views.html", context, status=400 if form and form.errors else 200)


@login_required
def nap_list(request: HttpRequest) -> HttpResponse:
    form = NapItemForm(request.POST or None, user=request.user) if _analyst(request) else None
    if request.method == "POST":
        _require_analyst(request)
        if form.is_valid():
            data = dict(form.cleaned_data)
            ids = data.pop("recommendation_ids")
            try:
                actions.create_nap_item(request.user, recommendations=_linked(request, ids), **data)
            except DomainError as exc:
                form_error(form, exc)
            else:
                messages.success(request, _("Action plan item saved."))
                return redirect("nap_list")
    items = visibility.visible(request.user, NapItem).prefetch_related("recommendations")
    page = page_of(request, items)
    linked_visible = set(
        visibility.visible(request.user, Recommendation)
        .filter(nap_items__in=[i.pk for i in page])
        .values_list("pk", flat=True)
    )
    return render(
        request,
        "recommendations/nap.html",
        {
            "page": page,
            "form": form,
            "linked_visible": linked_visible,
            "writable_orgs": visibility.org_ids(request.user, roles=actions.ROLES),
        },
        status=400 if form and form.errors else 200,
    )


# --- Edit and delete: reviews, Views, action plan items ---------------------------------------------


def _for_write(request: HttpRequest, model, pk: int):
    """A record the user may edit; others answer 404 like a missing record."""
    obj = get_visible(request.user, model, pk)
    if not visibility.can_write(request.user, obj, actions.ROLES):
        raise no_page()
    return obj


def _changed(data: dict, initial: dict) -> dict:
    """Only the fields the user changed: the audit log then shows exactly those."""
    return {k: v for k, v in data.items() if v != initial.get(k)}


def _linked(request: HttpRequest, ids: list[int]) -> list[Recommendation]:
    found = {r.pk: r for r in visibility.visible(request.user, Recommendation).filter(pk__in=ids)}
    missing = [i for i in ids if i not in found]
    if missing:
        raise InvalidInput(
            _("No recommendation %(n)s, or you do not have access to it.") % {"n": missing[0]},
            field="recommendation_ids",
        )
    return [found[i] for i in ids]


def _edit_page(request: HttpRequest, form, obj, **context) -> HttpResponse:
    """The shared edit page: the form, and a delete button for coordinators and administrators."""
    if not visibility.can_write(request.user, obj, visibility.REVIEW_ROLES):
        context.pop("delete_url")
    context["form"] = form
    return render(request, "recommendations/record_edit.html", context, status=400 if form.errors else 200)


@login_required
def review_edit(request: HttpRequest, pk: int) -> HttpResponse:
    review = _for_write(request, Review, pk)
    initial = {"version": review.version, **{name: getattr(review, name) for name in Review.EDITABLE_FIELDS}}
    form = ReviewEditForm(request.POST or None, initial=initial, user=request.user, review=review)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        changes = _changed(data, initial)
        try:
            if changes:  # saving the form unchanged writes nothing (no new version, no audit event)
                actions.update_review(request.user, review, expected_version=version, changes=changes)
        except (InvalidInput, Forbidden) as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Changes saved.") if changes else _("Nothing changed."))
            return redirect("review_detail", pk=review.pk)
    return _edit_page(
        request,
        form,
        review,
        title=_("Edit review"),
        subtitle=str(review),
        section="reviews",
        cancel_url=reverse("review_detail", args=[review.pk]),
        delete_url=reverse("review_delete", args=[review.pk]),
        delete_note=_("Its recommendations go to the trash with it; restoring the review brings them back."),
        delete_confirm=_("Move this review and its recommendations to the trash?"),
    )


@login_required
@require_POST
def review_delete(request: HttpRequest, pk: int) -> HttpResponse:
    actions.delete(request.user, get_visible(request.user, Review, pk))
    messages.success(request, _("Moved to the trash with its recommendations. A coordinator can restore it."))
    return redirect("review_list")


@login_required
def view_edit(request: HttpRequest, pk: int) -> HttpResponse:
    view = _for_write(request, ComplaintView, pk)
    author_visible = (
        view.author_id is None or visibility.visible(request.user, Person).filter(pk=view.author_id).exists()
    )
    initial = {
        "version": view.version,
        **{name: getattr(view, name) for name in ComplaintView.EDITABLE_FIELDS},
        "author": view.author_id,
        "articles": sorted(view.articles.values_list("number", flat=True)),
    }
    form = ViewEditForm(
        request.POST or None, initial=initial, user=request.user, view=view, author_visible=author_visible
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        extra = {}
        articles = sorted(a.number for a in data.pop("articles"))
        if articles != initial["articles"]:
            extra["articles"] = articles
        if "author" in data:
            author = data.pop("author")
            if (author.pk if author else None) != view.author_id:
                extra["author"] = author
        try:
            actions.update_view(request.user, view, expected_version=version, changes=_changed(data, initial), **extra)
        except (InvalidInput, Forbidden, NotFound) as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("view_list")
    return _edit_page(
        request,
        form,
        view,
        title=_("Edit View %(n)s") % {"n": view.communication_number},
        subtitle=f"{view.mechanism} · {view.state}",
        section="views",
        cancel_url=reverse("view_list"),
        delete_url=reverse("view_delete", args=[view.pk]),
        delete_note=_("A coordinator can restore it from the trash."),
        delete_confirm=_("Move this View to the trash?"),
    )


@login_required
@require_POST
def view_delete(request: HttpRequest, pk: int) -> HttpResponse:
    actions.delete(request.user, get_visible(request.user, ComplaintView, pk))
    messages.success(request, _("Moved to the trash. A coordinator can restore it."))
    return redirect("view_list")


@login_required
def nap_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = _for_write(request, NapItem, pk)
    # Only links the editor may see are shown (and replaced); the action keeps the others.
    links = sorted(visibility.visible(request.user, Recommendation).filter(nap_items=item).values_list("pk", flat=True))
    initial = {
        "version": item.version,
        **{name: getattr(item, name) for name in NapItem.EDITABLE_FIELDS},
        "recommendation_ids": ", ".join(str(i) for i in links),
    }
    form = NapItemEditForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        ids = data.pop("recommendation_ids")
        try:
            recs = _linked(request, ids) if sorted(set(ids)) != links else None
            actions.update_nap_item(
                request.user, item, expected_version=version, changes=_changed(data, initial), recommendations=recs
            )
        except (InvalidInput, Forbidden) as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("nap_list")
    return _edit_page(
        request,
        form,
        item,
        title=_("Edit action plan item"),
        subtitle=item.plan,
        section="nap",
        cancel_url=reverse("nap_list"),
        delete_url=reverse("nap_delete", args=[item.pk]),
        delete_note=_("A coordinator can restore it from the trash."),
        delete_confirm=_("Move this action plan item to the trash?"),
    )


@login_required
@require_POST
def nap_delete(request: HttpRequest, pk: int) -> HttpResponse:
    actions.delete(request.user, get_visible(request.user, NapItem, pk))
    messages.success(request, _("Moved to the trash. A coordinator can restore it."))
    return redirect("nap_list")
