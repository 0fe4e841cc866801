"""What state each occasion is in for completion reports, and the figures per group (DESIGN §10).

One classification feeds the API, the CSV and the dashboard grid, so they cannot disagree:

- not_yet_due: the window has not opened;
- open: the window is open and closes in more than 24 h;
- overdue: the window closes within 24 h and nothing has been submitted;
- completed (counted per channel: sms, web, clinic, paper);
- partial: the window closed on some answers;
- missed: the window closed with no answer;
- missed_before_enrolment: the window had closed before the occasion existed;
- cancelled: withdrawn (or dropped by a protocol change).

Rates are taken over occasions whose window has closed (not cancelled): completed among them
divided by all of them, so open and not-yet-due work never inflates or deflates a rate.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum
from typing import Any

OVERDUE_WITHIN = timedelta(hours=24)
CHANNELS = ("sms", "web", "clinic", "paper")


class Cell(StrEnum):
    NOT_YET_DUE = "not_yet_due"
    OPEN = "open"
    OVERDUE = "overdue"
    COMPLETED = "completed"
    PARTIAL = "partial"
    MISSED = "missed"
    MISSED_BEFORE_ENROLMENT = "missed_before_enrolment"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class Facts:
    """What classification needs to know of one occasion at an instant."""

    status: str  # the occasion's stored status
    not_yet_open: bool  # opens_at > now
    closed: bool  # closes_at <= now
    closing_soon: bool  # closes_at <= now + 24 h
    has_partial: bool  # a partial response or draft answers exist


def classify(f: Facts) -> Cell:
    """The report state of one occasion; the window decides before a lagging scheduler does."""
    if f.status == "cancelled":
        return Cell.CANCELLED
    if f.status == "completed":
        return Cell.COMPLETED
    if f.status == "missed_before_enrolment":
        return Cell.MISSED_BEFORE_ENROLMENT
    if f.closed or f.status == "missed":
        return Cell.PARTIAL if f.has_partial else Cell.MISSED
    if f.not_yet_open:
        return Cell.NOT_YET_DUE
    return Cell.OVERDUE if f.closing_soon else Cell.OPEN


COLUMNS = (
    "site", "timepoint", "instrument", "total", "not_yet_due", "open", "overdue", "completed",
    *(f"completed_{c}" for c in CHANNELS), "partial", "missed", "missed_before_enrolment",
    "cancelled", "closed", "completed_closed", "rate",
)


def empty_figures(site: str, timepoint: str, instrument: str) -> dict[str, Any]:
    row: dict[str, Any] = dict.fromkeys(COLUMNS, 0)
    row.update(site=site, timepoint=timepoint, instrument=instrument, rate=None)
    return row


def add(row: dict[str, Any], cell: Cell, *, closed: bool, channel: str | None, count: int) -> None:
    """Count `count` occasions of one state into a figures row (in place)."""
    row["total"] += count
    row[str(cell)] += count
    if cell == Cell.COMPLETED and channel in CHANNELS:
        row[f"completed_{channel}"] += count
    if cell != Cell.CANCELLED and closed:
        row["closed"] += count
        if cell == Cell.COMPLETED:
            row["completed_closed"] += count


def with_rate(row: dict[str, Any]) -> dict[str, Any]:
    """Completed among closed windows / closed windows, 4 places; None while none has closed."""
    closed, done = row["closed"], row["completed_closed"]
    row["rate"] = round(done / closed, 4) if closed else None
    return row


def totals(rows: Iterable[Mapping[str, Any]], *, site: str = "", timepoint: str = "",
           instrument: str = "") -> dict[str, Any]:
    """Sum figures rows (a site summary, or all sites) and recompute the rate."""
    out = empty_figures(site, timepoint, instrument)
    for row in rows:
        for name in COLUMNS[3:-1]:
            out[name] += row[name]
    return with_rate(out)
