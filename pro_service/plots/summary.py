"""Study-level charts for the analysts' overview, as inline SVG text (pure: data in, SVG out).

- `interval_chart`: per group (timepoint) the IQR as a box with the median across it, and the
  mean as a dot with its 95 % CI as a whisker; n under each group. An empty group shows "n=0".
- `stacked_bars`: per group, the shares of categories as a 100 % stacked bar (EQ-5D levels,
  missing-data states), counts in each segment's hover label; a legend names categories.
- `line_chart`: a few series over ordered periods (enrolment by site), gaps kept as gaps.
All charts scale with their container (viewBox) and carry a title and description for screen
readers; colours are Okabe-Ito and every series or category also has its own label.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from pro_service.plots.svg import (
    PALETTE,
    Scale,
    document,
    esc,
    line,
    nice_ticks,
    num,
    path_d,
    polylines,
    rect,
    text,
)

WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 52, 12, 16, 56


@dataclass(frozen=True)
class Interval:
    """One group's summary; None where it cannot be computed (n = 0, or the CI with n = 1)."""

    label: str
    n: int
    mean: float | None
    ci_low: float | None
    ci_high: float | None
    median: float | None
    q1: float | None
    q3: float | None


def _y_axis(y: Scale, ticks: Sequence[float]) -> list[str]:
    parts = []
    for t in ticks:
        parts.append(line(LEFT, y(t), WIDTH - RIGHT, y(t)))
        parts.append(text(LEFT - 6, y(t) + 4, _tick(t), anchor="end", size=11))
    return parts


def _tick(value: float) -> str:
    return f"{value:g}"


def _x_slots(count: int) -> tuple[float, list[float]]:
    width = (WIDTH - LEFT - RIGHT) / max(count, 1)
    return width, [LEFT + width * (i + 0.5) for i in range(count)]


def interval_chart(title: str, groups: Sequence[Interval], *, y_min: float, y_max: float,
                   desc: str = "", n_label: str = "n") -> str:
    """Box (IQR) with median line and mean dot with 95 % CI whisker per group."""
    ticks = nice_ticks(y_min, y_max)
    y = Scale(ticks[0], ticks[-1], HEIGHT - BOTTOM, TOP)
    slot, xs = _x_slots(len(groups))
    half = min(slot * 0.3, 28)
    parts = _y_axis(y, ticks)
    for g, x in zip(groups, xs, strict=True):
        parts.append(text(x, HEIGHT - BOTTOM + 16, g.label, anchor="middle", size=11))
        parts.append(text(x, HEIGHT - BOTTOM + 32, f"{n_label}={g.n}", anchor="middle", size=10,
                          fill="#555555"))
        if g.q1 is not None and g.q3 is not None and g.median is not None:
            parts.append(rect(x - half, y(g.q3), 2 * half, y(g.q1) - y(g.q3), fill="#cfe3f3",
                              label=f"{g.label}: IQR {g.q1:.3g}–{g.q3:.3g}, median {g.median:.3g}"))
            parts.append(line(x - half, y(g.median), x + half, y(g.median), stroke=PALETTE[0],
                              width=2))
        if g.ci_low is not None and g.ci_high is not None:
            parts.append(line(x, y(g.ci_low), x, y(g.ci_high), stroke=PALETTE[1], width=2))
            for end in (g.ci_low, g.ci_high):
                parts.append(line(x - 5, y(end), x + 5, y(end), stroke=PALETTE[1], width=2))
        if g.mean is not None:
            parts.append(f'<circle cx="{num(x)}" cy="{num(y(g.mean))}" r="4" fill="{PALETTE[1]}">'
                         f"<title>{esc(g.label)}: mean {g.mean:.3g}</title></circle>")
    return document(WIDTH, HEIGHT, parts, title=title, desc=desc)


def stacked_bars(title: str, groups: Sequence[tuple[str, Sequence[int]]],
                 categories: Sequence[str], *, colours: Sequence[str] = PALETTE,
                 desc: str = "") -> str:
    """100 % stacked bars: one bar per group, one segment per category (counts in labels)."""
    legend_rows = (len(categories) + 3) // 4
    height = HEIGHT + 16 * legend_rows
    y = Scale(0, 1, HEIGHT - BOTTOM, TOP)
    slot, xs = _x_slots(len(groups))
    half = min(slot * 0.35, 34)
    parts = _y_axis(y, (0, 0.25, 0.5, 0.75, 1))
    for (label, values), x in zip(groups, xs, strict=True):
        total = sum(values)
        parts.append(text(x, HEIGHT - BOTTOM + 16, label, anchor="middle", size=11))
        parts.append(text(x, HEIGHT - BOTTOM + 32, f"n={total}", anchor="middle", size=10,
                          fill="#555555"))
        share_below = 0.0
        for i, (category, count) in enumerate(zip(categories, values, strict=True)):
            if total == 0 or count == 0:
                continue
            share = count / total
            parts.append(rect(x - half, y(share_below + share), 2 * half,
                              y(share_below) - y(share_below + share),
                              fill=colours[i % len(colours)],
                              label=f"{label} · {category}: {count} ({share:.0%})"))
            share_below += share
    for i, category in enumerate(categories):
        lx = LEFT + (i % 4) * ((WIDTH - LEFT) / 4)
        ly = HEIGHT - 8 + 16 * (i // 4)
        parts.append(rect(lx, ly - 9, 10, 10, fill=colours[i % len(colours)]))
        parts.append(text(lx + 14, ly, category, size=11))
    return document(WIDTH, height, parts, title=title, desc=desc)


def line_chart(title: str, periods: Sequence[str], series: Mapping[str, Sequence[float | None]],
               *, desc: str = "", y_min: float = 0) -> str:
    """Lines over ordered periods (labels thinned to fit), a legend naming each series."""
    values = [v for vs in series.values() for v in vs if v is not None]
    ticks = nice_ticks(y_min, max(values, default=1))
    y = Scale(ticks[0], ticks[-1], HEIGHT - BOTTOM, TOP)
    _, xs = _x_slots(len(periods))
    parts = _y_axis(y, ticks)
    every = max(1, len(periods) // 8)
    for i, (period, x) in enumerate(zip(periods, xs, strict=True)):
        if i % every == 0:
            parts.append(text(x, HEIGHT - BOTTOM + 16, period, anchor="middle", size=10))
    for i, (name, vs) in enumerate(series.items()):
        colour = PALETTE[i % len(PALETTE)]
        for run in polylines(zip(xs, vs, strict=True)):
            pixels = [(px, y(v)) for px, v in run]
            parts.append(f'<path d="{path_d(pixels)}" fill="none" stroke="{colour}" '
                         f'stroke-width="2"/>')
        lx = LEFT + (i % 4) * ((WIDTH - LEFT) / 4)
        ly = HEIGHT - 14 + 16 * (i // 4)
        parts.append(rect(lx, ly - 9, 10, 10, fill=colour))
        parts.append(text(lx + 14, ly, name, size=11))
    return document(WIDTH, HEIGHT + 16 * ((len(series) - 1) // 4), parts, title=title, desc=desc)
