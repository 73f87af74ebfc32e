"""Every read of the recommendations app, always through core.visibility."""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from rightstrack.core import visibility
from rightstrack.core.models import IccprArticle, Sdg, Theme

from . import search, upr_ids
from .models import (
    CIVIL_SOCIETY,
    Assessment,
    AssessorKind,
    ComplaintView,
    Mechanism,
    Recommendation,
    RecurrenceGroup,
    Response,
    Review,
    State,
    Status,
)

# "newest" (recently added) is the default because it walks the primary key in order and stops after one
# page; sorting by review date must sort every match (fine for filtered results, slow for 300,000 rows).
SORTS = {
    "newest": ("-pk",),
    "review_date": ("-review__date", "-pk"),
    "oldest": ("review__date", "pk"),
    "state": ("review__state__name", "-review__date", "pk"),
    "upr_id": ("review_id", "upr_id", "pk"),
    "response": ("response", "-review__date", "pk"),
}
DEFAULT_SORT = "newest"
FILTERS = (
    "q", "state", "mechanism", "cycle", "recommending", "region", "response", "theme", "article", "sdg", "status",
    "assessor", "upr", "review", "sort",
)  # fmt: skip


@dataclass
class Filters:
    """The filters of the list page, read from a query string (shareable URLs); junk values are ignored."""

    q: str = ""
    state: str = ""
    mechanism: str = ""
    cycle: int | None = None
    recommending: str = ""
    region: str = ""
    response: str = ""
    theme: str = ""
    article: int | None = None
    sdg: int | None = None
    status: str = ""
    assessor: str = ""
    upr: str = ""
    review: int | None = None
    sort: str = DEFAULT_SORT

    @classmethod
    def from_query(cls, params: QueryDict | dict) -> Filters:
        def get(name: str) -> str:
            return str(params.get(name, "") or "").strip()[:300]

        def number(name: str) -> int | None:
            value = get(name)
            return int(value) if value.isdigit() and len(value) < 9 else None

        return cls(
            q=get("q"),
            state=get("state"),
            mechanism=get("mechanism"),
            cycle=number("cycle"),
            recommending=get("recommending"),
            region=get("region"),
            response=get("response") if get("response") in Response.values else "",
            theme=get("theme"),
            article=number("article"),
            sdg=number("sdg"),
            status=get("status") if get("status") in Status.values else "",
            assessor=get("assessor") if get("assessor") in [*AssessorKind.values, "cso"] else "",
            upr=get("upr"),
            review=number("review"),
            sort=get("sort") if get("sort") in SORTS else DEFAULT_SORT,
        )

    def active(self) -> bool:
        return any(getattr(self, name) not in ("", None) for name in FILTERS if name != "sort")


def recommendations(user) -> QuerySet[Recommendation]:
    return visibility.visible(user, Recommendation)


def current_assessments(user, *, status: str = "", assessor: str = "") -> QuerySet[Assessment]:
    """The latest visible assessment of each (recommendation, assessor), optionally by status/assessor kind.

    Computed only over assessments the user may see, so a hidden newer assessment never changes the answer.
    """
    seen = visibility.visible(user, Assessment)
    newer = seen.filter(
        recommendation=OuterRef("recommendation"),
        assessor_kind=OuterRef("assessor_kind"),
        assessor_name=OuterRef("assessor_name"),
    ).filter(Q(date__gt=OuterRef("date")) | Q(date=OuterRef("date"), pk__gt=OuterRef("pk")))
    current = seen.exclude(Exists(newer))
    if status:
        current = current.filter(status=status)
    if assessor == "cso":
        current = current.filter(assessor_kind__in=CIVIL_SOCIETY)
    elif assessor:
        current = current.filter(assessor_kind=assessor)
    return current


