"""Issue 12 end to end: a registered caregiver's texts are reports about the participant.

A daughter texts from her registered phone that her father (the participant) cannot be
roused: an emergency alert marked "reported by caregiver (女儿)", the advice goes to her.
She may answer the symptom check for him (reporter = caregiver, never scored) but not the
EQ-5D. From the participant's own phone, a relative's red flag is marked "may concern
another person" and the bot asks whether it is about the person in the study.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from pro_service.extensions import db
from pro_service.safety import rota
from pro_service.participants import caregivers
from pro_service.responses.models import Response
from pro_service.safety.models import SafetyAlert
from pro_service.schedule.models import Occasion
from pro_service.sms.models import SafetyQuestion
from tests.e2e.conftest import BASE, OPEN_BL, TWILIO_APP
from tests.factories import fictional_mobile

pytestmark = pytest.mark.parametrize("app", [TWILIO_APP], indirect=True)
PHONE, CARER, COORD = fictional_mobile(4601), fictional_mobile(4602), fictional_mobile(7301)
UNROUSABLE = "我爸从早上睡到现在，怎么叫都叫不醒"


@pytest.fixture
def world(app, make_site, make_staff, make_participant, keys, frozen_clock, twilio_gateway):
    app.extensions["pro.gateway"] = twilio_gateway
    make_site("302", site_phone="+861012345678")
    coord = make_staff("coordinator", alert_phone=COORD)
    rota.add_shift(site=rota.site_by_code("302"), staff=coord.user, weekdays="daily",
                   start="00:00", end="00:00", now=OPEN_BL)
    p = make_participant(phone=PHONE, baseline=BASE)
    cg = caregivers.register_caregiver(
        p.study_id, {"name": "王芳", "relation": "女儿", "language": "zh-CN", "phone": CARER,
                     "consent_date": date(2027, 1, 2)}, staff=coord.user, keys=keys, now=OPEN_BL)
    db.session.commit()
    return {"p": p, "cg": cg}


def _alerts() -> list[SafetyAlert]:
    return list(db.session.scalars(sa.select(SafetyAlert)))


def test_a_caregiver_reporting_that_the_participant_cannot_be_roused_raises_an_emergency(
        world, tick_at, sms_post, fake_twilio, send_outbox):
    tick_at(OPEN_BL)
    sent_before = len(fake_twilio.messages)
    status, replies = sms_post(CARER, UNROUSABLE)
    assert status == 200
    send_outbox()  # the scheduler's sender, woken by the alert's commit
    [alert] = _alerts()
    assert (alert.participant_id, alert.category, alert.urgency) == (
        world["p"].id, "encephalopathy", "emergency")
    assert alert.evidence[0]["marking"] == "reported by caregiver (女儿)"
    assert alert.evidence[0]["reporter"] == "caregiver"
    # the advice is the reply to the caregiver's phone, written to her about the patient
    assert len(replies) == 1 and "送病人" in replies[0] and "120" in replies[0]
    staff_texts = [m for m in fake_twilio.messages[sent_before:] if m.to == COORD]
    assert len(staff_texts) == 1 and "reported by caregiver" in staff_texts[0].body
    assert CARER not in staff_texts[0].body and PHONE not in staff_texts[0].body
    assert not [m for m in fake_twilio.messages[sent_before:] if m.to == PHONE]


def test_a_caregivers_own_fever_is_not_the_participants(world, tick_at, sms_post):
    tick_at(OPEN_BL)
    sms_post(CARER, "我自己这两天发烧了，38度5，下周换我弟弟陪他来")
    assert _alerts() == []


def test_a_caregiver_may_not_answer_the_eq5d_but_may_answer_the_symptom_check(
        world, tick_at, sms_post):
    tick_at(OPEN_BL)  # the baseline EQ-5D is open
    _, replies = sms_post(CARER, "1")
    assert "病人本人" in replies[0]
    assert db.session.scalar(sa.select(sa.func.count(Response.id))) == 0
    # week 1: the symptom check
    week1 = OPEN_BL + timedelta(days=7)
    occ = db.session.scalars(sa.select(Occasion).where(
        Occasion.instrument == "SYMPTOMS").order_by(Occasion.opens_at)).first()
    tick_at(max(week1, occ.opens_at))
    _, replies = sms_post(CARER, "1")  # start: the caregiver answers for the participant
    assert "（1/8）" in replies[0]
    for _ in range(8):
        sms_post(CARER, "否")
    _, replies = sms_post(CARER, "好")  # confirm
    resp = db.session.scalars(sa.select(Response)).one()
    assert (resp.instrument, resp.reporter, resp.actor) == (
        "SYMPTOMS", "caregiver", f"caregiver:{world['cg'].id}")
    assert resp.scores == []


def test_a_relatives_red_flag_from_the_participants_phone_is_marked_and_asked_about(
        world, tick_at, sms_post):
    tick_at(OPEN_BL)
    _, replies = sms_post(PHONE, "老伴刚才吐了好多血")
    [alert] = _alerts()
    assert (alert.category, alert.urgency) == ("gi_bleeding", "emergency")
    assert alert.evidence[0]["marking"] == "may concern another person"
    assert "120" in replies[0]
    assert replies[1] == "为安全起见：您说的是参加研究的本人吗？回复 1 是，2 不是"
    _, replies = sms_post(PHONE, "2")
    question = db.session.scalars(sa.select(SafetyQuestion)).one()
    assert (question.kind, question.status, question.alert_id) == (
        "about_participant", "no", alert.id)
    assert len(_alerts()) == 1  # the answer is recorded; nothing more is raised


def test_stop_from_a_caregiver_unregisters_the_phone_and_later_texts_are_unknown(
        world, tick_at, sms_post):
    tick_at(OPEN_BL)
    _, replies = sms_post(CARER, "TD")
    assert "退订" in replies[0] and "120" in replies[0]
    db.session.refresh(world["cg"])
    assert world["cg"].active is False
    _, replies = sms_post(CARER, UNROUSABLE)
    assert _alerts() == [] and "does not accept" in replies[0]
