"""Leak-harness descriptions for report routes: a restricted report of org A with markers everywhere."""

from rightstrack.core.charts import bar_chart
from rightstrack.core.models import Confidentiality
from rightstrack.reports.models import BuildStatus, ReportBlock, ReportDefinition
from rightstrack.reports.serialize import chart_to_dict


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


def _reports(w):
    return [{"pk": w.hidden["report"].pk}, {"pk": 424242}]


def _blocks(w):
    report = w.hidden["report"].pk
    return [{"pk": report, "block_pk": w.hidden[name].pk} for name in ("paragraph", "table", "figure")] + [
        {"pk": report, "block_pk": 424242}
    ]


def _downloads(w):
    return [{"pk": w.hidden["report"].pk, "fmt": fmt} for fmt in ("html", "md", "docx", "pdf", "rtf")]


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
    "api/reports/reports/<report_id>": lambda w: [{"report_id": w.hidden["report"].pk}],
    "api/reports/reports/<report_id>/build": lambda w: [{"report_id": w.hidden["report"].pk}],
    "api/reports/reports/<report_id>/paragraphs": lambda w: [{"report_id": w.hidden["report"].pk}],
    "api/reports/reports/<report_id>/download/<fmt>": lambda w: [
        {"report_id": w.hidden["report"].pk, "fmt": fmt} for fmt in ("md", "html")
    ],
}
