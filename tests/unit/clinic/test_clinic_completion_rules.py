"""Pure completion rules: one state per occasion, the rate over closed windows only."""

from __future__ import annotations

from datetime import date

import pytest

from pro_service.responses.domain import entry_differences, paper_date_problem
from pro_service.schedule.domain.completion import Cell, Facts, add, classify, empty_figures, totals, with_rate


def _facts(status="scheduled", *, not_yet_open=False, closed=False, closing_soon=False,
           has_partial=False):
    return Facts(status, not_yet_open, closed, closing_soon, has_partial)


@pytest.mark.parametrize(("facts", "cell"), [
    (_facts(not_yet_open=True), Cell.NOT_YET_DUE),
    (_facts("open"), Cell.OPEN),
    (_facts("in_progress", closing_soon=True), Cell.OVERDUE),
    (_facts("scheduled", closing_soon=True), Cell.OVERDUE),  # the scheduler has not run yet
    (_facts("open", closed=True, closing_soon=True), Cell.MISSED),  # closed before the tick
    (_facts("missed", closed=True, has_partial=True), Cell.PARTIAL),
    (_facts("missed", closed=True), Cell.MISSED),
    (_facts("completed", closed=True), Cell.COMPLETED),
    (_facts("completed"), Cell.COMPLETED),
    (_facts("missed_before_enrolment", closed=True), Cell.MISSED_BEFORE_ENROLMENT),
    (_facts("cancelled", closed=True), Cell.CANCELLED),
])
def test_each_occasion_has_exactly_one_state(facts, cell):
    assert classify(facts) == cell


def test_rate_counts_only_closed_windows_and_never_cancelled_ones():
    row = empty_figures("302", "W4", "EQ5D5L")
    add(row, Cell.COMPLETED, closed=False, channel="web", count=5)  # early, window still open
    add(row, Cell.COMPLETED, closed=True, channel="paper", count=3)
    add(row, Cell.MISSED, closed=True, channel=None, count=1)
    add(row, Cell.CANCELLED, closed=True, channel=None, count=4)
    with_rate(row)
    assert (row["total"], row["completed"], row["completed_web"], row["completed_paper"]) == (13, 8, 5, 3)
    assert (row["closed"], row["completed_closed"], row["rate"]) == (4, 3, 0.75)
    site = totals([row, with_rate(empty_figures("302", "W12", "EQ5D5L"))], site="302")
    assert site["total"] == 13 and site["rate"] == 0.75


def test_paper_dates_outside_the_window_need_a_reason_and_the_future_is_refused():
    first, last, today = date(2027, 1, 1), date(2027, 1, 10), date(2027, 1, 20)
    assert paper_date_problem(date(2027, 1, 5), first_day=first, last_day=last, today=today,
                              reason=None) is None
    assert "reason" in paper_date_problem(date(2027, 1, 11), first_day=first, last_day=last,
                                          today=today, reason=" ")
    assert paper_date_problem(date(2027, 1, 11), first_day=first, last_day=last, today=today,
                              reason="visit moved") is None
    assert "future" in paper_date_problem(date(2027, 1, 21), first_day=first, last_day=last,
                                          today=today, reason="anything")


def test_entry_differences_name_each_field_both_ways():
    assert entry_differences({"MO": 1, "VAS": 70}, {"MO": 2, "SC": 1, "VAS": 70}) == [
        {"field": "MO", "first": 1, "second": 2}, {"field": "SC", "first": None, "second": 1}]
