"""Edges of the schedule rules: exact refusals, boundaries and UTC results."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from pro_service.schedule.domain.completion import Cell, add, empty_figures, totals
from pro_service.schedule.domain.protocol import ProtocolError, load_protocol, parse_protocol
from pro_service.schedule.domain.reminders import (
    next_reminder_at,
    planned_reminders,
    reminder_due,
    reminder_send_at,
)
from pro_service.schedule.domain.protocol_json import _is_kind
from pro_service.schedule.domain.windows import (
    in_quiet_hours,
    local_to_utc,
    local_window_days,
    next_allowed_instant,
    require_aware,
)
from tests.unit.schedule.test_schedule_protocol_rules import DEFAULT, _parse, _refusal

SHANGHAI = "Asia/Shanghai"
NAIVE = datetime(2027, 1, 4, 12, 0)  # noqa: DTZ001 - the naive value under test


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


def _refused(call, name: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError) as caught:
        call()
    assert str(caught.value) == f"{name} must be timezone-aware, got {NAIVE!r}"


def test_a_file_that_is_not_utf8_json_is_refused_for_the_file(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    path.write_bytes(b"\xff\xfe{")
    with pytest.raises(ProtocolError) as caught:
        load_protocol(path)
    assert caught.value.where == "file" and caught.value.file == str(path)
    assert caught.value.reason.startswith("cannot read JSON: ")


def test_a_missing_file_is_refused_for_the_file(tmp_path: Path) -> None:
    with pytest.raises(ProtocolError) as caught:
        load_protocol(tmp_path / "none.json")
    assert caught.value.where == "file"
    assert re.match(r"cannot read JSON: \[Errno 2\] No such file", caught.value.reason)


def test_a_missing_quiet_hour_or_reminder_list_is_named() -> None:
    assert _refusal(lambda d: d["quiet_hours"].pop("start")) == (
        "quiet_hours.start", "missing 'start'")
    assert _refusal(lambda d: d["reminders"].pop("hours_after_opening")) == (
        "reminders.hours_after_opening", "missing 'hours_after_opening'")


def test_quiet_hours_keep_their_minutes_and_a_one_hour_reminder_is_allowed() -> None:
    protocol = _parse(lambda d: (d["quiet_hours"].update(start="21:30", end="07:45"),
                                 d["reminders"].update(hours_after_opening=[1, 24])))
    assert (protocol.quiet_start, protocol.quiet_end) == (time(21, 30), time(7, 45))
    assert protocol.reminder_hours == (1, 24)
    assert parse_protocol(DEFAULT, "p.json").quiet_end == time(8, 0)


def test_a_same_day_quiet_range_includes_its_start() -> None:
    assert in_quiet_hours(time(13, 0), time(13, 0), time(14, 0))
    assert not in_quiet_hours(time(14, 0), time(13, 0), time(14, 0))


def test_naive_instants_are_refused_naming_the_argument() -> None:
    _refused(lambda: next_allowed_instant(NAIVE, SHANGHAI), "at_utc")
    _refused(lambda: next_reminder_at(NAIVE, 0, utc(2027, 2, 1), (24,)), "opened_at")
    _refused(lambda: reminder_due(utc(2027, 1, 4), NAIVE, 0, utc(2027, 2, 1), (24,)), "now")
    _refused(lambda: planned_reminders(NAIVE, utc(2027, 2, 1), (24,)), "opens_at")
    _refused(lambda: require_aware(NAIVE), "instant")


def test_a_negative_reminder_count_is_refused() -> None:
    with pytest.raises(ValueError) as caught:
        next_reminder_at(utc(2027, 1, 4), -1, utc(2027, 2, 1), (24,))
    assert str(caught.value) == "sent_count must not be negative, got -1"


def test_a_reminder_due_exactly_at_the_close_is_not_planned() -> None:
    opened = utc(2027, 1, 4, 1, 0)
    assert next_reminder_at(opened, 0, opened + timedelta(hours=24), (24,)) is None
    closes = opened + timedelta(hours=24, seconds=1)
    assert next_reminder_at(opened, 0, closes, (24,)) == opened + timedelta(hours=24)


def test_a_reminder_deferred_exactly_to_the_close_is_dropped() -> None:
    due = utc(2027, 1, 4, 14, 0)  # 22:00 Shanghai: waits for 08:00 = 00:00 UTC next day
    assert reminder_send_at(due, utc(2027, 1, 5, 0, 0), SHANGHAI) is None
    assert reminder_send_at(due, utc(2027, 1, 5, 0, 1), SHANGHAI) == utc(2027, 1, 5, 0, 0)


def test_a_reminder_waits_for_the_participants_own_quiet_end() -> None:
    due = utc(2027, 1, 4, 14, 0)  # 22:00 Shanghai
    got = reminder_send_at(due, utc(2027, 1, 9), SHANGHAI, time(21, 0), time(6, 30))
    assert got == utc(2027, 1, 4, 22, 30)  # 06:30 Shanghai


def test_deferred_instants_are_in_utc() -> None:
    got = next_allowed_instant(utc(2027, 1, 4, 14, 0), SHANGHAI)
    assert got == utc(2027, 1, 5, 0, 0) and got.tzinfo is UTC
    # New York, fall back 2027-11-07: 01:15 EST comes after the first 01:30 (EDT), so the
    # quiet hours end at the second 01:30 (EST)
    ny = next_allowed_instant(utc(2027, 11, 7, 6, 15), "America/New_York", time(22, 0),
                              time(1, 30))
    assert ny == utc(2027, 11, 7, 6, 30) and ny.tzinfo is UTC


def test_local_window_days_end_the_day_before_a_midnight_close() -> None:
    zone = ZoneInfo(SHANGHAI)
    opens = datetime(2027, 1, 4, 9, 0, tzinfo=zone)
    closes = datetime(2027, 1, 12, 0, 0, tzinfo=zone)
    assert local_window_days(opens, closes, SHANGHAI) == (date(2027, 1, 4), date(2027, 1, 11))
    assert local_window_days(opens.astimezone(UTC), closes.astimezone(UTC) + timedelta(
        microseconds=1), zone) == (date(2027, 1, 4), date(2027, 1, 12))
    early = datetime(2027, 1, 4, 7, 0, tzinfo=zone)  # 23:00 UTC the day before
    assert local_window_days(early.astimezone(UTC), closes, SHANGHAI)[0] == date(2027, 1, 4)


def test_add_accumulates_counts_of_the_same_channel() -> None:
    row = empty_figures("302", "W4", "CLDQ")
    add(row, Cell.COMPLETED, closed=False, channel="web", count=2)
    add(row, Cell.COMPLETED, closed=False, channel="web", count=3)
    assert row["completed_web"] == 5


def test_totals_of_all_sites_have_no_site_name_by_default() -> None:
    out = totals([])
    assert (out["site"], out["timepoint"], out["instrument"], out["rate"]) == ("", "", "", None)


@pytest.mark.parametrize(("wall", "tz", "expected"), [
    (datetime(2027, 3, 14, 2, 30), "America/New_York", utc(2027, 3, 14, 7, 0)),
    (datetime(2027, 3, 28, 2, 30), "Europe/Berlin", utc(2027, 3, 28, 1, 0)),
    (datetime(2027, 10, 3, 2, 15), "Australia/Sydney", utc(2027, 10, 2, 16, 0)),
])
def test_a_skipped_wall_time_resolves_to_the_transition_in_utc(wall: datetime, tz: str,
                                                               expected: datetime) -> None:
    got = local_to_utc(wall, ZoneInfo(tz))
    assert got == expected and got.tzinfo is UTC


def test_a_boolean_counts_only_where_booleans_are_meant() -> None:
    assert _is_kind(True, bool) and _is_kind(False, (int, bool))
    assert not _is_kind(True, int) and not _is_kind(True, (int, type(None)))
    assert _is_kind(3, int) and not _is_kind("3", int)


def test_a_wrong_anchor_type_is_refused_naming_anchor_and_value() -> None:
    from pro_service.schedule.domain.timeline import anchor_date

    with pytest.raises(TypeError) as caught:
        anchor_date({"baseline": "2027-01-11"}, "baseline")
    assert str(caught.value) == "anchor baseline must be a date or None, got '2027-01-11'"


def test_an_object_without_the_anchor_attribute_has_no_date() -> None:
    from pro_service.schedule.domain.timeline import anchor_date

    class OnlyBaseline:
        baseline = date(2027, 1, 11)

    assert anchor_date(OnlyBaseline(), "infusion_2") is None
    assert anchor_date(OnlyBaseline(), "baseline") == date(2027, 1, 11)


def test_an_instant_whose_zone_gives_no_offset_is_refused() -> None:
    from datetime import tzinfo

    class NoOffset(tzinfo):
        def utcoffset(self, dt: datetime | None) -> None:
            return None

    at = datetime(2027, 1, 4, 12, 0, tzinfo=NoOffset())
    with pytest.raises(ValueError) as caught:
        next_allowed_instant(at, SHANGHAI)
    assert str(caught.value) == f"at_utc must be timezone-aware, got {at!r}"
