"""Charts drawn on the server: no JavaScript, no CDN, the same data in pages and documents.

Pages embed `Chart.data_uri` in an <img> (the CSP allows data: images) next to a data table, so the
figures are readable without the picture; DOCX/PDF renderers use `Chart.png`, drawn by matplotlib the first
time it is asked for (pages never pay for it). The SVG is matplotlib's drawing too (the same image as the
PNG) or, with `plain=True`, written directly in the same layout: about a millisecond instead of ~100 ms,
for pages whose charts change with every new record; matplotlib is then not even imported until a PNG is.
"""

from __future__ import annotations

import base64
import io
import math
from collections.abc import Callable, Sequence
from functools import cache
from html import escape
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext

if TYPE_CHECKING:
    from matplotlib.figure import Figure

PALETTE = ["#1f5f8b", "#c0504d", "#9bbb59", "#8064a2", "#4bacc6", "#f79646", "#5b6470"]


@cache
def _matplotlib() -> Any:
    """Import and configure matplotlib on first use (importing it costs about half a second)."""
    import matplotlib

    matplotlib.use("Agg")  # no display on servers
    matplotlib.rcParams["svg.hashsalt"] = "rightstrack"  # stable element ids: identical data, identical SVG
    import matplotlib.figure
    import matplotlib.ticker

    return matplotlib


class Chart:
    """A rendered chart: title, alt text, the image as SVG and PNG, and the data behind it (for a table)."""

    def __init__(
        self,
        title: str,
        alt: str,
        svg: bytes,
        png: bytes = b"",
        rows: list[tuple] | None = None,
        *,
        draw: Callable[[], Figure] | None = None,
    ) -> None:
        self.title, self.alt, self.svg = title, alt, svg
        self.rows = list(rows or [])
        self._png = png
        self._draw = draw  # rebuilds the figure for the PNG (keeping the figure itself would hold its memory)

    @property
    def png(self) -> bytes:
        if not self._png and self._draw is not None:
            self._png = _save(self._draw(), "png")
            self._draw = None
        return self._png

    @property
    def data_uri(self) -> str:
        return "data:image/svg+xml;base64," + base64.b64encode(self.svg).decode()


def _figure(width: float = 7.0, height: float = 3.6) -> tuple[Figure, Any]:
    figure = _matplotlib().figure.Figure(figsize=(width, height), dpi=100)
    axes = figure.add_subplot()
    axes.spines[["top", "right"]].set_visible(False)
    return figure, axes


def _integer_ticks(axis: Any) -> None:
    axis.set_major_locator(_matplotlib().ticker.MaxNLocator(integer=True))


def _save(figure: Figure, fmt: str) -> bytes:
    figure.tight_layout()
    buffer = io.BytesIO()
    if fmt == "svg":
        # A fixed hash salt and no date keep the SVG identical for identical data (stable tests, cacheable).
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    else:
        figure.savefig(buffer, format="png", dpi=150)
    return buffer.getvalue()


def _render(
    draw: Callable[[], Figure], title: str, alt: str, rows: list[tuple], plain: Callable[[], str] | None
) -> Chart:
    """The SVG now (written directly when `plain` is given, else by matplotlib); the PNG when a document asks."""
    svg = plain().encode() if plain else _save(draw(), "svg")
    return Chart(title=title, alt=alt, svg=svg, rows=rows, draw=draw)


def bar_chart(
    labels: Sequence[str],
    values: Sequence[float],
    *,
    title: str,
    unit: str = "",
    horizontal: bool = True,
    highlight: Sequence[bool] | None = None,
    plain: bool = False,
) -> Chart:
    """Bars for categories (horizontal by default: long labels stay readable)."""
    labels, values = [str(label) for label in labels], list(values)  # the PNG may be drawn later: freeze the data
    colours = [PALETTE[1] if highlight and highlight[i] else PALETTE[0] for i in range(len(values))]
    integer = all(float(v).is_integer() for v in values)  # counts: no 0.5 ticks

    def draw() -> Figure:
        figure, axes = _figure(height=max(2.4, 0.35 * len(labels) + 1.2) if horizontal else 3.6)
        if horizontal:
            positions = range(len(labels))[::-1]
            axes.barh(list(positions), values, color=colours)
            axes.set_yticks(list(positions), labels=labels)
            axes.set_xlabel(unit)
        else:
            axes.bar(range(len(labels)), values, color=colours)
            axes.set_xticks(range(len(labels)), labels=labels, rotation=30, ha="right")
            axes.set_ylabel(unit)
        if integer:
            _integer_ticks(axes.xaxis if horizontal else axes.yaxis)
        axes.set_title(title, loc="left", fontsize=11)
        return figure

    def svg() -> str:
        write = _svg_hbars if horizontal else _svg_vbars
        return write(labels, values, colours, title=title, unit=unit, integer=integer)

    alt = f"{title}: " + "; ".join(
        f"{label} {value:g}{(' ' + unit) if unit else ''}" for label, value in zip(labels, values, strict=True)
    )
    return _render(draw, title, alt, list(zip(labels, values, strict=True)), svg if plain else None)


