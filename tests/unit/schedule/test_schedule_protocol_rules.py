"""Every protocol-file refusal with its exact place and reason, and the accepted edge values.

Staff fix a protocol file from these messages alone, so each is compared whole.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from datetime import time, timedelta
from pathlib import Path
from typing import Any

import pytest

from pro_service.schedule.domain.protocol import Protocol, ProtocolError, parse_protocol
from pro_service.schedule.domain.protocol_json import MAX_SERIES, Invalid, clock, expand, offset

PROTOCOL_FILE = Path(__file__).resolve().parents[3] / "protocols" / "nct05121870.json"
DEFAULT = json.loads(PROTOCOL_FILE.read_text(encoding="utf-8"))
Change = Callable[[dict[str, Any]], object]


def _tp(data: dict[str, Any], code: str) -> dict[str, Any]:
    return next(tp for tp in data["timepoints"] if tp["code"] == code)


def _parse(change: Change | None = None) -> Protocol:
    data = copy.deepcopy(DEFAULT)
    if change:
        change(data)
    return parse_protocol(data, "p.json")


def _refusal(change: Change) -> tuple[str, str]:
    with pytest.raises(ProtocolError) as caught:
        _parse(change)
    error = caught.value
    assert str(error) == f"p.json: {error.where}: {error.reason}" and error.file == "p.json"
    return error.where, error.reason


def _set(path: list[str], value: Any) -> Change:
    def change(data: dict[str, Any]) -> None:
        target = data
        for key in path[:-1]:
            target = _tp(target, key) if key.isupper() or "{" in key else target[key]
        target[path[-1]] = value

    return change


def _drop(path: list[str]) -> Change:
    def change(data: dict[str, Any]) -> None:
        target = data
        for key in path[:-1]:
            target = _tp(target, key) if key.isupper() or "{" in key else target[key]
        del target[path[-1]]

    return change


CASES: list[tuple[str, Change, tuple[str, str]]] = [
    ("empty code", _set(["code"], " "), ("code", "must not be empty")),
    ("code not text", _set(["code"], 7), ("code", "'code' has the wrong type (int)")),
    ("no version", _drop(["version"]), ("version", "missing 'version'")),
    ("title not text", _set(["title"], 1), ("title", "'title' has the wrong type (int)")),
    ("no baseline", _drop(["anchors", "baseline"]),
     ("anchors", "the 'baseline' anchor is required")),
    ("anchor not an object", _set(["anchors", "infusion_1"], 3),
     ("anchor 'infusion_1'", "must be an object")),
    ("baseline with an offset", _set(["anchors", "baseline", "default_days_after_baseline"], 0),
     ("anchor 'baseline'", "baseline is day 0 and cannot have a default offset")),
    ("offset as text", _set(["anchors", "infusion_2", "default_days_after_baseline"], "28"),
     ("anchor 'infusion_2'", "'default_days_after_baseline' has the wrong type (str)")),
    ("zero reminder hour", _set(["reminders", "hours_after_opening"], [0, 24]),
     ("reminders.hours_after_opening", "expected positive whole hours, got [0, 24]")),
    ("boolean reminder hour", _set(["reminders", "hours_after_opening"], [True, 24]),
     ("reminders.hours_after_opening", "expected positive whole hours, got [True, 24]")),
    ("fractional reminder hour", _set(["reminders", "hours_after_opening"], [1.5]),
     ("reminders.hours_after_opening", "expected positive whole hours, got [1.5]")),
    ("repeated reminder hour", _set(["reminders", "hours_after_opening"], [24, 24]),
     ("reminders.hours_after_opening", "hours must increase, got [24, 24]")),
    ("no timepoints", _set(["timepoints"], []), ("timepoints", "the protocol has no timepoint")),
    ("timepoint not an object", lambda d: d["timepoints"].insert(1, "W2"),
     ("timepoints[1]", "must be an object")),
    ("timepoint without code", _drop(["W12", "code"]), ("timepoints[2]", "missing 'code'")),
    ("empty timepoint code", _set(["W12", "code"], "  "),
     ("timepoint '  '", "code must not be empty")),
    ("duplicate code", _set(["W36", "code"], "W24"),
     ("timepoint 'W24'", "duplicate timepoint code")),
    ("unknown anchor", _set(["W4", "anchor"], "visit_9"),
     ("timepoint 'W4'",
      "unknown anchor 'visit_9' (known: baseline, infusion_1, infusion_2, infusion_3)")),
    ("no instruments", _set(["W4", "instruments"], []), ("timepoint 'W4'", "lists no instrument")),
    ("unknown instrument", _set(["W4", "instruments"], ["EQ5D3L"]),
     ("timepoint 'W4'", "unknown instrument code 'EQ5D3L' (known: CLDQ, EQ5D5L, SYMPTOMS)")),
    ("instrument twice", _set(["W4", "instruments"], ["CLDQ", "CLDQ"]),
     ("timepoint 'W4'", "an instrument is listed twice: ['CLDQ', 'CLDQ']")),
    ("window backwards", _set(["W12", "window"], {"from_days": 7, "to_days": -7}),
     ("timepoint 'W12'", "window ends (day -7) before it starts (day 7)")),
    ("offset as a float", _set(["W12", "offset_days"], 84.0),
     ("timepoint 'W12'", "'offset_days' has the wrong type (float)")),
    ("offset as a boolean", _set(["W12", "offset_days"], True),
     ("timepoint 'W12'", "'offset_days' has the wrong type (bool)")),
    ("bad clock", _set(["quiet_hours", "start"], "9pm"),
     ("quiet_hours.start", "bad time format '9pm': expected HH:MM (24-hour clock)")),
    ("24:00 as an opening", _set(["window_times", "opens"], "24:00"),
     ("window_times.opens", "bad time format '24:00': 24:00 is allowed only as a closing time")),
    ("24:00 quiet start", _set(["quiet_hours", "start"], "24:00"),
     ("quiet_hours.start", "bad time format '24:00': 24:00 is allowed only as a closing time")),
    ("later than 24:00", _set(["window_times", "closes"], "24:01"),
     ("window_times.closes", "bad time format '24:01': later than 24:00")),
    ("closes as it opens", lambda d: (d["window_times"].update(closes="09:00"),
                                      _tp(d, "BL").update(window={"from_days": 0, "to_days": 0})),
     ("timepoint 'BL'", "the window closes before it opens")),
    ("empty series", _set(["SC-W{n}", "series"], {}),
     ("timepoint 'SC-W{n}'", "series names no variable")),
    ("upper-case variable", _set(["SC-W{n}", "series"], {"N": [1]}),
     ("timepoint 'SC-W{n}'", "series variable 'N' must be a lower-case name")),
    ("series backwards", _set(["SC-W{n}", "series"], {"n": {"from": 5, "to": 1}}),
     ("timepoint 'SC-W{n}'", "series n: 'to' (1) is before 'from' (5)")),
    ("series of text", _set(["SC-W{n}", "series"], {"n": ["1"]}),
     ("timepoint 'SC-W{n}'", "series n: expected a list of integers or {'from': …, 'to': …}")),
    ("empty series list", _set(["SC-W{n}", "series"], {"n": []}),
     ("timepoint 'SC-W{n}'", "series n: expected a list of integers or {'from': …, 'to': …}")),
    ("series without to", _set(["SC-W{n}", "series"], {"n": {"from": 1}}),
     ("timepoint 'SC-W{n}' series n", "missing 'to'")),
    ("series too long", _set(["SC-W{n}", "series"], {"n": {"from": 1, "to": MAX_SERIES + 1}}),
     ("timepoint 'SC-W{n}'", f"series expands to {MAX_SERIES + 1} timepoints (limit 1000)")),
    ("unfillable text", _set(["SC-W{n}", "label"], "week {m}"),
     ("timepoint 'SC-W{n}' with n=1", "cannot fill 'week {m}' with series values: 'm'")),
    ("bad offset", _set(["SC-W{n}", "offset_days"], "7n"),
     ("timepoint 'SC-W{n}' with n=1", "offset_days '7n' is not of the form k*var, var or k*var+c")),
    ("no window times", _drop(["window_times"]), ("window_times", "missing 'window_times'")),
    ("no quiet hours", _drop(["quiet_hours"]), ("quiet_hours", "missing 'quiet_hours'")),
    ("no anchors", _drop(["anchors"]), ("anchors", "missing 'anchors'")),
    ("no opening time", _drop(["window_times", "opens"]), ("window_times.opens", "missing 'opens'")),
    ("no closing time", _drop(["window_times", "closes"]),
     ("window_times.closes", "missing 'closes'")),
    ("note not text", _set(["note"], 3), ("note", "'note' has the wrong type (int)")),
    ("timepoints not a list", _set(["timepoints"], {}),
     ("timepoints", "'timepoints' has the wrong type (dict)")),
    ("no reminders", _drop(["reminders"]), ("reminders", "missing 'reminders'")),
    ("anchor label not text", _set(["anchors", "infusion_1", "label"], 1),
     ("anchor 'infusion_1'", "'label' has the wrong type (int)")),
    ("no anchor", _drop(["W4", "anchor"]), ("timepoint 'W4'", "missing 'anchor'")),
    ("label not text", _set(["W4", "label"], 4),
     ("timepoint 'W4'", "'label' has the wrong type (int)")),
    ("no instrument list", _drop(["W4", "instruments"]),
     ("timepoint 'W4'", "missing 'instruments'")),
    ("no window", _drop(["W4", "window"]), ("timepoint 'W4'", "missing 'window'")),
    ("window without start", _set(["W4", "window"], {"to_days": 3}),
     ("timepoint 'W4'", "missing 'from_days'")),
    ("window without end", _set(["W4", "window"], {"from_days": -3}),
     ("timepoint 'W4'", "missing 'to_days'")),
    ("series as a list", _set(["SC-W{n}", "series"], [1, 2]),
     ("timepoint 'SC-W{n}'", "'series' has the wrong type (list)")),
    ("series without from", _set(["SC-W{n}", "series"], {"n": {"to": 3}}),
     ("timepoint 'SC-W{n}' series n", "missing 'from'")),
    ("two-variable series, bad offset", _set(["SC-INF{k}-D{d}", "offset_days"], "d*2"),
     ("timepoint 'SC-INF{k}-D{d}' with k=1, d=1",
      "offset_days 'd*2' is not of the form k*var, var or k*var+c")),
    ("offset with unknown variable", _set(["SC-W{n}", "offset_days"], "7*m"),
     ("timepoint 'SC-W{n}' with n=1", "offset_days '7*m' uses unknown series variable 'm'")),
]


def test_the_default_file_parses() -> None:
    protocol = _parse()
    assert len(protocol.timepoints) == 6 + 48 + 9


@pytest.mark.parametrize(("name", "change", "expected"), CASES, ids=[c[0] for c in CASES])
def test_a_broken_protocol_is_refused_with_its_place_and_reason(
        name: str, change: Change, expected: tuple[str, str]) -> None:
    assert _refusal(change) == expected


def test_a_top_level_that_is_not_an_object_is_refused() -> None:
    with pytest.raises(ProtocolError) as caught:
        parse_protocol([1, 2], "p.json")
    assert (caught.value.where, caught.value.reason) == (
        "file", "the top level must be a JSON object")


def test_a_series_of_exactly_the_limit_is_accepted() -> None:
    protocol = _parse(_set(["SC-W{n}", "series"], {"n": {"from": 1, "to": MAX_SERIES}}))
    assert protocol.timepoint(f"SC-W{MAX_SERIES}").offset_days == 7 * MAX_SERIES


def test_a_one_value_series_and_a_list_series_are_accepted() -> None:
    protocol = _parse(_set(["SC-W{n}", "series"], {"n": {"from": 4, "to": 4}}))
    assert [tp.code for tp in protocol.timepoints if tp.code.startswith("SC-W")] == ["SC-W4"]
    protocol = _parse(_set(["SC-W{n}", "series"], {"n": [2, 5]}))
    assert [tp.code for tp in protocol.timepoints if tp.code.startswith("SC-W")] == [
        "SC-W2", "SC-W5"]


def test_series_variables_multiply_the_first_varying_slowest() -> None:
    protocol = _parse()
    codes = [tp.code for tp in protocol.timepoints if tp.code.startswith("SC-INF")]
    assert codes[:4] == ["SC-INF1-D1", "SC-INF1-D3", "SC-INF1-D7", "SC-INF2-D1"]
    assert protocol.timepoint("SC-INF2-D3").anchor == "infusion_2"
    assert protocol.timepoint("SC-INF2-D3").label == "Symptom check, day 3 after infusion 2"


def test_a_window_closing_just_after_it_opens_is_accepted() -> None:
    protocol = _parse(lambda d: (d["window_times"].update(closes="09:01"),
                                 _tp(d, "BL").update(window={"from_days": 0, "to_days": 0})))
    assert protocol.closes_after_midnight == timedelta(hours=9, minutes=1)


def test_optional_fields_default_to_their_names_or_empty_text() -> None:
    def strip(data: dict[str, Any]) -> None:
        del data["title"], data["note"], data["anchors"]["infusion_1"]["label"]
        del _tp(data, "W4")["label"]

    protocol = _parse(strip)
    assert (protocol.title, protocol.note) == ("", "")
    assert protocol.anchor("infusion_1").label == "infusion_1"
    assert protocol.timepoint("W4").label == "W4"


def test_the_default_files_times_and_anchors() -> None:
    protocol = _parse()
    assert protocol.opens_after_midnight == timedelta(hours=9)
    assert protocol.closes_after_midnight == timedelta(hours=24)
    assert (protocol.quiet_start, protocol.quiet_end) == (time(21, 0), time(8, 0))
    assert protocol.reminder_hours == (24, 72)
    assert protocol.anchor("baseline").default_days_after_baseline is None
    assert protocol.anchor("infusion_3").default_days_after_baseline == 56
    assert protocol.anchor("infusion_1").label == "Infusion 1"


def test_unknown_timepoint_or_anchor_raises_key_error_naming_it() -> None:
    protocol = _parse()
    with pytest.raises(KeyError) as caught:
        protocol.timepoint("W99")
    assert caught.value.args == ("W99",)
    with pytest.raises(KeyError) as caught:
        protocol.anchor("visit_9")
    assert caught.value.args == ("visit_9",)


@pytest.mark.parametrize(("text", "after"), [("00:00", timedelta(0)), ("23:59", timedelta(
    hours=23, minutes=59)), ("08:30", timedelta(hours=8, minutes=30)), ("19:05", timedelta(
        hours=19, minutes=5))])
def test_clock_reads_hours_and_minutes(text: str, after: timedelta) -> None:
    assert clock(text, "t") == after


def test_clock_allows_24_00_only_when_asked_and_refuses_non_text() -> None:
    assert clock("24:00", "t", allow_24=True) == timedelta(hours=24)
    with pytest.raises(Invalid) as caught:
        clock(900, "t")
    assert (caught.value.where, caught.value.reason) == (
        "t", "bad time format 900: expected HH:MM (24-hour clock)")
    assert str(caught.value) == "t: bad time format 900: expected HH:MM (24-hour clock)"


@pytest.mark.parametrize(("expr", "days"), [("7*n", 21), ("n", 3), ("7*n+1", 22), ("7 * n - 2", 19),
                                            ("n-3", 0), ("-1*n", -3), ("10*n+0", 30)])
def test_offset_expressions(expr: str, days: int) -> None:
    assert offset(expr, {"n": 3}, "t") == days


def test_a_series_expands_to_entries_without_the_series_key() -> None:
    entry = {"series": {"n": [1, 2]}, "code": "W{n}", "offset_days": "7*n", "anchor": "baseline"}
    assert expand(entry, "w") == [
        ("w with n=1", {"code": "W1", "offset_days": 7, "anchor": "baseline"}),
        ("w with n=2", {"code": "W2", "offset_days": 14, "anchor": "baseline"}),
    ]


def test_an_entry_without_series_expands_to_itself() -> None:
    entry = {"code": "W4", "offset_days": 28}
    assert expand(entry, "w") == [("w", entry)]
    assert expand(entry, "w")[0][1] is not entry
