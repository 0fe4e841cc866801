"""Reminder rules: 24 h and 72 h after opening, never after close, never in quiet hours (DESIGN §3).

The hours come from the protocol file (`reminders.hours_after_opening`); `now` is always passed in.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from pro_service.schedule.domain.windows import (
    DEFAULT_QUIET_END,
    DEFAULT_QUIET_START,
    next_allowed_instant,
    require_aware,
)


def planned_reminders(opens_at: datetime, closes_at: datetime, hours: Sequence[int]) -> tuple[datetime, ...]:
    """Return the reminder instants a window plans: opening + each offset, only those before close."""
    require_aware(opens_at, "opens_at")
    instants = (opens_at + timedelta(hours=h) for h in hours)
    return tuple(at for at in instants if at < closes_at)


def next_reminder_at(
    opened_at: datetime, sent_count: int, closes_at: datetime, hours: Sequence[int]
) -> datetime | None:
    """Return when the next reminder falls due, counted from the actual opening, or None if none is left."""
    require_aware(opened_at, "opened_at")
    if sent_count < 0:
        raise ValueError(f"sent_count must not be negative, got {sent_count}")
    if sent_count >= len(hours):
        return None
    due = opened_at + timedelta(hours=hours[sent_count])
    return due if due < closes_at else None


def reminder_due(
    opened_at: datetime, now: datetime, sent_count: int, closes_at: datetime, hours: Sequence[int]
) -> bool:
    """Tell whether the next reminder is due at `now`: its time has come and the window is still open."""
    require_aware(now, "now")
    due = next_reminder_at(opened_at, sent_count, closes_at, hours)
    return due is not None and due <= now < closes_at


def reminder_send_at(
    due_at: datetime,
    closes_at: datetime,
    tz: str | ZoneInfo,
    quiet_start: time = DEFAULT_QUIET_START,
    quiet_end: time = DEFAULT_QUIET_END,
) -> datetime | None:
    """Return when a due reminder may go out: deferred past quiet hours, or None if that is after close."""
    send_at = next_allowed_instant(due_at, tz, quiet_start, quiet_end)
    return send_at if send_at < closes_at else None