def filtered(user, filters: Filters) -> QuerySet[Recommendation]:
    """Visible recommendations matching the filters, sorted."""
    qs = recommendations(user)
    if filters.q:
        ids = search.matching_ids(filters.q)
        if ids is not None:
            qs = qs.filter(pk__in=ids)
    if filters.review:
        qs = qs.filter(review_id=filters.review)
    if filters.state:
        qs = qs.filter(review__state__name=filters.state)
    if filters.mechanism:
        qs = qs.filter(review__mechanism__code=filters.mechanism)
    if filters.cycle:
        qs = qs.filter(review__cycle=filters.cycle)
    if filters.response:
        qs = qs.filter(response=filters.response)
    if filters.recommending:
        through = Recommendation.recommending_states.through
        qs = qs.filter(pk__in=through.objects.filter(state__name=filters.recommending).values("recommendation_id"))
    if filters.region:
        through = Recommendation.recommending_states.through
        qs = qs.filter(pk__in=through.objects.filter(state__regional_group=filters.region).values("recommendation_id"))
    if filters.theme:
        through = Recommendation.themes.through
        qs = qs.filter(pk__in=through.objects.filter(theme__code=filters.theme).values("recommendation_id"))
    if filters.article:
        through = Recommendation.articles.through
        qs = qs.filter(pk__in=through.objects.filter(iccprarticle__number=filters.article).values("recommendation_id"))
    if filters.sdg:
        through = Recommendation.sdgs.through
        qs = qs.filter(pk__in=through.objects.filter(sdg__number=filters.sdg).values("recommendation_id"))
    if filters.status or filters.assessor:
        qs = qs.filter(
            pk__in=current_assessments(user, status=filters.status, assessor=filters.assessor).values(
                "recommendation_id"
            )
        )
    if filters.upr:
        try:
            wanted = upr_ids.expand(filters.upr)
        except Exception:  # noqa: BLE001 - a malformed range in a URL filters nothing out rather than failing
            wanted = [filters.upr]
        qs = qs.filter(upr_id__in=wanted)
    return qs.order_by(*SORTS[filters.sort])


def with_details(qs: QuerySet[Recommendation]) -> QuerySet[Recommendation]:
    """What list rows show, in a fixed number of queries."""
    return qs.select_related("review__mechanism", "review__state").prefetch_related("themes", "recommending_states")


def detailed_page(page):
    """Turn a page of ids into a page of recommendations with their details.

    Paging over bare ids lets the database walk its primary key and stop after one page; joining the
    review, mechanism and State first makes SQLite sort every matching row (seconds at 300,000 rows).
    """
    ids = list(page.object_list)
    by_id = with_details(Recommendation.objects.filter(pk__in=ids)).in_bulk(ids)
    page.object_list = [by_id[pk] for pk in ids if pk in by_id]
    return page


_facet_cache: dict[str, Any] = {}
FACET_TTL = 60.0


def facet_options() -> dict[str, list[tuple[str, str]]]:
    """(value, label) choices for the filter form: vocabularies only, never values taken from records (which
    may be hidden). Cached for a minute: vocabularies change rarely and the list page is the busiest page."""
    import time

    from django.utils.translation import get_language

    key = get_language() or "en"
    cached = _facet_cache.get(key)
    if cached and time.monotonic() - cached[0] < FACET_TTL:
        return cached[1]
    states = [(n, n) for n in State.objects.values_list("name", flat=True)]
    options = {
        "state": states,
        "recommending": states,
        "region": [(r, r) for r in sorted(set(State.objects.values_list("regional_group", flat=True)))],
        "mechanism": [(m.code, str(m)) for m in Mechanism.objects.all()],
        "theme": [(t.code, str(t)) for t in Theme.objects.all()],
        "article": [(str(a.number), str(a)) for a in IccprArticle.objects.all()],
        "sdg": [(str(s.number), str(s)) for s in Sdg.objects.all()],
        "response": [(v, str(label)) for v, label in Response.choices],
        "status": [(v, str(label)) for v, label in Status.choices],
        "assessor": [*((v, str(label)) for v, label in AssessorKind.choices), ("cso", str(_("civil society")))],
    }
    _facet_cache[key] = (time.monotonic(), options)
    return options


def select_options(filters: Filters, any_label: str) -> dict[str, str]:
    """The <option> lists of the filter form, built here rather than in template loops (hundreds of States)."""
    from django.utils.html import format_html, format_html_join

    out = {}
    for name, choices in facet_options().items():
        current = str(getattr(filters, name) or "")
        out[name] = format_html('<option value="">{}</option>', any_label) + format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            ((value, " selected" if value == current else "", label) for value, label in choices),
        )
    return out


# --- One recommendation: timeline and side-by-side view --------------------------------------------


@dataclass
class TimelineEntry:
    assessment: Assessment
    side: str  # "state" | "cso" | "mechanism"
    disagrees: bool  # the other side's latest status at that date differs


