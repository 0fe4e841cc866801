"""The send protocol against the fake Twilio server: reconciliation, priority, concurrency.

A send that timed out, and a row a crashed sender left in `sending`, are checked against the
provider's Messages list (real twilio library) before anything is sent again.
"""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
import sqlalchemy as sa

from pro_service.extensions import db
from pro_service.messages import sending
from pro_service.messages.gateway import body_hash
from pro_service.messages.models import Message
from pro_service.messages.service import queue_message
from tests.e2e.conftest import OPEN_BL, TWILIO_APP
from tests.factories import fictional_mobile

pytestmark = pytest.mark.parametrize("app", [TWILIO_APP], indirect=True)
STAFF_PHONE = fictional_mobile(7301)


@pytest.fixture(autouse=True)
def _provider_clock(fake_twilio):
    fake_twilio.clock = lambda: OPEN_BL  # the provider's log shares the tests' injected time


@pytest.fixture
def staff_member(make_site, make_staff):
    make_site("302")
    return make_staff("coordinator", alert_phone=STAFF_PHONE).user


def _queue(staff_member, body: str, kind: str = "staff_note", **kw) -> int:
    msg = queue_message(kind=kind, body=body, now=OPEN_BL, staff_id=staff_member.id, **kw)
    db.session.commit()
    return msg.id


def _send(app, twilio_gateway, at, **kw):
    from scheduler.jobs import send_outbox

    db.session.commit()
    counts = send_outbox(app, at, twilio_gateway, **kw)
    db.session.expire_all()
    return counts


def _wait_for(fake, count: int) -> None:
    deadline = time.monotonic() + 5
    while len(fake.messages) < count and time.monotonic() < deadline:
        time.sleep(0.02)


def _lists(fake) -> int:
    return sum(1 for r in fake.requests if r.method == "GET")


def test_a_send_that_timed_out_but_reached_twilio_is_reconciled_not_sent_again(
        app, staff_member, twilio_gateway, fake_twilio):
    mid = _queue(staff_member, "note one")
    fake_twilio.hold_seconds = 1.5  # past the gateway's 1 s timeout, then Twilio accepts it
    fake_twilio.timeout_next(deliver=True)
    before = dict(sending.RECONCILIATIONS)
    assert _send(app, twilio_gateway, OPEN_BL)["retried"] == 1
    row = db.session.get(Message, mid)
    assert row.status == "queued" and row.reconcile and row.provider_sid is None
    _wait_for(fake_twilio, 1)
    counts = _send(app, twilio_gateway, OPEN_BL + timedelta(minutes=5))
    assert counts["reconciled"] == 1 and counts["sent"] == 0 and _lists(fake_twilio) >= 1
    row = db.session.get(Message, mid)
    assert len(fake_twilio.messages) == 1
    assert row.status == "sent" and row.provider_sid == fake_twilio.messages[0].sid
    assert sending.RECONCILIATIONS["found"] == before.get("found", 0) + 1


def test_a_send_that_timed_out_and_never_arrived_is_sent_once_after_asking(
        app, staff_member, twilio_gateway, fake_twilio):
    mid = _queue(staff_member, "note two")
    fake_twilio.hold_seconds = 1.5
    fake_twilio.timeout_next(deliver=False)
    assert _send(app, twilio_gateway, OPEN_BL)["retried"] == 1
    counts = _send(app, twilio_gateway, OPEN_BL + timedelta(minutes=5))
    assert counts["resent"] == 1 and counts["sent"] == 1 and _lists(fake_twilio) >= 1
    assert [m.body for m in fake_twilio.messages] == ["note two"]
    assert db.session.get(Message, mid).provider_sid == fake_twilio.messages[0].sid


def test_rows_left_sending_by_a_killed_sender_are_reconciled_once_their_lease_expires(
        app, staff_member, twilio_gateway, fake_twilio):
    accepted = _queue(staff_member, "sent before the crash")
    lost = _queue(staff_member, "never left before the crash")
    twilio_gateway.send(STAFF_PHONE, "sent before the crash")  # the provider call that got through
    for mid in (accepted, lost):  # what the killed process had committed: `sending`, no result
        row = db.session.get(Message, mid)
        row.status, row.sending_at, row.claim_token = "sending", OPEN_BL, "dead-process"
        row.sent_body_hash, row.attempts = body_hash(row.body), 1
    db.session.commit()
    early = _send(app, twilio_gateway, OPEN_BL + timedelta(seconds=60))
    assert early["stale"] == 0 and early["sent"] == 0  # its lease (2 min) still holds
    counts = _send(app, twilio_gateway, OPEN_BL + timedelta(minutes=3))
    assert (counts["stale"], counts["reconciled"], counts["resent"], counts["sent"]) == (2, 1, 1, 1)
    bodies = sorted(m.body for m in fake_twilio.messages)
    assert bodies == ["never left before the crash", "sent before the crash"]  # each exactly once
    rows = {m.id: m for m in db.session.scalars(sa.select(Message))}
    assert rows[accepted].provider_sid == fake_twilio.messages[0].sid
    assert all(r.status == "sent" for r in rows.values())


