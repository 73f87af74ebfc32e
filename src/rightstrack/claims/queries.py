"""Every read of the claims app, through `core.visibility`: lists, the evidence behind a claim, the
discrepancy view (claims next to the evidence, biggest gap first), series charts and the report table.

Reads are batched: a page costs a fixed number of queries however many claims it shows.
"""

from __future__ import annotations

import decimal
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from types import SimpleNamespace

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from rightstrack.core import visibility
from rightstrack.core.charts import Chart, line_chart
from rightstrack.core.errors import NotFound
from rightstrack.core.models import IccprArticle, Theme
from rightstrack.evidence.citing import citation_text
from rightstrack.evidence.models import Citation, Passage

from . import evidence_kinds
from .models import Claim, ClaimFigure, DataPoint, Indicator, SourceKind, Verdict, VerdictEvidence

INDEPENDENT = (SourceKind.NGO, SourceKind.INTERNATIONAL, SourceKind.MEDIA)


# --- Lists -----------------------------------------------------------------------------------------


def indicators(user) -> QuerySet[Indicator]:
    return visibility.visible(user, Indicator).select_related("article").order_by("name", "pk")


def data_points(user, indicator: Indicator | None = None) -> QuerySet[DataPoint]:
    """Visible points whose indicator is visible too."""
    qs = visibility.visible(user, DataPoint).filter(visibility.visibility_q(user, Indicator, prefix="indicator__"))
    if indicator is not None:
        qs = qs.filter(indicator=indicator)
    return qs.select_related("indicator", "indicator__article").order_by(
        "indicator__name", "period_start", "source_kind", "pk"
    )


def _reviewed() -> QuerySet[Verdict]:
    return Verdict.objects.filter(reviewed_at__isnull=False)


def without_reviewed_verdict(claims_qs: QuerySet[Claim]) -> QuerySet[Claim]:
    return claims_qs.filter(~Exists(_reviewed().filter(claim=OuterRef("pk"))))


def claims(
    user,
    *,
    q: str = "",
    speaker_kind: str = "",
    article: int | None = None,
    theme: str = "",
    verdict: str = "",
) -> QuerySet[Claim]:
    """Visible claims, filtered; `verdict` is a rating, "none" (no reviewed verdict) or "pending" (awaiting review)."""
    qs = visibility.visible(user, Claim)
    if q:
        qs = qs.filter(Q(text__icontains=q) | Q(speaker__icontains=q) | Q(forum__icontains=q))
    if speaker_kind:
        qs = qs.filter(speaker_kind=speaker_kind)
    if article:
        qs = qs.filter(article__number=article)
    if theme:
        qs = qs.filter(themes__code=theme)
    if verdict == "none":
        qs = without_reviewed_verdict(qs)
    elif verdict == "pending":
        qs = qs.filter(Exists(Verdict.objects.filter(claim=OuterRef("pk"), reviewed_at__isnull=True)))
    elif verdict:
        # The shown verdict is the latest reviewed one, so filter on that, not on any verdict ever given.
        latest = _reviewed().filter(claim=OuterRef("pk")).order_by("-reviewed_at", "-pk").values("rating")[:1]
        qs = qs.alias(shown=latest).filter(shown=verdict)
    return qs.select_related("article").prefetch_related(*claim_prefetches()).order_by("-date", "-pk")


def claim_prefetches(*, people: bool = False) -> list[Prefetch]:
    """Themes, figures and verdicts as lists; `people` also loads who gave and reviewed each verdict."""
    verdicts = Verdict.objects.select_related("analyst", "reviewed_by") if people else Verdict.objects.all()
    return [
        Prefetch("themes", to_attr="prefetched_themes"),
        Prefetch("figures", queryset=ClaimFigure.objects.select_related("indicator"), to_attr="prefetched_figures"),
        Prefetch("verdicts", queryset=verdicts, to_attr="prefetched_verdicts"),
    ]


