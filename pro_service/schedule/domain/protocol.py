"""The visit protocol as frozen values, loaded and validated from `protocols/*.json` (DESIGN §3)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import time, timedelta
from pathlib import Path
from typing import Any

from pro_service.schedule.domain.protocol_json import Invalid, clock, expand, need, optional

KNOWN_INSTRUMENTS = frozenset({"EQ5D5L", "CLDQ", "SYMPTOMS"})  # the questionnaires of DESIGN §4
ROOT_ANCHOR = "baseline"  # study day 0; every other anchor defaults to an offset from it (DESIGN §3)


class ProtocolError(ValueError):
    """A protocol file is unusable: names the file, the place in it and the reason."""

    def __init__(self, file: str, where: str, reason: str) -> None:
        super().__init__(f"{file}: {where}: {reason}")
        self.file = file
        self.where = where
        self.reason = reason


@dataclass(frozen=True)
class Window:
    """Days relative to the target date, both ends included (DESIGN §3 "window": −14 … 0, ±3, ±7)."""

    from_days: int
    to_days: int


@dataclass(frozen=True)
class Anchor:
    """A per-participant date timepoints count from; `None` default means it must be given."""

    name: str
    label: str
    default_days_after_baseline: int | None


@dataclass(frozen=True)
class Timepoint:
    """One scheduled assessment: instruments due at anchor + offset days, within a window."""

    code: str
    label: str
    instruments: tuple[str, ...]
    anchor: str
    offset_days: int
    window: Window


@dataclass(frozen=True)
class Protocol:
    """A whole protocol file; times are local wall-clock offsets from local midnight."""

    code: str
    version: str
    title: str
    note: str
    anchors: tuple[Anchor, ...]
    timepoints: tuple[Timepoint, ...]
    opens_after_midnight: timedelta  # on the window's first local day (09:00)
    closes_after_midnight: timedelta  # on the window's last local day (24:00 = its end)
    reminder_hours: tuple[int, ...]  # after opening (24, 72)
    quiet_start: time  # default quiet hours for participants (21:00 – 08:00)
    quiet_end: time

    def timepoint(self, code: str) -> Timepoint:
        """Return the timepoint with this code."""
        for timepoint in self.timepoints:
            if timepoint.code == code:
                return timepoint
        raise KeyError(code)

    def anchor(self, name: str) -> Anchor:
        """Return the anchor with this name."""
        for anchor in self.anchors:
            if anchor.name == name:
                return anchor
        raise KeyError(name)


def load_protocol(path: str | Path, instruments: Iterable[str] = KNOWN_INSTRUMENTS) -> Protocol:
    """Read and validate a protocol file; any problem raises `ProtocolError` naming the file."""
    source = str(path)
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ProtocolError(source, "file", f"cannot read JSON: {exc}") from exc
    return parse_protocol(data, source, instruments)


def parse_protocol(data: Any, source: str, instruments: Iterable[str] = KNOWN_INSTRUMENTS) -> Protocol:
    """Validate already-decoded protocol JSON; `source` names it in errors."""
    try:
        return _protocol(data, frozenset(instruments))
    except Invalid as exc:
        raise ProtocolError(source, exc.where, exc.reason) from exc


def _protocol(data: Any, instruments: frozenset[str]) -> Protocol:
    if not isinstance(data, dict):
        raise Invalid("file", "the top level must be a JSON object")
    times = need(data, "window_times", dict, "window_times")
    quiet = need(data, "quiet_hours", dict, "quiet_hours")
    anchors = _anchors(need(data, "anchors", dict, "anchors"))
    opens = clock(need(times, "opens", str, "window_times.opens"), "window_times.opens")
    closes = clock(need(times, "closes", str, "window_times.closes"), "window_times.closes", allow_24=True)
    protocol = Protocol(
        code=_text(data, "code"),
        version=_text(data, "version"),
        title=optional(data, "title", str, "title", ""),
        note=optional(data, "note", str, "note", ""),
        anchors=anchors,
        timepoints=_timepoints(need(data, "timepoints", list, "timepoints"), anchors, instruments),
        opens_after_midnight=opens,
        closes_after_midnight=closes,
        reminder_hours=_reminders(need(data, "reminders", dict, "reminders")),
        quiet_start=_clock_time(quiet, "start", "quiet_hours.start"),
        quiet_end=_clock_time(quiet, "end", "quiet_hours.end"),
    )
    for timepoint in protocol.timepoints:
        _check_open_before_close(timepoint, opens, closes)
    return protocol


def _text(data: Mapping[str, Any], key: str) -> str:
    value: str = need(data, key, str, key)
    if not value.strip():
        raise Invalid(key, "must not be empty")
    return value


def _clock_time(data: Mapping[str, Any], key: str, where: str) -> time:
    after_midnight = clock(need(data, key, str, where), where)
    return time(after_midnight.seconds // 3600, after_midnight.seconds % 3600 // 60)


def _anchors(data: Mapping[str, Any]) -> tuple[Anchor, ...]:
    if ROOT_ANCHOR not in data:
        raise Invalid("anchors", f"the {ROOT_ANCHOR!r} anchor is required")
    anchors = []
    for name, spec in data.items():
        where = f"anchor {name!r}"
        if not isinstance(spec, dict):
            raise Invalid(where, "must be an object")
        default = optional(spec, "default_days_after_baseline", (int, type(None)), where, None)
        if name == ROOT_ANCHOR and default is not None:
            raise Invalid(where, "baseline is day 0 and cannot have a default offset")
        anchors.append(Anchor(name, optional(spec, "label", str, where, name), default))
    return tuple(anchors)


def _reminders(data: Mapping[str, Any]) -> tuple[int, ...]:
    where = "reminders.hours_after_opening"
    hours = need(data, "hours_after_opening", list, where)
    if not all(isinstance(h, int) and not isinstance(h, bool) and h > 0 for h in hours):
        raise Invalid(where, f"expected positive whole hours, got {hours!r}")
    if any(later <= earlier for earlier, later in zip(hours, hours[1:], strict=False)):
        raise Invalid(where, f"hours must increase, got {hours!r}")
    return tuple(hours)


def _timepoints(
    entries: list[Any], anchors: tuple[Anchor, ...], instruments: frozenset[str]
) -> tuple[Timepoint, ...]:
    if not entries:
        raise Invalid("timepoints", "the protocol has no timepoint")
    names = {anchor.name for anchor in anchors}
    timepoints: list[Timepoint] = []
    seen: set[str] = set()
    for index, entry in enumerate(entries):
        if not isinstance(entry, dict):
            raise Invalid(f"timepoints[{index}]", "must be an object")
        raw = entry.get("code")
        for where, spec in expand(entry, f"timepoint {raw!r}" if isinstance(raw, str) else f"timepoints[{index}]"):
            timepoint = _timepoint(spec, where, names, instruments)
            if timepoint.code in seen:
                raise Invalid(f"timepoint {timepoint.code!r}", "duplicate timepoint code")
            seen.add(timepoint.code)
            timepoints.append(timepoint)
    return tuple(timepoints)


def _timepoint(spec: Mapping[str, Any], where: str, anchors: set[str], instruments: frozenset[str]) -> Timepoint:
    code = need(spec, "code", str, where)
    if not code.strip():
        raise Invalid(where, "code must not be empty")
    anchor = need(spec, "anchor", str, where)
    if anchor not in anchors:
        raise Invalid(where, f"unknown anchor {anchor!r} (known: {', '.join(sorted(anchors))})")
    return Timepoint(
        code=code,
        label=optional(spec, "label", str, where, code),
        instruments=_instrument_codes(need(spec, "instruments", list, where), where, instruments),
        anchor=anchor,
        offset_days=need(spec, "offset_days", int, where),
        window=_window(need(spec, "window", dict, where), where),
    )


def _instrument_codes(codes: list[Any], where: str, known: frozenset[str]) -> tuple[str, ...]:
    if not codes:
        raise Invalid(where, "lists no instrument")
    for code in codes:
        if code not in known:
            raise Invalid(where, f"unknown instrument code {code!r} (known: {', '.join(sorted(known))})")
    if len(set(codes)) != len(codes):
        raise Invalid(where, f"an instrument is listed twice: {codes!r}")
    return tuple(codes)


def _window(data: Mapping[str, Any], where: str) -> Window:
    window = Window(need(data, "from_days", int, where), need(data, "to_days", int, where))
    if window.to_days < window.from_days:
        raise Invalid(where, f"window ends (day {window.to_days}) before it starts (day {window.from_days})")
    return window


def _check_open_before_close(timepoint: Timepoint, opens: timedelta, closes: timedelta) -> None:
    """A window opens on its first day at `opens` and closes on its last day at `closes`."""
    span = timedelta(days=timepoint.window.to_days - timepoint.window.from_days) + closes
    if span <= opens:
        raise Invalid(f"timepoint {timepoint.code!r}", "the window closes before it opens")
