"""Pure score-row rules: study day, window, local time, change from baseline, CSV cells."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from pro_service.exports.domain.rows import (
    SCORE_COLUMNS,
    ScoreRecord,
    change_from_baseline,
    in_window,
    local_time,
    score_row,
    study_day,
)
from pro_service.exports.domain.tabular import cell, csv_lines

BASELINE = date(2027, 1, 11)
OPENS = datetime(2027, 2, 5, 1, 0, tzinfo=UTC)
CLOSES = datetime(2027, 2, 11, 16, 0, tzinfo=UTC)

RECORD = ScoreRecord(
    study_id="302-0001", site="302", timezone="Asia/Shanghai", baseline=BASELINE, timepoint="W4",
    target_date=date(2027, 2, 8), opens_at=OPENS, closes_at=CLOSES,
    completed_at=datetime(2027, 2, 8, 2, 0, tzinfo=UTC), channel="sms", instrument="EQ5D5L",
    scale="EQ5D_INDEX", value=0.852, algorithm_id="eq5d5l.cn.luo2017", baseline_value=0.7,
    version=1)


def test_the_baseline_date_is_study_day_1_and_the_day_before_is_minus_1():
    assert study_day(BASELINE, BASELINE) == 1
    assert study_day(BASELINE + timedelta(days=1), BASELINE) == 2
    assert study_day(BASELINE - timedelta(days=1), BASELINE) == -1
    assert study_day(BASELINE + timedelta(days=28), BASELINE) == 29
    assert study_day(BASELINE, None) is None


@given(st.integers(min_value=-400, max_value=400))
def test_study_day_is_never_zero_and_moves_one_a_day(offset):
    day = study_day(BASELINE + timedelta(days=offset), BASELINE)
    assert day != 0
    assert study_day(BASELINE + timedelta(days=offset + 1), BASELINE) == (
        day + 1 if day != -1 else 1)


def test_in_window_includes_the_opening_instant_and_excludes_the_closing_one():
    assert in_window(OPENS, OPENS, CLOSES)
    assert in_window(CLOSES - timedelta(seconds=1), OPENS, CLOSES)
    assert not in_window(CLOSES, OPENS, CLOSES)
    assert not in_window(OPENS - timedelta(seconds=1), OPENS, CLOSES)


def test_local_time_follows_daylight_saving_time():
    summer = local_time(datetime(2027, 7, 1, 12, 0, tzinfo=UTC), "America/New_York")
    winter = local_time(datetime(2027, 1, 1, 12, 0, tzinfo=UTC), "America/New_York")
    assert (summer.hour, winter.hour) == (8, 7)


def test_study_day_uses_the_participants_local_date_not_the_utc_date():
    late_evening = replace(RECORD, completed_at=datetime(2027, 2, 7, 17, 30, tzinfo=UTC))
    row = score_row(late_evening)  # 01:30 on 02-08 in Shanghai, still 02-07 in UTC
    assert row["study_day"] == 29
    assert row["completed_at_local"] == "2027-02-08T01:30:00+08:00"
    assert row["completed_at_utc"] == "2027-02-07T17:30:00+00:00"


def test_change_from_baseline_drops_floating_point_noise():
    assert change_from_baseline(RECORD) == 0.152
    assert change_from_baseline(replace(RECORD, baseline_value=None)) is None
    assert change_from_baseline(replace(RECORD, value=None)) is None
    assert change_from_baseline(replace(RECORD, timepoint="BL")) is None


def test_a_row_has_exactly_the_export_columns():
    row = score_row(RECORD)
    assert tuple(row) == SCORE_COLUMNS
    assert row["in_window"] is True
    assert not {"phone", "name", "arm"} & set(row)


def test_csv_cells_defuse_formulas_but_keep_negative_numbers():
    assert cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert cell("@SUM(A1)") == "'@SUM(A1)"
    assert cell(-0.25) == -0.25
    assert cell(None) == ""
    assert (cell(True), cell(False)) == ("true", "false")


def test_csv_lines_start_with_the_header_even_without_rows():
    assert "".join(csv_lines(("a", "b"), [])) == "a,b\r\n"
    rows = [{"a": i, "b": None} for i in range(5)]
    assert "".join(csv_lines(("a", "b"), rows, chunk_rows=2)).splitlines() == [
        "a,b", "0,", "1,", "2,", "3,", "4,"]