def test_two_identical_texts_left_sending_match_two_different_provider_messages(
        app, staff_member, twilio_gateway, fake_twilio):
    first = _queue(staff_member, "same words", key="a")
    second = _queue(staff_member, "same words", key="b")
    twilio_gateway.send(STAFF_PHONE, "same words")
    for mid in (first, second):
        row = db.session.get(Message, mid)
        row.status, row.sending_at, row.sent_body_hash = "sending", OPEN_BL, body_hash("same words")
    db.session.commit()
    counts = _send(app, twilio_gateway, OPEN_BL + timedelta(minutes=3))
    assert counts["reconciled"] == 1 and counts["sent"] == 1
    assert len(fake_twilio.messages) == 2
    sids = {db.session.get(Message, m).provider_sid for m in (first, second)}
    assert sids == {m.sid for m in fake_twilio.messages}


def test_staff_safety_texts_leave_first_then_advice_then_notes_then_invitations(
        app, make_site, make_staff, make_participant, twilio_gateway, fake_twilio):
    make_site("302")
    member = make_staff("coordinator", alert_phone=STAFF_PHONE).user
    p = make_participant(phone=fictional_mobile(7302))
    for n in range(3):
        queue_message(kind="study_news", body=f"routine {n}", now=OPEN_BL, participant_id=p.id)
    queue_message(kind="staff_note", body="note", now=OPEN_BL, staff_id=member.id)
    queue_message(kind="safety_advice", body="advice", now=OPEN_BL, participant_id=p.id)
    queue_message(kind="staff_alert", body="alert", now=OPEN_BL, staff_id=member.id)
    db.session.commit()
    app.config["SEND_CONCURRENCY"] = 1
    _send(app, twilio_gateway, OPEN_BL)
    assert [m.body for m in fake_twilio.messages] == ["alert", "advice", "note", "routine 0",
                                                      "routine 1", "routine 2"]


def test_one_pass_sends_with_bounded_concurrency(app, staff_member, twilio_gateway, fake_twilio,
                                                 capsys):
    for n in range(48):
        queue_message(kind="staff_note", body=f"n{n}", now=OPEN_BL, staff_id=staff_member.id)
    db.session.commit()
    fake_twilio.latency = 0.2  # a provider answering in 200 ms
    app.config["SEND_CONCURRENCY"] = 8
    started = time.perf_counter()
    counts = _send(app, twilio_gateway, OPEN_BL)
    elapsed = time.perf_counter() - started
    assert counts["sent"] == 48 and len({m.body for m in fake_twilio.messages}) == 48
    assert 2 <= fake_twilio.max_in_flight <= 8
    with capsys.disabled():
        print(f"\n48 messages at 200 ms provider latency, 8 at once ({db.engine.dialect.name}): "
              f"{48 / elapsed:.1f} msg/s, {fake_twilio.max_in_flight} in flight at most")


def test_a_single_sender_sends_one_at_a_time_in_the_calling_thread(app, staff_member, twilio_gateway,
                                                                   fake_twilio, monkeypatch):
    import threading

    for n in range(5):
        queue_message(kind="staff_note", body=f"n{n}", now=OPEN_BL, staff_id=staff_member.id)
    db.session.commit()
    threads = []
    real_send = twilio_gateway.send
    monkeypatch.setattr(twilio_gateway, "send",
                        lambda to, body: threads.append(threading.current_thread()) or real_send(to, body))
    fake_twilio.latency = 0.05
    app.config["SEND_CONCURRENCY"] = 1
    counts = _send(app, twilio_gateway, OPEN_BL)
    assert counts["sent"] == 5 and fake_twilio.max_in_flight == 1
    assert threads == [threading.current_thread()] * 5
    assert db.session.scalar(sa.select(sa.func.count()).where(Message.status == "sent")) == 5


def test_a_result_for_a_row_another_sender_took_over_is_not_recorded(app, staff_member):
    from pro_service.messages.gateway import SendResult
    from pro_service.messages.records import SendHooks, record

    mid = _queue(staff_member, "taken over")
    row = db.session.get(Message, mid)
    row.status, row.sending_at, row.claim_token = "sending", OPEN_BL, "new-owner"
    db.session.commit()
    hooks = SendHooks(resolve=lambda m, at: None, address=lambda m: None)  # never called here
    outcome = record(mid, "old-owner", SendResult("SM" + "0" * 32, "queued", 1), OPEN_BL, hooks)
    db.session.expire_all()
    row = db.session.get(Message, mid)
    assert outcome == "lost"
    assert (row.status, row.claim_token, row.provider_sid, row.sent_at) == ("sending", "new-owner",
                                                                            None, None)
    assert record(mid, "new-owner", SendResult("SM" + "1" * 32, "queued", 1), OPEN_BL,
                  hooks) == "sent"
    db.session.expire_all()
    assert db.session.get(Message, mid).status == "sent"


def test_one_claim_leases_the_most_urgent_due_rows_in_priority_order(app, staff_member):
    for n in range(3):
        _queue(staff_member, f"note {n}", key=f"note-{n}")
    alert = _queue(staff_member, "alert", kind="staff_alert", key="alert")
    claimed = sending.claim_batch(now=OPEN_BL, size=3, token="t1", lease=timedelta(minutes=2))
    again = sending.claim_batch(now=OPEN_BL, size=3, token="t2", lease=timedelta(minutes=2))
    assert claimed[0] == alert and len(claimed) == 3 and len(again) == 1
    db.session.expire_all()
    rows = db.session.scalars(sa.select(Message).order_by(Message.id)).all()
    assert {r.id: r.claim_token for r in rows} == {**{m: "t1" for m in claimed}, again[0]: "t2"}
    assert all(r.claimed_until == OPEN_BL + timedelta(minutes=2) for r in rows)
