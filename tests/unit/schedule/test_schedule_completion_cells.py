"""Completion report states and figures (schedule/domain/completion.py, DESIGN §10)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from pro_service.schedule.domain.completion import (
    CHANNELS,
    COLUMNS,
    OVERDUE_WITHIN,
    Cell,
    Facts,
    add,
    classify,
    empty_figures,
    totals,
    with_rate,
)


def facts(status: str = "open", *, not_yet_open: bool = False, closed: bool = False,
          closing_soon: bool = False, has_partial: bool = False) -> Facts:
    return Facts(status, not_yet_open, closed, closing_soon, has_partial)


@pytest.mark.parametrize(("f", "cell"), [
    (facts("cancelled", closed=True, has_partial=True), Cell.CANCELLED),
    (facts("cancelled", not_yet_open=True), Cell.CANCELLED),
    (facts("completed", closed=True), Cell.COMPLETED),
    (facts("completed", closing_soon=True), Cell.COMPLETED),
    (facts("missed_before_enrolment", closed=True, has_partial=True),
     Cell.MISSED_BEFORE_ENROLMENT),
    (facts("open", closed=True), Cell.MISSED),
    (facts("in_progress", closed=True, has_partial=True), Cell.PARTIAL),
    (facts("missed"), Cell.MISSED),
    (facts("missed", has_partial=True), Cell.PARTIAL),
    (facts("scheduled", not_yet_open=True), Cell.NOT_YET_DUE),
    (facts("scheduled", not_yet_open=True, closing_soon=True), Cell.NOT_YET_DUE),
    (facts("open", closing_soon=True), Cell.OVERDUE),
    (facts("in_progress", closing_soon=True, has_partial=True), Cell.OVERDUE),
    (facts("open"), Cell.OPEN),
    (facts("scheduled"), Cell.OPEN),  # the window decides before a lagging scheduler
])
def test_each_occasion_gets_one_report_state(f: Facts, cell: Cell) -> None:
    assert classify(f) is cell


def test_overdue_means_closing_within_24_hours_and_channels_are_the_four() -> None:
    assert OVERDUE_WITHIN == timedelta(hours=24)
    assert CHANNELS == ("sms", "web", "clinic", "paper")
    assert [str(c) for c in Cell] == ["not_yet_due", "open", "overdue", "completed", "partial",
                                      "missed", "missed_before_enrolment", "cancelled"]


def test_columns_are_the_report_columns_in_order() -> None:
    assert COLUMNS == (
        "site", "timepoint", "instrument", "total", "not_yet_due", "open", "overdue",
        "completed", "completed_sms", "completed_web", "completed_clinic", "completed_paper",
        "partial", "missed", "missed_before_enrolment", "cancelled", "closed",
        "completed_closed", "rate")


def test_an_empty_row_counts_nothing_and_has_no_rate() -> None:
    row = empty_figures("302", "W4", "CLDQ")
    assert row == {**dict.fromkeys(COLUMNS, 0), "site": "302", "timepoint": "W4",
                   "instrument": "CLDQ", "rate": None}


def test_add_counts_states_channels_and_closed_windows() -> None:
    row = empty_figures("302", "W4", "CLDQ")
    add(row, Cell.COMPLETED, closed=True, channel="sms", count=3)
    add(row, Cell.COMPLETED, closed=False, channel="web", count=2)
    add(row, Cell.COMPLETED, closed=True, channel="fax", count=1)
    add(row, Cell.COMPLETED, closed=True, channel=None, count=1)
    add(row, Cell.MISSED, closed=True, channel=None, count=4)
    add(row, Cell.CANCELLED, closed=True, channel="sms", count=5)
    add(row, Cell.OPEN, closed=False, channel=None, count=6)
    assert row["total"] == 22
    assert (row["completed"], row["missed"], row["cancelled"], row["open"]) == (7, 4, 5, 6)
    assert (row["completed_sms"], row["completed_web"]) == (3, 2)
    assert row["completed_clinic"] == row["completed_paper"] == 0
    assert row["closed"] == 3 + 1 + 1 + 4  # cancelled windows do not count as closed
    assert row["completed_closed"] == 5


@pytest.mark.parametrize(("done", "closed", "rate"), [(1, 3, 0.3333), (2, 3, 0.6667),
                                                      (3, 3, 1.0), (0, 2, 0.0), (0, 0, None)])
def test_rate_is_completed_among_closed_to_four_places(done: int, closed: int,
                                                       rate: float | None) -> None:
    row = {**empty_figures("", "", ""), "closed": closed, "completed_closed": done}
    assert with_rate(row) is row
    assert row["rate"] == rate


def test_totals_sum_every_count_and_recompute_the_rate() -> None:
    one = empty_figures("301", "W4", "CLDQ")
    add(one, Cell.COMPLETED, closed=True, channel="paper", count=1)
    add(one, Cell.NOT_YET_DUE, closed=False, channel=None, count=2)
    two = empty_figures("302", "W4", "CLDQ")
    add(two, Cell.PARTIAL, closed=True, channel=None, count=2)
    add(two, Cell.MISSED_BEFORE_ENROLMENT, closed=True, channel=None, count=1)
    add(two, Cell.OVERDUE, closed=False, channel=None, count=1)
    out = totals([with_rate(one), with_rate(two)], site="all")
    assert out == {**dict.fromkeys(COLUMNS, 0), "site": "all", "timepoint": "", "instrument": "",
                   "total": 7, "completed": 1, "completed_paper": 1, "not_yet_due": 2,
                   "partial": 2, "missed_before_enrolment": 1, "overdue": 1, "closed": 4,
                   "completed_closed": 1, "rate": 0.25}
    assert totals([], timepoint="W4", instrument="CLDQ")["timepoint"] == "W4"
    assert totals([], timepoint="W4", instrument="CLDQ")["instrument"] == "CLDQ"
