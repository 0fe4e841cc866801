"""An occasion's invitation reaches the participant once, whichever path queues it.

The fault-and-abuse run saw a zh-CN participant who finished the EQ-5D get the CLDQ invitation
attached to the thank-you and again from the scheduler. Both paths now share the idempotency
key `invitation:<occasion id>`.
"""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from pro_service.core.db import unit_of_work
from pro_service.extensions import db
from pro_service.messages import service as outbox
from pro_service.messages.models import Message
from pro_service.schedule import service as schedule
from pro_service.schedule.models import Occasion
from pro_service.sms import jobs
from pro_service.sms.domain.prompts import invitation
from tests.e2e.conftest import BASE, OPEN_BL, TWILIO_APP
from tests.factories import fictional_mobile

pytestmark = pytest.mark.parametrize("app", [TWILIO_APP], indirect=True)
PHONE = fictional_mobile(5151)
EQ = ["1", "2", "1", "3", "2", "70", "好"]


@pytest.fixture
def participant(make_site, make_participant, frozen_clock):
    make_site("302", site_phone="+861012345678")
    return make_participant(phone=PHONE, baseline=BASE, language="zh-CN")


def _cldq_invitation(app) -> str:
    """The invitation's text before its link (filled in at sending)."""
    return invitation(app.extensions["pro.instruments"]["CLDQ"], "zh-CN").split("{link}")[0]


def _finish_eq5d(sms_post) -> list[str]:
    texts = []
    for text in ["1", *EQ]:
        status, replies = sms_post(PHONE, text)
        assert status == 200
        texts += replies
    return texts


def _cldq_deliveries(app, fake_twilio, replies: list[str]) -> int:
    text = _cldq_invitation(app)
    return (sum(text in m.body for m in fake_twilio.messages)
            + sum(text in r for r in replies))


def test_finishing_the_eq5d_after_the_scheduler_sent_the_cldq_invitation_does_not_resend_it(
        app, participant, tick_at, sms_post, fake_twilio):
    tick_at(OPEN_BL)  # both BL invitations go out
    replies = _finish_eq5d(sms_post)
    tick_at(OPEN_BL)
    assert _cldq_deliveries(app, fake_twilio, replies) == 1


def test_a_queued_cldq_invitation_goes_with_the_thank_you_and_never_from_the_scheduler(
        app, participant, tick_at, sms_post, fake_twilio):
    with unit_of_work():  # open BL and queue both invitations, nothing sent yet
        jobs.open_and_invite(now=OPEN_BL, limit=50, protocol=app.extensions["pro.protocol"],
                             instruments=app.extensions["pro.instruments"])
    replies = _finish_eq5d(sms_post)
    assert any(_cldq_invitation(app) in r for r in replies)
    tick_at(OPEN_BL)
    assert _cldq_deliveries(app, fake_twilio, replies) == 1
    rows = db.session.scalars(sa.select(Message).where(Message.kind == "invitation")).all()
    assert sorted(r.status for r in rows) == ["cancelled", "cancelled"]  # CLDQ: sent in the reply


def test_an_invitation_sent_in_a_reply_keeps_the_scheduler_from_queueing_it_later(
        app, participant, sms_post):
    with unit_of_work():  # open BL without queueing any invitation
        opened = schedule.open_due(now=OPEN_BL, limit=50, reminder_hours=(24, 72))
    assert len(opened) == 2
    replies = _finish_eq5d(sms_post)
    assert any(_cldq_invitation(app) in r for r in replies)
    occasions = db.session.scalars(sa.select(Occasion).where(Occasion.id.in_([o.id for o in opened])))
    instruments = app.extensions["pro.instruments"]
    with unit_of_work():
        late = [jobs._invitation(occ, instruments[occ.instrument], OPEN_BL) for occ in occasions]
        assert outbox.queue_messages(late, now=OPEN_BL) == 1  # the EQ-5D's only
    keyed = db.session.scalars(sa.select(Message).where(Message.kind == "invitation")).all()
    assert len(keyed) == 2 and sum(m.reply_to_id is not None for m in keyed) == 1
    again = sms_post(PHONE, "1", sid=db.session.scalars(sa.select(Message.provider_sid).where(
        Message.direction == "in").order_by(Message.id.desc())).first())[1]
    assert any(_cldq_invitation(app) in r for r in again)  # a retried delivery: stored replies
    # the same texts in the same order: the thanks, then the invitation (it keeps its place;
    # its one-time link is issued afresh)
    def unlinked(texts):
        return [re.sub(r"/s/[\w-]+", "/s/…", t) for t in texts]

    assert len(again) == 2 and unlinked(again) == unlinked(replies[-2:])
    assert _cldq_invitation(app) in again[1]
