"""Show stored UTC instants in a person's or site's IANA zone, always with the zone named."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

def to_local(at: datetime, zone: str) -> datetime:
    """The instant in the zone (stored times are UTC; naive ones are read as UTC)."""
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return at.astimezone(ZoneInfo(zone))


def offset_label(at: datetime, zone: str) -> str:
    """The zone's UTC offset at that instant, for example ``UTC+8`` or ``UTC-3:30``."""
    offset = to_local(at, zone).utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds()) // 60
    sign = "+" if minutes >= 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")

def format_local(at: datetime | None, zone: str, *, date_only: bool = False,
                 with_zone: bool = True) -> str:
    """``2027-01-11 14:05 UTC+8`` (or the date alone); empty for a missing time."""
    if at is None:
        return ""
    local = to_local(at, zone)
    text = local.strftime("%Y-%m-%d" if date_only else "%Y-%m-%d %H:%M")
    return f"{text} {offset_label(at, zone)}" if with_zone and not date_only else text

def clock_span(seconds: float) -> str:
    """A duration as ``H:MM:SS`` (absolute value), the shape the live countdowns use."""
    total = int(abs(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}"
