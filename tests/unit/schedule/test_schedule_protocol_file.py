"""Loading protocols/*.json: the default file's content, and one refusal per validation rule."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from datetime import time, timedelta
from pathlib import Path
from typing import Any

import pytest

from pro_service.schedule.domain.protocol import ProtocolError, load_protocol

PROTOCOL_FILE = Path(__file__).resolve().parents[3] / "protocols" / "nct05121870.json"
DEFAULT = json.loads(PROTOCOL_FILE.read_text(encoding="utf-8"))


def entry(data: dict[str, Any], code: str) -> dict[str, Any]:
    return next(tp for tp in data["timepoints"] if tp["code"] == code)


def corrupted(tmp_path: Path, change: Callable[[dict[str, Any]], None]) -> Path:
    data = copy.deepcopy(DEFAULT)
    change(data)
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def refusal(path: Path) -> ProtocolError:
    with pytest.raises(ProtocolError) as caught:
        load_protocol(path)
    assert str(path) in str(caught.value)
    return caught.value


def test_the_default_protocol_names_itself_and_marks_its_assumptions() -> None:
    protocol = load_protocol(PROTOCOL_FILE)
    assert (protocol.code, protocol.version) == ("NCT05121870", "1.0")
    assert "24- and 48-week" in protocol.note and "assumption" in protocol.note


def test_the_default_protocol_sets_times_reminders_and_quiet_hours() -> None:
    protocol = load_protocol(PROTOCOL_FILE)
    assert protocol.opens_after_midnight == timedelta(hours=9)
    assert protocol.closes_after_midnight == timedelta(hours=24)
    assert protocol.reminder_hours == (24, 72)
    assert (protocol.quiet_start, protocol.quiet_end) == (time(21, 0), time(8, 0))


def test_the_default_anchors_are_infusions_at_days_0_28_56() -> None:
    protocol = load_protocol(PROTOCOL_FILE)
    defaults = {a.name: a.default_days_after_baseline for a in protocol.anchors}
    assert defaults == {"baseline": None, "infusion_1": 0, "infusion_2": 28, "infusion_3": 56}


def test_series_expand_to_48_weekly_checks_and_9_post_infusion_checks() -> None:
    protocol = load_protocol(PROTOCOL_FILE)
    codes = [tp.code for tp in protocol.timepoints]
    assert codes[:6] == ["BL", "W4", "W12", "W24", "W36", "W48"]
    assert codes[6:54] == [f"SC-W{n}" for n in range(1, 49)]
    assert codes[54:] == ["SC-INF1-D1", "SC-INF1-D3", "SC-INF1-D7", "SC-INF2-D1", "SC-INF2-D3", "SC-INF2-D7",
                          "SC-INF3-D1", "SC-INF3-D3", "SC-INF3-D7"]
    week_7 = protocol.timepoint("SC-W7")
    assert (week_7.anchor, week_7.offset_days, week_7.label) == ("baseline", 49, "Weekly symptom check, week 7")
    inf_2_d3 = protocol.timepoint("SC-INF2-D3")
    assert (inf_2_d3.anchor, inf_2_d3.offset_days, inf_2_d3.instruments) == ("infusion_2", 3, ("SYMPTOMS",))


def test_the_visit_windows_follow_design_section_3() -> None:
    protocol = load_protocol(PROTOCOL_FILE)
    windows = {tp.code: (tp.offset_days, tp.window.from_days, tp.window.to_days) for tp in protocol.timepoints}
    assert windows["BL"] == (0, -14, 0)
    assert windows["W4"] == (28, -3, 3)
    assert [windows[c] for c in ("W12", "W24", "W36", "W48")] == [(84, -7, 7), (168, -7, 7), (252, -7, 7),
                                                                 (336, -7, 7)]
    assert windows["SC-W48"] == (336, 0, 2)
    assert windows["SC-INF3-D7"] == (7, 0, 1)


def test_an_unknown_anchor_is_refused(tmp_path: Path) -> None:
    error = refusal(corrupted(tmp_path, lambda d: entry(d, "W4").update(anchor="infusion_9")))
    assert error.where == "timepoint 'W4'" and "unknown anchor 'infusion_9'" in error.reason


def test_a_window_ending_before_it_starts_is_refused(tmp_path: Path) -> None:
    error = refusal(corrupted(tmp_path, lambda d: entry(d, "W12").update(window={"from_days": 7, "to_days": -7})))
    assert error.where == "timepoint 'W12'" and "before it starts" in error.reason


def test_an_unknown_instrument_code_is_refused(tmp_path: Path) -> None:
    error = refusal(corrupted(tmp_path, lambda d: entry(d, "W24").update(instruments=["EQ5D3L", "CLDQ"])))
    assert error.where == "timepoint 'W24'" and "unknown instrument code 'EQ5D3L'" in error.reason


def test_a_duplicate_timepoint_code_is_refused(tmp_path: Path) -> None:
    error = refusal(corrupted(tmp_path, lambda d: entry(d, "W36").update(code="W24")))
    assert error.where == "timepoint 'W24'" and "duplicate" in error.reason


def test_a_series_colliding_with_a_plain_timepoint_is_refused(tmp_path: Path) -> None:
    error = refusal(corrupted(tmp_path, lambda d: entry(d, "W4").update(code="SC-W3")))
    assert error.where == "timepoint 'SC-W3'" and "duplicate" in error.reason


@pytest.mark.parametrize(
    ("section", "key", "value"),
    [("quiet_hours", "start", "9pm"), ("quiet_hours", "end", "8:00"), ("window_times", "opens", "25:00"),
     ("window_times", "opens", "24:00"), ("window_times", "closes", "24:30")],
)
def test_a_bad_time_format_is_refused(tmp_path: Path, section: str, key: str, value: str) -> None:
    error = refusal(corrupted(tmp_path, lambda d: d[section].update({key: value})))
    assert error.where == f"{section}.{key}" and "bad time format" in error.reason


def test_a_window_that_would_close_before_it_opens_is_refused(tmp_path: Path) -> None:
    def change(data: dict[str, Any]) -> None:
        data["window_times"]["closes"] = "08:00"
        entry(data, "BL").update(window={"from_days": 0, "to_days": 0})

    error = refusal(corrupted(tmp_path, change))
    assert error.where == "timepoint 'BL'" and "closes before it opens" in error.reason


def test_a_series_naming_an_unknown_variable_is_refused(tmp_path: Path) -> None:
    error = refusal(corrupted(tmp_path, lambda d: entry(d, "SC-W{n}").update(offset_days="7*m")))
    assert error.where == "timepoint 'SC-W{n}' with n=1" and "unknown series variable 'm'" in error.reason


def test_reminders_must_be_increasing_positive_hours(tmp_path: Path) -> None:
    error = refusal(corrupted(tmp_path, lambda d: d["reminders"].update(hours_after_opening=[72, 24])))
    assert error.where == "reminders.hours_after_opening" and "increase" in error.reason


def test_a_missing_field_is_refused_with_its_name(tmp_path: Path) -> None:
    error = refusal(corrupted(tmp_path, lambda d: entry(d, "W48").pop("offset_days")))
    assert error.where == "timepoint 'W48'" and "missing 'offset_days'" in error.reason


def test_a_baseline_anchor_is_required(tmp_path: Path) -> None:
    error = refusal(corrupted(tmp_path, lambda d: d["anchors"].pop("baseline")))
    assert error.where == "anchors" and "baseline" in error.reason


def test_a_file_that_is_not_json_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text("{not json", encoding="utf-8")
    assert "cannot read JSON" in refusal(path).reason


def test_instrument_codes_can_come_from_the_loaded_questionnaires() -> None:
    with pytest.raises(ProtocolError, match="unknown instrument code 'CLDQ'"):
        load_protocol(PROTOCOL_FILE, instruments={"EQ5D5L", "SYMPTOMS"})
