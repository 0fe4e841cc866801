"""Completion by site and timepoint: every occasion state, and the rate over closed windows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from pro_service.extensions import db
from pro_service.participants import service as participants
from pro_service.responses import service as responses
from pro_service.responses.jobs import close_missed
from tests.integration.exports.conftest import (AFTER_BL_CLOSED, BL_EARLY, BL_ON_DAY, MIXED_EQ5D,
                                               open_occasion)


def valid_eq5d():
    return dict(MIXED_EQ5D)


@pytest.fixture
def clock_at(monkeypatch):
    def set_now(instant):
        monkeypatch.setattr("pro_service.core.clock.now", lambda: instant)

    return set_now


def _completion(client, headers, **query):
    resp = client.get("/api/exports/completion", query_string=query, headers=headers)
    assert resp.status_code == 200, resp.json
    return {(r["site"], r["timepoint"], r["instrument"]): r for r in resp.json["items"]}


def _figures(row):
    return {k: row[k] for k in ("total", "completed", "partial", "missed", "closed", "rate")
            if row[k]}


def test_completed_partial_and_missed_add_up_to_closed_once_the_window_closed(
        app, client, world, make_participant, answer, clock_at):
    done, started, _silent = make_participant(), make_participant(), make_participant()
    make_participant(study_id="303-0001", site="303")
    answer(done, "BL", at=BL_EARLY)
    occ = open_occasion(started, "BL", "EQ5D5L")
    responses.save_draft(occ.id, {"MO": 2, "SC": 1}, instrument=app.extensions[
        "pro.instruments"]["EQ5D5L"], channel="web", now=BL_EARLY)
    close_missed(now=AFTER_BL_CLOSED, limit=1000, instruments=app.extensions["pro.instruments"])
    clock_at(AFTER_BL_CLOSED)
    rows = _completion(client, world["analyst"].headers)
    assert _figures(rows["302", "BL", "EQ5D5L"]) == {
        "total": 3, "completed": 1, "partial": 1, "missed": 1, "closed": 3, "rate": 0.3333}
    assert _figures(rows["302", "BL", "CLDQ"]) == {"total": 3, "missed": 3, "closed": 3}
    assert rows["302", "BL", "CLDQ"]["rate"] == 0.0
    assert _figures(rows["303", "BL", "EQ5D5L"])["missed"] == 1
    w4 = rows["302", "W4", "EQ5D5L"]  # its window has not opened: visible, outside the rate
    assert (w4["not_yet_due"], w4["closed"], w4["rate"]) == (3, 0, None)


def test_an_occasion_completed_in_an_open_window_counts_but_no_rate_before_close(
        client, world, make_participant, answer, clock_at):
    done, _waiting = make_participant(), make_participant()
    answer(done, "BL", at=BL_EARLY)
    clock_at(BL_EARLY + timedelta(hours=1))
    rows = _completion(client, world["analyst"].headers)
    assert _figures(rows["302", "BL", "EQ5D5L"]) == {"total": 2, "completed": 1}
    assert rows["302", "BL", "EQ5D5L"]["open"] == 1 and rows["302", "BL", "EQ5D5L"]["rate"] is None
    assert rows["302", "BL", "CLDQ"]["open"] == 2


def test_cancelled_occasions_of_a_withdrawn_participant_stay_out_of_the_rate(
        client, world, make_participant, answer, clock_at):
    stays, leaves = make_participant(), make_participant()
    answer(stays, "BL", at=BL_EARLY)
    participants.withdraw_participant(leaves.study_id, staff=world["admin"].user,
                                      now=BL_EARLY, reason="moved away")
    clock_at(AFTER_BL_CLOSED)
    rows = _completion(client, world["analyst"].headers, instrument="EQ5D5L")
    assert _figures(rows["302", "BL", "EQ5D5L"]) == {
        "total": 2, "completed": 1, "closed": 1, "rate": 1.0}
    assert rows["302", "BL", "EQ5D5L"]["cancelled"] == 1
    assert {k[2] for k in rows} == {"EQ5D5L"}


def test_rows_follow_the_protocols_timepoint_order(client, world, make_participant, clock_at):
    make_participant()
    clock_at(AFTER_BL_CLOSED + timedelta(days=60))
    rows = list(_completion(client, world["analyst"].headers))
    timepoints = [k[1] for k in rows]
    assert timepoints.index("BL") < timepoints.index("W4") < timepoints.index("SC-W1")


def test_a_cut_shows_completion_as_it_stood_then_and_agrees_with_now_at_now(
        app, client, world, make_participant, answer, clock_at):
    done_early, done_late, started, _silent = (make_participant() for _ in range(4))
    answer(done_early, "BL", at=BL_EARLY)
    occ = open_occasion(started, "BL", "EQ5D5L")
    responses.save_draft(occ.id, {"MO": 2}, instrument=app.extensions["pro.instruments"]["EQ5D5L"],
                         channel="web", now=BL_EARLY)
    close_missed(now=AFTER_BL_CLOSED, limit=1000, instruments=app.extensions["pro.instruments"])
    # entered late, from paper, a week after the window closed
    late = AFTER_BL_CLOSED + timedelta(days=7)
    late_occ = open_occasion(done_late, "BL", "EQ5D5L")
    responses.complete_occasion(late_occ, valid_eq5d(), instrument=app.extensions[
        "pro.instruments"]["EQ5D5L"], channel="paper", now=late, actor="staff:1",
        reason="paper form transcribed")
    db.session.commit()
    clock_at(late + timedelta(days=1))
    headers = world["analyst"].headers

    # on the baseline day, 13 hours before the window closes
    before_close = _completion(client, headers, instrument="EQ5D5L", as_of=BL_ON_DAY.isoformat())
    row = before_close["302", "BL", "EQ5D5L"]
    assert (row["completed"], row["overdue"], row["closed"], row["rate"]) == (1, 3, 0, None)

    after_close = _completion(client, headers, instrument="EQ5D5L", as_of=late.isoformat()
                              .replace("+00:00", "Z"))["302", "BL", "EQ5D5L"]
    assert _figures(after_close) == {"total": 4, "completed": 2, "partial": 1, "missed": 1,
                                     "closed": 4, "rate": 0.5}
    assert (after_close["completed_web"], after_close["completed_paper"]) == (1, 1)
    just_before_entry = _completion(client, headers, instrument="EQ5D5L",
                                    as_of=(late - timedelta(seconds=1)).isoformat())
    assert _figures(just_before_entry["302", "BL", "EQ5D5L"])["missed"] == 2

    now_rows = _completion(client, headers)
    cut_at_now = _completion(client, headers, as_of=(late + timedelta(days=1)).isoformat())
    assert cut_at_now == now_rows  # one classification: a cut at now reads as now does


def test_a_cut_leaves_out_participants_enrolled_after_it_and_refuses_the_future(
        client, world, make_participant, clock_at):
    make_participant()
    clock_at(AFTER_BL_CLOSED)
    early = _completion(client, world["analyst"].headers,
                        as_of=datetime(2026, 1, 1, tzinfo=UTC).isoformat())
    assert early == {}
    resp = client.get("/api/exports/completion", headers=world["analyst"].headers,
                      query_string={"as_of": (AFTER_BL_CLOSED + timedelta(days=1)).isoformat()})
    assert resp.status_code == 422 and "future" in resp.get_data(as_text=True)
    csv = client.get("/api/exports/completion", headers=world["analyst"].headers,
                     query_string={"format": "csv", "as_of": BL_EARLY.isoformat()})
    assert csv.status_code == 200 and csv.headers["X-Data-As-Of"] == BL_EARLY.isoformat()
