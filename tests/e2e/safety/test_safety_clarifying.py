"""Issue 12 end to end: an educational question about a red flag is asked about, not alerted.

The participant's "2" records a no and raises nothing; "1" raises the category's alert at
its urgency with the original text as evidence; silence for 30 minutes on a bleeding
question raises an urgent alert. The survey resumes after the answer.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from pro_service.audit.models import AuditEvent
from pro_service.extensions import db
from pro_service.safety import rota
from pro_service.safety.models import SafetyAlert
from pro_service.sms.models import SafetyQuestion
from tests.e2e.conftest import BASE, OPEN_BL, TWILIO_APP
from tests.factories import fictional_mobile

pytestmark = pytest.mark.parametrize("app", [TWILIO_APP], indirect=True)
PHONE = fictional_mobile(4512)
COORD = fictional_mobile(7201)
ASKED = "请问呕血是什么意思？"
QUESTION = "为安全起见：您现在有呕血或黑便吗？回复 1 有，2 没有"


@pytest.fixture
def world(app, make_site, make_staff, make_participant, frozen_clock, twilio_gateway):
    app.extensions["pro.gateway"] = twilio_gateway
    make_site("302", site_phone="+861012345678")
    coord = make_staff("coordinator", alert_phone=COORD)
    rota.add_shift(site=rota.site_by_code("302"), staff=coord.user, weekdays="daily",
                   start="00:00", end="00:00", now=OPEN_BL)
    return make_participant(phone=PHONE, baseline=BASE)


def _alerts() -> list[SafetyAlert]:
    return list(db.session.scalars(sa.select(SafetyAlert)))


def _mid_eq5d(tick_at, sms_post) -> None:
    tick_at(OPEN_BL)
    sms_post(PHONE, "1")  # start the EQ-5D
    sms_post(PHONE, "2")  # item 1 answered: the survey is in progress


def test_an_educational_question_is_asked_about_and_a_no_raises_nothing(
        world, tick_at, sms_post, fake_twilio, frozen_clock):
    _mid_eq5d(tick_at, sms_post)
    _, replies = sms_post(PHONE, ASKED)
    assert replies == [QUESTION]
    assert _alerts() == []
    _, replies = sms_post(PHONE, "2")
    assert replies[0] == "谢谢，已记录：没有。"
    assert "2/6" in replies[1]  # the survey item is asked again: the survey resumes
    assert _alerts() == []
    question = db.session.scalars(sa.select(SafetyQuestion)).one()
    assert (question.status, question.category) == ("no", "gi_bleeding")
    tick_at(OPEN_BL + timedelta(hours=1))  # an answered question never expires into an alert
    assert _alerts() == []
    assert not [m for m in fake_twilio.messages if m.to == COORD]
    actions = db.session.scalars(sa.select(AuditEvent.action).where(
        AuditEvent.entity_type == "safety_question")).all()
    assert actions == ["safety_question.ask", "safety_question.answer"]


def test_a_yes_raises_the_emergency_alert_with_the_original_text(
        world, tick_at, sms_post, fake_twilio, frozen_clock, send_outbox):
    _mid_eq5d(tick_at, sms_post)
    sms_post(PHONE, ASKED)
    _, replies = sms_post(PHONE, "1")
    send_outbox()  # the scheduler's sender, woken by the alert's commit
    assert replies[0] == "谢谢您的回复。"
    assert "120" in replies[1] and "急诊" in replies[1]
    [alert] = _alerts()
    assert (alert.category, alert.urgency) == ("gi_bleeding", "emergency")
    assert alert.evidence[0]["excerpt"] == ASKED and alert.evidence[0]["answer"] == "yes"
    assert len([m for m in fake_twilio.messages if m.to == COORD]) == 1


def test_the_answer_is_taken_in_any_state_and_only_one_question_is_open(
        world, tick_at, sms_post, frozen_clock):
    tick_at(OPEN_BL)  # invited, not started
    # asked in the participant's language, whatever the language of the text
    assert sms_post(PHONE, "what does black stool mean?")[1] == [QUESTION]
    _, replies = sms_post(PHONE, "黑便是什么意思？")
    assert not any("为安全起见" in r for r in replies)  # no second question while one is open
    assert db.session.scalar(sa.select(sa.func.count(SafetyQuestion.id))) == 1
    _, replies = sms_post(PHONE, "２")  # full-width digit
    assert replies[0] == "谢谢，已记录：没有。"
    assert _alerts() == []


def test_silence_on_a_bleeding_question_raises_an_urgent_alert_after_30_minutes(
        world, tick_at, sms_post, frozen_clock):
    tick_at(OPEN_BL)
    sms_post(PHONE, ASKED)
    tick_at(OPEN_BL + timedelta(minutes=29))
    assert _alerts() == []
    tick_at(OPEN_BL + timedelta(minutes=31))
    [alert] = _alerts()
    assert (alert.category, alert.urgency) == ("gi_bleeding", "urgent")
    assert alert.evidence[0]["answer"] == "none within 30 min"
    assert db.session.scalars(sa.select(SafetyQuestion.status)).one() == "expired"
