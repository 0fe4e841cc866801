"""Completion by site and timepoint: every occasion state, and the rate over closed windows."""

from __future__ import annotations

from datetime import timedelta

import pytest

from pro_service.participants import service as participants
from pro_service.responses import service as responses
from pro_service.responses.jobs import close_missed
from tests.integration.exports.conftest import AFTER_BL_CLOSED, BL_EARLY, open_occasion


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
