"""CSV and XLSX downloads. Every cell goes through `safe_cell`, so a spreadsheet never runs a formula
that came from data (`=HYPERLINK(…)`, `+cmd`, `@SUM`…)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from typing import Any

from django.http import HttpResponse

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Imports refuse cells starting like a formula; "-" is allowed there ("-5", "- a list item" are ordinary text).
IMPORT_FORMULA_START = ("=", "+", "@", "\t", "\r")


def is_formula(value: Any) -> bool:
    """True for an imported cell a spreadsheet would run as a formula (refused by every importer)."""
    return isinstance(value, str) and value.startswith(IMPORT_FORMULA_START)


def safe_cell(value: Any) -> Any:
    """Numbers stay numbers; text that a spreadsheet would read as a formula gets a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return value
    # Control characters break XLSX (openpyxl refuses them) and mean nothing in a cell.
    text = CONTROL.sub("", str(value))
    return "'" + text if text.startswith(FORMULA_START) else text


def csv_bytes(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode()  # BOM: Excel then reads UTF-8 (Cyrillic) correctly


def xlsx_bytes(headers: Sequence[str], rows: Iterable[Sequence[Any]], *, sheet: str = "Data") -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(sheet[:31])
    worksheet.append(list(headers))
    for row in rows:
        worksheet.append([safe_cell(v) for v in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def download(headers: Sequence[str], rows: Iterable[Sequence[Any]], *, filename: str, fmt: str) -> HttpResponse:
    """A CSV (`fmt="csv"`) or XLSX (`fmt="xlsx"`) attachment."""
    if fmt == "xlsx":
        content = xlsx_bytes(headers, rows)
        mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        content, mime, fmt = csv_bytes(headers, rows), "text/csv; charset=utf-8", "csv"
    response = HttpResponse(content, content_type=mime)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
