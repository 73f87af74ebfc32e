"""Generators: a report scope → a `Document`, from whatever the domain modules hold.

Each module (recommendations, trials, incidents, claims) is read by a provider that may find its app
missing, not migrated yet, or empty: the report then says so in a note instead of failing. Every paragraph
carries a stable `key` (so manual edits survive regeneration), its `sources` (for the publication check)
and footnotes for its figures.
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import FieldError
from django.db import DatabaseError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from rightstrack.core.charts import bar_chart
from rightstrack.core.errors import InvalidInput
from rightstrack.core.models import IccprArticle, Organisation, Theme, localized

from .document import Document, Figure, Footnote, Paragraph, Section, Table
from .models import WORD_LIMITS, ReportKind
from .scope import Scope

logger = logging.getLogger(__name__)

Progress = Callable[[int, str], None]

#: Which ICCPR article an act type of the incidents module falls under.
ACT_ARTICLES = {
    "killing": 6,
    "death_in_custody": 6,
    "torture": 7,
    "ill_treatment": 7,
    "arbitrary_detention": 9,
    "enforced_disappearance": 9,
    "surveillance": 17,
    "threat": 19,
    "attack_on_journalist": 19,
    "internet_shutdown": 19,
    "prosecution": 19,
    "obstruction_of_lawyer": 14,
    "dispersal_of_assembly": 21,
}


@dataclass
class Collector:
    """Sections being filled by several providers, in a fixed order."""

    sections: dict[str, Section] = field(default_factory=dict)
    order: dict[str, tuple] = field(default_factory=dict)  # (group, number, name): themes first, then articles
    tails: dict[str, list[Paragraph]] = field(default_factory=lambda: defaultdict(list))
    missing: list[str] = field(default_factory=list)
    used: list[str] = field(default_factory=list)

    def section(self, key: str, title: str, order: tuple) -> Section:
        if key not in self.sections:
            self.sections[key] = Section(title=title, key=key)
            self.order[key] = order
        return self.sections[key]

    def add(self, key: str, block) -> None:
        self.sections[key].blocks.append(block)

    def add_tail(self, key: str, paragraph: Paragraph) -> None:
        """A recommendation: printed at the end of its section, under its own sub-heading."""
        self.tails[key].append(paragraph)

    def has_content(self) -> bool:
        return any(s.blocks for s in self.sections.values()) or any(self.tails.values())

    def finish(self) -> list[Section]:
        out = []
        for key in sorted(self.sections, key=lambda k: _sortable(self.order[k])):
            section = self.sections[key]
            if self.tails.get(key):
                section.subsections.append(
                    Section(title=_("Recommendations"), key=f"{key}-recommendations", blocks=self.tails[key])
                )
            if section.blocks or section.subsections:
                out.append(section)
        return out


def _sortable(order: tuple) -> tuple:
    """Order tuples mix numbers (article 7) and text (a theme name): numbers first, then text."""
    return tuple((0, v, "") if isinstance(v, int | float) else (1, 0, str(v)) for v in order)


def _run(provider: Callable[[Scope, Collector], bool], scope: Scope, collector: Collector, label: str) -> None:
    """Run one provider; a module that is missing, unmigrated or changed becomes a 'no data' note, not a crash."""
    try:
        with transaction.atomic():  # a savepoint: one failing query must not break the whole build on PostgreSQL
            found = provider(scope, collector)
    except (ImportError, LookupError, DatabaseError, FieldError, AttributeError, TypeError, ValueError):
        logger.warning("report provider %s failed; reported as no data", label, exc_info=True)
        found = False
    (collector.used if found else collector.missing).append(label)


def _period_text(scope: Scope) -> str:
    if scope.period_start and scope.period_end:
        return _("from %(start)s to %(end)s") % {"start": scope.period_start, "end": scope.period_end}
    if scope.period_start:
        return _("since %(start)s") % {"start": scope.period_start}
    if scope.period_end:
        return _("until %(end)s") % {"end": scope.period_end}
    return _("the whole period on record")


def _organisations(scope: Scope) -> list[str]:
    return list(Organisation.objects.filter(pk__in=scope.org_ids).values_list("name", flat=True))


def _dataset_note(scope: Scope, what: str) -> Footnote:
    """A footnote for a figure computed from the organisations' own database."""
    names = ", ".join(_organisations(scope)) or _("public records")
    return Footnote(
        _("%(what)s, RightsTrack database of %(orgs)s, %(period)s, extracted %(date)s.")
        % {"what": what, "orgs": names, "period": _period_text(scope), "date": timezone.localdate().isoformat()}
    )


