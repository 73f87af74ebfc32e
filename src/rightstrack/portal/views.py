"""The public portal: no login, read-only, server-rendered (works without JavaScript)."""

from __future__ import annotations

import datetime

from django.db import DatabaseError, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import feedgenerator
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from rightstrack.core.charts import bar_chart
from rightstrack.core.views import page_of
from rightstrack.reports.document import Document
from rightstrack.reports.queries import file_stem
from rightstrack.reports.render import FORMATS
from rightstrack.reports.render import render as render_document
from rightstrack.reports.render.layout import clean_text, labels, walk
from rightstrack.reports.serialize import document_from_dict

from . import queries

PUBLIC_CACHE = cache_control(public=True, max_age=300)


class PublicationsFeed(feedgenerator.Atom1Feed):
    """Summaries go out as plain text (`type="text"`): feed readers render `type="html"` as markup, so a
    paragraph's `<script>` or `<img onerror>` would run there. An empty feed says it was last updated at a fixed
    date, not 'now': the same request, the same bytes."""

    def add_item_elements(self, handler, item) -> None:
        description = item.get("description")
        item["description"] = None  # written below as text instead of Django's type="html"
        super().add_item_elements(handler, item)
        item["description"] = description
        if description:
            handler.addQuickElement("summary", description, {"type": "text"})

    def latest_post_date(self) -> datetime.datetime:
        if not self.items:
            return datetime.datetime(2022, 1, 1, tzinfo=datetime.UTC)
        return super().latest_post_date()


def _safe(func, *args):
    """Data from another module, or None when that module is not ready (the portal must never fail for it)."""
    try:
        with transaction.atomic():
            return func(*args)
    except DatabaseError:
        return None


@require_safe
@PUBLIC_CACHE
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "portal/home.html",
        {"publications": queries.publications()[:10], "stats": _safe(queries.trial_statistics)},
    )


def _publication(slug: str):
    publication = queries.publications().filter(slug=slug).first()
    if publication is None:
        raise Http404(_("No such publication."))
    return publication


@require_safe
@PUBLIC_CACHE
def report(request: HttpRequest, slug: str) -> HttpResponse:
    publication = _publication(slug)
    document: Document = document_from_dict(publication.document)
    items, notes = [], []
    for item in walk(document):
        items.append(item)
        for n, note in getattr(item, "footnotes", []):
            notes.append((n, note))
    return render(
        request,
        "portal/report.html",
        {
            "publication": publication,
            "document": document,
            "items": items,
            "notes": notes,
            "words": labels(document),
            "formats": list(FORMATS),
        },
    )


@require_safe
def report_download(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    publication = _publication(slug)
    if fmt not in FORMATS:
        raise Http404(_("Unknown format."))
    content, content_type, extension = render_document(document_from_dict(publication.document), fmt)
    response = HttpResponse(content, content_type=content_type)
    name = file_stem(
        publication.kind, publication.language, publication.report.period_end, publication.document.get("date", "")
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.{extension}"'
    return response


@require_safe
@PUBLIC_CACHE
def recommendations(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:200]
    status = request.GET.get("status", "")
    if status not in ("", "fully", "partially", "not", "no_info"):
        status = ""
    qs = _safe(queries.public_recommendations, query, status)
    page = page_of(request, qs) if qs is not None else None
    if page is not None:
        page.object_list = list(page.object_list)  # evaluate inside the view; a failing query shows "no data"
    return render(request, "portal/recommendations.html", {"page": page, "q": query, "status": status})


@require_safe
@PUBLIC_CACHE
def trials(request: HttpRequest) -> HttpResponse:
    stats = _safe(queries.trial_statistics)
    chart = None
    if stats and stats["by_city"]:
        cities = [c or "—" for c, _n in stats["by_city"][:15]]
        chart = bar_chart(cities, [n for _c, n in stats["by_city"][:15]], title=_("Public hearings by city"))
    return render(request, "portal/trials.html", {"stats": stats, "chart": chart})


@require_safe
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:200]
    found = queries.search_publications(query)[:50] if query else []
    recs = _safe(queries.public_recommendations, query) if query else None
    return render(
        request,
        "portal/search.html",
        {"q": query, "publications": found, "recommendations": list(recs[:50]) if recs is not None else []},
    )


@require_safe
@PUBLIC_CACHE
def feed(request: HttpRequest) -> HttpResponse:
    """Atom feed of publications."""
    atom = PublicationsFeed(
        title=_("RightsTrack publications"),
        link=request.build_absolute_uri(reverse("portal:home")),
        description=_("Reports published by the organisations using RightsTrack."),
        language=request.LANGUAGE_CODE if hasattr(request, "LANGUAGE_CODE") else "en",
        feed_url=request.build_absolute_uri(reverse("portal:feed")),
    )
    for publication in queries.publications()[:50]:
        atom.add_item(
            title=clean_text(publication.title),
            link=request.build_absolute_uri(reverse("portal:report", args=[publication.slug])),
            description=clean_text(publication.summary),
            pubdate=publication.published_at,
            updateddate=publication.updated_at,
            unique_id=request.build_absolute_uri(reverse("portal:report", args=[publication.slug])),
        )
    return HttpResponse(atom.writeString("utf-8"), content_type="application/atom+xml; charset=utf-8")
