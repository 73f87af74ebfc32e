"""Every read of the recommendations app, always through core.visibility."""

from __future__ import annotations

import datetime
import functools
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import CharField, Count, Exists, OuterRef, Prefetch, Q, QuerySet, Value
from django.db.models.expressions import RawSQL
from django.http import QueryDict
from django.utils.functional import cached_property
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from rightstrack.core import visibility
from rightstrack.core.models import IccprArticle, Sdg, Theme
from rightstrack.core.states import state_name

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
    SourceKind,
    State,
    Status,
)

# "review__id" would compile to the recommendation's own review_id column; ordering by the joined review's id
# instead lets SQLite read reviews in index order and each review's recommendations by id, with nothing to sort.
_REVIEW_ID = RawSQL('"recommendations_review"."id"', ())
# Every sort is read off an index (see migration 0003) and stops after one page; "newest" (recently added)
# walks the primary key alone.
SORTS = {
    "newest": ("-pk",),
    "review_date": ("-review__date", _REVIEW_ID.desc(), "-pk"),
    "oldest": ("review__date", _REVIEW_ID.asc(), "pk"),
    "state": ("review__state__name", "-review__date", _REVIEW_ID.desc(), "-pk"),
    "upr_id": ("review_id", "upr_id", "pk"),
    "response": ("response", "-pk"),
}
DEFAULT_SORT = "newest"
FILTERS = (
    "q", "state", "source", "author", "mechanism", "cycle", "recommending", "region", "response", "theme",
    "article", "sdg", "status", "assessor", "upr", "review", "sort",
)  # fmt: skip


@dataclass
class Filters:
    """The filters of the list page, read from a query string (shareable URLs); junk values are ignored."""

    q: str = ""
    state: str = ""
    source: str = ""  # a SourceKind, or "cso" for any source that is not a UN review
    author: str = ""
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
    literal: bool = False  # search only the words typed: no thesaurus translations or synonyms

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
            source=get("source") if get("source") in [*SourceKind.values, "cso"] else "",
            author=get("author"),
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
            literal=get("literal") == "1",
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


def _linked(field: str, **lookup) -> QuerySet:
    """Rows of the many-to-many table behind `field` whose other side matches `lookup`."""
    return Recommendation._meta.get_field(field).remote_field.through.objects.filter(**lookup)


def filtered(user, filters: Filters) -> QuerySet[Recommendation]:
    """Visible recommendations matching the filters, sorted.

    SQLite drives a query from one `id IN (…)` list, an index or the full-text matches and checks everything
    else row by row; given several lists it picks one blindly (a region's 45,000 ids rather than one State's
    reviews). So the search, or a State or review, drives when given; otherwise the most selective kind of
    link filter becomes the one list. Every other link filter is an EXISTS check on its link table's unique
    index. PostgreSQL plans both forms alike.
    """
    qs = recommendations(user)
    # (matching ids, per-row check) of each link filter, the most selective kind first.
    links: list[tuple[QuerySet, Exists]] = []
    if filters.status or filters.assessor:
        current = current_assessments(user, status=filters.status, assessor=filters.assessor)
        links.append((current.values("recommendation_id"), Exists(current.filter(recommendation=OuterRef("pk")))))
    for field, value, lookup in (
        ("recommending_states", filters.recommending, "state__name"),
        ("articles", filters.article, "iccprarticle__number"),
        ("sdgs", filters.sdg, "sdg__number"),
        ("themes", filters.theme, "theme__code"),
    ):
        if value:
            rows = _linked(field, **{lookup: value})
            links.append((rows.values("recommendation_id"), Exists(rows.filter(recommendation_id=OuterRef("pk")))))
    checks = [check for _ids, check in links]
    if filters.region:
        # One recommendation in five or so: a list of them costs more than checking rows as they come.
        rows = _linked("recommending_states", state__regional_group=filters.region)
        checks.append(Exists(rows.filter(recommendation_id=OuterRef("pk"))))
    review_q = Q()
    if filters.review:
        review_q &= Q(pk=filters.review)
    if filters.state:
        review_q &= Q(state__name=filters.state)
    if filters.source == "cso":
        review_q &= ~Q(source_kind=SourceKind.UN)
    elif filters.source:
        review_q &= Q(source_kind=filters.source)
    if filters.author:
        review_q &= Q(author__icontains=filters.author)
    if filters.mechanism:
        review_q &= Q(mechanism__code=filters.mechanism)
    if filters.cycle:
        review_q &= Q(cycle=filters.cycle)
    if review_q:
        # The ids themselves, not a subquery: from a literal list both databases estimate how many
        # recommendations match (75 UPR reviews are 75,000 rows, not the 14,000 PostgreSQL guesses through the
        # mechanism join) and choose between the review index and walking the primary key accordingly.
        qs = qs.filter(review_id__in=list(Review.objects.filter(review_q).values_list("pk", flat=True)))
    restricted = search.restrict(qs, filters.q, expand=not filters.literal)
    searching = restricted is not qs
    qs = restricted
    if links and not (searching or filters.review or filters.state):
        qs = qs.filter(pk__in=links[0][0])
        checks.pop(0)
    qs = qs.filter(*checks)
    if filters.response:
        qs = qs.filter(response=filters.response)
    if filters.upr:
        try:
            wanted = upr_ids.expand(filters.upr)
        except Exception:  # noqa: BLE001 - a malformed range in a URL filters nothing out rather than failing
            wanted = [filters.upr]
        qs = qs.filter(upr_id__in=wanted)
    if searching and filters.sort == DEFAULT_SORT:
        return qs.order_by(search.newest_first())
    return qs.order_by(*SORTS[filters.sort])


