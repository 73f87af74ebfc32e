"""Charts drawn on the server with matplotlib: no JavaScript, no CDN, the same image in pages and reports.

Pages embed `Chart.data_uri` in an <img> (the CSP allows data: images) next to a data table, so the
figures are readable without the picture; DOCX/PDF renderers use `Chart.png`.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Sequence
from dataclasses import dataclass, field

import matplotlib

matplotlib.use("Agg")  # no display on servers
matplotlib.rcParams["svg.hashsalt"] = "rightstrack"  # stable element ids: identical data, identical SVG

from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

PALETTE = ["#1f5f8b", "#c0504d", "#9bbb59", "#8064a2", "#4bacc6", "#f79646", "#5b6470"]


@dataclass
class Chart:
    """A rendered chart: title, alt text and the image as SVG and PNG."""

    title: str
    alt: str
    svg: bytes
    png: bytes
    rows: list[tuple] = field(default_factory=list)  # the data behind it, for a table

    @property
    def data_uri(self) -> str:
        return "data:image/svg+xml;base64," + base64.b64encode(self.svg).decode()


def _figure(width: float = 7.0, height: float = 3.6) -> tuple[Figure, object]:
    figure = Figure(figsize=(width, height), dpi=100)
    axes = figure.add_subplot()
    axes.spines[["top", "right"]].set_visible(False)
    return figure, axes


def _render(figure: Figure, title: str, alt: str, rows: list[tuple]) -> Chart:
    figure.tight_layout()
    svg, png = io.BytesIO(), io.BytesIO()
    # A fixed hash salt and no date keep the SVG identical for identical data (stable tests, cacheable).
    figure.savefig(svg, format="svg", metadata={"Date": None})
    figure.savefig(png, format="png", dpi=150)
    return Chart(title=title, alt=alt, svg=svg.getvalue(), png=png.getvalue(), rows=rows)


def bar_chart(
    labels: Sequence[str],
    values: Sequence[float],
    *,
    title: str,
    unit: str = "",
    horizontal: bool = True,
    highlight: Sequence[bool] | None = None,
) -> Chart:
    """Bars for categories (horizontal by default: long labels stay readable)."""
    figure, axes = _figure(height=max(2.4, 0.35 * len(labels) + 1.2) if horizontal else 3.6)
    colours = [PALETTE[1] if highlight and highlight[i] else PALETTE[0] for i in range(len(values))]
    if horizontal:
        positions = range(len(labels))[::-1]
        axes.barh(list(positions), values, color=colours)
        axes.set_yticks(list(positions), labels=[str(label) for label in labels])
        axes.set_xlabel(unit)
    else:
        axes.bar(range(len(labels)), values, color=colours)
        axes.set_xticks(range(len(labels)), labels=[str(label) for label in labels], rotation=30, ha="right")
        axes.set_ylabel(unit)
    if all(float(v).is_integer() for v in values):  # counts: no 0.5 ticks
        (axes.xaxis if horizontal else axes.yaxis).set_major_locator(MaxNLocator(integer=True))
    axes.set_title(title, loc="left", fontsize=11)
    alt = f"{title}: " + "; ".join(
        f"{label} {value:g}{(' ' + unit) if unit else ''}" for label, value in zip(labels, values, strict=True)
    )
    return _render(figure, title, alt, list(zip(labels, values, strict=True)))


def line_chart(
    series: dict[str, Sequence[tuple[str, float]]],
    *,
    title: str,
    unit: str = "",
    partial: Sequence[str] = (),
) -> Chart:
    """Lines over periods, one per series (e.g. official vs NGO). Periods in `partial` get a hollow marker."""
    figure, axes = _figure()
    periods = sorted({period for points in series.values() for period, _value in points})
    index = {period: i for i, period in enumerate(periods)}
    rows = []
    for n, (name, points) in enumerate(series.items()):
        points = sorted(points, key=lambda p: index[p[0]])
        xs = [index[p] for p, _v in points]
        ys = [v for _p, v in points]
        colour = PALETTE[n % len(PALETTE)]
        axes.plot(xs, ys, marker="o", color=colour, label=name)
        for x, (period, value) in zip(xs, points, strict=True):
            if period in partial:
                axes.plot([x], [value], marker="o", markersize=11, markerfacecolor="white", color=colour)
            rows.append((name, period, value))
    labels = [f"{p}*" if p in partial else p for p in periods]
    axes.set_xticks(range(len(periods)), labels=labels)
    if all(float(v).is_integer() for _n, _p, v in rows):
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_ylabel(unit)
    axes.set_title(title + (" (* partial period)" if partial else ""), loc="left", fontsize=11)
    if len(series) > 1:
        axes.legend(frameon=False)
    alt = f"{title}: " + "; ".join(f"{name} {period} {value:g}" for name, period, value in rows)
    return _render(figure, title, alt, rows)
