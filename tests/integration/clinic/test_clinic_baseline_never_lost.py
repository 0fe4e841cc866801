"""No occasion is dropped: a late enrolment keeps its baseline, and late paper entry fills it."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from pro_service.audit.models import AuditEvent
from pro_service.extensions import db
from pro_service.participants import service as participants
from pro_service.responses.models import Response
from pro_service.schedule.models import Occasion
from tests.integration.exports.conftest import read_csv

BASELINE = date(2027, 1, 11)  # BL window 2026-12-28 09:00 – 2027-01-12 00:00 Shanghai
DAY_AFTER_BASELINE = datetime(2027, 1, 12, 2, 0, tzinfo=UTC)  # 10:00 local on 01-12
W4_ON_TARGET = datetime(2027, 2, 8, 2, 0, tzinfo=UTC)
BL_PAPER = {"MO": 3, "SC": 2, "UA": 3, "PD": 3, "AD": 2, "VAS": 40}
W4_WEB = {"MO": 1, "SC": 1, "UA": 2, "PD": 2, "AD": 1, "VAS": 70}


@pytest.fixture
def clock_at(monkeypatch):
    def set_now(instant):
        monkeypatch.setattr("pro_service.core.clock.now", lambda: instant)

    return set_now


def _occasion(p, timepoint, instrument="EQ5D5L"):
    return db.session.scalar(sa.select(Occasion).where(
        Occasion.participant_id == p.id, Occasion.timepoint == timepoint,
        Occasion.instrument == instrument))


def _paper(client, staff, **body):
    payload = {"study_id": "302-0001", "timepoint": "BL", "instrument": "EQ5D5L",
               "answers": BL_PAPER, **body}
    return client.post("/api/responses/paper", json=payload, headers=staff.headers)


def test_enrolment_after_the_baseline_window_keeps_baseline_as_missed_before_enrolment(
        make_site, make_participant):
    make_site("302")
    p = make_participant(study_id="302-0001", baseline=BASELINE, now=DAY_AFTER_BASELINE)
    bl = [o for o in db.session.scalars(sa.select(Occasion).where(
        Occasion.participant_id == p.id, Occasion.timepoint == "BL"))]
    assert {(o.instrument, o.status) for o in bl} == {("EQ5D5L", "missed_before_enrolment"),
                                                      ("CLDQ", "missed_before_enrolment")}
    assert _occasion(p, "W4").status == "scheduled"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Occasion).where(
        Occasion.participant_id == p.id)) == 69  # every protocol occasion, none dropped
    event = db.session.scalars(sa.select(AuditEvent).where(
        AuditEvent.action == "occasions.create")).one()
    assert event.after["missed_before_enrolment"] == 2


def test_late_paper_baseline_with_reason_gives_change_from_baseline_in_the_score_export(
        app, client, make_site, make_staff, make_participant, clock_at):
    make_site("302")
    coordinator, analyst = make_staff("coordinator"), make_staff("analyst")
    p = make_participant(study_id="302-0001", baseline=BASELINE, now=DAY_AFTER_BASELINE)
    clock_at(DAY_AFTER_BASELINE + timedelta(hours=1))

    no_reason = _paper(client, coordinator, completed_on="2027-01-12")
    assert no_reason.status_code == 422 and "give the reason" in no_reason.json["detail"]
    future = _paper(client, coordinator, completed_on="2027-01-13", reason="typo test")
    assert future.status_code == 422 and "future" in future.json["detail"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Response)) == 0

    stored = _paper(client, coordinator, completed_on="2027-01-12",
                    reason="filled in at the registration visit, the day after baseline")
    assert stored.status_code == 201, stored.json
    assert stored.json["status"] == "stored" and stored.json["channel"] == "paper"
    db.session.expire_all()
    assert _occasion(p, "BL").status == "completed"

    w4 = _occasion(p, "W4")
    w4.status = "open"  # as the scheduler opens it
    db.session.commit()
    from pro_service.responses import service as responses

    responses.submit_response(w4.id, W4_WEB, instrument=app.extensions["pro.instruments"]["EQ5D5L"],
                              channel="web", now=W4_ON_TARGET, actor="participant:302-0001")
    clock_at(W4_ON_TARGET + timedelta(hours=1))  # exports read the data as of now
    rows = client.get("/api/exports/scores", query_string={"scale": "EQ5D_VAS"},
                      headers=analyst.headers).json["items"]
    by_tp = {r["timepoint"]: r for r in rows}
    assert by_tp["BL"]["channel"] == "paper" and by_tp["BL"]["completed_on"] == "2027-01-12"
    assert by_tp["BL"]["completed_at_utc"] is None and by_tp["BL"]["in_window"] is False
    assert by_tp["W4"]["baseline_value"] == 40 and by_tp["W4"]["change_from_baseline"] == 30
    index = client.get("/api/exports/scores?format=csv&scale=EQ5D_INDEX",
                       headers=analyst.headers).get_data(as_text=True)
    print("\nscore export (EQ5D_INDEX):\n" + index)  # the row the issue asks to see
    _header, csv_rows = read_csv(index)
    w4_row = next(r for r in csv_rows if r["timepoint"] == "W4")
    assert float(w4_row["change_from_baseline"]) == pytest.approx(
        float(w4_row["value"]) - float(w4_row["baseline_value"]))


def test_paper_for_a_completed_or_cancelled_occasion_is_refused(
        client, make_site, make_staff, make_participant, clock_at):
    make_site("302")
    coordinator = make_staff("coordinator")
    make_participant(study_id="302-0001", baseline=BASELINE, now=DAY_AFTER_BASELINE)
    clock_at(DAY_AFTER_BASELINE)
    assert _paper(client, coordinator, completed_on="2027-01-11").status_code == 201
    again = _paper(client, coordinator, completed_on="2027-01-11")
    assert again.status_code == 409 and "correct it" in again.json["detail"]
    participants.withdraw_participant("302-0001", staff=coordinator.user, now=DAY_AFTER_BASELINE,
                                      reason="moved away")
    w4 = _paper(client, coordinator, timepoint="W4", completed_on="2027-01-12", reason="odd")
    assert w4.status_code == 409 and "cancelled" in w4.json["detail"]


def test_paper_entry_is_site_scoped_and_for_clinical_staff_only(
        client, make_site, make_staff, make_participant, clock_at):
    make_site("302")
    make_site("303")
    other_site, analyst = make_staff("coordinator", ("303",)), make_staff("analyst")
    make_participant(study_id="302-0001", baseline=BASELINE, now=DAY_AFTER_BASELINE)
    clock_at(DAY_AFTER_BASELINE)
    assert _paper(client, other_site, completed_on="2027-01-11").status_code == 404
    assert _paper(client, analyst, completed_on="2027-01-11").status_code == 403
    bad = _paper(client, other_site, completed_on="not a date")
    assert bad.status_code == 422


def test_an_anchor_moved_into_the_past_marks_the_window_missed_before_enrolment(
        make_site, make_staff, make_participant):
    make_site("302")
    staff = make_staff("coordinator")
    enrolled = datetime(2027, 1, 4, 2, 0, tzinfo=UTC)
    p = make_participant(study_id="302-0001", baseline=BASELINE, now=enrolled)
    assert _occasion(p, "BL").status == "scheduled"
    participants.update_participant(p.study_id, {"baseline": date(2026, 12, 1)}, staff=staff.user,
                                    now=enrolled + timedelta(hours=1),
                                    reason="baseline visit happened earlier than entered")
    db.session.expire_all()
    assert _occasion(p, "BL").status == "missed_before_enrolment"
    assert _occasion(p, "W4").status == "missed_before_enrolment"  # 2026-12-29 ±3 days: over
    assert _occasion(p, "W12").status == "scheduled"