def with_details(qs: QuerySet[Recommendation]) -> QuerySet[Recommendation]:
    """What list rows show, in a fixed number of queries."""
    return qs.select_related("review__mechanism", "review__state").prefetch_related("themes", "recommending_states")


COUNT_LIMIT = 1000
MAX_PAGE = 100_000


class ResultPage(Page):
    """A page that knows whether another follows, even when the result was not counted to the end."""

    def __init__(self, object_list: list, number: int, paginator: ResultPaginator, more: bool) -> None:
        super().__init__(object_list, number, paginator)
        self.more = more

    def has_next(self) -> bool:
        return self.more

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1


class ResultPaginator(Paginator):
    """Pages of a result counted only up to COUNT_LIMIT unless `exact`.

    An exact COUNT(*) reads every matching row (0.15 s for 300,000 on SQLite, more than the rest of the page);
    counting one past the limit tells "more than 1,000" honestly for a few rows' work. Paging goes on past
    the limit: each page reads one extra row to know whether a next one exists, and a page past the end
    counts the whole result to find the last one.
    """

    def __init__(self, object_list: QuerySet, per_page: int, *, exact: bool = False) -> None:
        super().__init__(object_list, per_page)
        self.exact = exact

    @cached_property
    def count(self) -> int:
        counted = self.object_list.order_by()  # the order changes nothing in a count but may cost a sort
        return counted.count() if self.exact else counted[: COUNT_LIMIT + 1].count()

    @property
    def capped(self) -> bool:
        return not self.exact and self.count > COUNT_LIMIT

    def get_page(self, number: Any) -> ResultPage:
        """Page `number`: junk means the first page, past the end the last one."""
        try:
            number = min(max(1, int(number)), MAX_PAGE)  # a huge number would overflow the database's OFFSET
        except (TypeError, ValueError):
            number = 1
        if self.count <= COUNT_LIMIT:
            # A small result is read whole. Given a LIMIT, PostgreSQL may walk the primary key looking for
            # matches it wrongly expects to be common (all 300,000 rows for a misspelt word).
            ids = list(self.object_list) if self.count else []
            number = min(number, self.num_pages)
            bottom = (number - 1) * self.per_page
            return ResultPage(ids[bottom : bottom + self.per_page], number, self, bottom + self.per_page < len(ids))
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page + 1])  # one more: is there a next page?
        if not rows and number > 1:
            if not self.exact:  # past the end of a result counted only up to the limit: count it all
                self.exact = True
                for cached in ("count", "num_pages"):
                    self.__dict__.pop(cached, None)
            return self.get_page(self.num_pages)
        return ResultPage(rows[: self.per_page], number, self, len(rows) > self.per_page)


