"""Leak-harness descriptions for report routes.

Two reports of org A: a restricted one with markers everywhere (nobody without access may even open it), and an
internal one — the derived-outputs case — that a coordinator with restricted access built from the hidden
records of every module: a monitor of A without restricted access may open it, and must find every block built
from those records withheld on the page, in each download (HTML, Markdown, DOCX, PDF) and in the API.
"""

from rightstrack.core import visibility
from rightstrack.core.charts import bar_chart
from rightstrack.core.models import Confidentiality, IccprArticle
from rightstrack.reports import actions
from rightstrack.reports.models import BuildStatus, ReportBlock, ReportDefinition
from rightstrack.reports.serialize import chart_to_dict


def add_semi(world) -> None:
    # Built before the baseline from the public recommendation (the report list shows it, built); rebuilt from
    # the hidden records in add_hidden.
    world.semi["recommendation"].articles.add(IccprArticle.objects.get(number=7))
    report = actions.create_report(
        world.author, organisation=world.org_a, title="Internal shadow report", kind="shadow-iccpr"
    )
    actions.build_now(world.author, report)
    world.semi["derived_report"] = report


def _build_derived(world) -> None:
    """Build the internal report as its author (restricted access) from the hidden records, then rebuild after
    a change so the 'what changed' list quotes them too."""
    from tests.leak_harness import MARKER

    report = world.semi["derived_report"]
    rec = world.hidden["recommendation"]
    for name in ("recommendation", "inner"):
        world.hidden[name].articles.add(IccprArticle.objects.get(number=7))
    actions.build_now(world.author, report)
    type(rec).objects.filter(pk=rec.pk).update(text=world.text("text-rebuilt"))
    actions.build_now(world.author, report)
    report.refresh_from_db()
    blocks = list(report.blocks.all())
    assert any(MARKER in b.text for b in blocks), "the derived report must quote hidden records"
    assert any(MARKER in c["after"] for c in report.last_changes)
    # A table and a figure built from the hidden recommendation (the generators only make them for UPR themes).
    sources = [["recommendations.Recommendation", rec.pk]]
    section = report.outline[-1]["key"]
    chart = bar_chart([world.text("derived-label")], [1], title=world.text("derived-chart"))
    ReportBlock.objects.bulk_create(
        [
            ReportBlock(
                report=report,
                section_key=section,
                key="derived-table",
                kind="table",
                position=90,
                data={"headers": ["No."], "rows": [[world.text("derived-cell")]], "caption": world.text("dc")},
                sources=sources,
                access=visibility.access_of(sources),
            ),
            ReportBlock(
                report=report,
                section_key=section,
                key="derived-figure",
                kind="figure",
                position=91,
                data={"chart": chart_to_dict(chart), "caption": world.text("derived-caption")},
                sources=sources,
                access=visibility.access_of(sources),
            ),
        ]
    )
    world.hidden["derived_blocks"] = [b for b in report.blocks.all() if MARKER in str((b.text, b.data))]


def add_hidden(world) -> None:
    t = world.text
    report = ReportDefinition.objects.create(
        organisation=world.org_a,
        confidentiality=Confidentiality.RESTRICTED,
        title=t("report-title"),
        kind="statement",
        filters={"facts": t("facts"), "demands": t("demands"), "place": t("place")},
        outline=[{"key": "facts", "title": t("section"), "level": 1}],
        document_meta={"subtitle": t("subtitle"), "authors": [t("author")], "date": "2024-01-01"},
        build_status=BuildStatus.READY,
        progress_note=t("progress"),
        build_error=t("error"),
        last_changes=[{"change": "updated", "key": "k", "before": t("before"), "after": t("after")}],
    )
    report.organisations.set([world.org_a])
    world.hidden["report"] = report
    world.hidden["paragraph"] = ReportBlock.objects.create(
        report=report,
        section_key="facts",
        key="facts-1",
        text=t("paragraph"),
        generated_text=t("generated"),
        footnotes=[{"text": t("footnote"), "url": "", "passage_id": None}],
        sources=[["core.Person", 1]],
    )
    world.hidden["table"] = ReportBlock.objects.create(
        report=report,
        section_key="facts",
        key="facts-table",
        kind="table",
        position=1,
        data={"headers": [t("header")], "rows": [[t("cell")]], "caption": t("caption")},
    )
    chart = bar_chart([t("label")], [1], title=t("chart"))
    world.hidden["figure"] = ReportBlock.objects.create(
        report=report,
        section_key="facts",
        key="facts-figure",
        kind="figure",
        position=2,
        data={"chart": chart_to_dict(chart), "caption": t("figure-caption")},
    )
    _build_derived(world)


def _reports(w):
    return [{"pk": w.hidden["report"].pk}, {"pk": w.semi["derived_report"].pk}, {"pk": 424242}]


def _blocks(w):
    report = w.hidden["report"].pk
    derived = w.semi["derived_report"].pk
    return (
        [{"pk": report, "block_pk": w.hidden[name].pk} for name in ("paragraph", "table", "figure")]
        + [{"pk": derived, "block_pk": b.pk} for b in w.hidden["derived_blocks"]]
        + [{"pk": report, "block_pk": 424242}]
    )


FORMATS = ("html", "md", "docx", "pdf", "rtf")


def _downloads(w):
    return [{"pk": r.pk, "fmt": fmt} for r in (w.hidden["report"], w.semi["derived_report"]) for fmt in FORMATS]


def _api_reports(w):
    return [{"report_id": w.hidden["report"].pk}, {"report_id": w.semi["derived_report"].pk}]


ROUTES = {
    "reports/<int:pk>/": _reports,
    "reports/<int:pk>/edit/": _reports,
    "reports/<int:pk>/progress/": _reports,
    "reports/<int:pk>/build/": _reports,
    "reports/<int:pk>/download/<str:fmt>/": _downloads,
    "reports/<int:pk>/add/": _reports,
    "reports/<int:pk>/blocks/<int:block_pk>/edit/": _blocks,
    "reports/<int:pk>/blocks/<int:block_pk>/move/": _blocks,
    "reports/<int:pk>/blocks/<int:block_pk>/revert/": _blocks,
    "reports/<int:pk>/blocks/<int:block_pk>/delete/": _blocks,
    "reports/<int:pk>/publish/": _reports,
    "reports/<int:pk>/withdraw/": _reports,
    "api/reports/reports/<report_id>": _api_reports,
    "api/reports/reports/<report_id>/build": _api_reports,
    "api/reports/reports/<report_id>/paragraphs": _api_reports,
    "api/reports/reports/<report_id>/download/<fmt>": lambda w: [
        {**r, "fmt": fmt} for r in _api_reports(w) for fmt in ("md", "html", "docx", "pdf")
    ],
}
