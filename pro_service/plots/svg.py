"""SVG primitives shared by every chart: escaping, linear scales, round ticks, the frame."""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape

# Colour-blind-safe palette (Okabe & Ito, 2008), in drawing order.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442")


def esc(text: object) -> str:
    """Text safe inside SVG content and attribute values."""
    return escape(str(text), quote=True)


def num(value: float) -> str:
    """A coordinate with at most two decimals and no trailing zeros (compact, stable output)."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


@dataclass(frozen=True)
class Scale:
    """Map a data interval linearly onto a pixel interval (``px_hi`` may be below ``px_lo``)."""

    lo: float
    hi: float
    px_lo: float
    px_hi: float

    def __call__(self, value: float) -> float:
        span = self.hi - self.lo
        share = 0.5 if span == 0 else (value - self.lo) / span
        return self.px_lo + share * (self.px_hi - self.px_lo)


def nice_ticks(lo: float, hi: float, count: int = 5) -> list[float]:
    """Round tick values covering ``lo..hi`` (steps of 1, 2 or 5 times a power of ten)."""
    if hi < lo:
        lo, hi = hi, lo
    if hi == lo:
        hi = lo + 1
    raw = (hi - lo) / max(count - 1, 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    first = math.floor(lo / step) * step
    ticks, value = [], first
    while value <= hi + step * 1e-9:
        ticks.append(round(value, 10))
        value += step
    if ticks[-1] < hi:
        ticks.append(round(value, 10))
    return ticks


def polylines(points: Iterable[tuple[float, float | None]]) -> list[list[tuple[float, float]]]:
    """Split a series at missing values (``None``) so a gap is drawn as a gap, never bridged."""
    runs: list[list[tuple[float, float]]] = [[]]
    for x, y in points:
        if y is None:
            if runs[-1]:
                runs.append([])
        else:
            runs[-1].append((x, y))
    return [run for run in runs if run]


def path_d(run: Sequence[tuple[float, float]]) -> str:
    """The ``d`` attribute of a path through pixel points."""
    return " ".join(f"{'M' if i == 0 else 'L'}{num(x)},{num(y)}" for i, (x, y) in enumerate(run))


def document(width: int, height: int, body: Iterable[str], *, title: str, desc: str = "") -> str:
    """An accessible, responsive SVG document (``role="img"`` with its title and description)."""
    content = "".join(body)
    # ids unique per chart (several charts share a page) yet the same for the same chart
    key = hashlib.sha256(f"{title}\0{desc}\0{content}".encode()).hexdigest()[:10]
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
            f'role="img" aria-labelledby="t{key} d{key}" font-family="system-ui,sans-serif" '
            f'font-size="12"><title id="t{key}">{esc(title)}</title>'
            f'<desc id="d{key}">{esc(desc)}</desc>')
    return head + content + "</svg>"


def text(x: float, y: float, content: object, *, anchor: str = "start", size: int | None = None,
         fill: str = "#1b1b1b") -> str:
    """A text label at a pixel position."""
    extra = f' font-size="{size}"' if size else ""
    return (f'<text x="{num(x)}" y="{num(y)}" text-anchor="{anchor}" fill="{fill}"{extra}>'
            f"{esc(content)}</text>")


def line(x1: float, y1: float, x2: float, y2: float, *, stroke: str = "#d0d0d0",
         width: float = 1, dash: str | None = None) -> str:
    """A straight line (grid lines, axes, whiskers)."""
    dashed = f' stroke-dasharray="{dash}"' if dash else ""
    return (f'<line x1="{num(x1)}" y1="{num(y1)}" x2="{num(x2)}" y2="{num(y2)}" '
            f'stroke="{stroke}" stroke-width="{num(width)}"{dashed}/>')


def rect(x: float, y: float, w: float, h: float, *, fill: str, label: str | None = None) -> str:
    """A filled rectangle, with a hover/assistive label when given."""
    title = f"<title>{esc(label)}</title>" if label else ""
    return (f'<rect x="{num(x)}" y="{num(y)}" width="{num(max(w, 0))}" height="{num(max(h, 0))}" '
            f'fill="{fill}">{title}</rect>')
