"""Pages for claims, verdicts, indicators, data points and the discrepancy view. Thin: parse, call, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.forms import formset_factory
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from rightstrack.core import visibility
from rightstrack.core.actions import get_visible
from rightstrack.core.errors import DomainError, InvalidInput, no_page
from rightstrack.core.exports import download
from rightstrack.core.forms import form_error
from rightstrack.core.views import page_of
from rightstrack.evidence import search as passage_search
from rightstrack.evidence.forms import CitePassageForm
from rightstrack.evidence.models import Passage

from . import actions, evidence_kinds, exports, periods, queries
from .forms import (
    ClaimFilter,
    ClaimForm,
    DataPointForm,
    DiscrepancyFilter,
    FigureEditForm,
    FigureForm,
    IndicatorForm,
    VerdictForm,
)
from .models import ClaimFigure, DataPoint, Indicator, Verdict

NEW_FIGURE_ROWS = 3
GROUP_ROWS = 25  # claims (and pairs) per group on the discrepancy page unless ?all=1
SEARCH_LIMIT = 8


# --- Claims ----------------------------------------------------------------------------------------


def _claim_filters(request: HttpRequest) -> tuple[ClaimFilter, dict]:
    form = ClaimFilter(request.GET or None)
    if not form.is_valid():
        return form, {}
    data = form.cleaned_data
    return form, {
        "q": data["q"].strip(),
        "speaker_kind": data["speaker_kind"],
        "article": data["article"].number if data["article"] else None,
        "theme": data["theme"].code if data["theme"] else "",
        "verdict": data["verdict"],
    }


@login_required
def claim_list(request: HttpRequest) -> HttpResponse:
    form, filters = _claim_filters(request)
    page = page_of(request, queries.claims(request.user, **filters))
    context = {
        "filter": form,
        "page": page,
        "rows": queries.claim_rows(request.user, page.object_list),
        "can_create": bool(visibility.org_ids(request.user, roles=visibility.WRITE_ROLES)),
        "query": request.GET.urlencode(),
    }
    return render(request, "claims/_claim_rows.html" if request.htmx else "claims/claim_list.html", context)


def _quoted(request: HttpRequest, cite_form: CitePassageForm):
    """The passage a new claim or figure quotes: found by words (``passage``) or named by document + label.
    False (with the error on the form) when both are given."""
    named = cite_form.cleaned_data["passage"]
    searched = request.POST.get("passage") or None
    if named and searched:
        cite_form.add_error("passage", _("Choose the passage by its words or by document and paragraph, not both."))
        return False
    return named[0] if named else searched


def _figure_formset(request: HttpRequest):
    FigureFormSet = formset_factory(FigureForm, extra=NEW_FIGURE_ROWS, max_num=actions.MAX_FIGURES)
    return FigureFormSet(request.POST or None, prefix="figures", form_kwargs={"user": request.user})


@login_required
def claim_create(request: HttpRequest) -> HttpResponse:
    if not visibility.org_ids(request.user, roles=visibility.WRITE_ROLES):
        raise no_page()
    form = ClaimForm(request.POST or None, user=request.user, creating=True, initial={"date": timezone.localdate()})
    figures = _figure_formset(request)
    cite_form = CitePassageForm(request.POST or None, user=request.user)
    status = 200
    if request.method == "POST":
        valid = [form.is_valid(), figures.is_valid(), cite_form.is_valid()]  # every form shows its errors
        passage = _quoted(request, cite_form) if all(valid) else False
        if passage is not False:
            data = dict(form.cleaned_data)
            try:
                claim = actions.create_claim(
                    request.user,
                    organisation=data.pop("organisation"),
                    themes=list(data.pop("themes")),
                    figures=[f for f in (row.figure() for row in figures) if f is not None],
                    passage=passage,
                    quote=request.POST.get("quote", ""),
                    **data,
                )
            except DomainError as exc:
                status = form_error(form, exc)
            else:
                messages.success(request, _("Claim saved."))
                return redirect("claims:claim_detail", pk=claim.pk)
        else:
            status = 400
    return render(
        request,
        "claims/claim_form.html",
        {
            "form": form,
            "figures": figures,
            "cite_form": cite_form,
            "creating": True,
            "quote": request.POST.get("quote", ""),
        },
        status=status,
    )


@login_required
def claim_detail(request: HttpRequest, pk: int) -> HttpResponse:
    claim = queries.claim_detail(request.user, pk)
    row = queries.claim_rows(request.user, [claim])[0]
    verdicts = claim.verdict_list
    can_write = visibility.can_write(request.user, claim)
    return render(
        request,
        "claims/claim_detail.html",
        {
            "claim": claim,
            "row": row,
            "verdicts": verdicts,
            "evidence": queries.verdict_evidence(request.user, verdicts),
            "can_edit": can_write,
            "can_judge": visibility.can_write(request.user, claim, visibility.ANALYSE_ROLES),
            "can_review": visibility.can_write(request.user, claim, visibility.REVIEW_ROLES),
            "can_delete": visibility.can_write(request.user, claim, visibility.REVIEW_ROLES),
            "figure_form": FigureForm(user=request.user, prefix="figure") if can_write else None,
        },
    )


@login_required
def claim_edit(request: HttpRequest, pk: int) -> HttpResponse:
    claim = queries.claim_detail(request.user, pk)
    if not visibility.can_write(request.user, claim):
        raise no_page()
    initial = {
        **{name: getattr(claim, name) for name in ("text", "speaker_kind", "speaker", "forum_kind", "forum", "date")},
        "article": claim.article,
        "themes": claim.topics,
        "confidentiality": claim.confidentiality,
        "version": claim.version,
    }
    form = ClaimForm(request.POST or None, user=request.user, creating=False, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version") or 0
            themes = list(data.pop("themes"))
            try:
                actions.update_claim(request.user, claim, expected_version=version, changes=data, themes=themes)
            except InvalidInput as exc:
                status = form_error(form, exc)
            else:
                messages.success(request, _("Changes saved."))
                return redirect("claims:claim_detail", pk=claim.pk)
        else:
            status = 400
    return render(request, "claims/claim_form.html", {"form": form, "claim": claim}, status=status)


@login_required
@require_POST
def claim_delete(request: HttpRequest, pk: int) -> HttpResponse:
    claim = queries.claim_detail(request.user, pk)
    actions.delete_claim(request.user, claim)
    messages.success(request, _("Moved to the trash. A coordinator can restore it."))
    return redirect("claims:claim_list")


@login_required
@require_POST
def figure_add(request: HttpRequest, pk: int) -> HttpResponse:
    claim = queries.claim_detail(request.user, pk)
    if not visibility.can_write(request.user, claim):
        raise no_page()
    form = FigureForm(request.POST, user=request.user, prefix="figure")
    if form.is_valid():
        figure = form.figure()
        try:
            if figure is None:
                raise InvalidInput(_("Fill in the value, unit and period of the figure."), field="value")
            actions.add_figure(request.user, claim, figure)
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("claims:claim_detail", pk=claim.pk)
        messages.success(request, _("Figure added."))
    else:
        messages.error(request, _("The figure could not be read; check the indicator."))
    return redirect("claims:claim_detail", pk=claim.pk)


@login_required
def figure_edit(request: HttpRequest, pk: int) -> HttpResponse:
    figure = get_visible(request.user, ClaimFigure, pk)
    claim = queries.claim_detail(request.user, figure.claim_id)
    if not visibility.can_write(request.user, claim):
        raise no_page()
    initial = {
        "value": f"{figure.value.normalize():f}",
        "unit": figure.unit,
        "period": figure.period_label,
        "indicator": figure.indicator_id,
        "version": figure.version,
    }
    form = FigureEditForm(request.POST or None, initial=initial, user=request.user)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                actions.update_figure(
                    request.user, figure, expected_version=form.cleaned_data["version"], data=form.figure() or {}
                )
            except InvalidInput as exc:
                status = form_error(form, exc)
            else:
                messages.success(request, _("Changes saved."))
                return redirect("claims:claim_detail", pk=claim.pk)
    return render(request, "claims/figure_form.html", {"form": form, "claim": claim}, status=status)


@login_required
@require_POST
def figure_remove(request: HttpRequest, pk: int) -> HttpResponse:
    figure = get_visible(request.user, ClaimFigure, pk)
    claim_id = figure.claim_id
    actions.remove_figure(request.user, figure)
    messages.success(request, _("Figure removed."))
    return redirect("claims:claim_detail", pk=claim_id)


# --- Verdicts --------------------------------------------------------------------------------------


def _chosen(request: HttpRequest, source) -> tuple[list[Passage], list]:
    """Passages and records already ticked (kept checked when the evidence search runs again)."""
    passages = list(
        visibility.visible(request.user, Passage)
        .filter(pk__in=[v for v in source.getlist("passage") if v.isdigit()])
        .select_related("document")
    )
    records = []
    for value in source.getlist("evidence"):
        kind, _sep, pk = value.partition(":")
        model = evidence_kinds.model_for(kind)
        if model is not None and pk.isdigit():
            record = visibility.visible(request.user, model).filter(pk=pk).first()
            if record is not None:
                records.append((f"{model._meta.label_lower}:{record.pk}", record, model._meta.verbose_name))
    return passages, records


@login_required
def verdict_create(request: HttpRequest, pk: int) -> HttpResponse:
    claim = queries.claim_detail(request.user, pk)
    if not visibility.can_write(request.user, claim, visibility.ANALYSE_ROLES):
        raise no_page()
    form = VerdictForm(request.POST or None, user=request.user)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            evidence = []
            for value in request.POST.getlist("evidence"):
                kind, _sep, record_id = value.partition(":")
                evidence.append((kind, record_id))
            try:
                actions.give_verdict(
                    request.user,
                    claim,
                    rating=form.cleaned_data["rating"],
                    rationale=form.cleaned_data["rationale"],
                    passages=[*request.POST.getlist("passage"), *form.cleaned_data["cited"]],
                    evidence=evidence,
                )
            except DomainError as exc:
                status = form_error(form, exc)
            else:
                messages.success(
                    request, _("Verdict saved. A coordinator reviews it before it is shown as the verdict.")
                )
                return redirect("claims:claim_detail", pk=claim.pk)
        else:
            status = 400
    row = queries.claim_rows(request.user, [claim])[0]
    passages, records = _chosen(request, request.POST)
    suggested = [e.point for c in row.comparisons for e in c.evidence]
    chosen_keys = {key for key, _r, _k in records}
    return render(
        request,
        "claims/verdict_form.html",
        {
            "claim": claim,
            "row": row,
            "form": form,
            "chosen_passages": passages,
            "chosen_records": records,
            "suggested": [
                (f"claims.datapoint:{p.pk}", p) for p in suggested if f"claims.datapoint:{p.pk}" not in chosen_keys
            ],
        },
        status=status,
    )


@login_required
@require_GET
def evidence_search(request: HttpRequest) -> HttpResponse:
    """HTMX fragment: passages and records matching ?q=, with those already ticked kept at the top."""
    query = request.GET.get("q", "").strip()[:200]
    mode = "quote" if request.GET.get("mode") == "quote" else "verdict"
    passages, records = _chosen(request, request.GET)
    found_passages, found_records = [], []
    if len(query) >= 2:
        chosen_ids = {p.pk for p in passages}
        # Words in any language through the full-text index and thesaurus, or the exact characters typed
        # (a symbol or a figure such as "30,5").
        visible = visibility.visible(request.user, Passage)
        words = passage_search.matching(visible, query)
        condition = Q(text__icontains=query) | (Q(pk__in=words.values("pk")) if words is not None else Q())
        found_passages = [
            p
            for p in visible.filter(condition)
            .select_related("document")
            .order_by("-document_id", "number")[:SEARCH_LIMIT]
            if p.pk not in chosen_ids
        ]
        if mode == "verdict":
            chosen_keys = {key for key, _r, _k in records}
            for label, model in evidence_kinds.kinds().items():
                for record in evidence_kinds.search(request.user, model, query, limit=SEARCH_LIMIT):
                    key = f"{label}:{record.pk}"
                    if key not in chosen_keys:
                        found_records.append((key, record, model._meta.verbose_name))
    return render(
        request,
        "claims/_evidence_results.html",
        {
            "mode": mode,
            "q": query,
            "chosen_passages": passages,
            "chosen_records": records,
            "found_passages": found_passages,
            "found_records": found_records,
            "expansions": passage_search.expansions(query) if found_passages else [],
        },
    )


@login_required
@require_POST
def verdict_review(request: HttpRequest, pk: int) -> HttpResponse:
    verdict = get_visible(request.user, Verdict, pk)
    actions.review_verdict(request.user, verdict)
    messages.success(request, _("Verdict reviewed: it is now the verdict shown for this claim."))
    return redirect("claims:claim_detail", pk=verdict.claim_id)


# --- Discrepancies and exports ---------------------------------------------------------------------


def _discrepancy_filters(request: HttpRequest) -> tuple[DiscrepancyFilter, dict]:
    data = request.GET.copy()
    # By default the view is about the State's claims; "Anyone" is an explicit empty choice.
    data.setdefault("speaker_kind", "state")
    data.setdefault("group", "article")
    form = DiscrepancyFilter(data)
    if not form.is_valid():
        return form, {"group_by": "article", "speaker_kind": "state"}
    data = form.cleaned_data
    return form, {
        "group_by": data["group"] or "article",
        "speaker_kind": data["speaker_kind"],
        "article": data["article"].number if data["article"] else None,
        "theme": data["theme"].code if data["theme"] else "",
    }


@login_required
def discrepancies(request: HttpRequest) -> HttpResponse:
    form, filters = _discrepancy_filters(request)
    show_all = request.GET.get("all") == "1"
    # The biggest gaps come first; a long tail is one click away rather than megabytes of HTML.
    groups = queries.discrepancies(request.user, **filters, limit=None if show_all else GROUP_ROWS)
    for group in groups:
        group.hidden_claims = group.claim_total - len(group.claims)
        group.hidden_pairs = 0 if show_all else max(0, len(group.pairs) - GROUP_ROWS)
        if not show_all:
            group.pairs = group.pairs[:GROUP_ROWS]
    template = "claims/_discrepancy_groups.html" if request.htmx else "claims/discrepancies.html"
    query = form.data.urlencode()  # the export link carries the filters shown, defaults included
    return render(request, template, {"filter": form, "groups": groups, "query": query})


@login_required
@require_GET
def claims_export(request: HttpRequest) -> HttpResponse:
    _form, filters = _claim_filters(request)
    rows = queries.claim_rows(request.user, queries.claims(request.user, **filters))
    fmt = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
    return download(exports.CLAIM_HEADERS, exports.claim_rows(rows), filename="claims-and-verdicts", fmt=fmt)


@login_required
@require_GET
def points_export(request: HttpRequest) -> HttpResponse:
    points = list(queries.data_points(request.user))
    cited = queries.citations(request.user, points)
    fmt = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
    return download(exports.POINT_HEADERS, exports.point_rows(points, cited), filename="indicator-data", fmt=fmt)


@login_required
@require_GET
def period_check(request: HttpRequest) -> HttpResponse:
    """HTMX fragment: how a typed period is understood, or why it is not."""
    text = next((v for k, v in request.GET.items() if k.endswith("period")), "")
    reading, error = None, ""
    if text.strip():
        try:
            reading = periods.parse(text)
        except periods.PeriodError as exc:
            error = str(exc)
    return render(request, "claims/_period_check.html", {"reading": reading, "error": error})


# --- Indicators and data points --------------------------------------------------------------------


@login_required
def indicator_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    items = queries.indicators(request.user)
    if query:
        items = items.filter(name__icontains=query)
    context = {
        "page": page_of(request, items),
        "q": query,
        "can_create": bool(visibility.org_ids(request.user, roles=visibility.ANALYSE_ROLES)),
    }
    return render(request, "claims/_indicator_rows.html" if request.htmx else "claims/indicator_list.html", context)


@login_required
def indicator_create(request: HttpRequest) -> HttpResponse:
    if not visibility.org_ids(request.user, roles=visibility.ANALYSE_ROLES):
        raise no_page()
    form = IndicatorForm(request.POST or None, user=request.user, creating=True)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                indicator = actions.create_indicator(
                    request.user, organisation=data.pop("organisation"), themes=list(data.pop("themes")), **data
                )
            except DomainError as exc:
                status = form_error(form, exc)
            else:
                messages.success(request, _("Indicator saved. Add its figures below."))
                return redirect("claims:indicator_detail", pk=indicator.pk)
        else:
            status = 400
    return render(request, "claims/indicator_form.html", {"form": form, "creating": True}, status=status)


def _indicator(request: HttpRequest, pk: int) -> Indicator:
    return get_visible(request.user, Indicator, pk)


@login_required
def indicator_detail(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = _indicator(request, pk)
    breakdown = request.GET.get("breakdown", "")[:120]
    data = queries.series(request.user, indicator, breakdown)
    cited = queries.citations(request.user, data.points)
    return render(
        request,
        "claims/indicator_detail.html",
        {
            "indicator": indicator,
            "series": data,
            "points": [(p, cited.get(p.pk, [])) for p in data.points],
            "breakdowns": sorted({p.disaggregation for p in data.points if p.disaggregation}),
            "breakdown": breakdown,
            "can_add": visibility.can_write(request.user, indicator),
            "can_edit": visibility.can_write(request.user, indicator, visibility.ANALYSE_ROLES),
            "can_delete": visibility.can_write(request.user, indicator, visibility.REVIEW_ROLES),
        },
    )


@login_required
def indicator_edit(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = _indicator(request, pk)
    if not visibility.can_write(request.user, indicator, visibility.ANALYSE_ROLES):
        raise no_page()
    initial = {
        **{
            name: getattr(indicator, name)
            for name in ("name", "unit", "definition", "disaggregations", "confidentiality")
        },
        "article": indicator.article,
        "themes": list(indicator.themes.all()),
        "version": indicator.version,
    }
    form = IndicatorForm(request.POST or None, user=request.user, creating=False, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version") or 0
            themes = list(data.pop("themes"))
            try:
                actions.update_indicator(request.user, indicator, expected_version=version, changes=data, themes=themes)
            except InvalidInput as exc:
                status = form_error(form, exc)
            else:
                messages.success(request, _("Changes saved."))
                return redirect("claims:indicator_detail", pk=indicator.pk)
        else:
            status = 400
    return render(request, "claims/indicator_form.html", {"form": form, "indicator": indicator}, status=status)


@login_required
@require_POST
def indicator_delete(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = _indicator(request, pk)
    actions.delete_indicator(request.user, indicator)
    messages.success(request, _("Moved to the trash. A coordinator can restore it."))
    return redirect("claims:indicator_list")


@login_required
def point_create(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = _indicator(request, pk)
    if not visibility.can_write(request.user, indicator):
        raise no_page()
    form = DataPointForm(request.POST or None, creating=True)
    cite_form = CitePassageForm(request.POST or None, user=request.user)
    status, conflict = 200, None
    if request.method == "POST":
        valid = [form.is_valid(), cite_form.is_valid()]
        passage = _quoted(request, cite_form) if all(valid) else False
        if passage is not False:
            data = dict(form.cleaned_data)
            try:
                point = actions.add_data_point(
                    request.user,
                    indicator,
                    confidentiality=data.pop("confidentiality") or None,
                    passage=passage,
                    replace=request.POST.getlist("replace"),
                    **data,
                )
            except actions.OverlapConflict as exc:
                conflict, status = exc, exc.status
                form.add_error(None, exc.message)
            except DomainError as exc:
                status = form_error(form, exc)
            else:
                messages.success(request, _("Figure saved."))
                return redirect(f"{indicator_url(indicator)}#point-{point.pk}")
        else:
            status = 400
    return render(
        request,
        "claims/point_form.html",
        {"form": form, "cite_form": cite_form, "indicator": indicator, "creating": True, "conflict": conflict},
        status=status,
    )


def indicator_url(indicator: Indicator) -> str:
    from django.urls import reverse

    return reverse("claims:indicator_detail", args=[indicator.pk])


@login_required
def point_edit(request: HttpRequest, pk: int) -> HttpResponse:
    point = get_visible(request.user, DataPoint, pk)
    indicator = _indicator(request, point.indicator_id)
    if not visibility.can_write(request.user, point):
        raise no_page()
    initial = {
        "period": point.period_label,
        **{n: getattr(point, n) for n in ("value", "source_kind", "source_name", "disaggregation", "partial", "notes")},
        "confidentiality": point.confidentiality,
        "version": point.version,
    }
    initial["value"] = f"{point.value.normalize():f}"
    form = DataPointForm(request.POST or None, creating=False, initial=initial)
    status, conflict = 200, None
    if request.method == "POST":
        if form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version") or 0
            if not data["confidentiality"]:
                data.pop("confidentiality")
            try:
                actions.update_data_point(request.user, point, expected_version=version, changes=data)
            except actions.OverlapConflict as exc:
                conflict, status = exc, exc.status
                form.add_error(None, exc.message)
            except InvalidInput as exc:
                status = form_error(form, exc)
            else:
                messages.success(request, _("Changes saved."))
                return redirect(f"{indicator_url(indicator)}#point-{point.pk}")
        else:
            status = 400
    return render(
        request,
        "claims/point_form.html",
        {"form": form, "indicator": indicator, "point": point, "conflict": conflict},
        status=status,
    )


@login_required
@require_POST
def point_delete(request: HttpRequest, pk: int) -> HttpResponse:
    point = get_visible(request.user, DataPoint, pk)
    _indicator(request, point.indicator_id)
    actions.delete_data_point(request.user, point)
    messages.success(request, _("Moved to the trash. A coordinator can restore it."))
    return redirect("claims:indicator_detail", pk=point.indicator_id)