def line_chart(
    series: dict[str, Sequence[tuple[str, float]]],
    *,
    title: str,
    unit: str = "",
    partial: Sequence[str] = (),
    plain: bool = False,
    periods: Sequence[str] = (),
) -> Chart:
    """Lines over periods, one per series (e.g. official vs NGO). Periods in `partial` get a hollow marker.

    `periods` lists every period of the axis in order (e.g. each quarter of the range): a period without a value
    leaves a gap in the line instead of a straight segment joining distant periods.
    """
    periods = list(periods) or sorted({period for points in series.values() for period, _value in points})
    periods += sorted({p for points in series.values() for p, _v in points} - set(periods))
    index = {period: i for i, period in enumerate(periods)}
    # Points in period order, frozen: the PNG may be drawn later.
    lines = [(name, sorted(points, key=lambda p: index[p[0]])) for name, points in series.items()]
    partial = tuple(partial)
    rows = [(name, period, value) for name, points in lines for period, value in points]
    integer = all(float(v).is_integer() for _n, _p, v in rows)
    labels = [f"{p}*" if p in partial else p for p in periods]
    heading = title + (" " + gettext("(* partial period)") if partial else "")

    def draw() -> Figure:
        figure, axes = _figure()
        for n, (name, points) in enumerate(lines):
            xs = [index[p] for p, _v in points]
            colour = PALETTE[n % len(PALETTE)]
            for run_number, run in enumerate(_runs(points, index)):
                axes.plot(
                    [index[p] for p, _v in run],
                    [v for _p, v in run],
                    marker="o",
                    color=colour,
                    label=name if run_number == 0 else None,
                )
            for x, (period, value) in zip(xs, points, strict=True):
                if period in partial:
                    axes.plot([x], [value], marker="o", markersize=11, markerfacecolor="white", color=colour)
        axes.set_xticks(range(len(periods)), labels=labels)
        if integer:
            _integer_ticks(axes.yaxis)
        axes.set_ylabel(unit)
        axes.set_title(heading, loc="left", fontsize=11)
        if len(lines) > 1:
            axes.legend(frameon=False)
        return figure

    def svg() -> str:
        return _svg_lines(lines, index, labels, partial, title=heading, unit=unit, integer=integer)

    alt = f"{title}: " + "; ".join(f"{name} {period} {value:g}" for name, period, value in rows)
    return _render(draw, title, alt, rows, svg if plain else None)


# --- Plain SVG ------------------------------------------------------------------------------------------------
# The layout of the matplotlib charts (title top left, light grid), with text measured by its
# length: a label too long for its room is shortened here, never in the alt text or the table beside.

WIDTH = 560  # about the width charts are shown at in a two-column card: text keeps its size
FONT = 13
GLYPH = 0.62 * FONT  # a generous average glyph width (DejaVu Sans is wide), so text rarely overflows
GRID = "#dddddd"
INK = "#333333"


def _number(value: float) -> str:
    text = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"
    return text.replace(",", "\u202f")  # a thin space between thousands, readable in any language


def _ticks(top: float, integer: bool, count: int = 5) -> list[float]:
    """0 and round steps (1, 2, 2.5, 5 × 10^k; no fractions for counts) up to at least `top`."""
    if top <= 0:
        return [0, 1]
    raw = top / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in ((1, 2, 5, 10) if integer else (1, 2, 2.5, 5, 10)) if m * magnitude >= raw)
    if integer:
        step = max(1, round(step))
    return [i * step for i in range(math.ceil(top / step) + 1)]


def _fit(text: str, width: float) -> str:
    room = max(1, int(width / GLYPH))
    return text if len(text) <= room else text[: room - 1] + "…"


def _text(x: float, y: float, text: str, **attrs: Any) -> str:
    extra = "".join(f' {k.replace("_", "-")}="{v}"' for k, v in attrs.items())
    return f'<text x="{x:.1f}" y="{y:.1f}"{extra}>{escape(text)}</text>'


def _svg(height: float, title: str, body: list[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height:.0f}" '
        f'viewBox="0 0 {WIDTH} {height:.0f}" font-family="DejaVu Sans, Verdana, Arial, sans-serif" '
        f'font-size="{FONT}" fill="{INK}"><rect width="100%" height="100%" fill="#ffffff"/>'
        + _text(10, 22, title, font_size=FONT + 2)
        + "".join(body)
        + "</svg>"
    )


