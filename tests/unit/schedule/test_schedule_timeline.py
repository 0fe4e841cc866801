"""Occasions for one participant on the default protocol, against a schedule written out by hand."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from types import SimpleNamespace

import pytest

from pro_service.schedule.domain.protocol import Protocol, load_protocol
from pro_service.schedule.domain.timeline import OccasionSpec, occasions_for

PROTOCOL_FILE = Path(__file__).resolve().parents[3] / "protocols" / "nct05121870.json"
SHANGHAI = "Asia/Shanghai"
NEW_YORK = "America/New_York"


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


@pytest.fixture(scope="module")
def protocol() -> Protocol:
    return load_protocol(PROTOCOL_FILE)


def by_key(specs: list[OccasionSpec]) -> dict[tuple[str, str], OccasionSpec]:
    return {spec.key: spec for spec in specs}


# Baseline Monday 2026-03-02 in Shanghai (UTC+8, no DST): 09:00 local = 01:00 UTC and the end of
# a local day (24:00) = 16:00 UTC the same date. Worked out by hand from DESIGN §3.
VISITS = [
    # timepoint, target, first day, last day, opens_at, closes_at, reminders
    ("BL", date(2026, 3, 2), date(2026, 2, 16), date(2026, 3, 2), utc(2026, 2, 16, 1), utc(2026, 3, 2, 16),
     (utc(2026, 2, 17, 1), utc(2026, 2, 19, 1))),
    ("W4", date(2026, 3, 30), date(2026, 3, 27), date(2026, 4, 2), utc(2026, 3, 27, 1), utc(2026, 4, 2, 16),
     (utc(2026, 3, 28, 1), utc(2026, 3, 30, 1))),
    ("W12", date(2026, 5, 25), date(2026, 5, 18), date(2026, 6, 1), utc(2026, 5, 18, 1), utc(2026, 6, 1, 16),
     (utc(2026, 5, 19, 1), utc(2026, 5, 21, 1))),
    ("W24", date(2026, 8, 17), date(2026, 8, 10), date(2026, 8, 24), utc(2026, 8, 10, 1), utc(2026, 8, 24, 16),
     (utc(2026, 8, 11, 1), utc(2026, 8, 13, 1))),
    ("W36", date(2026, 11, 9), date(2026, 11, 2), date(2026, 11, 16), utc(2026, 11, 2, 1), utc(2026, 11, 16, 16),
     (utc(2026, 11, 3, 1), utc(2026, 11, 5, 1))),
    ("W48", date(2027, 2, 1), date(2027, 1, 25), date(2027, 2, 8), utc(2027, 1, 25, 1), utc(2027, 2, 8, 16),
     (utc(2027, 1, 26, 1), utc(2027, 1, 28, 1))),
]
# Symptom checks: window 0…+2 days (post-infusion 0…+1), so only the 24 h reminder fits before close.
CHECKS = [
    ("SC-W1", date(2026, 3, 9), date(2026, 3, 9), date(2026, 3, 11), utc(2026, 3, 9, 1), utc(2026, 3, 11, 16),
     (utc(2026, 3, 10, 1),)),
    ("SC-W24", date(2026, 8, 17), date(2026, 8, 17), date(2026, 8, 19), utc(2026, 8, 17, 1), utc(2026, 8, 19, 16),
     (utc(2026, 8, 18, 1),)),
    ("SC-W48", date(2027, 2, 1), date(2027, 2, 1), date(2027, 2, 3), utc(2027, 2, 1, 1), utc(2027, 2, 3, 16),
     (utc(2027, 2, 2, 1),)),
    # infusion_1 defaults to baseline (03-02), infusion_2 to 03-30, infusion_3 to 04-27
    ("SC-INF1-D1", date(2026, 3, 3), date(2026, 3, 3), date(2026, 3, 4), utc(2026, 3, 3, 1), utc(2026, 3, 4, 16),
     (utc(2026, 3, 4, 1),)),
    ("SC-INF2-D3", date(2026, 4, 2), date(2026, 4, 2), date(2026, 4, 3), utc(2026, 4, 2, 1), utc(2026, 4, 3, 16),
     (utc(2026, 4, 3, 1),)),
    ("SC-INF3-D7", date(2026, 5, 4), date(2026, 5, 4), date(2026, 5, 5), utc(2026, 5, 4, 1), utc(2026, 5, 5, 16),
     (utc(2026, 5, 5, 1),)),
]


@pytest.mark.parametrize("row", VISITS, ids=[row[0] for row in VISITS])
@pytest.mark.parametrize("instrument", ["EQ5D5L", "CLDQ"])
def test_visit_occasions_match_the_hand_written_schedule(protocol: Protocol, row: tuple, instrument: str) -> None:
    specs = by_key(occasions_for(protocol, {"baseline": date(2026, 3, 2)}, SHANGHAI))
    code, target, first, last, opens, closes, reminders = row
    assert specs[(code, instrument)] == OccasionSpec(code, instrument, "baseline", target, first, last, opens,
                                                     closes, reminders)


@pytest.mark.parametrize("row", CHECKS, ids=[row[0] for row in CHECKS])
def test_symptom_check_occasions_match_the_hand_written_schedule(protocol: Protocol, row: tuple) -> None:
    spec = by_key(occasions_for(protocol, {"baseline": date(2026, 3, 2)}, SHANGHAI))[(row[0], "SYMPTOMS")]
    assert (spec.timepoint, spec.target, spec.first_day, spec.last_day, spec.opens_at, spec.closes_at,
            spec.reminders) == row


def test_occasions_are_sorted_by_opening_then_timepoint_then_protocol_instrument_order(protocol: Protocol) -> None:
    specs = occasions_for(protocol, {"baseline": date(2026, 3, 2)}, SHANGHAI)
    assert [spec.key for spec in specs[:6]] == [
        ("BL", "EQ5D5L"), ("BL", "CLDQ"), ("SC-INF1-D1", "SYMPTOMS"), ("SC-INF1-D3", "SYMPTOMS"),
        ("SC-INF1-D7", "SYMPTOMS"), ("SC-W1", "SYMPTOMS"),
    ]
    assert len(specs) == len({spec.key for spec in specs}) == 69


def test_every_instant_is_timezone_aware_utc(protocol: Protocol) -> None:
    for spec in occasions_for(protocol, {"baseline": date(2026, 3, 2)}, NEW_YORK):
        for instant in (spec.opens_at, spec.closes_at, *spec.reminders):
            assert instant.tzinfo is UTC


def test_missing_infusion_dates_fall_back_to_baseline_plus_0_28_56_days(protocol: Protocol) -> None:
    implicit = occasions_for(protocol, {"baseline": date(2026, 3, 2)}, SHANGHAI)
    given = {"baseline": date(2026, 3, 2), "infusion_1": date(2026, 3, 2), "infusion_2": date(2026, 3, 30),
             "infusion_3": date(2026, 4, 27)}
    explicit = occasions_for(protocol, given, SHANGHAI)
    assert implicit == explicit


def test_anchors_may_be_given_as_an_object_with_attributes(protocol: Protocol) -> None:
    anchors = SimpleNamespace(baseline=date(2026, 3, 2), infusion_1=None, infusion_2=None, infusion_3=None)
    assert occasions_for(protocol, anchors, SHANGHAI) == occasions_for(protocol, {"baseline": date(2026, 3, 2)},
                                                                       SHANGHAI)


def test_a_moved_infusion_changes_only_its_own_symptom_checks(protocol: Protocol) -> None:
    before = by_key(occasions_for(protocol, {"baseline": date(2026, 3, 2)}, SHANGHAI))
    moved = {"baseline": date(2026, 3, 2), "infusion_2": date(2026, 4, 6)}
    after = by_key(occasions_for(protocol, moved, SHANGHAI))
    changed = {key for key in before if before[key] != after[key]}
    assert changed == {("SC-INF2-D1", "SYMPTOMS"), ("SC-INF2-D3", "SYMPTOMS"), ("SC-INF2-D7", "SYMPTOMS")}
    assert after[("SC-INF2-D1", "SYMPTOMS")].target == date(2026, 4, 7)
    assert after[("SC-INF2-D7", "SYMPTOMS")].opens_at == utc(2026, 4, 13, 1)


def test_a_moved_baseline_moves_every_baseline_timepoint(protocol: Protocol) -> None:
    before = by_key(occasions_for(protocol, {"baseline": date(2026, 3, 2)}, SHANGHAI))
    after = by_key(occasions_for(protocol, {"baseline": date(2026, 3, 9)}, SHANGHAI))
    assert after[("W24", "CLDQ")].target == date(2026, 8, 24)
    assert after[("W24", "CLDQ")].opens_at == utc(2026, 8, 17, 1)
    assert all(before[key] != after[key] for key in before)


def test_no_baseline_means_no_occasions(protocol: Protocol) -> None:
    assert occasions_for(protocol, {}, SHANGHAI) == []
    assert occasions_for(protocol, {"baseline": None, "infusion_1": date(2026, 3, 2)}, SHANGHAI) == []


def test_a_datetime_is_refused_as_an_anchor(protocol: Protocol) -> None:
    with pytest.raises(TypeError, match="baseline"):
        occasions_for(protocol, {"baseline": utc(2026, 3, 2)}, SHANGHAI)


def test_windows_open_at_9_local_on_both_sides_of_the_march_2027_change(protocol: Protocol) -> None:
    # New York springs forward on Sunday 2027-03-14: 09:00 is 14:00 UTC (EST) before, 13:00 UTC (EDT) after.
    specs = by_key(occasions_for(protocol, {"baseline": date(2027, 2, 14)}, NEW_YORK))
    assert specs[("SC-W3", "SYMPTOMS")].opens_at == utc(2027, 3, 7, 14)
    assert specs[("SC-W4", "SYMPTOMS")].opens_at == utc(2027, 3, 14, 13)
    assert specs[("SC-W4", "SYMPTOMS")].closes_at == utc(2027, 3, 17, 4)


def test_a_window_spanning_the_march_2027_change_opens_in_est_and_closes_in_edt(protocol: Protocol) -> None:
    w4 = by_key(occasions_for(protocol, {"baseline": date(2027, 2, 14)}, NEW_YORK))[("W4", "EQ5D5L")]
    assert (w4.target, w4.first_day, w4.last_day) == (date(2027, 3, 14), date(2027, 3, 11), date(2027, 3, 17))
    assert w4.opens_at == utc(2027, 3, 11, 14)  # 09:00 EST
    assert w4.closes_at == utc(2027, 3, 18, 4)  # 00:00 EDT on 03-18
    assert w4.reminders == (utc(2027, 3, 12, 14), utc(2027, 3, 14, 14))  # 24 h and 72 h elapsed


def test_a_window_spanning_the_november_2027_change_opens_in_edt_and_closes_in_est(protocol: Protocol) -> None:
    w4 = by_key(occasions_for(protocol, {"baseline": date(2027, 10, 10)}, NEW_YORK))[("W4", "CLDQ")]
    assert w4.opens_at == utc(2027, 11, 4, 13)  # 09:00 EDT
    assert w4.closes_at == utc(2027, 11, 11, 5)  # 00:00 EST on 11-11
    assert w4.reminders == (utc(2027, 11, 5, 13), utc(2027, 11, 7, 13))  # the second is 08:00 EST


def test_a_window_closing_at_a_skipped_midnight_closes_when_the_day_begins(protocol: Protocol) -> None:
    # Havana skips 00:00–01:00 on 2027-03-14; the day ending 03-13 ends at the transition, 05:00 UTC.
    sc = by_key(occasions_for(protocol, {"baseline": date(2027, 3, 4)}, "America/Havana"))[("SC-W1", "SYMPTOMS")]
    assert (sc.first_day, sc.last_day) == (date(2027, 3, 11), date(2027, 3, 13))
    assert sc.closes_at == utc(2027, 3, 14, 5)