def _article_section(collector: Collector, number: int) -> str:
    key = f"art-{number}"
    article = IccprArticle.objects.filter(number=number).first()
    title = _("Article %(n)s") % {"n": number}
    if article is not None:
        title += f". {localized(article, 'title')}"
    collector.section(key, title, (2, number, ""))
    return key


# --- Recommendations ---------------------------------------------------------------------------------


def _latest_status(scope: Scope, recommendations) -> dict[int, tuple[str, object]]:
    """The latest visible assessment of each recommendation: pk → (status code, assessment)."""
    Assessment = scope.model("recommendations.Assessment")
    if Assessment is None:
        return {}
    out: dict[int, tuple[str, object]] = {}
    rows = scope.records(Assessment).filter(recommendation__in=recommendations).order_by("date", "pk")
    for assessment in rows:
        out[assessment.recommendation_id] = (assessment.status, assessment)
    return out


def _status_label(code: str) -> str:
    from rightstrack.recommendations.models import Status

    return str(Status(code).label) if code in Status.values else _("no information")


def _rec_text(rec, language: str) -> str:
    translations = rec.translations if isinstance(rec.translations, dict) else {}
    return translations.get(language) or rec.text


def _quoted(text: str) -> str:
    """Text to put inside quotation marks followed by our own punctuation (no '“….”.')."""
    return " ".join(str(text).split()).rstrip(".")


def _rec_footnote(rec) -> Footnote:
    review = rec.review
    where = review.symbol or str(review)
    if not review.is_un:
        # A document by an organisation is cited by its author and date, never as a UN body's review.
        where = ", ".join(p for p in (review.author, review.symbol or review.title, review.date_label) if p)
    if rec.upr_id:
        return Footnote(_("%(doc)s, recommendation %(id)s.") % {"doc": where, "id": rec.upr_id})
    if rec.paragraph:
        return Footnote(_("%(doc)s, para. %(para)s.") % {"doc": where, "para": rec.paragraph})
    return Footnote(f"{where}.")


def _recommendations(scope: Scope):
    Recommendation = scope.model("recommendations.Recommendation")
    if Recommendation is None:
        return None
    qs = (
        scope.records(Recommendation)
        .filter(review__state__name=scope.state_name)
        .select_related("review__mechanism", "review__state")
    )
    if scope.filters.get("articles"):
        qs = qs.filter(articles__number__in=scope.filters["articles"]).distinct()
    if scope.filters.get("themes"):
        qs = qs.filter(themes__code__in=scope.filters["themes"]).distinct()
    return qs


