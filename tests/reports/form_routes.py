"""Form round-trip descriptions for report routes (see tests/form_harness.py)."""

from rightstrack.reports.models import ReportBlock, ReportDefinition

from ..form_harness import create, edit


def _paragraph(w):
    return w.first(ReportBlock, kind="paragraph", report__organisation=w.organisation, report__deleted_at=None)


ROUTES = {
    "reports/new/": create(),
    "reports/<int:pk>/edit/": edit(lambda w: w.first(ReportDefinition)),
    "reports/<int:pk>/add/": create(lambda w: {"pk": w.first(ReportDefinition).pk}),
    "reports/<int:pk>/blocks/<int:block_pk>/edit/": edit(
        _paragraph, kwargs=lambda block: {"pk": block.report_id, "block_pk": block.pk}
    ),
}
