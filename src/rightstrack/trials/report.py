"""The trial-monitoring report, built as a `reports.document.Document` that a renderer turns into HTML, DOCX, …

Everything in it is computed from what the user may see: counts, findings, charts and the list of cases.
"""

from __future__ import annotations

import datetime

from django.http import HttpResponse
from django.utils.translation import gettext as _

from rightstrack.core import visibility
from rightstrack.core.charts import Chart, bar_chart, line_chart
from rightstrack.core.errors import InvalidInput
from rightstrack.reports.document import Document, Figure, Paragraph, Section, Table

from . import findings, queries
from .checklists import current_checklist
from .models import Case, Checklist, Defendant

FORMATS = ("html", "docx", "pdf", "md")


def findings_charts(
    user, rows: list[findings.Finding], derived: list[findings.Finding], filters: findings.Filters | None = None
) -> list[Chart]:
    """A bar chart of the derived findings and a time series of them by quarter (empty when nothing counts)."""
    charts = []
    # Rates based on too few observations are left out of charts (the tables say "too few to report").
    shown = [f for f in derived if f.kind == "derived" and f.total.reportable_percent is not None]
    if shown:
        charts.append(
            bar_chart(
                [f.code for f in shown],
                [f.total.reportable_percent or 0 for f in shown],
                title=_("Derived findings (per cent of units where observed)"),
                unit="%",
            )
        )
        by_quarter = findings.derived_findings(user, breakdown=["period"], period="quarter", filters=filters)
        series = {
            f.code: [(k, f.by[k].reportable_percent) for k in sorted(f.by) if f.by[k].reportable_percent is not None]
            for f in by_quarter
            if f.kind == "derived"
        }
        series = {k: v for k, v in series.items() if v}
        quarters = sorted({p for v in series.values() for p, _x in v})
        if len(quarters) > 1:
            # Every quarter of the range is on the axis: one without enough data is a gap, not a joined line.
            charts.append(
                line_chart(
                    series,
                    title=_("Derived findings by quarter (%)"),
                    unit="%",
                    periods=quarter_range(quarters[0], quarters[-1]),
                )
            )
    return charts


def quarter_range(first: str, last: str) -> list[str]:
    """Every quarter from `first` to `last` ("2022-Q3" … "2023-Q2")."""
    year, quarter = int(first[:4]), int(first[-1])
    out = []
    while True:
        label = f"{year}-Q{quarter}"
        out.append(label)
        if label >= last or len(out) > 400:
            return out
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)


def build(user, case: Case | None = None, filters: findings.Filters | None = None) -> Document:
    """The report for the programme (every case the user may see), for one case, or for `filters`.

    The reports module passes filters (its period and the cases of the chosen organisations); every block
    names those cases as its sources so that its publication check can tell what is not public.
    """
    filters = filters or findings.Filters(case=case.pk if case else None)
    counts = findings.summary(user, filters)
    rows = findings.indicator_findings(user, filters=filters)
    derived = findings.derived_findings(user, filters=filters)
    cases = queries.cases(user).order_by("number")
    if filters.case:
        cases = cases.filter(pk=filters.case)
    if filters.cases is not None:
        cases = cases.filter(pk__in=filters.cases)
    cases = list(cases)
    title = _("Trial monitoring report") if case is None else _("Trial monitoring report: case %s") % case.number
    answers = findings.counted_answers(user, filters).values_list("hearing_date", flat=True)
    first, last = answers.order_by("hearing_date").first(), answers.order_by("-hearing_date").first()
    document = Document(
        title=title,
        subtitle=_("Hearings observed from %(first)s to %(last)s") % {"first": first, "last": last} if first else "",
        date=datetime.date.today().isoformat(),
        synthetic=any(c.is_synthetic for c in cases),
    )
    document.sections.append(_summary(counts, derived))
    document.sections.append(_by_right(rows))
    if any(f.total.d for f in derived):
        document.sections.append(_derived(user, derived, filters))
    document.sections.append(_cases(user, cases, filters))
    sources = [("trials.Case", c.pk) for c in cases]
    for section in document.sections:
        for block in _blocks(section):
            block.sources = list(sources)
    document.sections.append(_methodology())  # states no facts about cases
    return document


def _blocks(section: Section):
    yield from section.blocks
    for sub in section.subsections:
        yield from _blocks(sub)


def _summary(counts: dict[str, int], derived: list[findings.Finding]) -> Section:
    section = Section(title=_("Summary"), key="summary")
    section.blocks.append(
        Paragraph(
            _(
                "Hearings observed: %(hearings)d. Cases: %(cases)d. Defendants: %(defendants)d. Courts: %(courts)d. "
                "Figures count only observations that a coordinator reviewed."
            )
            % counts,
            key="summary-counts",
        )
    )
    for f in derived:
        if f.total.d:
            section.blocks.append(Paragraph(f.text(), key=f"summary-{f.key}"))
    return section


