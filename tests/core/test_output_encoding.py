"""Every non-HTML output carries hostile text as inert, literal text.

The same strings go through the Atom feed, CSV and XLSX exports, the report renderers (DOCX, PDF, Markdown,
HTML) and the JSON API: no live markup, no formula a spreadsheet would run, no link to `javascript:`, no
broken file because of a NUL or control character.
"""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest
from django.test import Client
from docx import Document as WordDocument
from openpyxl import load_workbook
from pypdf import PdfReader

from rightstrack.core.exports import csv_bytes, xlsx_bytes
from rightstrack.core.models import Confidentiality
from rightstrack.reports import actions
from rightstrack.reports.document import Document, Footnote, Paragraph, Section, Table
from rightstrack.reports.models import Publication
from rightstrack.reports.render import render

HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "javascript:alert(1)",
    '=HYPERLINK("http://x")',
    "+cmd|' /C calc'!A0",
    "@SUM(1)",
    "-1+1",
    "\"double\" and 'single' quotes",
    "]]> end of CDATA",
    "NUL\x00and\x07bell\x1bescape",
]
FORMULA = ("=", "+", "-", "@")
ATOM = {"a": "http://www.w3.org/2005/Atom"}


def stored(text: str) -> str:
    """The hostile string as a database can hold it (PostgreSQL refuses NUL; the actions refuse it first)."""
    return text.replace("\x00", "")


def visible(text: str) -> str:
    """What should survive of a hostile string: control characters are dropped, the rest is kept literally."""
    return "".join(c for c in text if c >= " " or c in "\n\t")


def _document(text: str) -> Document:
    return Document(
        title="Encoding",
        sections=[
            Section(
                title="Section",
                key="s",
                blocks=[
                    Paragraph(f"Before {text} after", footnotes=[Footnote(f"Note {text}", url="javascript:alert(1)")]),
                    Table(headers=["Column"], rows=[[text]], caption="Table"),
                ],
            )
        ],
    )


@pytest.fixture
def published(coordinator_a, org_a):
    from tests.reports.factories import recommendation

    recommendation(org_a, text="Investigate all allegations of torture.", article=7, paragraph="22")
    report = actions.create_report(
        coordinator_a, organisation=org_a, title="Feed", kind="shadow-iccpr", filters={"public_only": True}
    )
    actions.build_now(coordinator_a, report)
    return actions.publish(coordinator_a, report, accept_unsourced=True)


@pytest.mark.parametrize("text", HOSTILE)
def test_atom_feed_sends_plain_text(published, text):
    text = stored(text)
    Publication.objects.filter(pk=published.pk).update(summary=f"Summary {text}", title=f"Title {text}")
    response = Client().get("/public/feed.atom")
    root = ET.fromstring(response.content)  # noqa: S314 - our own feed, in a test
    entry = root.find("a:entry", ATOM)
    summary = entry.find("a:summary", ATOM)
    assert summary.get("type") == "text"  # a feed reader shows it as text, never as markup
    assert summary.text == f"Summary {visible(text)}"
    assert entry.find("a:title", ATOM).text == f"Title {visible(text)}"
    assert not list(summary)  # no child elements smuggled in


@pytest.mark.parametrize("text", HOSTILE)
def test_csv_cells_are_literal_and_never_formulas(text):
    rows = list(csv.reader(io.StringIO(csv_bytes(["h"], [[text]]).decode("utf-8-sig"))))
    cell = rows[1][0]
    assert not cell.startswith(FORMULA)
    assert visible(text) in cell or cell == "'" + visible(text)


@pytest.mark.parametrize("text", HOSTILE)
def test_xlsx_cells_are_strings_and_never_formulas(text):
    sheet = load_workbook(io.BytesIO(xlsx_bytes(["h"], [[text]]))).active
    cell = sheet.cell(row=2, column=1)
    assert cell.data_type == "s"
    assert not str(cell.value).startswith(FORMULA)
    assert str(cell.value).lstrip("'") == visible(text)


