import csv
import io

from openpyxl import load_workbook

from rightstrack.core.charts import bar_chart, line_chart
from rightstrack.core.exports import csv_bytes, download, safe_cell, xlsx_bytes


def test_bar_chart_has_svg_png_alt_and_rows():
    chart = bar_chart(["Almaty", "Taraz"], [12, 3], title="Hearings", unit="hearings")
    assert chart.svg.lstrip().startswith(b"<?xml") and chart.png.startswith(b"\x89PNG")
    assert chart.data_uri.startswith("data:image/svg+xml;base64,")
    assert "Almaty 12 hearings" in chart.alt and chart.rows == [("Almaty", 12), ("Taraz", 3)]
    assert bar_chart(["Almaty", "Taraz"], [12, 3], title="Hearings", unit="hearings").svg == chart.svg


def test_line_chart_marks_partial_periods():
    chart = line_chart(
        {"Official": [("2021", 10), ("2022", 8)], "NGO": [("2021", 30), ("2022", 25)]}, title="Cases", partial=["2022"]
    )
    assert "partial" in chart.alt or "(* partial period)" in chart.title + chart.svg.decode()
    assert ("NGO", "2022", 25) in chart.rows


def test_safe_cell_neutralises_formulas():
    assert safe_cell('=HYPERLINK("http://x","y")') == '\'=HYPERLINK("http://x","y")'
    assert safe_cell("+1") == "'+1" and safe_cell("@SUM(A1)") == "'@SUM(A1)" and safe_cell("-2") == "'-2"
    assert safe_cell(-2) == -2 and safe_cell(None) == "" and safe_cell(True) == "yes"
    assert safe_cell("Закон") == "Закон"


def test_csv_and_xlsx_escape_cells():
    rows = [["=cmd|' /C calc'!A0", 5, "Казахстан"]]
    text = csv_bytes(["a", "b", "c"], rows).decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(text)))[1] == ["'=cmd|' /C calc'!A0", "5", "Казахстан"]
    sheet = load_workbook(io.BytesIO(xlsx_bytes(["a", "b", "c"], rows))).active
    assert [c.value for c in sheet[2]] == ["'=cmd|' /C calc'!A0", 5, "Казахстан"]
    response = download(["a"], [[1]], filename="x", fmt="xlsx")
    assert response["Content-Disposition"] == 'attachment; filename="x.xlsx"'
    assert download(["a"], [[1]], filename="x", fmt="bogus")["Content-Disposition"].endswith('.csv"')
