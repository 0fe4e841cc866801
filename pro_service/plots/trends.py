"""Line charts of one participant's scores over study weeks, as inline SVG text.

Pure: plain data in, an SVG string out. A score that is missing (occasion missed, partial,
not yet due) is a gap in its line, never an interpolated value; missed and partial occasions
are also marked under the axis with a letter, so the gap reads in greyscale and in print.
Series differ by dash pattern and marker shape as well as colour (colour-blind safe palette,
Okabe & Ito 2008), and the chart scales to its container through its viewBox.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from pro_service.plots.svg import PALETTE
from pro_service.plots.svg import esc as escape

# Sized so that 13 px text stays about 10 px on a 390 px phone and 16 px on a desktop column.
WIDTH, HEIGHT = 480, 250
LEFT, RIGHT, TOP, BOTTOM = 40, 10, 12, 58
FONT = 13
# Okabe-Ito colours, dash patterns and markers: each series stays distinct without colour.
COLOURS = PALETTE[:7]
DASHES = ("", "6 3", "2 3", "8 3 2 3", "1 2", "10 4", "4 2 1 2")
MARKERS = ("circle", "square", "triangle", "diamond", "circle", "square", "triangle")
GAP_LETTERS = {"missed": "M", "partial": "P"}


@dataclass(frozen=True)
class Point:
    """One occasion: its study week and the score, or None with why (missed, partial, …)."""

    week: float
    value: float | None
    state: str = "complete"  # complete | partial | missed | open | scheduled


@dataclass(frozen=True)
class Series:
    label: str
    points: tuple[Point, ...]


@dataclass(frozen=True)
class Chart:
    title: str
    y_min: float
    y_max: float
    series: tuple[Series, ...]
    x_max: float = 48
    y_ticks: tuple[float, ...] = ()
    x_label: str = "week"
    gap_legend: dict[str, str] = field(default_factory=dict)  # state -> translated words
    chart_id: str = "chart"


def _x(chart: Chart, week: float) -> float:
    span = max(chart.x_max, 1)
    return LEFT + (WIDTH - LEFT - RIGHT) * max(0.0, min(week, span)) / span


def _y(chart: Chart, value: float) -> float:
    span = (chart.y_max - chart.y_min) or 1
    clamped = max(chart.y_min, min(value, chart.y_max))
    return TOP + (HEIGHT - TOP - BOTTOM) * (chart.y_max - clamped) / span


def _fmt(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))


def text_width(text: str) -> int:
    """Approximate width in px at the chart's font size: CJK characters are about twice as wide."""
    return sum(FONT if ord(ch) >= 0x2E80 else round(FONT * 0.58) for ch in text)


def segments(points: Sequence[Point]) -> list[list[Point]]:
    """Split a series into runs of consecutive scored points: a None value breaks the line."""
    runs: list[list[Point]] = [[]]
    for point in sorted(points, key=lambda p: p.week):
        if point.value is None:
            if runs[-1]:
                runs.append([])
        else:
            runs[-1].append(point)
    return [run for run in runs if run]


def _marker(kind: str, x: float, y: float, colour: str) -> str:
    if kind == "square":
        return f'<rect x="{x - 3.5:.1f}" y="{y - 3.5:.1f}" width="7" height="7" fill="{colour}"/>'
    if kind == "triangle":
        return (f'<polygon points="{x:.1f},{y - 4.5:.1f} {x + 4.5:.1f},{y + 3.5:.1f} '
                f'{x - 4.5:.1f},{y + 3.5:.1f}" fill="{colour}"/>')
    if kind == "diamond":
        return (f'<polygon points="{x:.1f},{y - 5:.1f} {x + 5:.1f},{y:.1f} {x:.1f},{y + 5:.1f} '
                f'{x - 5:.1f},{y:.1f}" fill="{colour}"/>')
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colour}"/>'


def _axes(chart: Chart) -> list[str]:
    base = HEIGHT - BOTTOM
    out = [f'<line x1="{LEFT}" y1="{base}" x2="{WIDTH - RIGHT}" y2="{base}" stroke="#333"/>',
           f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{base}" stroke="#333"/>']
    for tick in chart.y_ticks or (chart.y_min, chart.y_max):
        y = _y(chart, tick)
        out.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" '
                   'stroke="#ddd"/>')
        out.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{_fmt(tick)}</text>')
    step = 12 if chart.x_max > 24 else 4
    for week in range(0, int(chart.x_max) + 1, step):
        x = _x(chart, week)
        out.append(f'<line x1="{x:.1f}" y1="{base}" x2="{x:.1f}" y2="{base + 4}" stroke="#333"/>')
        out.append(f'<text x="{x:.1f}" y="{base + 16}" text-anchor="middle">{week}</text>')
    out.append(f'<text x="{WIDTH - RIGHT}" y="{base + 30}" text-anchor="end">'
               f'{escape(chart.x_label)}</text>')
    return out


