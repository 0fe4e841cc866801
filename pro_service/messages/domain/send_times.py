"""When a queued message will go out, as the participant's clock reads it (DESIGN §3 quiet hours).

Pure: no clock, no database. A newcomer who queues an invitation at 21:07 local must see
"goes out 08:00 tomorrow" instead of a silent queue.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class SendTime:
    at_utc: datetime
    at_local: datetime  # in the participant's zone, with its offset
    zone: str
    held_for_quiet_hours: bool  # queued inside quiet hours and held until they end
    quiet_hours: str  # "21:00–08:00"


def in_quiet(local: time, start: time, end: time) -> bool:
    """Local clock time inside quiet hours [start, end); start after end wraps midnight."""
    if start == end:
        return False
    if start < end:
        return start <= local < end
    return local >= start or local < end


def send_time(send_after: datetime, created_at: datetime, zone: str, quiet_start: time,
              quiet_end: time) -> SendTime:
    """Describe a queued message's send time in the participant's zone."""
    tz = ZoneInfo(zone)
    local_created = created_at.astimezone(tz)
    held = send_after > created_at and in_quiet(local_created.time(), quiet_start, quiet_end)
    return SendTime(send_after, send_after.astimezone(tz), zone, held,
                    f"{quiet_start:%H:%M}–{quiet_end:%H:%M}")
