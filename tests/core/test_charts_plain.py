"""Plain SVG charts (written without matplotlib) and PNGs drawn only when a document asks for them."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from rightstrack.core import charts
from rightstrack.core.charts import bar_chart, line_chart

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def no_matplotlib_svg(monkeypatch):
    """Fail if matplotlib is asked to save anything but a PNG."""
    save = charts._save

    def png_only(figure, fmt):
        assert fmt == "png", "a plain chart drew its SVG with matplotlib"
        return save(figure, fmt)

    monkeypatch.setattr(charts, "_save", png_only)


def tree(svg: bytes) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 (our own output; parsing it checks it is well-formed)


def texts(svg: bytes) -> list[str]:
    return [t.text or "" for t in tree(svg).iter(f"{SVG}text")]


def test_plain_bars_are_valid_escaped_and_deterministic(no_matplotlib_svg):
    labels = ["Almaty", "<script>x()</script> & co", "A region with a very long name " * 4]
    chart = bar_chart(labels, [12, 3, 1250], title="Acts by region", unit="acts", plain=True)
    assert chart.svg == bar_chart(labels, [12, 3, 1250], title="Acts by region", unit="acts", plain=True).svg
    shown = texts(chart.svg)  # parses: the label's markup is text, not elements
    assert "<script>x()</script> & co" in shown and b"<script>" not in chart.svg
    assert "Acts by region" in shown and "acts" in shown and "1\u202f250" in shown
    long_label = next(t for t in shown if t.startswith("A region"))
    assert long_label.endswith("…") and len(long_label) < len(labels[2])  # shortened in the picture only…
    assert labels[2] in chart.alt and chart.rows[2] == (labels[2], 1250)  # …not in the alt text or the data
    ticks = [t for t in shown if t.replace("\u202f", "").isdigit()]
    assert "0" in ticks and all("." not in t for t in ticks)  # counts: whole-number ticks


def test_plain_vertical_bars_and_lines(no_matplotlib_svg):
    months = [f"2024-{m:02d}" for m in range(1, 13)]
    bars = bar_chart(months, [0, 1, 2, 0, 5, 3, 0, 0, 1, 9, 4, 2], title="Acts by month", horizontal=False, plain=True)
    assert all(m in texts(bars.svg) for m in months)
    bars_drawn = [r for r in tree(bars.svg).iter(f"{SVG}rect") if r.get("fill") != "#ffffff"]
    assert len(bars_drawn) == 12 and all(float(r.get("height")) >= 0 for r in bars_drawn)
    lines = line_chart(
        {"Recorded": [("2023", 10), ("2024", 4)], "Annualised": [("2024", 9.6)]},
        title="Threat index",
        unit="acts",
        partial=["2024"],
        plain=True,
    )
    shown = texts(lines.svg)
    assert "Threat index (* partial period)" in shown and "2024*" in shown and "Annualised" in shown
    circles = list(tree(lines.svg).iter(f"{SVG}circle"))
    assert len(circles) == 3 and sum(c.get("fill") == "#ffffff" for c in circles) == 2  # partial: hollow
    assert lines.rows == [("Recorded", "2023", 10), ("Recorded", "2024", 4), ("Annualised", "2024", 9.6)]


def test_empty_and_zero_charts_still_draw(no_matplotlib_svg):
    assert tree(bar_chart([], [], title="Nothing", plain=True).svg) is not None
    assert tree(bar_chart(["a"], [0], title="Zero", horizontal=False, plain=True).svg) is not None
    assert tree(line_chart({}, title="No periods", plain=True).svg) is not None


def test_png_is_drawn_once_on_first_use(monkeypatch):
    drawn: list[str] = []
    save = charts._save
    monkeypatch.setattr(charts, "_save", lambda figure, fmt: drawn.append(fmt) or save(figure, fmt))
    plain = bar_chart(["Almaty", "Taraz"], [12, 3], title="Hearings", plain=True)
    drawn_by_matplotlib = bar_chart(["Almaty", "Taraz"], [12, 3], title="Hearings")
    assert drawn == ["svg"]  # the matplotlib chart's SVG; no PNG yet
    assert plain.png.startswith(b"\x89PNG") and drawn_by_matplotlib.png.startswith(b"\x89PNG")
    assert plain.png is plain.png and drawn == ["svg", "png", "png"]  # each drawn once