def shown_verdict(claim: Claim) -> Verdict | None:
    """The latest reviewed verdict (from the prefetched verdicts)."""
    reviewed = [v for v in claim.verdict_list if v.reviewed_at is not None]
    return max(reviewed, key=lambda v: (v.reviewed_at, v.pk)) if reviewed else None


def pending_verdicts(claim: Claim) -> list[Verdict]:
    return [v for v in claim.verdict_list if v.reviewed_at is None]


def claim_detail(user, pk) -> Claim:
    """One visible claim with its figures and verdicts, else NotFound."""
    qs = Claim.objects.select_related("article").prefetch_related(*claim_prefetches(people=True))
    try:
        return visibility.visible(user, qs).get(pk=int(pk))
    except (Claim.DoesNotExist, TypeError, ValueError):
        raise NotFound(_("No such record, or you do not have access to it."))


# --- Citations and verdict evidence ----------------------------------------------------------------


def citations(user, records: Iterable) -> dict[int, list[Citation]]:
    """Visible passages cited by each record (records of one model), keyed by record pk."""
    records = list(records)
    if not records:
        return {}
    content_type = ContentType.objects.get_for_model(type(records[0]))
    visible_passages = visibility.visible(user, Passage)
    out: dict[int, list[Citation]] = defaultdict(list)
    rows = (
        Citation.objects.filter(content_type=content_type, object_id__in=[r.pk for r in records])
        .filter(passage__in=visible_passages)
        .select_related("passage", "passage__document")
        .order_by("passage__document_id", "passage__number")
    )
    for citation in rows:
        out[citation.object_id].append(citation)
    return out


@dataclass
class EvidenceItem:
    kind: str
    label: str
    url: str
    record: object = None
    quote: str = ""


def _url_for(record) -> str:
    if isinstance(record, DataPoint):
        return reverse("claims:indicator_detail", args=[record.indicator_id]) + f"#point-{record.pk}"
    if isinstance(record, Passage):
        return reverse("passage_detail", args=[record.pk])
    if record._meta.label_lower == "evidence.sourcedocument":
        return reverse("document_detail", args=[record.pk])
    try:
        return record.get_absolute_url() if hasattr(record, "get_absolute_url") else ""
    except NoReverseMatch:
        return ""


def verdict_evidence(user, verdicts: Iterable[Verdict]) -> dict[int, list[EvidenceItem]]:
    """What each verdict cites, limited to what the user may see."""
    verdicts = list(verdicts)
    out: dict[int, list[EvidenceItem]] = {v.pk: [] for v in verdicts}
    if not verdicts:
        return out
    for pk, cited in citations(user, verdicts).items():
        for c in cited:
            label = citation_text(c.passage)
            out[pk].append(EvidenceItem(_("passage"), label, _url_for(c.passage), c.passage, c.passage.text[:300]))
    rows = VerdictEvidence.objects.filter(verdict__in=verdicts).select_related("content_type").order_by("pk")
    by_type: dict[int, list[VerdictEvidence]] = defaultdict(list)
    for row in rows:
        by_type[row.content_type_id].append(row)
    for items in by_type.values():
        model = items[0].content_type.model_class()
        if model is None or evidence_kinds.model_for(model._meta.label_lower) is None:
            continue
        qs = visibility.visible(user, model)
        if model is DataPoint:
            qs = qs.filter(visibility.visibility_q(user, Indicator, prefix="indicator__")).select_related("indicator")
        seen = qs.in_bulk([r.object_id for r in items])
        for row in items:
            record = seen.get(row.object_id)
            if record is not None:
                out[row.verdict_id].append(
                    EvidenceItem(str(model._meta.verbose_name), str(record), _url_for(record), record)
                )
    return out


# --- Comparisons and the discrepancy view ----------------------------------------------------------


def gap(a: decimal.Decimal | float, b: decimal.Decimal | float) -> float:
    """How far apart two figures are, as a share of the larger one (0 = equal, 1 = one of them is zero)."""
    a, b = float(a), float(b)
    larger = max(abs(a), abs(b))
    return 0.0 if larger == 0 else abs(a - b) / larger


