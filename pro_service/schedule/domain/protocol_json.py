"""Readers for the JSON shapes of a protocol file: typed fields, clock times, series expansion.

They raise `Invalid(where, reason)`; `protocol.parse_protocol` adds the file name.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

CLOCK = re.compile(r"^(?P<h>[01]\d|2[0-4]):(?P<m>[0-5]\d)$")
OFFSET = re.compile(r"^\s*(?:(?P<k>-?\d+)\s*\*\s*)?(?P<var>[a-z]\w*)\s*(?:(?P<sign>[+-])\s*(?P<c>\d+))?\s*$")
MAX_SERIES = 1000  # a guard against a typo such as "to": 48000


class Invalid(Exception):
    """A protocol file value is wrong: where it is and why."""

    def __init__(self, where: str, reason: str) -> None:
        super().__init__(f"{where}: {reason}")
        self.where = where
        self.reason = reason


def need(data: Mapping[str, Any], key: str, kind: type | tuple[type, ...], where: str) -> Any:
    """Return `data[key]`, refusing a missing key or a value of the wrong JSON type."""
    if key not in data:
        raise Invalid(where, f"missing {key!r}")
    value = data[key]
    if not _is_kind(value, kind):
        raise Invalid(where, f"{key!r} has the wrong type ({type(value).__name__})")
    return value


def optional(data: Mapping[str, Any], key: str, kind: type | tuple[type, ...], where: str, default: Any) -> Any:
    """Return `data[key]` when present (type-checked), else `default`."""
    return need(data, key, kind, where) if key in data else default


def _is_kind(value: Any, kind: type | tuple[type, ...]) -> bool:
    # JSON booleans are Python ints; never accept one where a number is meant.
    if isinstance(value, bool):
        return kind is bool or (isinstance(kind, tuple) and bool in kind)
    return isinstance(value, kind)


def clock(text: Any, where: str, *, allow_24: bool = False) -> timedelta:
    """Parse a local clock time "HH:MM" into time after local midnight; "24:00" only when allowed."""
    match = CLOCK.match(text) if isinstance(text, str) else None
    if match is None:
        raise Invalid(where, f"bad time format {text!r}: expected HH:MM (24-hour clock)")
    hours, minutes = int(match["h"]), int(match["m"])
    if hours == 24 and not allow_24:
        raise Invalid(where, f"bad time format {text!r}: 24:00 is allowed only as a closing time")
    if hours == 24 and minutes:
        raise Invalid(where, f"bad time format {text!r}: later than 24:00")
    return timedelta(hours=hours, minutes=minutes)


def expand(entry: Mapping[str, Any], where: str) -> list[tuple[str, dict[str, Any]]]:
    """Expand a timepoint entry: one with a "series" becomes one entry per combination of values.

    `{"series": {"n": {"from": 1, "to": 48}}, "code": "SC-W{n}", "offset_days": "7*n"}` gives
    SC-W1 … SC-W48; a list (`"d": [1, 3, 7]`) enumerates values; several variables multiply,
    the first one varying slowest. "{var}" in strings is replaced; offset_days may be an
    expression `k*var`, `var`, `k*var+c` or `var-c` (DESIGN §3: compact repeated series).
    """
    if "series" not in entry:
        return [(where, dict(entry))]
    variables = _series_variables(need(entry, "series", dict, where), where)
    names = list(variables)
    combos = list(itertools.product(*variables.values()))
    if len(combos) > MAX_SERIES:
        raise Invalid(where, f"series expands to {len(combos)} timepoints (limit {MAX_SERIES})")
    template = {k: v for k, v in entry.items() if k != "series"}
    return [_instance(template, dict(zip(names, combo, strict=True)), where) for combo in combos]


def _series_variables(spec: Mapping[str, Any], where: str) -> dict[str, list[int]]:
    if not spec:
        raise Invalid(where, "series names no variable")
    variables: dict[str, list[int]] = {}
    for name, values in spec.items():
        if not re.fullmatch(r"[a-z]\w*", name):
            raise Invalid(where, f"series variable {name!r} must be a lower-case name")
        variables[name] = _series_values(name, values, where)
    return variables


def _series_values(name: str, values: Any, where: str) -> list[int]:
    if isinstance(values, list) and values and all(_is_kind(v, int) for v in values):
        return list(values)
    if isinstance(values, dict):
        start = need(values, "from", int, f"{where} series {name}")
        stop = need(values, "to", int, f"{where} series {name}")
        if stop >= start:
            return list(range(start, stop + 1))
        raise Invalid(where, f"series {name}: 'to' ({stop}) is before 'from' ({start})")
    raise Invalid(where, f"series {name}: expected a list of integers or {{'from': …, 'to': …}}")


def _instance(template: Mapping[str, Any], values: dict[str, int], where: str) -> tuple[str, dict[str, Any]]:
    shown = where + " with " + ", ".join(f"{k}={v}" for k, v in values.items())
    out: dict[str, Any] = {}
    for key, value in template.items():
        if key == "offset_days" and isinstance(value, str):
            out[key] = offset(value, values, shown)
        elif isinstance(value, str):
            out[key] = _fill(value, values, shown)
        else:
            out[key] = value
    return shown, out


def _fill(text: str, values: Mapping[str, int], where: str) -> str:
    try:
        return text.format_map(values)
    except (KeyError, ValueError, IndexError) as exc:
        raise Invalid(where, f"cannot fill {text!r} with series values: {exc}") from exc


def offset(expr: str, values: Mapping[str, int], where: str) -> int:
    """Evaluate a linear offset such as "7*n", "d" or "7*n+1" for one series instance."""
    match = OFFSET.match(expr)
    if match is None:
        raise Invalid(where, f"offset_days {expr!r} is not of the form k*var, var or k*var+c")
    if match["var"] not in values:
        raise Invalid(where, f"offset_days {expr!r} uses unknown series variable {match['var']!r}")
    days = int(match["k"] or 1) * values[match["var"]]
    if match["c"]:
        days += int(match["c"]) if match["sign"] == "+" else -int(match["c"])
    return days
