"""The implementation matrix (recommendation, source, response, themes, SDGs, latest State and CSO
assessments) as XLSX and DOCX. Cells pass through core.exports.safe_cell, so no formula survives."""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils.translation import gettext as _

from rightstrack.core.exports import safe_cell, xlsx_bytes

from . import queries
from .models import Recommendation

MAX_ROWS = 20_000
PREVIEW_ROWS = 100


def headers() -> list[str]:
    return [
        _("Recommendation"),
        _("Made by"),
        _("Source"),
        _("Response"),
        _("Themes"),
        _("SDGs"),
        _("Latest State assessment"),
        _("Latest civil-society assessment"),
    ]


def rows(user, qs: QuerySet[Recommendation]) -> Iterable[list[Any]]:
    if not qs.query.is_sliced:
        qs = qs[:MAX_ROWS]
    recs = list(qs.select_related("review__mechanism", "review__state").prefetch_related("themes", "sdgs"))
    latest = queries.latest_by_side(user, recs)
    for rec in recs:
        sides = latest.get(rec.pk, {})
        review = rec.review
        # Who made it comes from the source itself: a civil-society document is never credited to a UN body.
        made_by = review.made_by if review.is_un else f"{review.author} ({review.get_source_kind_display()})"
        if review.date:
            made_by += f", {review.date.isoformat()}"
        source = " · ".join(
            x for x in [review.symbol or review.title or review.session, rec.upr_id or rec.paragraph] if x
        )
        yield [
            rec.text,
            made_by,
            source,
            rec.get_response_display(),
            ", ".join(str(t) for t in rec.themes.all()),
            ", ".join(str(s.number) for s in rec.sdgs.all()),
            _cell(sides.get("state")),
            _cell(sides.get("cso")),
        ]


def _cell(a) -> str:
    if a is None:
        return "—"
    who = f" — {a.assessor_name}" if a.assessor_name else ""
    return f"{a.get_status_display()} ({a.date.isoformat()}){who}"


def xlsx(user, qs: QuerySet[Recommendation]) -> bytes:
    return xlsx_bytes(headers(), rows(user, qs), sheet=_("Matrix"))


def docx(user, qs: QuerySet[Recommendation], *, title: str) -> bytes:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Pt

    document = Document()
    section = document.sections[0]
    # A seven-column matrix needs landscape pages.
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    document.add_heading(title, level=1)
    head = headers()
    table = document.add_table(rows=1, cols=len(head))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, head, strict=True):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in rows(user, qs):
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = str(safe_cell(value))
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(8)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def download(user, qs: QuerySet[Recommendation], fmt: str) -> HttpResponse:
    if fmt == "docx":
        content = docx(user, qs, title=_("Implementation matrix"))
        mime = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    else:
        fmt = "xlsx"
        content = xlsx(user, qs)
        mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = HttpResponse(content, content_type=mime)
    response["Content-Disposition"] = f'attachment; filename="recommendation-matrix.{fmt}"'
    return response
