"""Local-time rules: window bounds from local calendar days, quiet hours (DESIGN §1 "Time", §3).

Every instant returned is timezone-aware UTC; every rule is computed on the participant's local
wall clock with `zoneinfo`, so it holds across daylight-saving changes.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from pro_service.schedule.domain.protocol import Protocol, Window

DEFAULT_QUIET_START = time(21, 0)  # DESIGN §3: never in quiet hours 21:00–08:00 local
DEFAULT_QUIET_END = time(8, 0)


def as_zone(tz: str | ZoneInfo) -> ZoneInfo:
    """Accept an IANA name or a ZoneInfo."""
    return tz if isinstance(tz, ZoneInfo) else ZoneInfo(tz)


def require_aware(at: datetime, name: str = "instant") -> None:
    """Refuse naive datetimes: instants are always timezone-aware (DESIGN §1 "Time")."""
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, got {at!r}")


def local_to_utc(wall: datetime, zone: ZoneInfo) -> datetime:
    """Turn a naive local wall time into the UTC instant it names.

    An ambiguous wall time (autumn fall-back) means its first occurrence; a wall time that does
    not exist (spring-forward gap) means the first valid instant after the gap.
    """
    earlier = wall.replace(tzinfo=zone, fold=0)
    if _exists(earlier):
        return earlier.astimezone(UTC)
    return _gap_end(wall, zone)


def _exists(aware: datetime) -> bool:
    round_trip = aware.astimezone(UTC).astimezone(aware.tzinfo)
    return round_trip.replace(tzinfo=None) == aware.replace(tzinfo=None)


def _gap_end(wall: datetime, zone: ZoneInfo) -> datetime:
    """Find the transition instant that skipped `wall` (PEP 495: fold=1 reads the gap with the new offset)."""
    before = wall.replace(tzinfo=zone, fold=1).astimezone(UTC)  # lies before the transition
    after = wall.replace(tzinfo=zone, fold=0).astimezone(UTC)  # lies after it
    old_offset = before.astimezone(zone).utcoffset()
    while after - before > timedelta(microseconds=1):
        middle = before + (after - before) / 2
        if middle.astimezone(zone).utcoffset() == old_offset:
            before = middle
        else:
            after = middle
    return after


def window_days(target: date, window: Window) -> tuple[date, date]:
    """Return the first and last local calendar days of a window around its target (DESIGN §3)."""
    return target + timedelta(days=window.from_days), target + timedelta(days=window.to_days)


def window_bounds(
    target: date, window: Window, protocol: Protocol, tz: str | ZoneInfo
) -> tuple[datetime, datetime]:
    """Return (opens_at, closes_at) in UTC for a window, from local calendar days.

    Opens at `window_times.opens` (09:00) local on the first day, closes at `window_times.closes`
    (24:00, the end of the day) local on the last day, as the protocol file sets them.
    """
    zone = as_zone(tz)
    first, last = window_days(target, window)
    opens = datetime.combine(first, time()) + protocol.opens_after_midnight
    closes = datetime.combine(last, time()) + protocol.closes_after_midnight
    return local_to_utc(opens, zone), local_to_utc(closes, zone)


def in_quiet_hours(local: time, quiet_start: time, quiet_end: time) -> bool:
    """Tell whether a local clock time falls in quiet hours [start, end).

    Start after end wraps over midnight (21:00–08:00); start before end is a same-day range;
    equal start and end means no quiet hours.
    """
    if quiet_start <= quiet_end:
        return quiet_start <= local < quiet_end
    return local >= quiet_start or local < quiet_end


def next_allowed_instant(
    at_utc: datetime,
    tz: str | ZoneInfo,
    quiet_start: time = DEFAULT_QUIET_START,
    quiet_end: time = DEFAULT_QUIET_END,
) -> datetime:
    """Defer an instant that falls in local quiet hours to the moment they end (DESIGN §3).

    Outside quiet hours the instant is returned unchanged. Inside, the result is the next
    local `quiet_end` (08:00), the same day or the next; if that wall time is skipped by a
    daylight-saving gap, the first valid instant after the gap.
    """
    require_aware(at_utc, "at_utc")
    zone = as_zone(tz)
    local = at_utc.astimezone(zone)
    if not in_quiet_hours(local.time(), quiet_start, quiet_end):
        return at_utc
    end_day = local.date()
    if local.time() >= quiet_end:  # overnight range, after its start: it ends tomorrow
        end_day += timedelta(days=1)
    return _first_after(datetime.combine(end_day, quiet_end), zone, at_utc)


def _first_after(wall: datetime, zone: ZoneInfo, at_utc: datetime) -> datetime:
    """Resolve `wall` to an instant after `at_utc`; on a fall-back day try its second occurrence."""
    candidate = local_to_utc(wall, zone)
    if candidate <= at_utc:
        candidate = wall.replace(tzinfo=zone, fold=1).astimezone(UTC)
    return max(candidate, at_utc.astimezone(UTC))


def local_window_days(opens_at: datetime, closes_at: datetime, tz: str | ZoneInfo) -> tuple[date, date]:
    """The first and last local calendar days an occasion's window covers (24:00 closes the day before)."""
    zone = as_zone(tz)
    return opens_at.astimezone(zone).date(), (closes_at - timedelta(microseconds=1)).astimezone(zone).date()


def zone_outside_quiet_hours(now: datetime, zones: list[str], quiet_start: time = DEFAULT_QUIET_START,
                             quiet_end: time = DEFAULT_QUIET_END) -> str:
    """The first zone whose local clock is outside quiet hours with an hour to spare (demo data:
    a newcomer sees an invitation go out at any hour); the first zone when none is."""
    require_aware(now, "now")
    for name in zones:
        local = now.astimezone(as_zone(name))
        later = (local + timedelta(hours=1)).time()
        if not in_quiet_hours(local.time(), quiet_start, quiet_end) and \
                not in_quiet_hours(later, quiet_start, quiet_end):
            return name
    return zones[0]