def timeline(user, rec: Recommendation) -> dict[str, Any]:
    """Visible assessments in date order, the latest per side, and where State and civil society disagree."""
    from rightstrack.evidence.models import Citation

    assessments = list(
        visibility.visible(user, Assessment)
        .filter(recommendation=rec)
        .select_related("organisation")
        .order_by("date", "pk")
    )
    citations = _citations(user, assessments, Citation)
    latest: dict[str, Assessment | None] = {"state": None, "cso": None, "mechanism": None}
    entries = []
    for a in assessments:
        side = "state" if a.assessor_kind == AssessorKind.STATE else "cso" if a.is_civil_society else "mechanism"
        latest[side] = a
        other = latest["cso" if side == "state" else "state"] if side in ("state", "cso") else None
        a.visible_citations = citations.get(a.pk, [])
        entries.append(TimelineEntry(a, side, bool(other and other.status != a.status)))
    state, cso = latest["state"], latest["cso"]
    return {
        "entries": list(reversed(entries)),
        "state": state,
        "cso": cso,
        "mechanism": latest["mechanism"],
        "disagreement": bool(state and cso and state.status != cso.status),
    }


def _citations(user, assessments: list[Assessment], citation_model) -> dict[int, list]:
    from django.contrib.contenttypes.models import ContentType

    from rightstrack.evidence.models import Passage

    if not assessments:
        return {}
    cites = list(
        citation_model.objects.filter(
            content_type=ContentType.objects.get_for_model(Assessment), object_id__in=[a.pk for a in assessments]
        )
    )
    passages = visibility.visible(user, Passage).select_related("document").in_bulk([c.passage_id for c in cites])
    out: dict[int, list] = defaultdict(list)
    for c in cites:
        if c.passage_id in passages:
            out[c.object_id].append(passages[c.passage_id])
    return out


def latest_by_side(user, recs: Iterable[Recommendation]) -> dict[int, dict[str, Assessment]]:
    """For matrix exports: the latest visible State and civil-society assessment of each recommendation."""
    ids = [r.pk for r in recs]
    out: dict[int, dict[str, Assessment]] = defaultdict(dict)
    for start in range(0, len(ids), 5000):
        for a in (
            visibility.visible(user, Assessment)
            .filter(recommendation_id__in=ids[start : start + 5000])
            .order_by("date", "pk")
        ):
            side = "state" if a.assessor_kind == AssessorKind.STATE else "cso" if a.is_civil_society else "mechanism"
            out[a.recommendation_id][side] = a
    return out


# --- Exports ---------------------------------------------------------------------------------------

EXPORT_HEADERS = [
    "id", "source_id", "mechanism", "state_under_review", "cycle", "session", "symbol", "review_date", "paragraph",
    "upr_id", "text", "response", "recommending_states", "regional_groups", "themes", "articles", "sdgs",
    "affected_groups", "action_category", "latest_state_assessment", "latest_cso_assessment",
]  # fmt: skip
MAX_EXPORT = 400_000


def export_rows(user, qs: QuerySet[Recommendation]) -> Iterable[list[Any]]:
    """Rows for CSV/XLSX of any result (streamed in chunks, fixed query count per chunk)."""
    qs = qs.select_related("review__mechanism", "review__state").prefetch_related(
        Prefetch("themes"), Prefetch("recommending_states"), Prefetch("articles"), Prefetch("sdgs")
    )
    chunk: list[Recommendation] = []
    for rec in qs[:MAX_EXPORT].iterator(chunk_size=2000):
        chunk.append(rec)
        if len(chunk) == 2000:
            yield from _export_chunk(user, chunk)
            chunk = []
    yield from _export_chunk(user, chunk)


def _export_chunk(user, recs: list[Recommendation]) -> Iterable[list[Any]]:
    latest = latest_by_side(user, recs)
    for rec in recs:
        review = rec.review
        sides = latest.get(rec.pk, {})
        yield [
            rec.pk,
            rec.source_id,
            review.mechanism.code,
            review.state.name,
            review.cycle,
            review.session,
            review.symbol,
            review.date.isoformat() if review.date else "",
            rec.paragraph,
            rec.upr_id,
            rec.text,
            rec.response,
            "|".join(s.name for s in rec.recommending_states.all()),
            "|".join(sorted({s.regional_group for s in rec.recommending_states.all()})),
            "|".join(t.name_en for t in rec.themes.all()),
            "|".join(str(a.number) for a in rec.articles.all()),
            "|".join(str(s.number) for s in rec.sdgs.all()),
            rec.affected_groups,
            rec.action_category,
            _assessment_cell(sides.get("state")),
            _assessment_cell(sides.get("cso")),
        ]


