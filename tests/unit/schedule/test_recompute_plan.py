"""The anchor-change plan: what moves, what is added, cancelled or kept (pure)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from pro_service.schedule.domain.recompute import Current, plan_recompute
from pro_service.schedule.domain.timeline import OccasionSpec

NOW = datetime(2027, 3, 1, 2, 0, tzinfo=UTC)


def _spec(tp: str, day: int) -> OccasionSpec:
    opens = NOW + timedelta(days=day)
    return OccasionSpec(tp, "EQ5D5L", "baseline", opens.date(), opens.date(), opens.date(), opens,
                        opens + timedelta(days=7), ())


def _current(tp: str, day: int, status: str) -> Current:
    s = _spec(tp, day)
    return Current(tp, "EQ5D5L", status, s.target, s.opens_at, s.closes_at)


def test_only_unopened_occasions_move_and_others_are_kept():
    current = [_current("W4", 5, "scheduled"), _current("BL", -20, "completed"), _current("W12", 40, "scheduled")]
    wanted = [_spec("W4", 8), _spec("BL", -17), _spec("W12", 40)]
    plan = plan_recompute(current, wanted, NOW)
    assert [m.before.timepoint for m in plan.moved] == ["W4"]
    assert plan.moved[0].after.opens_at == NOW + timedelta(days=8)
    assert [k.timepoint for k in plan.kept] == ["BL"]
    assert plan.added == () and plan.cancelled == ()


def test_new_timepoints_are_added_and_dropped_unopened_ones_cancelled():
    current = [_current("W4", 5, "scheduled"), _current("W36", -3, "completed"), _current("W48", 90, "scheduled")]
    wanted = [_spec("W4", 5), _spec("W24", 60), _spec("W36", -3)]
    plan = plan_recompute(current, wanted, NOW)
    assert [s.timepoint for s in plan.added] == ["W24"]
    assert [c.timepoint for c in plan.cancelled] == ["W48"]
    assert plan.moved == () and plan.counts() == {"moved": 0, "added": 1, "cancelled": 1}


def test_an_unchanged_schedule_plans_nothing():
    current = [_current("W4", 5, "scheduled"), _current("W12", 40, "open")]
    plan = plan_recompute(current, [_spec("W4", 5), _spec("W12", 40)], NOW)
    assert plan.counts() == {"moved": 0, "added": 0, "cancelled": 0} and plan.kept == ()
