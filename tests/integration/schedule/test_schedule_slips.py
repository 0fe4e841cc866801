"""Rules that a realistic slip could break unnoticed: anchor zones, quiet hours, completion.

Each test here was checked against the slip it names (applied by hand, the test failed).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from pro_service.extensions import db
from pro_service.messages.models import Message
from pro_service.participants import service as participants
from pro_service.responses import service as responses
from pro_service.schedule.models import Occasion
from tests.factories import T0, valid_answers

BASE = date(2027, 1, 11)
SHANGHAI = ZoneInfo("Asia/Shanghai")
EVENING = datetime(2027, 1, 4, 14, 0, tzinfo=UTC)  # 22:00 Shanghai: the BL window is open


def _occasions(p) -> list[Occasion]:
    return list(db.session.scalars(sa.select(Occasion).where(Occasion.participant_id == p.id)
                                   .order_by(Occasion.opens_at, Occasion.timepoint)))


def _bl(p, instrument: str) -> Occasion:
    return next(o for o in _occasions(p) if o.timepoint == "BL" and o.instrument == instrument)


def _reminders(p) -> list[Message]:
    return list(db.session.scalars(sa.select(Message).where(
        Message.participant_id == p.id, Message.kind == "reminder").order_by(Message.id)))


def test_anchor_change_recomputes_windows_in_the_participants_own_zone(make_site, make_staff,
                                                                       make_participant):
    """Slip: recompute_occasions uses Asia/Shanghai instead of the participant's zone."""
    make_site("302")
    staff = make_staff("coordinator")
    p = make_participant(baseline=BASE, timezone="America/Los_Angeles")
    participants.update_participant(p.study_id, {"baseline": BASE - timedelta(days=3)},
                                    staff=staff.user, now=T0, reason="baseline visit moved")
    la = ZoneInfo("America/Los_Angeles")
    w24 = next(o for o in _occasions(p) if o.timepoint == "W24" and o.instrument == "EQ5D5L")
    # W24 = baseline + 168 days, window -7..+7: 2027-06-18 09:00 to 2027-07-02 24:00 Los Angeles
    assert w24.target_date == date(2027, 6, 25)
    assert w24.opens_at.astimezone(la).replace(tzinfo=None) == datetime(2027, 6, 18, 9, 0)
    assert w24.closes_at.astimezone(la).replace(tzinfo=None) == datetime(2027, 7, 3, 0, 0)
    scheduled = [o for o in _occasions(p) if o.status == "scheduled"]
    assert scheduled and all(o.opens_at.astimezone(la).time() == time(9, 0) for o in scheduled)


def test_a_reminder_due_in_quiet_hours_waits_for_their_end(make_site, make_participant,
                                                           run_tick, gateway):
    """Slip: queue_reminders sends at once, ignoring the participant's quiet hours."""
    make_site("302")
    p = make_participant(baseline=BASE)
    run_tick(EVENING)  # opens BL at 22:00 local: invitations wait for 08:00
    run_tick(EVENING + timedelta(hours=10))  # 08:00: the invitations go out
    sent_before = len(gateway.sent)
    assert sent_before == 2
    run_tick(EVENING + timedelta(hours=24))  # 22:00 next day: the 24 h reminders fall due
    assert len(gateway.sent) == sent_before  # nothing leaves in quiet hours
    queued = _reminders(p)
    assert len(queued) == 2 and {m.status for m in queued} == {"queued"}
    morning = datetime(2027, 1, 6, 8, 0, tzinfo=SHANGHAI)
    assert all(m.send_after == morning for m in queued)
    run_tick(morning.astimezone(UTC))
    assert len(gateway.sent) == sent_before + 2
    assert {m.status for m in _reminders(p)} == {"sent"}


def test_a_reminder_queued_before_completion_is_not_sent_after_it(app, make_site, make_participant,
                                                                  run_tick, gateway):
    """Slip: a queued reminder still goes out after the participant completed the occasion."""
    make_site("302")
    p = make_participant(baseline=BASE)
    run_tick(EVENING)
    run_tick(EVENING + timedelta(hours=10))
    run_tick(EVENING + timedelta(hours=24))  # reminders queued for 08:00 the next morning
    eq = _bl(p, "EQ5D5L")
    reminder = next(m for m in _reminders(p) if m.occasion_id == eq.id)
    assert reminder.status == "queued"
    instrument = app.extensions["pro.instruments"]["EQ5D5L"]
    responses.submit_response(eq.id, valid_answers(instrument), instrument=instrument,
                              channel="web", now=EVENING + timedelta(hours=25), actor="participant")
    db.session.commit()
    sent_before = len(gateway.sent)
    run_tick(datetime(2027, 1, 6, 0, 0, tzinfo=UTC))  # 08:00 Shanghai
    db.session.expire_all()
    assert db.session.get(Message, reminder.id).status == "cancelled"
    assert db.session.get(Message, reminder.id).sent_at is None
    # only the CLDQ reminder, whose occasion is still open, went out
    assert len(gateway.sent) == sent_before + 1
    assert [m.status for m in _reminders(p) if m.occasion_id == _bl(p, "CLDQ").id] == ["sent"]
