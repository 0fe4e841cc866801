"""Quiet hours (21:00–08:00 local by default) and reminder timing, DESIGN §3."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from pro_service.schedule.domain.reminders import (
    next_reminder_at,
    planned_reminders,
    reminder_due,
    reminder_send_at,
)
from pro_service.schedule.domain.windows import in_quiet_hours, local_to_utc, next_allowed_instant

SHANGHAI = "Asia/Shanghai"
NEW_YORK = "America/New_York"
HOURS = (24, 72)


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


def test_2230_in_shanghai_is_deferred_to_0800_next_morning() -> None:
    assert next_allowed_instant(utc(2026, 3, 10, 14, 30), SHANGHAI) == utc(2026, 3, 11, 0, 0)


def test_0759_in_shanghai_is_deferred_to_0800_the_same_morning() -> None:
    assert next_allowed_instant(utc(2026, 3, 10, 23, 59), SHANGHAI) == utc(2026, 3, 11, 0, 0)


def test_noon_in_shanghai_is_unchanged() -> None:
    at = utc(2026, 3, 10, 4, 0)
    assert next_allowed_instant(at, SHANGHAI) is at


def test_quiet_hours_include_their_start_and_exclude_their_end() -> None:
    assert next_allowed_instant(utc(2026, 3, 10, 13, 0), SHANGHAI) == utc(2026, 3, 11, 0, 0)  # 21:00
    assert next_allowed_instant(utc(2026, 3, 10, 12, 59), SHANGHAI) == utc(2026, 3, 10, 12, 59)  # 20:59
    assert next_allowed_instant(utc(2026, 3, 11, 0, 0), SHANGHAI) == utc(2026, 3, 11, 0, 0)  # 08:00


def test_a_zoneinfo_object_is_accepted_as_well_as_a_name() -> None:
    assert next_allowed_instant(utc(2026, 3, 10, 14, 30), ZoneInfo(SHANGHAI)) == utc(2026, 3, 11, 0, 0)


def test_new_york_night_before_spring_forward_ends_at_0800_edt() -> None:
    # 22:30 EST on 2027-03-13; 08:00 the next morning is already EDT (12:00 UTC, not 13:00).
    assert next_allowed_instant(utc(2027, 3, 14, 3, 30), NEW_YORK) == utc(2027, 3, 14, 12, 0)


def test_new_york_night_before_fall_back_ends_at_0800_est() -> None:
    # 22:30 EDT on 2027-11-06; 08:00 the next morning is EST (13:00 UTC, not 12:00).
    assert next_allowed_instant(utc(2027, 11, 7, 2, 30), NEW_YORK) == utc(2027, 11, 7, 13, 0)


def test_a_quiet_end_skipped_by_spring_forward_defers_to_the_end_of_the_gap() -> None:
    # 02:30 does not exist in New York on 2027-03-14: the first valid instant is 03:00 EDT (07:00 UTC).
    at = utc(2027, 3, 14, 6, 0)  # 01:00 EST
    assert next_allowed_instant(at, NEW_YORK, time(23, 0), time(2, 30)) == utc(2027, 3, 14, 7, 0)


def test_a_quiet_end_in_the_repeated_hour_is_its_next_occurrence() -> None:
    first_0115 = utc(2027, 11, 7, 5, 15)  # 01:15 EDT
    second_0115 = utc(2027, 11, 7, 6, 15)  # 01:15 EST
    assert next_allowed_instant(first_0115, NEW_YORK, time(22, 0), time(1, 30)) == utc(2027, 11, 7, 5, 30)
    assert next_allowed_instant(second_0115, NEW_YORK, time(22, 0), time(1, 30)) == utc(2027, 11, 7, 6, 30)


def test_a_same_day_quiet_range_defers_to_its_end() -> None:
    at = utc(2026, 3, 10, 6, 0)  # 14:00 Shanghai
    assert next_allowed_instant(at, SHANGHAI, time(13, 0), time(15, 0)) == utc(2026, 3, 10, 7, 0)
    outside = utc(2026, 3, 10, 8, 0)  # 16:00 Shanghai
    assert next_allowed_instant(outside, SHANGHAI, time(13, 0), time(15, 0)) == outside


def test_equal_start_and_end_mean_no_quiet_hours() -> None:
    assert not in_quiet_hours(time(3, 0), time(8, 0), time(8, 0))


def test_a_naive_instant_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        next_allowed_instant(datetime(2026, 3, 10, 14, 30), SHANGHAI)  # noqa: DTZ001 - the refusal is the test


def test_local_to_utc_resolves_a_skipped_wall_time_to_the_transition() -> None:
    wall = datetime(2027, 3, 14, 2, 30)  # noqa: DTZ001 - a local wall time is naive by nature
    assert local_to_utc(wall, ZoneInfo(NEW_YORK)) == utc(2027, 3, 14, 7, 0)


def test_local_to_utc_reads_a_repeated_wall_time_as_its_first_occurrence() -> None:
    wall = datetime(2027, 11, 7, 1, 30)  # noqa: DTZ001 - a local wall time is naive by nature
    assert local_to_utc(wall, ZoneInfo(NEW_YORK)) == utc(2027, 11, 7, 5, 30)


def test_planned_reminders_drop_those_at_or_after_close() -> None:
    opens = utc(2026, 3, 9, 1)
    assert planned_reminders(opens, utc(2026, 3, 11, 16), HOURS) == (utc(2026, 3, 10, 1),)
    assert planned_reminders(opens, utc(2026, 3, 12, 1), HOURS) == (utc(2026, 3, 10, 1),)
    assert planned_reminders(opens, utc(2026, 3, 12, 1, 1), HOURS) == (utc(2026, 3, 10, 1), utc(2026, 3, 12, 1))


def test_reminders_count_from_the_actual_opening() -> None:
    opened = utc(2026, 3, 9, 1, 5)  # the scheduler tick opened it five minutes late
    closes = utc(2026, 3, 20, 16)
    assert next_reminder_at(opened, 0, closes, HOURS) == utc(2026, 3, 10, 1, 5)
    assert next_reminder_at(opened, 1, closes, HOURS) == utc(2026, 3, 12, 1, 5)
    assert next_reminder_at(opened, 2, closes, HOURS) is None


def test_a_reminder_is_due_once_its_time_comes_and_until_the_window_closes() -> None:
    opened, closes = utc(2026, 3, 9, 1), utc(2026, 3, 16, 16)
    assert not reminder_due(opened, utc(2026, 3, 10, 0, 59), 0, closes, HOURS)
    assert reminder_due(opened, utc(2026, 3, 10, 1), 0, closes, HOURS)
    assert not reminder_due(opened, utc(2026, 3, 10, 1), 1, closes, HOURS)
    assert reminder_due(opened, utc(2026, 3, 12, 1), 1, closes, HOURS)
    assert not reminder_due(opened, utc(2026, 3, 16, 16), 1, closes, HOURS)
    assert not reminder_due(opened, utc(2026, 4, 1), 2, closes, HOURS)


def test_a_reminder_falling_after_close_is_never_due() -> None:
    opened, closes = utc(2026, 3, 9, 1), utc(2026, 3, 11, 16)
    assert next_reminder_at(opened, 1, closes, HOURS) is None
    assert not reminder_due(opened, utc(2026, 3, 11, 15), 1, closes, HOURS)


def test_a_reminder_due_in_quiet_hours_waits_for_morning() -> None:
    due = utc(2026, 3, 10, 14, 0)  # 22:00 Shanghai
    assert reminder_send_at(due, utc(2026, 3, 12, 16), SHANGHAI) == utc(2026, 3, 11, 0, 0)


def test_a_reminder_that_would_wait_past_close_is_dropped() -> None:
    due = utc(2026, 3, 10, 14, 0)  # 22:00 Shanghai; the window closes at midnight
    assert reminder_send_at(due, utc(2026, 3, 10, 16), SHANGHAI) is None


def test_a_reminder_outside_quiet_hours_goes_when_due() -> None:
    due = utc(2026, 3, 10, 1, 0)
    assert reminder_send_at(due, due + timedelta(days=1), SHANGHAI) == due