def recommendations_by_article(scope: Scope, col: Collector) -> bool:
    qs = _recommendations(scope)
    if qs is None:
        return False
    recs = list(qs.prefetch_related("articles"))
    if not recs:
        return False
    status = _latest_status(scope, recs)
    by_article: dict[int, list] = defaultdict(list)
    for rec in recs:
        for article in rec.articles.all():
            by_article[article.number].append(rec)
    wanted = set(scope.filters.get("articles") or [])
    for number, items in sorted(by_article.items()):
        if wanted and number not in wanted:
            continue
        key = _article_section(col, number)
        counts = Counter(status.get(r.pk, ("no_info",))[0] for r in items)
        mechanisms = sorted({r.review.made_by for r in items})
        col.add(
            key,
            Paragraph(
                ngettext(
                    "%(state)s received %(n)s recommendation under this article (%(mechs)s).",
                    "%(state)s received %(n)s recommendations under this article (%(mechs)s).",
                    len(items),
                )
                % {"state": scope.state_name_local, "n": len(items), "mechs": ", ".join(mechanisms)}
                + " "
                + _(
                    "By the latest assessments, %(fully)s are fully implemented, %(partially)s partially, "
                    "%(not)s not implemented, and %(none)s have no information."
                )
                % {
                    "fully": counts["fully"],
                    "partially": counts["partially"],
                    "not": counts["not"],
                    "none": counts["no_info"],
                },
                key=f"{key}-recommendations-summary",
                footnotes=[_rec_footnote(r) for r in items[:3]]
                + [_dataset_note(scope, _("Implementation assessments"))],
                sources=[("recommendations.Recommendation", r.pk) for r in items]
                + [("recommendations.Assessment", a.pk) for _s, a in (status[r.pk] for r in items if r.pk in status)],
            ),
        )
        # The same recommendation often comes back cycle after cycle: one paragraph, one footnote per source.
        open_items: dict[str, list] = defaultdict(list)
        for rec in items:
            if status.get(rec.pk, ("no_info",))[0] != "fully":
                open_items[" ".join(_rec_text(rec, scope.language).split()).lower()].append(rec)
        for group in open_items.values():
            codes = []
            for rec in group:
                label = _status_label(status.get(rec.pk, ("no_info",))[0])
                if label not in codes:
                    codes.append(label)
            sources = [("recommendations.Recommendation", r.pk) for r in group]
            sources += [("recommendations.Assessment", status[r.pk][1].pk) for r in group if r.pk in status]
            col.add_tail(
                key,
                Paragraph(
                    _("Implement the recommendation “%(text)s” (latest assessment: %(status)s).")
                    % {"text": _quoted(_rec_text(group[0], scope.language)), "status": ", ".join(codes)},
                    key=f"{key}-rec-{group[0].pk}",
                    style="recommendation",
                    footnotes=[_rec_footnote(r) for r in group],
                    sources=sources,
                ),
            )
    return bool(by_article)


# --- Trials -------------------------------------------------------------------------------------------


def trials_article14(scope: Scope, col: Collector) -> bool:
    Case, Hearing = scope.model("trials.Case"), scope.model("trials.Hearing")
    if Case is None or Hearing is None:
        return False
    cases = list(scope.records(Case).select_related("court"))
    if scope.filters.get("case"):
        cases = [c for c in cases if c.pk == scope.filters["case"]]
    if not cases:
        return False
    hearings = list(
        scope.in_period(scope.records(Hearing).filter(case__in=cases), "date").select_related("case__court")
    )
    key = _article_section(col, 14)
    courts = {c.court_id for c in cases}
    col.add(
        key,
        Paragraph(
            _(
                "Monitors followed %(cases)s criminal cases in %(courts)s courts; "
                "%(hearings)s hearings took place %(period)s."
            )
            % {"cases": len(cases), "courts": len(courts), "hearings": len(hearings), "period": _period_text(scope)},
            key=f"{key}-trials-summary",
            footnotes=[_dataset_note(scope, _("Trial-monitoring records"))],
            sources=[("trials.Case", c.pk) for c in cases],
        ),
    )
    by_city = Counter(h.case.court.city for h in hearings)
    if by_city:
        cities = sorted(by_city, key=lambda c: (-by_city[c], c))
        col.add(
            key,
            Figure(
                bar_chart(cities, [by_city[c] for c in cities], title=_("Hearings by city")),
                caption=_("Hearings in monitored cases, by city"),
                key=f"{key}-trials-chart",
                sources=[("trials.Case", c.pk) for c in cases],
            ),
        )
    return True


# --- Incidents ----------------------------------------------------------------------------------------