def _by_right(rows: list[findings.Finding]) -> Section:
    section = Section(title=_("Findings by fair-trial right"), key="rights")
    groups: dict[str, list[findings.Finding]] = {}
    for f in rows:
        if f.kind == "concern":
            groups.setdefault(f.group, []).append(f)
    empty = []
    for group, items in groups.items():
        observed = [f for f in items if f.total.d]
        if not observed:
            empty.append(group)
            continue
        sub = Section(title=group, key=f"group-{items[0].code.split('-')[0]}")
        for f in observed:
            sub.blocks.append(Paragraph(f"{f.code}. {f.text()}", key=f"finding-{f.key}"))
        sub.blocks.append(
            Table(
                headers=[_("Indicator"), _("Concern"), _("Where observed"), "%", _("Excluded")],
                rows=[
                    [
                        f.code,
                        str(f.total.n),
                        str(f.total.d),
                        _("too few to report")
                        if f.total.too_few
                        else (f"{f.total.percent:g}" if f.total.percent is not None else "—"),
                        str(f.total.excluded),
                    ]
                    for f in observed
                ],
                caption=_("%s: answers signalling a concern, of those where it was observed") % group,
            )
        )
        charted = [f for f in observed if f.total.reportable_percent is not None]
        if any(f.total.n for f in charted):
            chart = bar_chart(
                [f.code for f in charted], [f.total.reportable_percent or 0 for f in charted], title=group, unit="%"
            )
            sub.blocks.append(Figure(chart=chart, caption=chart.alt))
        section.subsections.append(sub)
    if empty:
        section.blocks.append(Paragraph(_("No reviewed answers yet for: %s.") % "; ".join(empty), style="note"))
    return section


def _derived(user, derived: list[findings.Finding], filters) -> Section:
    section = Section(title=_("Key findings"), key="derived")
    shown = [f for f in derived if f.total.d]
    section.blocks.append(
        Table(
            headers=[_("Finding"), _("Result"), _("Units"), _("Excluded")],
            rows=[
                [
                    f.label,
                    (f"{f.total.median:g}" if f.kind == "median" else f"{f.total.n} / {f.total.d}")
                    + (" · " + _("too few to report") if f.total.too_few else ""),
                    f.unit,
                    str(f.total.excluded),
                ]
                for f in shown
            ],
        )
    )
    for chart in findings_charts(user, [], derived, filters):
        section.blocks.append(Figure(chart=chart, caption=chart.alt))
    return section


def _cases(user, cases: list[Case], filters) -> Section:
    section = Section(title=_("Cases monitored"), key="cases")
    hearings = dict(
        findings.counted_answers(user, filters)
        .order_by()
        .values("case_id")
        .annotate(n=findings.Count("hearing_id", distinct=True))
        .values_list("case_id", "n")
    )
    defendants = dict(
        visibility.visible(user, Defendant)
        .filter(case__in=[c.pk for c in cases])
        .order_by()
        .values("case_id")
        .annotate(n=findings.Count("pk"))
        .values_list("case_id", "n")
    )
    section.blocks.append(
        Table(
            headers=[
                _("Case"),
                _("Court"),
                _("Charges"),
                _("Context"),
                _("Status"),
                _("Defendants"),
                _("Hearings observed"),
            ],
            rows=[
                [
                    c.number,
                    str(c.court),
                    c.charges,
                    c.context,
                    c.get_status_display(),
                    str(defendants.get(c.pk, 0)),
                    str(hearings.get(c.pk, 0)),
                ]
                for c in cases
            ],
        )
    )
    return section


def _methodology() -> Section:
    checklist = current_checklist()
    versions = ", ".join(str(c) for c in Checklist.objects.order_by("key", "version"))
    section = Section(title=_("Methodology"), key="method")
    method = checklist.method or {}
    for key in ("monitors", "analysts"):
        if method.get(key):
            section.blocks.append(Paragraph(str(method[key]), key=f"method-{key}"))
    section.blocks.append(
        Paragraph(
            _(
                'Each figure reads "n of d where observed": answers "not observed" and "not applicable" and missing '
                "answers are left out of the denominator, and the number of units left out is given. When two monitors "
                "observed the same hearing, both observations are kept and the one a coordinator accepted last counts."
            ),
            key="method-denominators",
        )
    )
    section.blocks.append(
        Paragraph(
            _("Checklist versions: %s. Only questions that stayed the same across versions are pooled.") % versions,
            key="method-versions",
        )
    )
    return section


def download(user, case: Case | None, fmt: str) -> HttpResponse:
    """The report as a file from the shared renderer (html, docx, pdf, md)."""
    if fmt not in FORMATS:
        raise InvalidInput(_("Unknown format. Choose one of: %s.") % ", ".join(FORMATS), field="fmt")
    document = build(user, case)
    from rightstrack.reports.render import render

    content, content_type, extension = render(document, fmt)
    response = HttpResponse(content, content_type=content_type)
    name = "trial-report" if case is None else f"trial-report-{case.pk}"
    response["Content-Disposition"] = f'attachment; filename="{name}.{extension}"'
    return response