def _assessment_cell(a: Assessment | None) -> str:
    if a is None:
        return ""
    return f"{a.status} ({a.date.isoformat()}{', ' + a.assessor_name if a.assessor_name else ''})"


# --- Dashboard -------------------------------------------------------------------------------------


def dashboard(user) -> dict[str, Any]:
    """Response rates, and the latest civil-society status by theme, mechanism and cycle."""
    recs = recommendations(user)
    by_response = dict(recs.values_list("response").annotate(n=Count("pk")).order_by())
    by_mechanism = list(recs.values_list("review__mechanism__code").annotate(n=Count("pk")).order_by("-n")[:15])
    current = current_assessments(user, assessor="cso").filter(recommendation__in=recs)
    status_rows = list(
        current.values_list("status", "recommendation__review__mechanism__code", "recommendation__review__cycle")
    )
    by_status = Counter(s for s, _m, _c in status_rows)
    by_mech_status: dict[str, Counter] = defaultdict(Counter)
    by_cycle_status: dict[str, Counter] = defaultdict(Counter)
    for status, mechanism, cycle in status_rows:
        by_mech_status[mechanism][status] += 1
        by_cycle_status[str(cycle or "—")][status] += 1
    through = Recommendation.themes.through
    theme_status: dict[str, Counter] = defaultdict(Counter)
    current_by_rec = dict(current.values_list("recommendation_id", "status"))
    if current_by_rec:
        for rec_id, name in through.objects.filter(recommendation_id__in=list(current_by_rec)).values_list(
            "recommendation_id", "theme__name_en"
        ):
            theme_status[name][current_by_rec[rec_id]] += 1
    return {
        "total": recs.count(),
        "by_response": by_response,
        "by_mechanism": by_mechanism,
        # Plain dicts: templates look `items` up as a key first, which a Counter answers with 0.
        "by_status": dict(by_status),
        "by_mech_status": {k: dict(v) for k, v in by_mech_status.items()},
        "by_cycle_status": {k: dict(v) for k, v in sorted(by_cycle_status.items())},
        "by_theme_status": {
            k: dict(v) for k, v in sorted(theme_status.items(), key=lambda kv: -sum(kv[1].values()))[:12]
        },
        "unimplemented_views": unimplemented_views(user),
    }


def unimplemented_views(user) -> list[tuple[str, int]]:
    """Count of Views not (fully) implemented, per State."""
    return list(
        visibility.visible(user, ComplaintView)
        .exclude(implementation=ComplaintView.Implementation.IMPLEMENTED)
        .values_list("state__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "state__name")
    )


def groups(user) -> QuerySet[RecurrenceGroup]:
    return visibility.visible(user, RecurrenceGroup).select_related("state")


def group_summary(user, group: RecurrenceGroup) -> dict[str, Any]:
    """Members the user can see, how long the ask has been repeated, and its latest status."""
    members = list(
        with_details(visibility.visible(user, Recommendation).filter(recurrence_groups=group)).order_by(
            "review__date", "pk"
        )
    )
    dates = [m.review.date for m in members if m.review.date]
    sessions = sorted({m.review.session for m in members if m.review.session}, key=lambda s: (len(s), s))
    latest = (
        visibility.visible(user, Assessment)
        .filter(recommendation__in=[m.pk for m in members])
        .order_by("-date", "-pk")
        .first()
    )
    years = (max(dates) - min(dates)).days / 365.25 if len(dates) > 1 else 0
    return {
        "members": members,
        "first": min(dates) if dates else (sessions[0] if sessions else None),
        "last": max(dates) if dates else (sessions[-1] if sessions else None),
        "years": round(years, 1),
        "reviews": len({m.review_id for m in members}),
        "latest": latest,
    }


def reviews(user) -> QuerySet[Review]:
    return (
        visibility.visible(user, Review)
        .select_related("mechanism", "state")
        # Count only recommendations the user may see: a public review can hold restricted ones.
        .annotate(n=Count("recommendations", filter=visibility.visibility_q(user, Recommendation, "recommendations__")))
    )


def today() -> datetime.date:
    return datetime.date.today()
