"""Generators: a report scope → a `Document`, from whatever the domain modules hold.

Each module (recommendations, trials, incidents, claims) is read by a provider that may find its app
missing, not migrated yet, or empty: the report then says so in a note instead of failing. Every paragraph
carries a stable `key` (so manual edits survive regeneration), its `sources` (for the publication check)
and footnotes for its figures.
"""

from __future__ import annotations

import logging
import re
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import FieldError
from django.db import DatabaseError, transaction
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from rightstrack.core.charts import bar_chart
from rightstrack.core.errors import InvalidInput
from rightstrack.core.models import IccprArticle, Organisation, Theme, localized

from .document import Document, Figure, Footnote, Paragraph, Section, Table
from .models import WORD_LIMITS, ReportKind
from .prose import date_text, quotable, shortened, state_name
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
    start, end = date_text(scope.period_start), date_text(scope.period_end)
    if start and end:
        return _("from %(start)s to %(end)s") % {"start": start, "end": end}
    if start:
        return _("since %(start)s") % {"start": start}
    if end:
        return _("until %(end)s") % {"end": end}
    return _("the whole period on record")


def _organisations(scope: Scope) -> list[str]:
    return list(Organisation.objects.filter(pk__in=scope.org_ids).values_list("name", flat=True))


def _dataset_note(scope: Scope, what: str) -> Footnote:
    """A footnote for a figure computed from the organisations' own database."""
    names = ", ".join(_organisations(scope)) or _("public records")
    return Footnote(
        _("%(what)s, RightsTrack database of %(orgs)s, %(period)s, extracted %(date)s.")
        % {"what": what, "orgs": names, "period": _period_text(scope), "date": date_text(timezone.localdate())}
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
#
# A shadow report speaks for the coalition: counts and wording use the latest civil-society assessment of each
# recommendation; the State's own latest assessment is quoted next to it where it says something else.

UNASSESSED = "unassessed"  # no civil-society assessment: counted apart, never as "no information"


@dataclass
class Standing:
    """Where a recommendation stands: the latest civil-society and the latest State assessment (either may lack)."""

    civil: Any = None
    state: Any = None

    @property
    def code(self) -> str:
        """What the report counts: the coalition's own finding."""
        return self.civil.status if self.civil is not None else UNASSESSED

    @property
    def differs(self) -> bool:
        return self.civil is not None and self.state is not None and self.state.status != self.civil.status

    def assessments(self) -> list:
        return [a for a in (self.civil, self.state) if a is not None]

    def merged(self, other: Standing) -> Standing:
        """The latest of each side over several recommendations (one that recurs cycle after cycle)."""
        return Standing(civil=_later(self.civil, other.civil), state=_later(self.state, other.state))


def _later(a, b):
    if a is None or b is None:
        return a or b
    return b if (b.date, b.pk) > (a.date, a.pk) else a


def _standings(scope: Scope, recommendations) -> dict[int, Standing]:
    """Each recommendation's latest visible civil-society and State assessments: pk → Standing."""
    Assessment = scope.model("recommendations.Assessment")
    if Assessment is None:
        return {}
    from rightstrack.recommendations.models import CIVIL_SOCIETY, AssessorKind

    out: dict[int, Standing] = defaultdict(Standing)
    rows = scope.records(Assessment).filter(recommendation__in=recommendations).order_by("date", "pk")
    for assessment in rows:
        standing = out[assessment.recommendation_id]
        if assessment.assessor_kind in CIVIL_SOCIETY:
            standing.civil = assessment
        elif assessment.assessor_kind == AssessorKind.STATE:
            standing.state = assessment
    return out


def _civil_phrase(code: str) -> str:
    return {
        "fully": _("the coalition finds it fully implemented"),
        "partially": _("the coalition finds it partially implemented"),
        "not": _("the coalition finds it not implemented"),
    }.get(code, _("the coalition has no information on its implementation"))


def _state_phrase(code: str) -> str:
    return {
        "fully": _("the State reports full implementation"),
        "partially": _("the State reports partial implementation"),
        "not": _("the State reports that it is not implemented"),
    }.get(code, _("the State reports no information"))


def _when_who(assessment) -> str:
    """ "(KIBHR, 1 June 2025)": who assessed (when named) and when."""
    return "(" + ", ".join(p for p in (assessment.assessor_name.strip(), date_text(assessment.date)) if p) + ")"


def _standing_text(standing: Standing) -> str:
    """One sentence: whose finding, by whom and when; the State's position where it differs."""
    civil, state = standing.civil, standing.state
    civil_part = _civil_phrase(civil.status) + " " + _when_who(civil) if civil is not None else ""
    state_part = _state_phrase(state.status) + f" ({date_text(state.date)})" if state is not None else ""
    if civil is None:
        parts = [_("not assessed by the coalition"), state_part]
    elif state is None:
        parts = [civil_part]
    elif standing.differs:
        parts = [state_part, civil_part]
    else:
        parts = [civil_part, _("the State's own assessment agrees (%(date)s)") % {"date": date_text(state.date)}]
    return capfirst("; ".join(p for p in parts if p)) + "."


def _status_cell(assessment) -> str:
    """A table cell: the status, who assessed it and when."""
    return "—" if assessment is None else f"{_status_label(assessment.status)} {_when_who(assessment)}"


def _counts_text(standings: list[Standing]) -> str:
    """The coalition's findings counted; recommendations it has not assessed are counted apart."""
    counts = Counter(s.code for s in standings)
    labels = [
        ("fully", _("%(n)s fully implemented")),
        ("partially", _("%(n)s partially implemented")),
        ("not", _("%(n)s not implemented")),
        ("no_info", _("%(n)s with no information")),
        (UNASSESSED, _("%(n)s not assessed by the coalition")),
    ]
    parts = ", ".join(label % {"n": counts[code]} for code, label in labels if counts[code])
    text = _("By the coalition's latest assessments: %(parts)s.") % {"parts": parts}
    differing = sum(1 for s in standings if s.differs)
    if differing and len(standings) == 1:
        text += " " + _("The State's own assessment differs.")
    elif differing:
        text += " " + ngettext(
            "The State's own assessment differs for %(n)s of them.",
            "The State's own assessment differs for %(n)s of them.",
            differing,
        ) % {"n": differing}
    return text


def _status_label(code: str) -> str:
    from rightstrack.recommendations.models import Status

    return str(Status(code).label) if code in Status.values else _("not assessed by the coalition")


# A paragraph reference worth printing: "27", "12(b)", "¶ 27", "para. 4" (not a section title stored there).
_PARA_LABEL = re.compile(r"^\s*(?:¶|para\.?|п\.)?\s*(\d[\w.()-]{0,11})\s*$", re.IGNORECASE)


def _cited_passages(scope: Scope, records) -> dict[int, list]:
    """The passages each record cites that the report may quote, in document order: record pk → passages."""
    records = list(records)
    if not records or scope.model("evidence.Citation") is None:
        return {}
    from django.contrib.contenttypes.models import ContentType

    from rightstrack.evidence.models import Citation, Passage

    pairs = Citation.objects.filter(
        content_type=ContentType.objects.get_for_model(records[0]), object_id__in=[r.pk for r in records]
    ).values_list("object_id", "passage_id")
    wanted = {pid for _o, pid in pairs}
    passages = {
        p.pk: p for p in scope.records(Passage).filter(pk__in=wanted, is_heading=False).select_related("document")
    }
    out: dict[int, list] = defaultdict(list)
    for object_id, passage_id in sorted(pairs, key=lambda op: (op[0], op[1])):
        if passage_id in passages:
            out[object_id].append(passages[passage_id])
    for items in out.values():
        items.sort(key=lambda p: (p.document_id, p.number))
    return out


def _where(passage) -> str:
    """ "Symbol or title, para. 27" (or "p. 4"). A passage with neither label nor page is cited by its document
    alone: RightsTrack's own passage numbers mean nothing to a reader of the report (the quotation finds it)."""
    from rightstrack.evidence.citing import citation_text, document_name

    if passage.label or passage.page:
        return citation_text(passage)
    return document_name(passage.document).rstrip(" .")


def _passage_footnote(passage, author: str = "") -> Footnote:
    text = _where(passage)
    return Footnote(f"{author}, {text}." if author else f"{text}.", passage_id=passage.pk)


def _rec_footnotes(rec, passages: list) -> list[Footnote]:
    """Where a recommendation is written: "Symbol or title, para. N" from the passage it was taken from, with
    the passage's own label; without one, the UPR ID or a real paragraph number; else the document alone."""
    review = rec.review
    author = "" if review.is_un else review.author
    if passages:
        return [_passage_footnote(p, author) for p in passages]
    where = review.symbol or _review_name(review)
    if not review.is_un:
        # A document by an organisation is cited by its author and date, never as a UN body's review.
        where = ", ".join(p for p in (review.author, review.symbol or review.title, date_text(review.date)) if p)
    if rec.upr_id:
        return [Footnote(_("%(doc)s, recommendation %(id)s.") % {"doc": where, "id": rec.upr_id})]
    label = _PARA_LABEL.match(rec.paragraph or "")
    if label:
        return [Footnote(_("%(doc)s, para. %(para)s.") % {"doc": where, "para": label.group(1)})]
    return [Footnote(f"{where}.")]


def _review_name(review) -> str:
    """A UN review without a symbol, named in the report's language: "Комитет по правам человека · Казахстан · …"."""
    parts = [str(review.mechanism), state_name(review.state.name, translation.get_language() or "en")]
    if review.cycle:
        parts.append(_("cycle %(n)s") % {"n": review.cycle})
    elif review.session:
        parts.append(_("session %(s)s") % {"s": review.session})
    return " · ".join(parts)


def _assessment_footnotes(standing: Standing, passages: dict[int, list]) -> list[Footnote]:
    """The evidence the coalition's finding (and the State's differing position) rests on."""
    notes = []
    for assessment in standing.assessments():
        if assessment is standing.state and not standing.differs:
            continue
        cited = passages.get(assessment.pk, [])
        if cited:
            notes += [_passage_footnote(p) for p in cited]
        else:
            who = _("the State") if assessment.assessor_kind == "state" else _("the coalition")
            notes.append(Footnote(_("Assessment by %(who)s") % {"who": who} + f" {_when_who(assessment)}."))
    return notes


def _rec_sources(recs, standings: list[Standing], notes: list[Footnote]) -> list[tuple[str, int]]:
    """Every record the paragraph quotes: recommendations, their sources, assessments and cited passages."""
    sources = [("recommendations.Recommendation", r.pk) for r in recs]
    sources += sorted({("recommendations.Review", r.review_id) for r in recs})
    sources += [("recommendations.Assessment", a.pk) for s in standings for a in s.assessments()]
    sources += [("evidence.Passage", n.passage_id) for n in notes if n.passage_id]
    return list(dict.fromkeys(sources))


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


def _made_by(rec, language: str) -> str:
    """Who made a recommendation: at the UPR, the recommending States; otherwise the mechanism or the author."""
    review = rec.review
    if review.is_un and review.mechanism.kind == "upr":
        states = [state_name(st.name, language) for st in rec.recommending_states.all()]
        if states:
            return ", ".join(states)
    return review.made_by


def _recommendation_paragraph(scope: Scope, group: list, standing: Standing, cited: dict, key: str) -> Paragraph:
    """“Recommendation of <who>: “<text>”. <whose finding, and the State's position>.” with true footnotes."""
    made_by = ", ".join(dict.fromkeys(_made_by(r, scope.language) for r in group))
    notes = [n for r in group for n in _rec_footnotes(r, cited["rec"].get(r.pk, []))]
    notes += _assessment_footnotes(standing, cited["assessment"])
    return Paragraph(
        _("Recommendation (%(who)s): “%(text)s”.") % {"who": made_by, "text": quotable(group[0].text)}
        + " "
        + _standing_text(standing),
        key=key,
        style="recommendation",
        footnotes=_unique(notes),
        sources=_rec_sources(group, [standing], notes),
    )


def _unique(notes: list[Footnote]) -> list[Footnote]:
    seen, out = set(), []
    for note in notes:
        if note.text not in seen:
            seen.add(note.text)
            out.append(note)
    return out


def _citations(scope: Scope, recs, standings: dict[int, Standing]) -> dict[str, dict[int, list]]:
    return {
        "rec": _cited_passages(scope, recs),
        "assessment": _cited_passages(scope, [a for s in standings.values() for a in s.assessments()]),
    }


def recommendations_by_article(scope: Scope, col: Collector) -> bool:
    qs = _recommendations(scope)
    if qs is None:
        return False
    recs = list(qs.prefetch_related("articles", "recommending_states"))
    if not recs:
        return False
    standings = _standings(scope, recs)
    cited = _citations(scope, recs, standings)
    by_article: dict[int, list] = defaultdict(list)
    for rec in recs:
        for article in rec.articles.all():
            by_article[article.number].append(rec)
    wanted = set(scope.filters.get("articles") or [])
    for number, items in sorted(by_article.items()):
        if wanted and number not in wanted:
            continue
        key = _article_section(col, number)
        item_standings = [standings.get(r.pk, Standing()) for r in items]
        mechanisms = sorted({r.review.made_by for r in items})
        notes = [n for r in items[:3] for n in _rec_footnotes(r, cited["rec"].get(r.pk, []))]
        notes += [_dataset_note(scope, _("Implementation assessments"))]
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
                + _counts_text(item_standings),
                key=f"{key}-recommendations-summary",
                footnotes=_unique(notes),
                sources=_rec_sources(items, item_standings, notes),
            ),
        )
        # The same recommendation often comes back cycle after cycle: one paragraph, one footnote per source.
        groups: dict[str, list] = defaultdict(list)
        for rec in items:
            groups[quotable(rec.text).lower()].append(rec)
        for group in groups.values():
            standing = Standing()
            for rec in group:
                standing = standing.merged(standings.get(rec.pk, Standing()))
            if standing.code == "fully":
                continue
            col.add_tail(key, _recommendation_paragraph(scope, group, standing, cited, f"{key}-rec-{group[0].pk}"))
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
                "Criminal cases followed by monitors: %(cases)s; courts: %(courts)s; "
                "hearings held %(period)s: %(hearings)s."
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
    claims = [c for c in claims if c.pk in verdicts]
    said_in = _cited_passages(scope, claims)
    rests_on = _cited_passages(scope, list(verdicts.values()))
    for claim in claims:
        verdict = verdicts[claim.pk]
        key = _article_section(col, claim.article.number)
        # Where and when it was said (the passage of the record of the meeting), then what the verdict rests on.
        when = date_text(claim.date)
        notes = [Footnote(f"{_where(p)}, {when}.", passage_id=p.pk) for p in said_in.get(claim.pk, [])]
        notes = notes or [Footnote(", ".join(p for p in (claim.forum.rstrip(" ."), when) if p) + ".")]
        notes += [_passage_footnote(p) for p in rests_on.get(verdict.pk, [])]
        col.add(
            key,
            Paragraph(
                _("On %(date)s, %(speaker)s stated: “%(text)s”. Our assessment: %(rating)s. %(rationale)s")
                % {
                    "date": date_text(claim.date),
                    "speaker": claim.speaker or claim.get_speaker_kind_display(),
                    "text": quotable(claim.text),
                    # Lower case after the colon, as both languages write it mid-sentence.
                    "rating": _lower_first(str(verdict.get_rating_display())),
                    "rationale": verdict.rationale,
                },
                key=f"{key}-claim-{claim.pk}",
                footnotes=_unique(notes),
                sources=[("claims.Claim", claim.pk)]
                + [("evidence.Passage", n.passage_id) for n in notes if n.passage_id],
            ),
        )
    return bool(claims)


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
    standings = _standings(scope, recs)
    cited = _citations(scope, recs, standings)
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
        item_standings = [standings.get(r.pk, Standing()) for r in items]
        notes = _rec_footnotes(items[0], cited["rec"].get(items[0].pk, []))
        notes += [_dataset_note(scope, _("Implementation assessments"))]
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
                + _counts_text(item_standings),
                key=f"{key}-summary",
                footnotes=_unique(notes),
                sources=_rec_sources(items, item_standings, notes),
            ),
        )
        rows = []
        for rec, standing in zip(items, item_standings, strict=True):
            rows.append(
                [
                    rec.upr_id or rec.paragraph or "—",
                    shortened(quotable(rec.text)),
                    ", ".join(state_name(s.name, scope.language) for s in rec.recommending_states.all()) or "—",
                    rec.get_response_display(),
                    _status_cell(standing.civil) if standing.civil else _("not assessed by the coalition"),
                    _status_cell(standing.state),
                ]
            )
        col.add(
            key,
            Table(
                headers=[
                    _("No."),
                    _("Recommendation"),
                    _("Recommending State"),
                    _("Response"),
                    _("Coalition's assessment"),
                    _("State's assessment"),
                ],
                rows=rows,
                caption=_("Previous UPR recommendations and their status"),
                key=f"{key}-table",
                sources=_rec_sources(items, item_standings, []),
            ),
        )
        for rec, standing in zip(items, item_standings, strict=True):
            if standing.code in ("not", "partially", UNASSESSED):
                col.add_tail(key, _recommendation_paragraph(scope, [rec], standing, cited, f"{key}-rec-{rec.pk}"))
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
    dateline = ", ".join(p for p in (place, date_text(timezone.localdate())) if p)
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
    for paragraph in document.paragraphs():
        paragraph.text = _one_stop(paragraph.text)
        for note in paragraph.footnotes:
            note.text = _one_stop(note.text)
    return document


def _one_stop(text: str) -> str:
    """A sentence ending in an abbreviation ("1 марта 2025 г.", "para.") gets no second full stop."""
    return re.sub(r"(?<!\.)\.\.(?!\.)", ".", text)


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]
