"""Occasions in the database: enrolment, anchor changes, withdrawal, opt-out, jobs."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa

from pro_service.audit.models import AuditEvent
from pro_service.extensions import db
from pro_service.messages.gateway import GatewayError
from pro_service.messages.models import Message
from pro_service.messages.service import queue_message
from pro_service.core.db import unit_of_work
from pro_service.participants import service as participants
from pro_service.schedule.models import Occasion
from tests.factories import T0

BASE = date(2027, 1, 11)  # a Monday; BL window Dec 28 09:00 – Jan 12 00:00 Shanghai
OPEN_BL = T0  # 2027-01-04 10:00 Shanghai: the BL window is open
EVENING = datetime(2027, 1, 4, 14, 0, tzinfo=UTC)  # 22:00 Shanghai, quiet hours
MORNING = datetime(2027, 1, 5, 0, 0, tzinfo=UTC)  # 08:00 Shanghai
BL_CLOSED = datetime(2027, 1, 11, 16, 1, tzinfo=UTC)  # 00:01 Jan 12 Shanghai


def _occasions(p):
    return db.session.scalars(sa.select(Occasion).where(Occasion.participant_id == p.id)
                              .order_by(Occasion.opens_at, Occasion.timepoint)).all()


def _local(dt, tz="Asia/Shanghai"):
    from zoneinfo import ZoneInfo

    return dt.astimezone(ZoneInfo(tz))


def test_enrolment_creates_every_protocol_occasion(make_site, make_participant):
    make_site("302")
    p = make_participant(baseline=BASE)
    occ = _occasions(p)
    assert len(occ) == 69
    bl = [o for o in occ if o.timepoint == "BL"]
    assert {o.instrument for o in bl} == {"EQ5D5L", "CLDQ"}
    w24 = next(o for o in occ if o.timepoint == "W24" and o.instrument == "EQ5D5L")
    assert w24.target_date == date(2027, 6, 28)
    assert _local(w24.opens_at).replace(tzinfo=None) == datetime(2027, 6, 21, 9, 0)
    assert _local(w24.closes_at).replace(tzinfo=None) == datetime(2027, 7, 6, 0, 0)
    assert all(o.status == "scheduled" for o in occ)


def test_schedule_show_prints_local_times_and_states(cli_runner, make_site, make_participant):
    make_site("302")
    make_participant(study_id="302-0007", baseline=BASE)
    out = cli_runner.invoke(args=["schedule", "show", "302-0007"]).output
    assert "302-0007" in out and "Asia/Shanghai" in out
    assert "W24         EQ5D5L    2027-06-21 09:00  2027-07-06 00:00  scheduled" in out
    missing = cli_runner.invoke(args=["schedule", "show", "302-9999"])
    assert missing.exit_code != 0 and "no participant" in missing.output


def test_invitation_is_queued_once_when_the_window_opens(make_site, make_participant, run_tick):
    make_site("302")
    p = make_participant(baseline=BASE)
    opening = OPEN_BL
    counts = run_tick(opening)
    assert counts["opened"] == 2 and counts["invitations"] == counts["opened"]
    again = run_tick(opening + timedelta(minutes=1))
    assert again["opened"] == 0 and again["invitations"] == 0
    keys = db.session.scalars(sa.select(Message.idempotency_key).where(
        Message.participant_id == p.id, Message.kind == "invitation")).all()
    assert len(keys) == len(set(keys)) == counts["invitations"]


def test_invitation_in_quiet_hours_waits_until_morning(make_site, make_participant, run_tick, gateway):
    make_site("302")
    make_participant(baseline=BASE)
    run_tick(EVENING)
    assert gateway.sent == []
    queued = db.session.scalars(sa.select(Message).where(Message.kind == "invitation")).all()
    assert queued and all(_local(m.send_after).hour == 8 for m in queued)
    run_tick(MORNING)
    assert len(gateway.sent) == len(queued)


def test_sent_invitation_carries_a_working_link_and_stores_no_token(make_site, make_participant,
                                                                    run_tick, gateway, client):
    make_site("302")
    make_participant(baseline=BASE)
    run_tick(OPEN_BL)
    body = gateway.sent[0][1]
    token = body.split("/s/")[1].split()[0]
    assert len(token) >= 22
    stored = db.session.scalars(sa.select(Message.body)).all()
    assert all(token not in b for b in stored)


def test_anchor_change_moves_only_unopened_occasions_and_is_audited(make_site, make_staff,
                                                                    make_participant, run_tick):
    make_site("302")
    staff = make_staff("coordinator")
    p = make_participant(baseline=BASE)
    run_tick(OPEN_BL)
    opened_before = {(o.timepoint, o.instrument): o.opens_at for o in _occasions(p) if o.status == "open"}
    w4_before = next(o.opens_at for o in _occasions(p) if o.timepoint == "W4")
    participants.update_participant(p.study_id, {"baseline": BASE - timedelta(days=2)}, staff=staff.user,
                                    now=OPEN_BL + timedelta(hours=1), reason="visit moved")
    after = {(o.timepoint, o.instrument): o for o in _occasions(p)}
    for key, opens in opened_before.items():
        assert after[key].opens_at == opens and after[key].status == "open"
    assert after[("W4", "EQ5D5L")].opens_at == w4_before - timedelta(days=2)
    event = db.session.scalars(sa.select(AuditEvent).where(
        AuditEvent.action == "occasions.recompute")).one()
    assert event.reason == "visit moved" and event.after["moved"] > 0


def test_withdrawal_cancels_occasions_and_unsent_messages(make_site, make_staff, make_participant,
                                                          run_tick, gateway):
    make_site("302")
    staff = make_staff("coordinator")
    p = make_participant(baseline=BASE)
    run_tick(EVENING)  # queued for the morning
    participants.withdraw_participant(p.study_id, staff=staff.user, reason="consent withdrawn",
                                      now=EVENING + timedelta(hours=1))
    assert {o.status for o in _occasions(p)} == {"cancelled"}
    counts = run_tick(MORNING)
    assert gateway.sent == [] and counts["cancelled"] >= 1


def test_opted_out_participants_get_no_sms_but_occasions_stay_open(make_site, make_participant,
                                                                   run_tick, gateway):
    make_site("302")
    p = make_participant(baseline=BASE)
    participants.set_sms_opt_out(p, opted_out=True, now=T0, actor="test")
    db.session.commit()
    counts = run_tick(OPEN_BL)
    assert counts["opened"] == 2 and counts["invitations"] == 0 and gateway.sent == []
    assert any(o.status == "open" for o in _occasions(p))


def test_reminders_at_24_and_72_hours_only_while_incomplete(make_site, make_participant, run_tick):
    make_site("302")
    p = make_participant(baseline=BASE)
    opened = OPEN_BL
    run_tick(opened)
    run_tick(opened + timedelta(hours=24))
    run_tick(opened + timedelta(hours=72))
    run_tick(opened + timedelta(hours=120))
    bl = [o for o in _occasions(p) if o.timepoint == "BL"]
    for o in bl:
        keys = db.session.scalars(sa.select(Message.idempotency_key).where(
            Message.occasion_id == o.id, Message.kind == "reminder")).all()
        assert sorted(keys) == [f"reminder:{o.id}:1", f"reminder:{o.id}:2"]
        assert o.reminders_sent == 2 and o.next_reminder_at is None


def test_outbox_key_cannot_be_queued_twice(app):
    now = T0
    with unit_of_work():
        first = queue_message(kind="note", body="x", now=now, key="k:1")
        second = queue_message(kind="note", body="y", now=now, key="k:1")
    assert first is not None and second is None
    assert db.session.scalar(sa.select(sa.func.count(Message.id))) == 1


def test_transient_failures_retry_with_backoff_then_fail_and_tell_staff(make_site, make_staff,
                                                                         make_participant, run_tick,
                                                                         gateway):
    from tests.factories import fictional_mobile

    make_site("302")
    make_staff("coordinator", alert_phone=fictional_mobile(7001))
    make_participant(baseline=BASE)
    now = OPEN_BL
    gateway.failures = [GatewayError("503", code="503", transient=True) for _ in range(50)]
    run_tick(now)
    msg = db.session.scalars(sa.select(Message).where(Message.kind == "invitation")).first()
    assert msg.status == "queued" and msg.attempts == 1 and msg.send_after > now
    for _ in range(10):
        now += timedelta(hours=2)
        run_tick(now)
    db.session.expire_all()
    msg = db.session.get(Message, msg.id)
    assert msg.status == "failed" and msg.attempts == 5
    note = db.session.scalars(sa.select(Message).where(Message.kind == "staff_delivery_failed")).first()
    assert note is not None and "302-" in note.body


def test_missed_when_untouched_and_partial_answers_kept(app, make_site, make_participant, run_tick):
    from pro_service.responses import service as responses
    from pro_service.responses.models import Response

    make_site("302")
    p = make_participant(baseline=BASE)
    run_tick(OPEN_BL)
    eq = next(o for o in _occasions(p) if o.timepoint == "BL" and o.instrument == "EQ5D5L")
    instrument = app.extensions["pro.instruments"]["EQ5D5L"]
    responses.save_draft(eq.id, {"MO": 2, "SC": 1}, instrument=instrument, channel="web",
                         now=OPEN_BL + timedelta(hours=1))
    run_tick(BL_CLOSED)
    states = {(o.timepoint, o.instrument): o.status for o in _occasions(p)}
    assert states[("BL", "EQ5D5L")] == "missed" and states[("BL", "CLDQ")] == "missed"
    partial = db.session.scalars(sa.select(Response).where(Response.occasion_id == eq.id)).one()
    assert partial.status == "partial" and partial.answers == {"MO": 2, "SC": 1}
    assert partial.scores == []
