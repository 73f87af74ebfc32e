"""Demo reports: shadow reports and UPR submissions in English, Russian and Kazakh from the demo data, one published.

Everything is synthetic and labelled so in every rendered format.
"""

from __future__ import annotations

import logging

from rightstrack.core.errors import DomainError

from . import actions
from .models import ReportDefinition, ReportKind

logger = logging.getLogger(__name__)

DEMO_REPORTS = [
    # title, kind, language, filters, publish
    ("Alternative report to the Human Rights Committee (synthetic demo)", ReportKind.SHADOW_ICCPR, "en", {}, False),
    (
        "Альтернативный доклад Комитету по правам человека (синтетические данные)",
        ReportKind.SHADOW_ICCPR,
        "ru",
        {},
        False,
    ),
    ("Представление к УПО (синтетические данные)", ReportKind.UPR, "ru", {}, False),
    ("ӘМШ-ға мүдделі тараптардың материалдары (синтетикалық деректер)", ReportKind.UPR, "kk", {}, False),
    ("UPR stakeholder submission (synthetic demo)", ReportKind.UPR, "en", {}, False),
    (
        "Public edition: alternative report (synthetic demo)",
        ReportKind.SHADOW_ICCPR,
        "en",
        {"public_only": True},
        True,
    ),
]


def load(ctx) -> None:
    coordinator = ctx.users["coordinator"]
    coalition = ctx.organisations["coalition"]
    for title, kind, language, filters, publish in DEMO_REPORTS:
        report = ReportDefinition.objects.filter(organisation=coalition, title=title).first()
        if report is None:
            report = actions.create_report(
                coordinator,
                organisation=coalition,
                title=title,
                kind=kind,
                language=language,
                filters=filters,
                is_synthetic=True,
            )
        try:
            actions.build_now(coordinator, report)
            if publish:
                actions.publish(coordinator, report, accept_unsourced=True)
        except DomainError as exc:
            # The other modules' demo data may not be there yet: the demo still loads, the report says why.
            logger.warning("demo report %r not built/published: %s", title, exc.message)
