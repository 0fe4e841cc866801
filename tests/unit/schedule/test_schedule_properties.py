"""Properties of the timeline and quiet hours over random baselines, anchors and time zones."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from pro_service.schedule.domain.protocol import load_protocol
from pro_service.schedule.domain.timeline import occasions_for
from pro_service.schedule.domain.windows import in_quiet_hours, next_allowed_instant

PROTOCOL = load_protocol(Path(__file__).resolve().parents[3] / "protocols" / "nct05121870.json")
ZONES = [
    "Asia/Shanghai", "America/New_York", "Europe/London", "Australia/Sydney", "Pacific/Chatham",
    "Asia/Kolkata", "America/Havana", "America/Santiago", "America/Sao_Paulo", "Pacific/Apia", "UTC",
]
OCCASIONS_PER_PARTICIPANT = 6 * 2 + 48 + 9

baselines = st.dates(min_value=date(2020, 1, 1), max_value=date(2040, 12, 31))
zones = st.sampled_from(ZONES)
shifts = st.none() | st.integers(min_value=0, max_value=120)
# hypothesis takes naive bounds and attaches the zone itself
instants = st.datetimes(datetime(2020, 1, 1), datetime(2040, 12, 31), timezones=st.just(UTC))  # noqa: DTZ001
clock_times = st.times().map(lambda t: t.replace(second=0, microsecond=0))


def anchors(baseline: date, s1: int | None, s2: int | None, s3: int | None) -> dict[str, date | None]:
    given_dates = {}
    for name, shift in (("infusion_1", s1), ("infusion_2", s2), ("infusion_3", s3)):
        given_dates[name] = None if shift is None else baseline + timedelta(days=shift)
    return {"baseline": baseline, **given_dates}


@settings(max_examples=60, deadline=None)
@given(baselines, zones, shifts, shifts, shifts)
def test_every_participant_gets_69_well_formed_occasions(
    baseline: date, tz: str, s1: int | None, s2: int | None, s3: int | None
) -> None:
    specs = occasions_for(PROTOCOL, anchors(baseline, s1, s2, s3), tz)
    assert len(specs) == OCCASIONS_PER_PARTICIPANT
    assert len({spec.key for spec in specs}) == OCCASIONS_PER_PARTICIPANT
    zone = ZoneInfo(tz)
    for spec in specs:
        assert spec.opens_at < spec.closes_at
        assert all(spec.opens_at < r < spec.closes_at for r in spec.reminders)
        assert spec.first_day <= spec.opens_at.astimezone(zone).date() <= spec.last_day
        assert spec.first_day <= spec.target <= spec.last_day


@settings(max_examples=60, deadline=None)
@given(baselines, zones)
def test_occasions_are_sorted_and_open_at_9_local_unless_9_was_skipped(baseline: date, tz: str) -> None:
    specs = occasions_for(PROTOCOL, {"baseline": baseline}, tz)
    keys = [(s.opens_at, s.timepoint) for s in specs]
    assert keys == sorted(keys)
    zone = ZoneInfo(tz)
    for spec in specs:
        local = spec.opens_at.astimezone(zone)
        assert local.time() == time(9, 0) or local.time() > time(9, 0) and local.date() == spec.first_day


@settings(max_examples=200, deadline=None)
@given(instants, zones, clock_times, clock_times)
def test_next_allowed_instant_is_never_earlier_and_never_in_quiet_hours(
    at: datetime, tz: str, start: time, end: time
) -> None:
    allowed = next_allowed_instant(at, tz, start, end)
    zone = ZoneInfo(tz)
    assert at <= allowed <= at + timedelta(hours=26)
    assert not in_quiet_hours(allowed.astimezone(zone).time(), start, end)
    quiet = in_quiet_hours(at.astimezone(zone).time(), start, end)
    assert (allowed == at) is not quiet
