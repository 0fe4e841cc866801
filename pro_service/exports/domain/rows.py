"""Long-format score rows for analysts: study day, window, change from baseline (DESIGN §7)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from pro_service.exports.domain.catalog import SCORES

BASELINE_TIMEPOINT = "BL"

SCORE_COLUMNS = SCORES.columns


@dataclass(frozen=True)
class ScoreRecord:
    """One stored score of a current complete response, with what is needed to place it."""

    study_id: str
    site: str
    timezone: str
    baseline: date | None  # the participant's baseline anchor date
    timepoint: str
    target_date: date
    opens_at: datetime
    closes_at: datetime
    completed_at: datetime  # UTC: first submission of the occasion (corrections keep it)
    channel: str
    instrument: str
    scale: str
    value: float | None
    algorithm_id: str
    baseline_value: float | None  # the same participant and scale at the BL timepoint
    version: int
    completed_on: date | None = None  # paper: the local date written on the form (no time known)


def study_day(on: date, reference: date | None) -> int | None:
    """CDISC study day: (date − reference) + 1 on or after the reference, date − reference before.

    SDTMIG v3.4 §4.4.4 (--DY): there is no day 0; the reference date is day 1.
    """
    if reference is None:
        return None
    delta = (on - reference).days
    return delta + 1 if delta >= 0 else delta


def local_time(instant: datetime, timezone: str) -> datetime:
    """The participant's wall-clock time of an instant (DST-safe through zoneinfo)."""
    return instant.astimezone(ZoneInfo(timezone))


def in_window(completed_at: datetime, opens_at: datetime, closes_at: datetime) -> bool:
    """Completed inside the occasion's window: opens ≤ completed < closes (DESIGN §3 windows)."""
    return opens_at <= completed_at < closes_at


def change_from_baseline(record: ScoreRecord) -> float | None:
    """Value − baseline value for post-baseline records; empty on the baseline record itself.

    ADaM IG v1.1 §3.3.4: CHG is populated for post-baseline records and may be null at baseline.
    Rounded to 6 places to drop binary floating-point noise (index values carry 3).
    """
    if record.timepoint == BASELINE_TIMEPOINT:
        return None
    if record.value is None or record.baseline_value is None:
        return None
    return round(record.value - record.baseline_value, 6)


def window_days(opens_at: datetime, closes_at: datetime, timezone: str) -> tuple[date, date]:
    """The first and last local days of a window (it closes at 24:00, i.e. the next midnight)."""
    zone = ZoneInfo(timezone)
    return opens_at.astimezone(zone).date(), (closes_at - timedelta(microseconds=1)).astimezone(zone).date()


def score_row(record: ScoreRecord) -> dict[str, Any]:
    """One export row (keys in `SCORE_COLUMNS` order); no phone, name or arm exists here.

    A paper form gives a date, not an instant: its completed_at columns stay empty and
    completed_on, study day and in-window come from the date the participant wrote.
    """
    local = local_time(record.completed_at, record.timezone)
    if record.completed_on is not None:
        first, last = window_days(record.opens_at, record.closes_at, record.timezone)
        on, at_utc, at_local = record.completed_on, None, None
        inside = first <= on <= last
    else:
        on, at_utc, at_local = local.date(), record.completed_at.isoformat(), local.isoformat()
        inside = in_window(record.completed_at, record.opens_at, record.closes_at)
    return {
        "study_id": record.study_id,
        "site": record.site,
        "timepoint": record.timepoint,
        "target_date": record.target_date.isoformat(),
        "completed_at_utc": at_utc,
        "completed_at_local": at_local,
        "study_day": study_day(on, record.baseline),
        "completed_on": on.isoformat(),
        "in_window": inside,
        "channel": record.channel,
        "instrument": record.instrument,
        "scale": record.scale,
        "value": record.value,
        "algorithm_id": record.algorithm_id,
        "baseline_flag": "Y" if record.timepoint == BASELINE_TIMEPOINT and record.value is not None
        else None,
        "baseline_value": record.baseline_value,
        "change_from_baseline": change_from_baseline(record),
        "response_version": record.version,
    }