def result_page(qs: QuerySet[Recommendation], number: Any, per_page: int, *, exact: bool = False) -> ResultPage:
    """One page of the list: ids paged first, then those rows with their details.

    Paging over bare ids lets the database walk an index and stop after one page; joining the review,
    mechanism and State first makes SQLite sort every matching row (seconds at 300,000 rows).
    """
    page = ResultPaginator(qs.values_list("pk", flat=True), per_page, exact=exact).get_page(number)
    ids = list(page.object_list)
    by_id = Recommendation.objects.select_related("review__mechanism", "review__state").in_bulk(ids)
    # Recommending States and themes in one query, as plain lists the row template reads without building
    # querysets: each query is a round trip, and PostgreSQL on a busy server answers the smallest in a few ms.
    kind = functools.partial(Value, output_field=CharField())
    states = _linked("recommending_states", recommendation_id__in=ids).values_list(
        "recommendation_id", kind("state"), "state__name", "state__name"
    )
    themes = _linked("themes", recommendation_id__in=ids).values_list(
        "recommendation_id", kind("theme"), "theme__name_en", "theme__name_ru"
    )
    links: dict[tuple[int, str], list] = defaultdict(list)
    for rec_id, what, name_en, name_ru in states.union(themes, all=True):
        links[rec_id, what].append(State(name=name_en) if what == "state" else Theme(name_en=name_en, name_ru=name_ru))
    page.object_list = [by_id[pk] for pk in ids if pk in by_id]
    for rec in page.object_list:
        rec.listed_states = sorted(links[rec.pk, "state"], key=lambda s: s.name)
        rec.listed_themes = sorted(links[rec.pk, "theme"], key=lambda t: t.name_en)
    return page


_facet_cache: dict[str, Any] = {}
FACET_TTL = 60.0


def facet_options() -> dict[str, str]:
    """The <option> lists of the filter form (hundreds of States), rendered once a minute per language.

    Vocabularies only, never values taken from records (which may be hidden). Vocabularies change rarely
    and the list page is the busiest page.
    """
    key = get_language() or "en"
    cached = _facet_cache.get(key)
    if cached and time.monotonic() - cached[0] < FACET_TTL:
        return cached[1]
    states = [(n, state_name(n, get_language())) for n in State.objects.values_list("name", flat=True)]
    choices = {
        "state": states,
        "recommending": states,
        "region": [(r, r) for r in sorted(set(State.objects.values_list("regional_group", flat=True)))],
        "mechanism": [(m.code, str(m)) for m in Mechanism.objects.all()],
        "source": [
            *((v, str(label)) for v, label in SourceKind.choices),
            ("cso", str(_("any document by an organisation"))),
        ],
        "theme": [(t.code, str(t)) for t in Theme.objects.all()],
        "article": [(str(a.number), str(a)) for a in IccprArticle.objects.all()],
        "sdg": [(str(s.number), str(s)) for s in Sdg.objects.all()],
        "response": [(v, str(label)) for v, label in Response.choices],
        "status": [(v, str(label)) for v, label in Status.choices],
        "assessor": [*((v, str(label)) for v, label in AssessorKind.choices), ("cso", str(_("civil society")))],
    }
    options = {name: str(format_html_join("", '<option value="{}">{}</option>', c)) for name, c in choices.items()}
    _facet_cache[key] = (time.monotonic(), options)
    return options


def select_options(filters: Filters, any_label: str) -> dict[str, str]:
    """The <option> lists of the filter form with the current values selected."""
    out = {}
    for name, options in facet_options().items():
        current = str(getattr(filters, name) or "")
        if current:
            # Values were escaped the same way when the options were rendered.
            option = f'<option value="{escape(current)}">'
            options = options.replace(option, option[:-1] + " selected>", 1)
        out[name] = format_html('<option value="">{}</option>', any_label) + mark_safe(options)  # noqa: S308
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
    "id", "source_id", "source_kind", "author", "mechanism", "state_under_review", "cycle", "session", "symbol",
    "review_date", "paragraph",
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
            review.source_kind,
            review.made_by,
            review.mechanism.code if review.mechanism else "",
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
    other = str(_("other sources"))
    by_mechanism = [
        (code or other, n)
        for code, n in recs.values_list("review__mechanism__code").annotate(n=Count("pk")).order_by("-n")[:15]
    ]
    current = current_assessments(user, assessor="cso").filter(recommendation__in=recs)
    status_rows = list(
        current.values_list("status", "recommendation__review__mechanism__code", "recommendation__review__cycle")
    )
    by_status = Counter(s for s, _m, _c in status_rows)
    by_mech_status: dict[str, Counter] = defaultdict(Counter)
    by_cycle_status: dict[str, Counter] = defaultdict(Counter)
    for status, mechanism, cycle in status_rows:
        by_mech_status[mechanism or other][status] += 1
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
        .order_by("-date", "-pk")  # a grouped query drops Meta.ordering; pages must be stable
    )


def today() -> datetime.date:
    return datetime.date.today()