def _svg_hbars(
    labels: list[str], values: list[float], colours: list[str], *, title: str, unit: str, integer: bool
) -> str:
    left = min(max([len(label) for label in labels] + [4]) * GLYPH + 16, WIDTH * 0.45)
    right, top, pitch = 60, 40, 26
    ticks = _ticks(max(values, default=0), integer)
    scale = (WIDTH - left - right) / ticks[-1]
    bottom = top + pitch * len(labels)
    body = []
    for tick in ticks:
        x = left + tick * scale
        body.append(f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{bottom}" stroke="{GRID}"/>')
        body.append(_text(x, bottom + 16, _number(tick), text_anchor="middle"))
    for i, (label, value, colour) in enumerate(zip(labels, values, colours, strict=True)):
        y, length = top + i * pitch, max(0, value) * scale
        body.append(f'<rect x="{left:.1f}" y="{y + 4}" width="{length:.1f}" height="{pitch - 8}" fill="{colour}"/>')
        body.append(_text(left - 6, y + pitch / 2 + 4, _fit(label, left - 16), text_anchor="end"))
        body.append(_text(left + length + 4, y + pitch / 2 + 4, _number(value)))
    if unit:
        body.append(_text(left + (WIDTH - left - right) / 2, bottom + 34, unit, text_anchor="middle"))
    return _svg(bottom + 44, title, body)


def _svg_vbars(
    labels: list[str], values: list[float], colours: list[str], *, title: str, unit: str, integer: bool
) -> str:
    left, top, plot = 64, 40, 280
    slot = (WIDTH - left - 20) / max(1, len(labels))
    bottom = top + plot
    ticks = _ticks(max(values, default=0), integer)
    scale = plot / ticks[-1]
    body = _y_axis(ticks, scale, left, bottom, unit)
    for i, (value, colour) in enumerate(zip(values, colours, strict=True)):
        length = max(0, value) * scale
        body.append(
            f'<rect x="{left + (i + 0.15) * slot:.1f}" y="{bottom - length:.1f}" width="{slot * 0.7:.1f}" '
            f'height="{length:.1f}" fill="{colour}"/>'
        )
    labels_svg, room = _x_labels(labels, left, slot, bottom)
    return _svg(bottom + room + 10, title, body + labels_svg)


def _runs(points: Sequence[tuple[str, float]], index: dict[str, int]) -> list[list[tuple[str, float]]]:
    """Points split where a period is missing, so a line never bridges periods without data."""
    runs: list[list[tuple[str, float]]] = []
    for point in points:
        if runs and index[point[0]] == index[runs[-1][-1][0]] + 1:
            runs[-1].append(point)
        else:
            runs.append([point])
    return runs


def _svg_lines(
    lines: list[tuple[str, list[tuple[str, float]]]],
    index: dict[str, int],
    labels: list[str],
    partial: tuple[str, ...],
    *,
    title: str,
    unit: str,
    integer: bool,
) -> str:
    left, top, plot = 64, 44, 260
    slot = (WIDTH - left - 20) / max(1, len(labels))
    bottom = top + plot
    ticks = _ticks(max([v for _n, points in lines for _p, v in points] + [0]), integer)
    scale = plot / ticks[-1]
    body = _y_axis(ticks, scale, left, bottom, unit)
    labels_svg, room = _x_labels(labels, left, slot, bottom)
    body += labels_svg
    for n, (name, points) in enumerate(lines):
        colour = PALETTE[n % len(PALETTE)]
        xy = [(left + (index[p] + 0.5) * slot, bottom - max(0, v) * scale, p) for p, v in points]
        for run in _runs(points, index):
            path = " ".join(f"{left + (index[p] + 0.5) * slot:.1f},{bottom - max(0, v) * scale:.1f}" for p, v in run)
            body.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>')
        for x, y, period in xy:
            fill, radius = ("#ffffff", 6) if period in partial else (colour, 4)
            body.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius}" fill="{fill}" stroke="{colour}" stroke-width="2"/>'
            )
        if len(lines) > 1:  # a legend under the axis, one row per series
            y = bottom + room + 14 + 18 * n
            body.append(f'<line x1="{left}" y1="{y}" x2="{left + 24}" y2="{y}" stroke="{colour}" stroke-width="2"/>')
            body.append(_text(left + 30, y + 4, _fit(name, WIDTH - left - 50)))
    legend = 18 * len(lines) + 8 if len(lines) > 1 else 0
    return _svg(bottom + room + legend + 10, title, body)


def _y_axis(ticks: list[float], scale: float, left: float, bottom: float, unit: str) -> list[str]:
    body = []
    for tick in ticks:
        y = bottom - tick * scale
        body.append(f'<line x1="{left}" y1="{y:.1f}" x2="{WIDTH - 20}" y2="{y:.1f}" stroke="{GRID}"/>')
        body.append(_text(left - 6, y + 4, _number(tick), text_anchor="end"))
    if unit:
        middle = bottom - ticks[-1] * scale / 2
        body.append(_text(14, middle, unit, text_anchor="middle", transform=f"rotate(-90 14 {middle:.1f})"))
    return body


def _x_labels(labels: list[str], left: float, slot: float, bottom: float) -> tuple[list[str], float]:
    """Category labels under the axis (slanted when they do not fit side by side) and the height they take."""
    longest = max([len(label) for label in labels] + [1]) * GLYPH
    if longest < slot - 4:
        return [
            _text(left + (i + 0.5) * slot, bottom + 18, label, text_anchor="middle") for i, label in enumerate(labels)
        ], 26
    out = []
    for i, label in enumerate(labels):
        x, y = left + (i + 0.5) * slot, bottom + 14
        out.append(_text(x, y, _fit(label, 160), text_anchor="end", transform=f"rotate(-35 {x:.1f} {y})"))
    return out, 24 + min(160.0, longest) * 0.6