def ratio(a: decimal.Decimal | float, b: decimal.Decimal | float) -> float | None:
    """b as a multiple of a (None when a is zero)."""
    return None if float(a) == 0 else float(b) / float(a)


@dataclass
class EvidencePoint:
    point: DataPoint
    gap: float
    ratio: float | None
    same_period: bool


@dataclass
class Comparison:
    """A claim figure next to independent figures for the same indicator and period."""

    figure: ClaimFigure
    evidence: list[EvidencePoint] = field(default_factory=list)

    @property
    def gap(self) -> float | None:
        same = [e.gap for e in self.evidence if e.same_period]
        pool = same or [e.gap for e in self.evidence]
        return max(pool) if pool else None


@dataclass
class ClaimRow:
    claim: Claim
    comparisons: list[Comparison]
    verdict: Verdict | None
    pending: int
    passages: list[Citation]

    @property
    def gap(self) -> float | None:
        gaps = [c.gap for c in self.comparisons if c.gap is not None]
        return max(gaps) if gaps else None


@dataclass
class PairRow:
    """Official vs independent figure for the same indicator, period and breakdown."""

    indicator: Indicator
    official: DataPoint
    independent: DataPoint
    gap: float
    ratio: float | None


def _independent_points(
    user, indicator_ids: set[int], loaded: list[DataPoint] | None = None
) -> dict[int, list[DataPoint]]:
    """Independent totals of the given indicators, by indicator (from `loaded` when the caller has them)."""
    out: dict[int, list[DataPoint]] = defaultdict(list)
    if not indicator_ids:
        return out
    if loaded is None:
        loaded = list(data_points(user).filter(indicator_id__in=indicator_ids))
        attach_citations(user, loaded)
    for point in loaded:
        if point.indicator_id in indicator_ids and point.source_kind in INDEPENDENT and not point.disaggregation:
            out[point.indicator_id].append(point)
    return out


def attach_citations(user, points: list[DataPoint]) -> None:
    """Set `cited_passages` on each point (one query), so pages can link every figure to its source."""
    cited = citations(user, points)
    for point in points:
        point.cited_passages = cited.get(point.pk, [])


def compare(
    user, figures: Iterable[ClaimFigure | SimpleNamespace], loaded: list[DataPoint] | None = None
) -> dict[int, Comparison]:
    """For each figure with an indicator: independent totals whose period overlaps, same period first."""
    figures = list(figures)
    points = _independent_points(user, {f.indicator_id for f in figures if f.indicator_id}, loaded)
    visible_indicators = set(
        indicators(user).filter(pk__in={f.indicator_id for f in figures}).values_list("pk", flat=True)
    )
    out = {}
    for figure in figures:
        comparison = Comparison(figure)
        if figure.indicator_id in visible_indicators:
            for point in points.get(figure.indicator_id, []):
                if point.period_start <= figure.period_end and figure.period_start <= point.period_end:
                    comparison.evidence.append(
                        EvidencePoint(
                            point,
                            gap(figure.value, point.value),
                            ratio(figure.value, point.value),
                            point.period_label == figure.period_label,
                        )
                    )
            comparison.evidence.sort(key=lambda e: (not e.same_period, -e.gap))
        else:
            figure.indicator = None  # an indicator the reader cannot see is not named
        out[figure.pk] = comparison
    return out


def claim_rows(user, claims_qs: QuerySet[Claim] | list[Claim], loaded: list[DataPoint] | None = None) -> list[ClaimRow]:
    """Each claim with its figures compared to the evidence, its shown verdict and its quoted passages."""
    claims_list = list(claims_qs)
    figures = [f for c in claims_list for f in c.figure_list]
    by_figure = compare(user, figures, loaded)
    cited = citations(user, claims_list)
    rows = []
    for claim in claims_list:
        rows.append(
            ClaimRow(
                claim=claim,
                comparisons=[by_figure[f.pk] for f in claim.figure_list],
                verdict=shown_verdict(claim),
                pending=len(pending_verdicts(claim)),
                passages=cited.get(claim.pk, []),
            )
        )
    return rows


