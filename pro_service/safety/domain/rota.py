"""On-call rota per site (DESIGN §10): weekday and hour ranges in the site's local time.

A shift covers the given weekdays (Monday = 0) from `start` to `end` local time; when `end` is
not after `start` the shift runs overnight into the next day (the weekday is the day it starts);
`start == end` is a whole 24 hours from `start`.
Times are compared in the site zone with `zoneinfo`, so a DST change moves nobody's shift.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class Shift:
    staff_id: int
    weekdays: frozenset[int]
    start: time
    end: time

    def covers(self, local: datetime) -> bool:
        """Tell whether the shift is on at this local wall-clock time."""
        clock = local.time().replace(tzinfo=None)
        if self.start < self.end:
            return local.weekday() in self.weekdays and self.start <= clock < self.end
        if clock >= self.start:  # overnight shift, evening part
            return local.weekday() in self.weekdays
        previous = (local.weekday() - 1) % 7  # overnight shift, morning part
        return previous in self.weekdays and clock < self.end


def on_call(shifts: Iterable[Shift], at: datetime, zone: str) -> list[int]:
    """Staff ids on call at the instant `at`, in rota order, each once."""
    local = at.astimezone(ZoneInfo(zone))
    seen: list[int] = []
    for shift in shifts:
        if shift.covers(local) and shift.staff_id not in seen:
            seen.append(shift.staff_id)
    return seen


def escalation_order(on_call_ids: Sequence[int], coordinators: Sequence[int],
                     investigators: Sequence[int], safety_desk: Sequence[int]) -> list[int]:
    """Who is told, in order: on call now, the other coordinators, investigators, safety desk.

    With nobody on call the chain goes straight to the investigators and the safety desk.
    """
    order = [*on_call_ids, *coordinators] if on_call_ids else []
    order += [*investigators, *safety_desk]
    return list(dict.fromkeys(order))


def parse_weekdays(text: str) -> frozenset[int]:
    """'mon-fri', 'sat,sun', 'mon,wed-fri' or 'daily' to weekday numbers (Monday = 0)."""
    text = text.strip().lower()
    if text in ("daily", "all", "*"):
        return frozenset(range(7))
    days: set[int] = set()
    for part in filter(None, (p.strip() for p in text.split(","))):
        first, dash, last = part.partition("-")
        if first not in WEEKDAYS or (dash and last not in WEEKDAYS):  # "mon-" is no range
            raise ValueError(f"unknown weekday in {part!r}; use mon..sun, ranges like mon-fri")
        a, b = WEEKDAYS.index(first), WEEKDAYS.index(last or first)
        days.update((a + i) % 7 for i in range(((b - a) % 7) + 1))
    if not days:
        raise ValueError("no weekdays given")
    return frozenset(days)


def format_weekdays(days: Iterable[int]) -> str:
    """Weekday numbers as 'mon,tue,…' (the stored form)."""
    return ",".join(WEEKDAYS[d] for d in sorted(set(days)))


def parse_clock(text: str) -> time:
    """'08:00' or '8:30' to a time; '24:00' is midnight."""
    hours, _, minutes = text.strip().partition(":")
    if not (hours.isdigit() and minutes.isdigit() and len(minutes) == 2):
        raise ValueError(f"time {text!r} must look like 08:00")
    h, m = int(hours), int(minutes)
    if h == 24 and m == 0:
        return time(0, 0)
    if not (0 <= h < 24 and 0 <= m < 60):
        raise ValueError(f"time {text!r} is not a time of day")
    return time(h, m)


def uncovered_hours(shifts: Sequence[Shift], zone: str, week_start: datetime) -> list[tuple[int, int]]:
    """Hours of a local week (weekday, hour) when nobody is on call: the rota's gaps."""
    local0 = week_start.astimezone(ZoneInfo(zone)).replace(hour=0, minute=0, second=0, microsecond=0)
    local0 -= timedelta(days=local0.weekday())
    gaps: list[tuple[int, int]] = []
    for day in range(7):
        for hour in range(24):
            wall = (local0 + timedelta(days=day)).replace(hour=hour, minute=30)
            if not any(s.covers(wall) for s in shifts):
                gaps.append((day, hour))
    return gaps