def incidents_by_article(scope: Scope, col: Collector) -> bool:
    Act = scope.model("incidents.Act")
    if Act is None:
        return False
    from rightstrack.incidents.models import ActType

    acts = list(scope.in_period(scope.records(Act), "event__start_date").only("pk", "act_type", "event_id"))
    if not acts:
        return False
    by_article: dict[int, list] = defaultdict(list)
    for act in acts:
        number = ACT_ARTICLES.get(act.act_type)
        if number is not None:
            by_article[number].append(act)
    wanted = set(scope.filters.get("articles") or [])
    found = False
    for number, items in sorted(by_article.items()):
        if wanted and number not in wanted:
            continue
        found = True
        key = _article_section(col, number)
        types = Counter(a.act_type for a in items)
        parts = ", ".join(f"{str(ActType(t).label).lower()}: {n}" for t, n in types.most_common())
        events = sorted({a.event_id for a in items})
        col.add(
            key,
            Paragraph(
                ngettext(
                    "The organisations documented %(n)s act %(period)s (%(parts)s); incident records: %(events)s.",
                    "The organisations documented %(n)s acts %(period)s (%(parts)s); incident records: %(events)s.",
                    len(items),
                )
                % {"n": len(items), "events": len(events), "period": _period_text(scope), "parts": parts},
                key=f"{key}-incidents-summary",
                footnotes=[_dataset_note(scope, _("Incident documentation"))],
                sources=[("incidents.Event", pk) for pk in events],
            ),
        )
        if len(types) > 1:
            labels = [str(ActType(t).label) for t, _n in types.most_common()]
            col.add(
                key,
                Figure(
                    bar_chart(labels, [n for _t, n in types.most_common()], title=_("Documented acts by type")),
                    caption=_("Documented acts under article %(n)s, by type") % {"n": number},
                    key=f"{key}-incidents-chart",
                    sources=[("incidents.Event", pk) for pk in events],
                ),
            )
    return found


# --- Claims -------------------------------------------------------------------------------------------


def claims_by_article(scope: Scope, col: Collector) -> bool:
    Claim, Verdict = scope.model("claims.Claim"), scope.model("claims.Verdict")
    if Claim is None or Verdict is None:
        return False
    claims = scope.in_period(scope.records(Claim).filter(article__isnull=False), "date").select_related("article")
    if scope.filters.get("articles"):
        claims = claims.filter(article__number__in=scope.filters["articles"])
    verdicts = {v.claim_id: v for v in scope.records(Verdict).filter(claim__in=claims).order_by("created_at")}
    found = False
    for claim in claims:
        verdict = verdicts.get(claim.pk)
        if verdict is None:
            continue
        found = True
        key = _article_section(col, claim.article.number)
        col.add(
            key,
            Paragraph(
                _("On %(date)s, %(speaker)s stated: “%(text)s”. Our assessment: %(rating)s. %(rationale)s")
                % {
                    "date": claim.date,
                    "speaker": claim.speaker or claim.get_speaker_kind_display(),
                    "text": _quoted(claim.text),
                    "rating": verdict.get_rating_display(),
                    "rationale": verdict.rationale,
                },
                key=f"{key}-claim-{claim.pk}",
                footnotes=[Footnote(", ".join(p for p in (claim.forum, str(claim.date)) if p) + ".")],
                sources=[("claims.Claim", claim.pk)],
            ),
        )
    return found


# --- Documents ----------------------------------------------------------------------------------------


def _intro(scope: Scope, body: str, missing: list[str]) -> Section:
    orgs = ", ".join(scope.authors or _organisations(scope)) or _("civil-society organisations")
    blocks = [
        Paragraph(
            body % {"orgs": orgs, "state": scope.state_name_local, "period": _period_text(scope)},
            key="intro-purpose",
        )
    ]
    if missing:
        blocks.append(
            Paragraph(
                _("No data was available from: %(modules)s.") % {"modules": ", ".join(missing)},
                numbered=False,
                style="note",
                key="intro-no-data",
            )
        )
    return Section(title=_("Introduction"), key="intro", blocks=blocks)


def _empty() -> InvalidInput:
    return InvalidInput(
        _(
            "Nothing to report: no records match this State, period and filters. "
            "Widen the period or the filters, or include other organisations."
        )
    )