def _series(chart: Chart, index: int, series: Series) -> list[str]:
    colour, dash = COLOURS[index % len(COLOURS)], DASHES[index % len(DASHES)]
    marker = MARKERS[index % len(MARKERS)]
    out = [f'<g class="series" data-label="{escape(series.label)}">']
    for run in segments(series.points):
        coords = " ".join(f"{_x(chart, p.week):.1f},{_y(chart, p.value or 0):.1f}" for p in run)
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        if len(run) > 1:
            out.append(f'<polyline points="{coords}" fill="none" stroke="{colour}" '
                       f'stroke-width="2"{dash_attr}/>')
        for p in run:
            out.append(_marker(marker, _x(chart, p.week), _y(chart, p.value or 0), colour))
    out.append("</g>")
    return out


def _gaps(chart: Chart) -> list[str]:
    """Missed and partial occasions as letters on a strip under the axis (any series)."""
    seen: dict[float, str] = {}
    for series in chart.series:
        for p in series.points:
            if p.value is None and p.state in GAP_LETTERS:
                seen.setdefault(p.week, p.state)
    y = HEIGHT - BOTTOM + 30
    return [f'<text class="gap gap-{state}" x="{_x(chart, week):.1f}" y="{y}" '
            f'text-anchor="middle" font-weight="bold">{GAP_LETTERS[state]}</text>'
            for week, state in sorted(seen.items())]


def _legend(chart: Chart) -> tuple[list[str], int]:
    """Legend entries placed in rows under the chart; returns the SVG and the number of rows."""
    entries: list[tuple[int | None, str]] = [(i, s.label) for i, s in enumerate(chart.series)]
    entries += [(None, f"{GAP_LETTERS[state]} {words}") for state, words in chart.gap_legend.items()
                if state in GAP_LETTERS]
    out, x, row = [], float(LEFT), 0
    for index, label in entries:
        width = (34 if index is not None else 8) + text_width(label)
        if x + width > WIDTH - RIGHT and x > LEFT:
            x, row = float(LEFT), row + 1
        y = HEIGHT - 12 + 18 * row
        if index is None:
            letter, words = label.split(" ", 1)
            out.append(f'<text x="{x:.0f}" y="{y}"><tspan font-weight="bold">{letter}</tspan> '
                       f'{escape(words)}</text>')
        else:
            colour, dash = COLOURS[index % len(COLOURS)], DASHES[index % len(DASHES)]
            dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
            out.append(f'<line x1="{x:.0f}" y1="{y - 4}" x2="{x + 20:.0f}" y2="{y - 4}" '
                       f'stroke="{colour}" stroke-width="2"{dash_attr}/>')
            out.append(_marker(MARKERS[index % len(MARKERS)], x + 10, y - 4, colour))
            out.append(f'<text x="{x + 24:.0f}" y="{y}">{escape(label)}</text>')
        x += width
    return out, row + 1


def line_chart(chart: Chart) -> str:
    """Render a chart as an SVG element that scales to the width of its container."""
    title_id, desc_id = f"{chart.chart_id}-title", f"{chart.chart_id}-desc"
    scored = sum(1 for s in chart.series for p in s.points if p.value is not None)
    desc = f"{len(chart.series)} series, {scored} scored occasions"
    legend, rows = _legend(chart)
    height = HEIGHT + 18 * (rows - 1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="trend-chart" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" role="img" aria-labelledby="{title_id} {desc_id}" '
        f'font-family="system-ui,sans-serif" font-size="{FONT}" preserveAspectRatio="xMidYMid meet">',
        f'<title id="{title_id}">{escape(chart.title)}</title>',
        f'<desc id="{desc_id}">{escape(desc)}</desc>',
        *_axes(chart),
        *(line for i, s in enumerate(chart.series) for line in _series(chart, i, s)),
        *_gaps(chart),
        *legend,
        "</svg>",
    ]
    return "\n".join(parts)


@dataclass(frozen=True)
class Observation:
    """One occasion of an instrument: study week, state and the current version's scores."""

    week: float
    state: str
    scores: dict[str, float | None]


def series_of(label: str, scale: str, observations: Sequence[Observation]) -> Series:
    """One scale's series: a point per occasion; no score (missed, partial, open) is a gap."""
    points = tuple(Point(o.week, o.scores.get(scale), o.state) for o in observations
                   if o.state not in ("scheduled", "cancelled"))
    return Series(label, points)
