"""The on-call rota rules: weekday and hour ranges in the site's zone, overnight shifts, gaps."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest

from pro_service.safety.domain.rota import (
    Shift,
    escalation_order,
    on_call,
    parse_clock,
    parse_weekdays,
    uncovered_hours,
)

SH = "Asia/Shanghai"
DAY = Shift(1, frozenset(range(5)), time(8), time(18))
NIGHT = Shift(2, frozenset(range(5)), time(18), time(8))


def utc(y, mo, d, h, mi=0):
    return datetime(y, mo, d, h, mi, tzinfo=UTC)


def test_the_day_coordinator_hands_over_to_the_night_one_at_18_local():
    monday_1759 = utc(2027, 1, 4, 9, 59)  # 17:59 in Shanghai
    monday_1800 = utc(2027, 1, 4, 10, 0)
    assert on_call([DAY, NIGHT], monday_1759, SH) == [1]
    assert on_call([DAY, NIGHT], monday_1800, SH) == [2]


def test_an_overnight_shift_runs_into_the_next_morning_but_not_past_friday_night():
    tuesday_0300 = utc(2027, 1, 4, 19, 0)  # Tue 03:00 local, the Monday night shift
    saturday_0300 = utc(2027, 1, 8, 19, 0)  # Sat 03:00 local: Friday's night shift
    sunday_0300 = utc(2027, 1, 9, 19, 0)  # Sun 03:00 local: nobody (no Saturday shift)
    assert on_call([DAY, NIGHT], tuesday_0300, SH) == [2]
    assert on_call([DAY, NIGHT], saturday_0300, SH) == [2]
    assert on_call([DAY, NIGHT], sunday_0300, SH) == []


def test_shift_times_are_local_to_the_site_zone():
    at = utc(2027, 1, 4, 10, 30)  # 10:30 in London, 18:30 in Shanghai
    assert on_call([DAY], at, "Europe/London") == [1]
    assert on_call([DAY], at, SH) == []
    early = utc(2027, 1, 4, 1, 0)  # 01:00 in London, 09:00 in Shanghai
    assert on_call([DAY], early, "Europe/London") == []
    assert on_call([DAY], early, SH) == [1]


def test_equal_start_and_end_is_a_whole_day():
    all_day = Shift(3, frozenset(range(7)), time(0), time(0))
    assert all(on_call([all_day], utc(2027, 1, 4, h), SH) == [3] for h in range(24))


def test_the_chain_starts_on_call_then_other_coordinators_investigators_and_the_desk():
    assert escalation_order([5], [4, 5], [7], [9]) == [5, 4, 7, 9]
    assert escalation_order([], [4, 5], [7], [9]) == [7, 9]  # nobody on call: straight up


@pytest.mark.parametrize(("text", "days"), [("mon-fri", {0, 1, 2, 3, 4}), ("sat,sun", {5, 6}),
                                            ("fri-mon", {4, 5, 6, 0}), ("daily", set(range(7))),
                                            (" Mon , wed-thu ", {0, 2, 3})])
def test_weekdays_are_read_from_words_and_ranges(text, days):
    assert parse_weekdays(text) == days


@pytest.mark.parametrize("text", ["", "monday", "mon-xyz", "1-5"])
def test_bad_weekdays_are_refused_with_a_reason(text):
    with pytest.raises(ValueError, match="weekday"):
        parse_weekdays(text)


@pytest.mark.parametrize("text", ["8", "25:00", "08:60", "8am", "-1:00"])
def test_bad_clock_times_are_refused(text):
    with pytest.raises(ValueError, match="time"):
        parse_clock(text)


def test_gaps_are_the_hours_of_the_week_nobody_covers():
    gaps = uncovered_hours([DAY, NIGHT], SH, utc(2027, 1, 6, 2))
    # covered Mon 08:00 to Sat 08:00; uncovered: Mon 00-08 and Sat 08:00 to Sun 24:00
    assert len(gaps) == 8 + 16 + 24
    assert (0, 7) in gaps and (0, 8) not in gaps and (5, 7) not in gaps and (5, 8) in gaps