def shadow_iccpr(scope: Scope, progress: Progress) -> Document:
    col = Collector()
    steps = [
        (recommendations_by_article, _("recommendations")),
        (trials_article14, _("trial monitoring")),
        (incidents_by_article, _("incidents")),
        (claims_by_article, _("State claims")),
    ]
    for i, (provider, label) in enumerate(steps, start=1):
        progress(10 + 70 * i // len(steps), label)
        _run(provider, scope, col, label)
    if not col.has_content():
        raise _empty()
    intro = _intro(
        scope,
        _(
            "This alternative report was prepared by %(orgs)s for the Human Rights Committee's review of "
            "%(state)s. It covers %(period)s and is organised by article of the International Covenant on "
            "Civil and Political Rights; recommendations close each article."
        ),
        col.missing,
    )
    return Document(
        title=scope.title
        or _("Alternative report to the Human Rights Committee: %(state)s") % {"state": scope.state_name_local},
        subtitle=_("International Covenant on Civil and Political Rights"),
        sections=[intro, *col.finish()],
    )


def upr_submission(scope: Scope, progress: Progress) -> Document:
    col = Collector()
    progress(20, _("recommendations"))
    found = False
    try:
        with transaction.atomic():
            found = _upr_themes(scope, col)
    except (ImportError, LookupError, DatabaseError, FieldError, AttributeError, TypeError, ValueError):
        logger.warning("UPR themes failed; reported as no data", exc_info=True)
    if not found:
        col.missing.append(_("recommendations"))
    progress(60, _("incidents"))
    _run(incidents_by_article, scope, col, _("incidents"))
    progress(70, _("trial monitoring"))
    _run(trials_article14, scope, col, _("trial monitoring"))
    if not col.has_content():
        raise _empty()
    intro = _intro(
        scope,
        _(
            "This submission by %(orgs)s to the Universal Periodic Review of %(state)s covers %(period)s. "
            "For each theme it recalls the recommendations %(state)s received in earlier cycles, their status, "
            "and what the organisations documented."
        ),
        col.missing,
    )
    return Document(
        title=scope.title or _("UPR stakeholder submission: %(state)s") % {"state": scope.state_name_local},
        subtitle=_("Universal Periodic Review"),
        sections=[intro, *col.finish()],
    )


def _upr_themes(scope: Scope, col: Collector) -> bool:
    qs = _recommendations(scope)
    if qs is None:
        return False
    recs = list(qs.filter(review__mechanism__kind="upr").prefetch_related("themes", "recommending_states"))
    if not recs:
        return False
    status = _latest_status(scope, recs)
    by_theme: dict[int, list] = defaultdict(list)
    themes = {}
    for rec in recs:
        for theme in rec.themes.all():
            by_theme[theme.pk].append(rec)
            themes[theme.pk] = theme
    for theme_pk, items in sorted(by_theme.items(), key=lambda kv: str(themes[kv[0]])):
        theme: Theme = themes[theme_pk]
        key = f"theme-{theme.code}"
        col.section(key, localized(theme, "name"), (1, 0, str(theme)))
        counts = Counter(status.get(r.pk, ("no_info",))[0] for r in items)
        col.add(
            key,
            Paragraph(
                ngettext(
                    "In earlier cycles %(state)s received %(n)s recommendation on this theme.",
                    "In earlier cycles %(state)s received %(n)s recommendations on this theme.",
                    len(items),
                )
                % {"state": scope.state_name_local, "n": len(items)}
                + " "
                + _(
                    "Fully implemented: %(fully)s; partially: %(partially)s; not implemented: %(not)s; "
                    "no information: %(none)s."
                )
                % {
                    "fully": counts["fully"],
                    "partially": counts["partially"],
                    "not": counts["not"],
                    "none": counts["no_info"],
                },
                key=f"{key}-summary",
                footnotes=[_rec_footnote(items[0]), _dataset_note(scope, _("Implementation assessments"))],
                sources=[("recommendations.Recommendation", r.pk) for r in items],
            ),
        )
        rows = []
        for rec in items:
            rows.append(
                [
                    rec.upr_id or rec.paragraph or "—",
                    _rec_text(rec, scope.language)[:300],
                    ", ".join(s.name for s in rec.recommending_states.all()) or "—",
                    rec.get_response_display(),
                    _status_label(status.get(rec.pk, ("no_info",))[0]),
                ]
            )
        col.add(
            key,
            Table(
                headers=[_("No."), _("Recommendation"), _("Recommending State"), _("Response"), _("Status")],
                rows=rows,
                caption=_("Previous UPR recommendations and their status"),
                key=f"{key}-table",
                sources=[("recommendations.Recommendation", r.pk) for r in items],
            ),
        )
        for rec in items:
            code = status.get(rec.pk, ("no_info",))[0]
            if code in ("not", "partially"):
                col.add_tail(
                    key,
                    Paragraph(
                        _("Implement recommendation %(id)s: “%(text)s”.")
                        % {
                            "id": rec.upr_id or rec.paragraph or rec.pk,
                            "text": _quoted(_rec_text(rec, scope.language)),
                        },
                        key=f"{key}-rec-{rec.pk}",
                        style="recommendation",
                        footnotes=[_rec_footnote(rec)],
                        sources=[("recommendations.Recommendation", rec.pk)],
                    ),
                )
    return bool(by_theme)


def trial_report(scope: Scope, progress: Progress) -> Document:
    """The trials module's own report (findings, charts, cases, method) for the scope's cases and period."""
    Case, Hearing = scope.model("trials.Case"), scope.model("trials.Hearing")
    if Case is None or Hearing is None:
        raise _empty()
    from rightstrack.trials import findings
    from rightstrack.trials.report import build

    progress(30, _("trial monitoring"))
    case = scope.filters.get("case")
    cases = scope.records(Case)
    filters = findings.Filters(
        case=int(case) if str(case or "").isdigit() else None,
        cases=tuple(cases.values_list("pk", flat=True)),
        since=scope.period_start,
        until=scope.period_end,
    )
    if not filters.apply(Hearing.objects.all(), "date", on_answers=False).exists():
        raise _empty()
    document = build(scope.user, filters=filters)
    intro = _intro(
        scope,
        _("This report by %(orgs)s presents the monitoring of criminal trials in %(state)s, %(period)s."),
        [],
    )
    document.title = scope.title or _("Trial-monitoring report: %(state)s") % {"state": scope.state_name_local}
    document.sections.insert(0, intro)
    return document


def statement(scope: Scope, progress: Progress) -> Document:
    facts = str(scope.filters.get("facts", "")).strip()
    demands = str(scope.filters.get("demands", "")).strip()
    if not facts:
        raise InvalidInput(_("A statement needs the facts: write what happened."), field="facts")
    progress(50, _("statement"))
    orgs = ", ".join(_organisations(scope))
    place = str(scope.filters.get("place", "")).strip()
    dateline = ", ".join(p for p in (place, timezone.localdate().isoformat()) if p)
    body = [Paragraph(dateline + (f". {orgs}" if orgs else ""), numbered=False, key="statement-dateline")]
    for i, text in enumerate(p.strip() for p in facts.split("\n\n") if p.strip()):
        body.append(Paragraph(text, key=f"statement-fact-{i + 1}"))
    sections = [Section(title=_("What happened"), key="facts", blocks=body)]
    if demands:
        sections.append(
            Section(
                title=_("Our demands"),
                key="demands",
                blocks=[
                    Paragraph(line.strip(" -•\t"), key=f"statement-demand-{i + 1}", style="recommendation")
                    for i, line in enumerate(ln for ln in demands.splitlines() if ln.strip())
                ],
            )
        )
    return Document(title=scope.title or _("Public statement"), sections=sections)


GENERATORS: dict[str, Callable[[Scope, Progress], Document]] = {
    ReportKind.SHADOW_ICCPR: shadow_iccpr,
    ReportKind.UPR: upr_submission,
    ReportKind.TRIAL: trial_report,
    ReportKind.STATEMENT: statement,
}


def generate(scope: Scope, progress: Progress | None = None) -> Document:
    """Build the document for `scope` in the report's language (section titles, sentences, labels)."""
    if scope.kind not in GENERATORS:
        raise InvalidInput(_("Unknown report type."), field="kind")
    with translation.override(scope.language):
        document = GENERATORS[scope.kind](scope, progress or (lambda pct, note: None))
        document.language = scope.language
        document.synthetic = scope.synthetic
        document.authors = scope.authors or _organisations(scope)
        document.date = timezone.localdate().isoformat()
        document.word_limit = scope.word_limit or WORD_LIMITS.get(scope.kind)
    return document
