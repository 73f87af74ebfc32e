"""Building blocks for the shadow report: the "claims vs evidence" table and series figures.

Report generators (reports app) call these with the report author; everything read goes through the
same visibility rules as the pages, so a report never shows what its author cannot see.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from rightstrack.evidence.citing import citation_text
from rightstrack.reports.document import Figure, Table

from . import queries
from .exports import evidence_text, figure_text
from .models import Indicator, SpeakerKind
from .templatetags.claims_tags import pct


def claims_vs_evidence_table(
    user, *, theme: str = "", article: int | None = None, speaker_kind: str = SpeakerKind.STATE
) -> Table:
    """One row per claim, biggest gap first: what was said, by whom, the independent figures, the verdict."""
    unique: dict[int, queries.ClaimRow] = {}
    for group in queries.discrepancies(user, theme=theme, article=article, speaker_kind=speaker_kind):
        for row in group.claims:
            unique.setdefault(row.claim.pk, row)  # a claim filed under several groups appears once
    rows = []
    for row in queries.sort_claims(list(unique.values())):
        claim, verdict = row.claim, row.verdict
        said = ", ".join(x for x in (claim.get_speaker_kind_display(), claim.speaker, claim.forum) if x)
        quoted = "; ".join(citation_text(c.passage) for c in row.passages)
        rows.append(
            [
                claim.text + (f" [{quoted}]" if quoted else ""),
                f"{said}, {claim.date:%Y-%m-%d}",
                "; ".join(figure_text(c.figure) for c in row.comparisons) or "—",
                evidence_text(row) or _("no independent figure"),
                pct(row.gap),
                (verdict.get_rating_display() + ": " + verdict.rationale) if verdict else _("no reviewed verdict"),
            ]
        )
    extra = {}
    if "sources" in Table.__dataclass_fields__:  # the report model lists the records a block states facts from
        sources = [("claims.Claim", row.claim.pk) for row in unique.values()]
        sources += sorted(
            {("claims.DataPoint", e.point.pk) for row in unique.values() for c in row.comparisons for e in c.evidence}
        )
        extra = {"sources": sources, "key": "claims-vs-evidence"}
    return Table(
        headers=[_("Claim"), _("Said by"), _("Figures"), _("Independent evidence"), _("Gap"), _("Verdict")],
        rows=rows,
        caption=_("State claims and the evidence, largest discrepancy first"),
        **extra,
    )


def series_figure(user, indicator: Indicator) -> Figure | None:
    """The official vs independent chart of an indicator, or None when it has no visible figures."""
    data = queries.series(user, indicator)
    if data.chart is None:
        return None
    caption = indicator.name
    if data.partial:
        caption += " — " + _("partial periods: %(periods)s") % {"periods": ", ".join(data.partial)}
    extra = {}
    if "sources" in Figure.__dataclass_fields__:
        extra = {"sources": [("claims.DataPoint", p.pk) for p in data.points], "key": f"claims-series-{indicator.pk}"}
    return Figure(chart=data.chart, caption=caption, **extra)
