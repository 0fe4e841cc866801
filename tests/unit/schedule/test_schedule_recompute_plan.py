"""Which occasions an anchor change moves, adds, cancels and keeps (schedule/domain/recompute.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from pro_service.schedule.domain.recompute import MOVABLE, Current, Move, plan_recompute
from pro_service.schedule.domain.timeline import OccasionSpec

NOW = datetime(2027, 1, 4, 2, 0, tzinfo=UTC)
OPENS = datetime(2027, 2, 1, 1, 0, tzinfo=UTC)
CLOSES = datetime(2027, 2, 8, 16, 0, tzinfo=UTC)
TARGET = date(2027, 2, 5)


def spec(tp: str = "W4", instrument: str = "CLDQ", *, opens: datetime = OPENS,
         closes: datetime = CLOSES, target: date = TARGET) -> OccasionSpec:
    return OccasionSpec(tp, instrument, "baseline", target, target, target, opens, closes, ())


def current(tp: str = "W4", instrument: str = "CLDQ", status: str = "scheduled", *,
            opens: datetime = OPENS, closes: datetime = CLOSES, target: date = TARGET) -> Current:
    return Current(tp, instrument, status, target, opens, closes)


def test_movable_states_are_scheduled_and_missed_before_enrolment() -> None:
    assert frozenset({"scheduled", "missed_before_enrolment"}) == MOVABLE


def test_an_unchanged_window_is_left_alone() -> None:
    plan = plan_recompute([current()], [spec()], NOW)
    assert plan.counts() == {"moved": 0, "added": 0, "cancelled": 0} and plan.kept == ()


@pytest.mark.parametrize("change", [{"opens": OPENS + timedelta(days=1)},
                                    {"closes": CLOSES + timedelta(days=1)},
                                    {"target": TARGET + timedelta(days=1)}])
@pytest.mark.parametrize("status", ["scheduled", "missed_before_enrolment"])
def test_an_unopened_occasion_whose_window_changes_moves(change: dict, status: str) -> None:
    before = current(status=status)
    after = spec(**change)
    plan = plan_recompute([before], [after], NOW)
    assert plan.moved == (Move(before, after),)
    assert plan.counts() == {"moved": 1, "added": 0, "cancelled": 0} and plan.kept == ()


@pytest.mark.parametrize("status", ["open", "in_progress", "completed", "missed", "cancelled"])
def test_an_opened_or_ended_occasion_keeps_its_window(status: str) -> None:
    before = current(status=status)
    plan = plan_recompute([before], [spec(opens=OPENS + timedelta(days=2))], NOW)
    assert plan.moved == () and plan.kept == (before,)


def test_a_new_timepoint_is_added_and_a_dropped_one_cancelled_if_unopened() -> None:
    dropped, opened = current("W12"), current("W36", status="open")
    new = spec("W24")
    plan = plan_recompute([dropped, opened], [new], NOW)
    assert plan.added == (new,) and plan.cancelled == (dropped,)
    assert plan.counts() == {"moved": 0, "added": 1, "cancelled": 1} and plan.kept == ()


def test_occasions_are_matched_by_timepoint_and_instrument() -> None:
    plan = plan_recompute([current("W4", "CLDQ")], [spec("W4", "EQ5D5L")], NOW)
    assert [s.instrument for s in plan.added] == ["EQ5D5L"]
    assert [c.instrument for c in plan.cancelled] == ["CLDQ"]
    assert current("W4", "CLDQ").key == ("W4", "CLDQ")
