"""Pooled summaries for the analysts' overview: n, mean, 95 % CI, median, IQR; counts by group.

Blinded: nothing here knows a treatment arm, so every summary is pooled over participants.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

# Two-sided 95 % Student t quantiles t(0.975, df) for df 1…30 (any statistics table).
_T975 = (12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179,
         2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064,
         2.060, 2.056, 2.052, 2.048, 2.045, 2.042)


def t975(df: int) -> float:
    """t(0.975, df): the table up to 30, then the Cornish-Fisher expansion around 1.96."""
    if df < 1:
        raise ValueError("degrees of freedom must be at least 1")
    if df <= len(_T975):
        return _T975[df - 1]
    z = 1.959964
    return z + (z**3 + z) / (4 * df) + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * df**2)


def quantile(ordered: Sequence[float], p: float) -> float:
    """Quantile by linear interpolation between order statistics (Hyndman-Fan type 7, R's default)."""
    if not ordered:
        raise ValueError("no values")
    h = (len(ordered) - 1) * p
    lo = math.floor(h)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (h - lo) * (ordered[hi] - ordered[lo])


@dataclass(frozen=True)
class Summary:
    group: str
    n: int
    mean: float | None
    ci_low: float | None
    ci_high: float | None
    median: float | None
    q1: float | None
    q3: float | None


def summarise(group: str, values: Iterable[float]) -> Summary:
    """n, mean with its t-based 95 % CI (none for n < 2), median and quartiles."""
    data = sorted(values)
    n = len(data)
    if n == 0:
        return Summary(group, 0, None, None, None, None, None, None)
    mean = sum(data) / n
    low = high = None
    if n >= 2:
        sd = math.sqrt(sum((v - mean) ** 2 for v in data) / (n - 1))
        half = t975(n - 1) * sd / math.sqrt(n)
        low, high = mean - half, mean + half
    return Summary(group, n, mean, low, high, quantile(data, 0.5), quantile(data, 0.25),
                   quantile(data, 0.75))


def by_timepoint(rows: Iterable[Mapping[str, object]], scale: str,
                 order: Sequence[str]) -> list[Summary]:
    """Summaries of one scale's values per timepoint, in protocol order (empty timepoints kept)."""
    values: dict[str, list[float]] = defaultdict(list)
    for row in rows:
        value = row.get("value")
        if row.get("scale") == scale and isinstance(value, int | float):
            values[str(row["timepoint"])].append(float(value))
    return [summarise(tp, values.get(tp, [])) for tp in order]


def counts(pairs: Iterable[tuple[str, str]]) -> dict[str, Counter[str]]:
    """Count categories within groups: {group: Counter(category)}."""
    out: dict[str, Counter[str]] = defaultdict(Counter)
    for group, category in pairs:
        out[group][category] += 1
    return out


def cumulative(dates: Iterable[tuple[str, str]], periods: Sequence[str]) -> dict[str, list[int]]:
    """Running totals per series over ordered periods, from (series, period) events."""
    per: dict[str, Counter[str]] = counts(dates)
    out = {}
    for series, events in sorted(per.items()):
        total, running = 0, []
        for period in periods:
            total += events.get(period, 0)
            running.append(total)
        out[series] = running
    return out
