"""Edges of the on-call rota: exact shift boundaries, clock and weekday forms, weekly gaps."""

from __future__ import annotations

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest

from pro_service.safety.domain.rota import (
    Shift,
    format_weekdays,
    parse_clock,
    parse_weekdays,
    uncovered_hours,
)

SH = ZoneInfo("Asia/Shanghai")
DAY = Shift(1, frozenset({0}), time(8), time(18))  # Monday 08:00-18:00
NIGHT = Shift(2, frozenset({0}), time(22), time(6))  # Monday 22:00 to Tuesday 06:00


def local(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2027, 1, 4 + day, hour, minute, tzinfo=SH)  # 2027-01-04 is a Monday


@pytest.mark.parametrize(("at", "on"), [
    (local(0, 7, 59), False), (local(0, 8, 0), True), (local(0, 17, 59), True),
    (local(0, 18, 0), False), (local(1, 10, 0), False), (local(6, 10, 0), False),
])
def test_a_day_shift_covers_from_its_start_to_before_its_end_on_its_days(at, on) -> None:
    assert DAY.covers(at) is on


@pytest.mark.parametrize(("at", "on"), [
    (local(0, 21, 59), False), (local(0, 22, 0), True), (local(0, 23, 59), True),
    (local(1, 0, 0), True), (local(1, 5, 59), True), (local(1, 6, 0), False),
    (local(1, 22, 0), False),  # Tuesday evening: not a shift day
    (local(0, 3, 0), False),  # Monday morning belongs to a Sunday night shift
])
def test_an_overnight_shift_covers_the_evening_and_the_next_morning(at, on) -> None:
    assert NIGHT.covers(at) is on


def test_a_sunday_night_shift_runs_into_monday_morning() -> None:
    sunday = Shift(3, frozenset({6}), time(20), time(8))
    assert sunday.covers(local(0, 7, 0)) and not sunday.covers(local(0, 8, 0))
    assert sunday.covers(local(6, 20, 0)) and not sunday.covers(local(5, 21, 0))


@pytest.mark.parametrize(("text", "clock"), [
    ("08:00", time(8, 0)), ("8:30", time(8, 30)), (" 23:59 ", time(23, 59)),
    ("00:00", time(0, 0)), ("24:00", time(0, 0)), ("0:05", time(0, 5)),
])
def test_clock_times_are_read_as_hours_and_minutes(text: str, clock: time) -> None:
    assert parse_clock(text) == clock


@pytest.mark.parametrize("text", ["24:01", "24:30", "23:5", "12:345", "ab:cd", "12-30", ":30",
                                  "12:", "99:00", "12:60", "1:2:3"])
def test_clock_times_out_of_range_or_malformed_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match=r"time '.*' (must look like 08:00|is not a time of day)"):
        parse_clock(text)


@pytest.mark.parametrize(("text", "reason"), [
    ("25:00", "is not a time of day"), ("24:01", "is not a time of day"),
    ("8", "must look like 08:00"), ("8:5", "must look like 08:00"),
])
def test_a_refused_clock_time_says_why(text: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        parse_clock(text)


@pytest.mark.parametrize(("text", "days"), [
    ("ALL", set(range(7))), ("*", set(range(7))), (" Daily ", set(range(7))),
    ("sun-tue", {6, 0, 1}), ("mon", {0}), ("mon-mon", {0}), ("mon,,tue", {0, 1}),
    ("sat-sun,mon", {5, 6, 0}),
])
def test_more_weekday_forms(text: str, days: set[int]) -> None:
    assert parse_weekdays(text) == days


@pytest.mark.parametrize(("text", "reason"), [
    (",", "^no weekdays given$"), (" , ", "^no weekdays given$"),
    ("-fri", "unknown weekday in '-fri'"),
    ("mon-fry", "unknown weekday in 'mon-fry'"),
    ("mon-", "unknown weekday in 'mon-'"), ("sat,mon-", "unknown weekday in 'mon-'"),
])
def test_a_refused_weekday_text_says_why(text: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        parse_weekdays(text)


@pytest.mark.parametrize(("days", "text"), [
    ({4, 0, 2}, "mon,wed,fri"), ([6, 6, 0], "mon,sun"), (range(7), "mon,tue,wed,thu,fri,sat,sun"),
    ((), ""),
])
def test_weekdays_are_stored_in_order_each_once(days, text: str) -> None:
    assert format_weekdays(days) == text


def test_formatted_weekdays_read_back_as_the_same_days() -> None:
    for days in ({0}, {1, 3, 5}, set(range(7))):
        assert parse_weekdays(format_weekdays(days)) == days


def test_the_week_of_gaps_starts_on_the_local_monday_of_any_instant() -> None:
    # Sunday 23:30 UTC is Monday 07:30 in Shanghai: the local week starts that Monday
    gaps = uncovered_hours([DAY], "Asia/Shanghai", datetime(2027, 1, 3, 23, 30, tzinfo=UTC))
    assert len(gaps) == 7 * 24 - 10
    assert gaps[:8] == [(0, h) for h in range(8)]
    assert (0, 8) not in gaps and (0, 17) not in gaps and (0, 18) in gaps
    assert gaps[-1] == (6, 23)
    same = uncovered_hours([DAY], "Asia/Shanghai", datetime(2027, 1, 10, 15, 59, tzinfo=UTC))
    assert same == gaps  # Sunday 23:59 local: still that week's Sunday


def test_each_hour_is_checked_at_half_past() -> None:
    half = Shift(1, frozenset({0}), time(8, 30), time(8, 31))  # on at 08:30 only
    gaps = uncovered_hours([half], "Asia/Shanghai", datetime(2027, 1, 4, tzinfo=UTC))
    assert (0, 8) not in gaps and len(gaps) == 7 * 24 - 1


def test_an_overnight_shift_fills_the_next_morning_s_gaps() -> None:
    gaps = uncovered_hours([NIGHT], "Asia/Shanghai", datetime(2027, 1, 6, tzinfo=UTC))
    covered = {(0, 22), (0, 23), *((1, h) for h in range(6))}
    assert set(gaps) == {(d, h) for d in range(7) for h in range(24)} - covered


def test_no_shift_leaves_the_whole_week_uncovered() -> None:
    assert len(uncovered_hours([], "Europe/London", datetime(2027, 3, 28, 12, tzinfo=UTC))) == 168


def test_each_hour_is_checked_at_exactly_half_past_whatever_the_start_instant() -> None:
    # on until one microsecond after 08:30:00: covered only if checked at 08:30:00.000000
    until_half_past = Shift(1, frozenset({0}), time(8, 0), time(8, 30, 0, 1))
    start = datetime(2027, 1, 5, 3, 17, 45, 123456, tzinfo=UTC)
    assert (0, 8) not in uncovered_hours([until_half_past], "Asia/Shanghai", start)