def official_vs_independent(
    user, indicator_ids: set[int] | None = None, loaded: list[DataPoint] | None = None
) -> list[PairRow]:
    """Pairs of official and independent figures for the same indicator, period and breakdown, biggest gap first."""
    if loaded is None:
        loaded = list(data_points(user))
        attach_citations(user, loaded)
    groups: dict[tuple, list[DataPoint]] = defaultdict(list)
    for point in loaded:
        if indicator_ids is not None and point.indicator_id not in indicator_ids:
            continue
        groups[(point.indicator_id, point.period_label, point.disaggregation.casefold())].append(point)
    rows = []
    for points in groups.values():
        official = [p for p in points if p.source_kind == SourceKind.OFFICIAL]
        others = [p for p in points if p.source_kind in INDEPENDENT]
        for o in official:
            for p in others:
                rows.append(PairRow(o.indicator, o, p, gap(o.value, p.value), ratio(o.value, p.value)))
    rows.sort(key=lambda r: (-r.gap, r.indicator.name, r.official.period_start))
    return rows


@dataclass
class Group:
    key: str
    title: str
    claims: list[ClaimRow] = field(default_factory=list)
    pairs: list[PairRow] = field(default_factory=list)
    claim_total: int = 0  # claims in the group, `claims` holding the biggest gaps when a limit applies

    @property
    def gap(self) -> float:
        gaps = [r.gap for r in self.claims if r.gap is not None] + [p.gap for p in self.pairs]
        return max(gaps) if gaps else -1.0


def sort_claims(rows: list[ClaimRow]) -> list[ClaimRow]:
    return sorted(rows, key=lambda r: (r.gap is None, -(r.gap or 0), -r.claim.date.toordinal(), -r.claim.pk))


def _claim_gaps(user, claim_qs: QuerySet[Claim], loaded: list[DataPoint]) -> dict[int, float | None]:
    """The biggest gap of every claim, from its figures alone (claims themselves are not loaded)."""
    columns = ("pk", "claim_id", "indicator_id", "value", "period_start", "period_end", "period_label")
    rows = ClaimFigure.objects.filter(claim__in=claim_qs.order_by().values("pk")).values_list(*columns)
    # Plain objects with the attributes `compare` reads: ten times cheaper than model instances here.
    figures = [SimpleNamespace(**dict(zip(columns, row, strict=True)), indicator=None) for row in rows]
    compared = compare(user, figures, loaded)
    gaps: dict[int, float | None] = {}
    for figure in figures:
        g = compared[figure.pk].gap
        if g is not None and (gaps.get(figure.claim_id) is None or g > gaps[figure.claim_id]):
            gaps[figure.claim_id] = g
        else:
            gaps.setdefault(figure.claim_id, None)
    return gaps


