"""A participant's occasions: every timepoint × instrument of the protocol placed in time (DESIGN §3)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from pro_service.schedule.domain.protocol import ROOT_ANCHOR, Protocol, Timepoint
from pro_service.schedule.domain.reminders import planned_reminders
from pro_service.schedule.domain.windows import as_zone, window_bounds, window_days


@dataclass(frozen=True)
class OccasionSpec:
    """One occasion to schedule; dates are local calendar days, instants aware UTC."""

    timepoint: str
    instrument: str
    anchor: str
    target: date
    first_day: date  # the window's first local day (the opening day)
    last_day: date  # the window's last local day
    opens_at: datetime
    closes_at: datetime
    reminders: tuple[datetime, ...]  # planned from opens_at; only those before closes_at

    @property
    def key(self) -> tuple[str, str]:
        """The identity of an occasion for one participant: (timepoint, instrument)."""
        return self.timepoint, self.instrument


def anchor_date(anchors: Mapping[str, Any] | object, name: str) -> date | None:
    """Read one anchor date from a mapping or from an object's attribute of that name."""
    value = anchors.get(name) if isinstance(anchors, Mapping) else getattr(anchors, name, None)
    if isinstance(value, datetime):
        raise TypeError(f"anchor {name} must be a date, not a datetime: {value!r}")
    if value is not None and not isinstance(value, date):
        raise TypeError(f"anchor {name} must be a date or None, got {value!r}")
    return value


def resolve_anchors(protocol: Protocol, anchors: Mapping[str, Any] | object) -> dict[str, date]:
    """Return every anchor's date: given ones as they are, missing ones at their default offset.

    DESIGN §3: infusion_1..3 default to baseline + 0, 28, 56 days (the protocol file's
    `default_days_after_baseline`). Without a baseline nothing can be placed: empty result.
    """
    baseline = anchor_date(anchors, ROOT_ANCHOR)
    if baseline is None:
        return {}
    dates: dict[str, date] = {}
    for anchor in protocol.anchors:
        given = anchor_date(anchors, anchor.name)
        if given is not None:
            dates[anchor.name] = given
        elif anchor.default_days_after_baseline is not None:
            dates[anchor.name] = baseline + timedelta(days=anchor.default_days_after_baseline)
    return dates


def occasions_for(
    protocol: Protocol, anchors: Mapping[str, Any] | object, tz: str | ZoneInfo
) -> list[OccasionSpec]:
    """Place every timepoint × instrument of the protocol for one participant.

    Target = anchor date + offset days; the window opens and closes on local calendar days
    (see `windows.window_bounds`); reminders are planned 24 h and 72 h after opening when
    before close (DESIGN §3). Sorted by opens_at, then timepoint, then the protocol's instrument order.
    """
    zone = as_zone(tz)
    dates = resolve_anchors(protocol, anchors)
    specs = [
        spec
        for timepoint in protocol.timepoints
        if timepoint.anchor in dates
        for spec in _specs(protocol, timepoint, dates[timepoint.anchor], zone)
    ]
    return sorted(specs, key=lambda s: (s.opens_at, s.timepoint))  # stable: protocol instrument order


def _specs(protocol: Protocol, timepoint: Timepoint, anchor: date, zone: ZoneInfo) -> list[OccasionSpec]:
    target = anchor + timedelta(days=timepoint.offset_days)
    first, last = window_days(target, timepoint.window)
    opens_at, closes_at = window_bounds(target, timepoint.window, protocol, zone)
    reminders = planned_reminders(opens_at, closes_at, protocol.reminder_hours)
    return [
        OccasionSpec(
            timepoint=timepoint.code,
            instrument=instrument,
            anchor=timepoint.anchor,
            target=target,
            first_day=first,
            last_day=last,
            opens_at=opens_at,
            closes_at=closes_at,
            reminders=reminders,
        )
        for instrument in timepoint.instruments
    ]