@pytest.mark.parametrize("text", HOSTILE)
def test_docx_shows_text_literally(text):
    content, _type, _ext = render(_document(text), "docx")
    word = WordDocument(io.BytesIO(content))
    body = "\n".join(p.text for p in word.paragraphs) + "\n".join(
        c.text for t in word.tables for r in t.rows for c in r.cells
    )
    assert visible(text) in body
    links = [r.target_ref for r in word.part.rels.values() if "hyperlink" in r.reltype]
    assert not any(link.lower().startswith("javascript") for link in links)


@pytest.mark.parametrize("text", HOSTILE)
def test_pdf_shows_text_literally_without_script_links(text):
    content, _type, _ext = render(_document(text), "pdf")
    reader = PdfReader(io.BytesIO(content))
    extracted = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert " ".join(visible(text).split()) in extracted
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A") or {}
            assert not str(action.get("/URI", "")).lower().startswith("javascript")
            assert action.get("/S") != "/JavaScript"


@pytest.mark.parametrize("text", HOSTILE)
def test_markdown_passes_no_raw_html(text):
    content, _type, _ext = render(_document(text), "md")
    markdown = content.decode()
    assert "<script" not in markdown and "<img" not in markdown
    assert "\x00" not in markdown and "\x1b" not in markdown
    assert "](javascript" not in markdown and "<javascript" not in markdown


@pytest.mark.parametrize("text", HOSTILE)
def test_html_download_escapes(text):
    content, _type, _ext = render(_document(text), "html")
    html = content.decode()
    assert "<script>alert" not in html and "<img src=x" not in html and 'href="javascript' not in html


@pytest.mark.parametrize("text", HOSTILE)
def test_json_api_returns_the_text_as_data(coordinator_a, org_a, text):
    text = stored(text)
    report = actions.create_report(
        coordinator_a, organisation=org_a, title="Api", kind="statement", filters={"facts": f"Facts {text}"}
    )
    actions.build_now(coordinator_a, report)
    client = Client()
    client.force_login(coordinator_a)
    response = client.get(f"/api/reports/reports/{report.pk}/paragraphs")
    assert response["Content-Type"].startswith("application/json")
    texts = [p["text"] for p in json.loads(response.content)]
    # JSON carries the text as data (control characters as \u escapes); nothing is interpreted.
    assert any(text.strip() in t or visible(text).strip() in t for t in texts)


@pytest.mark.parametrize("text", HOSTILE)
def test_recommendation_export_neutralises_cells(coordinator_a, org_a, text):
    from tests.reports.factories import recommendation

    text = stored(text)
    recommendation(org_a, text=text, article=7, paragraph="22", level=Confidentiality.INTERNAL)
    client = Client()
    client.force_login(coordinator_a)
    for fmt in ("csv", "xlsx"):
        response = client.get("/recommendations/export/", {"fmt": fmt})
        assert response.status_code == 200, fmt
        if fmt == "csv":
            cells = [c for row in csv.reader(io.StringIO(response.content.decode("utf-8-sig"))) for c in row]
        else:
            sheet = load_workbook(io.BytesIO(response.content)).active
            cells = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
            assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
        assert not any(c.startswith(FORMULA) for c in cells if not c.lstrip("-").replace(".", "").isdigit())


def test_report_text_with_nul_is_refused_not_a_server_error(coordinator_a, org_a):
    from rightstrack.core.errors import InvalidInput
    from rightstrack.reports.models import ReportDefinition

    with pytest.raises(InvalidInput):
        actions.create_report(coordinator_a, organisation=org_a, title="A\x00B", kind="statement")
    with pytest.raises(InvalidInput):
        actions.create_report(
            coordinator_a, organisation=org_a, title="T", kind="statement", filters={"facts": "A\x00B"}
        )
    assert not ReportDefinition.objects.exists()