def discrepancies(
    user,
    *,
    group_by: str = "article",
    theme: str = "",
    article: int | None = None,
    speaker_kind: str = "state",
    limit: int | None = None,
) -> list[Group]:
    """Claims (by default the State's) next to the evidence, grouped by ICCPR article or topic, biggest gap first.

    Each group also lists official vs independent figures of the indicators on that article/topic. With `limit`,
    each group holds only its `limit` biggest gaps as full rows (`claim_total` counts all): gaps are computed
    for every claim from its figures, and only the rows shown are loaded with verdicts and citations.
    """
    claim_qs = claims(user, theme=theme, article=article, speaker_kind=speaker_kind)
    # Every visible data point is read once and serves both the claim comparisons and the pairs.
    loaded = list(data_points(user))
    attach_citations(user, loaded)
    gaps = _claim_gaps(user, claim_qs, loaded)
    light = list(claim_qs.order_by().prefetch_related(None).values_list("pk", "article_id", "date"))
    indicator_qs = indicators(user).prefetch_related("themes")
    if theme:
        indicator_qs = indicator_qs.filter(themes__code=theme)
    if article:
        indicator_qs = indicator_qs.filter(article__number=article)
    indicator_qs = list(indicator_qs)
    pairs = official_vs_independent(user, {i.pk for i in indicator_qs}, loaded)
    groups: dict[str, Group] = {}
    members: dict[str, list[tuple]] = defaultdict(list)

    def group(key: str, title: str) -> Group:
        return groups.setdefault(key, Group(key, title))

    if group_by == "topic":
        topics: dict[int, list[Theme]] = defaultdict(list)
        themes = {t.pk: t for t in Theme.objects.all()}
        for claim_id, theme_id in Claim.themes.through.objects.filter(claim__in=[c[0] for c in light]).values_list(
            "claim_id", "theme_id"
        ):
            topics[claim_id].append(themes[theme_id])
        for pk, _article, date in light:
            for t in [t for t in topics[pk] if not theme or t.code == theme] or [None]:
                key = t.code if t else ""
                group(key, str(t) if t else _("No topic"))
                members[key].append((pk, date))
        indicator_themes = {i.pk: list(i.themes.all()) for i in indicator_qs}
        for pair in pairs:
            for t in [t for t in indicator_themes.get(pair.indicator.pk, []) if not theme or t.code == theme] or [None]:
                group(t.code if t else "", str(t) if t else _("No topic")).pairs.append(pair)
    else:
        articles = {a.pk: a for a in IccprArticle.objects.all()}
        for pk, article_id, date in light:
            a = articles.get(article_id)
            key = str(a.number) if a else ""
            group(key, str(a) if a else _("No ICCPR article"))
            members[key].append((pk, date))
        for pair in pairs:
            a = pair.indicator.article
            group(str(a.number) if a else "", str(a) if a else _("No ICCPR article")).pairs.append(pair)
    shown: dict[str, list[int]] = {}
    for key, rows in members.items():
        rows.sort(key=lambda r: (gaps.get(r[0]) is None, -(gaps.get(r[0]) or 0), -r[1].toordinal(), -r[0]))
        groups[key].claim_total = len(rows)
        shown[key] = [pk for pk, _date in (rows if limit is None else rows[:limit])]
    wanted = {pk for pks in shown.values() for pk in pks}
    source = claim_qs if limit is None else claim_qs.filter(pk__in=wanted)
    full = {row.claim.pk: row for row in claim_rows(user, source, loaded)} if wanted else {}
    for key, pks in shown.items():
        groups[key].claims = [full[pk] for pk in pks]
    return sorted(groups.values(), key=lambda g: (-g.gap, g.key == "", g.title))


def filter_choices() -> dict[str, list]:
    """Articles and topics for the filter forms."""
    return {
        "articles": list(IccprArticle.objects.all()),
        "themes": list(Theme.objects.all()),
    }


# --- Series charts ---------------------------------------------------------------------------------


@dataclass
class Series:
    chart: Chart | None
    points: list[DataPoint]
    partial: list[str]


def series(user, indicator: Indicator, disaggregation: str = "") -> Series:
    """Official and independent lines on one chart (one line per source), partial periods marked."""
    points = list(data_points(user, indicator))
    totals = [p for p in points if p.disaggregation.casefold() == disaggregation.casefold()]
    lines: dict[str, dict[str, DataPoint]] = defaultdict(dict)
    partial: set[str] = set()
    for point in totals:
        name = point.get_source_kind_display() + (f" — {point.source_name}" if point.source_name else "")
        key = point.period.chart_key
        kept = lines[name].get(key)
        # Two figures of one source in one year: the one covering more of it represents the year.
        if kept is None or point.period.days > kept.period.days:
            lines[name][key] = point
    for line in lines.values():
        for key, point in line.items():
            if point.partial:
                partial.add(key)
    chart = None
    if lines:
        order = {kind: n for n, kind in enumerate(SourceKind.values)}  # official first: the same colour on every chart
        names = sorted(lines, key=lambda name: (order[next(iter(lines[name].values())).source_kind], name))
        data = {name: [(key, float(p.value)) for key, p in lines[name].items()] for name in names}
        chart = line_chart(data, title=indicator.name, unit=indicator.unit, partial=sorted(partial))
    return Series(chart=chart, points=points, partial=sorted(partial))
