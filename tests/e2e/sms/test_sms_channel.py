"""The SMS channel end to end: the real twilio library against the fake Twilio server,
webhooks signed with twilio's RequestValidator."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from pro_service.core import clock
from pro_service.extensions import db
from pro_service.messages.models import Message
from pro_service.participants.models import Participant
from pro_service.responses import service as responses
from pro_service.responses.models import Response
from pro_service.schedule.models import Occasion
from tests.e2e.conftest import BASE, OPEN_BL, PUBLIC, TWILIO_APP
from tests.factories import fictional_mobile

pytestmark = pytest.mark.parametrize("app", [TWILIO_APP], indirect=True)
PHONE = fictional_mobile(4242)


@pytest.fixture
def enrolled(make_site, make_staff, make_participant, frozen_clock):
    make_site("302", site_phone="+861012345678")
    make_staff("coordinator", alert_phone=fictional_mobile(7001))
    return make_participant(phone=PHONE, baseline=BASE)


def _occ(p, timepoint, instrument):
    return db.session.scalar(sa.select(Occasion).where(Occasion.participant_id == p.id,
                                                       Occasion.timepoint == timepoint,
                                                       Occasion.instrument == instrument))


def test_invitation_goes_out_through_the_twilio_library(enrolled, tick_at, fake_twilio):
    counts = tick_at(OPEN_BL)
    assert counts["sent"] == 2
    sent = fake_twilio.messages
    assert {m.to for m in sent} == {PHONE}
    assert all(m.status_callback == PUBLIC + "/sms/status" for m in sent)
    assert all("/s/" in m.body and "1" in m.body for m in sent)
    rows = db.session.scalars(sa.select(Message).where(Message.kind == "invitation")).all()
    assert sorted(r.provider_sid for r in rows) == sorted(m.sid for m in sent)
    assert all(r.segments == m.num_segments for r, m in zip(
        sorted(rows, key=lambda r: r.provider_sid), sorted(sent, key=lambda m: m.sid), strict=True))


@pytest.mark.parametrize("fault", ["fail_next", "rate_limit_next", "timeout_next"])
def test_transient_twilio_errors_are_retried_then_sent_once(enrolled, tick_at, fake_twilio, fault):
    getattr(fake_twilio, fault)()
    first = tick_at(OPEN_BL)
    assert first["retried"] == 1 and first["sent"] == 1
    second = tick_at(OPEN_BL + timedelta(minutes=10))
    assert second["sent"] == 1
    assert len(fake_twilio.messages) == 2
    assert all(m.status == "sent" and m.attempts >= 1 for m in db.session.scalars(
        sa.select(Message).where(Message.kind == "invitation")))


def test_unsubscribed_recipient_21610_opts_the_participant_out(enrolled, tick_at, fake_twilio):
    fake_twilio.unsubscribed(PHONE)
    counts = tick_at(OPEN_BL)
    assert counts["failed"] >= 1 and counts["failed"] + counts["cancelled"] == 2
    # nothing reached the participant; the coordinator is told (in this pass or the next)
    tick_at(OPEN_BL + timedelta(minutes=1))
    assert [m.to for m in fake_twilio.messages] == [fictional_mobile(7001)] * counts["failed"]
    p = db.session.get(Participant, enrolled.id)
    assert p.status == "opted_out"
    row = db.session.scalars(sa.select(Message).where(Message.kind == "invitation")).first()
    assert row.error_code == "21610"


def test_a_full_eq5d_conversation_in_chinese_stores_response_scores_and_provenance(
        enrolled, tick_at, sms_post):
    tick_at(OPEN_BL)
    status, replies = sms_post(PHONE, "1")
    assert status == 200 and "（1/6）" in replies[0]
    answers = ["１", "二", "1", "3", "2", "70"]
    for text in answers:
        status, replies = sms_post(PHONE, text)
        assert status == 200
    assert "行动 1 · 自理 2 · 日常活动 1 · 疼痛 3 · 焦虑 2 · 健康 70" in replies[-1]
    status, replies = sms_post(PHONE, "好", sid="SMconfirm0001")
    assert "谢谢" in replies[0]
    resp = db.session.scalars(sa.select(Response).where(Response.channel == "sms")).one()
    assert resp.answers == {"MO": 1, "SC": 2, "UA": 1, "PD": 3, "AD": 2, "VAS": 70}
    assert resp.provenance["SC"]["how"] == "chinese_numeral"
    assert resp.provenance["MO"]["raw"] == "１" and resp.provenance["MO"]["sid"].startswith("SM")
    scores = {s.scale: (s.value, s.algorithm_id) for s in resp.scores}
    assert scores["EQ5D_INDEX"][1] == "eq5d5l.cn.luo2017"
    assert scores["EQ5D_VAS"][0] == 70 and scores["EQ5D_LSS"][0] == 9
    assert _occ(enrolled, "BL", "EQ5D5L").status == "completed"
    assert "还有一份问卷" in replies[-1]


def test_invalid_replies_reprompt_then_offer_the_web_link(enrolled, tick_at, sms_post):
    tick_at(OPEN_BL)
    sms_post(PHONE, "1")
    _, first = sms_post(PHONE, "9")
    assert "/s/" not in " ".join(first)
    _, second = sms_post(PHONE, "banana")
    assert any(PUBLIC + "/s/" in r for r in second)


def _opened(replies: list[str]) -> Occasion:
    """The occasion the web link in these replies opens."""
    token = re.search(re.escape(PUBLIC) + r"/s/([\w-]+)", " ".join(replies)).group(1)
    return responses.occasion_for_token(token, now=clock.now())


def test_links_in_replies_open_the_questionnaire_the_conversation_is_on(enrolled, tick_at, sms_post):
    tick_at(OPEN_BL)
    sms_post(PHONE, "1")
    sms_post(PHONE, "9")
    _, offered = sms_post(PHONE, "banana")
    assert _opened(offered).id == _occ(enrolled, "BL", "EQ5D5L").id
    for text in ["1", "2", "1", "3", "2", "70", "好"]:
        _, replies = sms_post(PHONE, text)
    assert "还有一份问卷" in replies[-1]  # the EQ-5D-5L is done: the link is the CLDQ's
    assert _opened(replies).id == _occ(enrolled, "BL", "CLDQ").id


def test_back_and_later_work_in_a_conversation(enrolled, tick_at, sms_post):
    tick_at(OPEN_BL)
    sms_post(PHONE, "1")
    sms_post(PHONE, "2")
    _, back = sms_post(PHONE, "上一题")
    assert "（原答案" in back[0] or "原答案" in back[0]
    _, paused = sms_post(PHONE, "稍后")
    assert "暂停" in paused[0]
    _, resumed = sms_post(PHONE, "hello")
    assert resumed and "欢迎" in resumed[0]


def test_repeated_delivery_of_one_message_sid_records_nothing_twice(enrolled, tick_at, sms_post):
    tick_at(OPEN_BL)
    first = sms_post(PHONE, "1", sid="SMdup000000000000000000000000001")
    again = sms_post(PHONE, "1", sid="SMdup000000000000000000000000001")
    assert first[1][0] == again[1][0]
    inbound = db.session.scalars(sa.select(Message).where(Message.direction == "in")).all()
    assert len(inbound) == 1
    _, next_item = sms_post(PHONE, "1")
    assert "2/6" in next_item[0]


@pytest.mark.parametrize("signature", ["", "forged-signature"])
def test_missing_or_forged_signature_is_403_and_records_nothing(enrolled, sms_post, signature):
    status, _ = sms_post(PHONE, "1", signature=signature)
    assert status == 403
    assert db.session.scalar(sa.select(sa.func.count(Message.id)).where(Message.direction == "in")) == 0


def test_signature_is_checked_against_the_public_url_behind_a_proxy(enrolled, client):
    from tests.e2e.conftest import sign

    form = {"MessageSid": "SM" + "a" * 32, "From": PHONE, "Body": "HELP"}
    wrong = sign("http://localhost/sms/inbound", form)
    assert client.post("/sms/inbound", data=form, headers={"X-Twilio-Signature": wrong}).status_code == 403
    right = sign(PUBLIC + "/sms/inbound", form)
    assert client.post("/sms/inbound", data=form, headers={"X-Twilio-Signature": right}).status_code == 200


def test_unknown_sender_gets_a_neutral_reply(enrolled, sms_post):
    status, replies = sms_post(fictional_mobile(5555), "1")
    assert status == 200 and replies == [
        "此号码不接收短信。如有紧急情况请立即拨打120。"
        "This number does not accept messages. In an emergency call 120 now."]
    assert "302" not in replies[0] and "研究" not in replies[0]
    row = db.session.scalars(sa.select(Message).where(Message.direction == "in")).one()
    assert row.participant_id is None and row.body == "1"


def test_malformed_inbound_is_a_clear_400(enrolled, sms_post):
    status, _ = sms_post("not a number", "1")
    assert status == 400


@pytest.mark.parametrize("word", ["STOP", "stop.", "Stop!", "STOP 12345", "退订", "TD", "ＳＴＯＰ", "unsubscribe"])
def test_stop_in_any_form_opts_out_confirms_once_and_tells_the_site(enrolled, sms_post, word):
    _, replies = sms_post(PHONE, word)
    assert "退订" in replies[0]
    assert db.session.get(Participant, enrolled.id).status == "opted_out"
    _, again = sms_post(PHONE, word)
    assert again[0] != replies[0]
    notes = db.session.scalars(sa.select(Message).where(Message.kind == "staff_note")).all()
    assert len(notes) == 1 and enrolled.study_id in notes[0].body


def test_start_opts_back_in_and_help_gives_the_site_contact(enrolled, sms_post):
    sms_post(PHONE, "STOP")
    _, replies = sms_post(PHONE, "订阅")
    assert db.session.get(Participant, enrolled.id).status == "active" and "订阅" in replies[0]
    _, help_ = sms_post(PHONE, "help")
    assert "+861012345678" in help_[0] and "120" in help_[0]


@pytest.mark.parametrize("word", ["start", "START", "Start."])
def test_start_from_a_subscribed_participant_begins_the_questionnaire(enrolled, tick_at, sms_post,
                                                                     word):
    tick_at(OPEN_BL)
    _, replies = sms_post(PHONE, word)
    assert "（1/6）" in replies[0] and "订阅" not in replies[0]
    assert db.session.get(Participant, enrolled.id).status == "active"


def test_a_free_text_wish_to_stop_is_flagged_to_staff_not_guessed(enrolled, tick_at, sms_post):
    tick_at(OPEN_BL)
    _, replies = sms_post(PHONE, "不要再发了")
    assert db.session.get(Participant, enrolled.id).status == "active"
    note = db.session.scalars(sa.select(Message).where(Message.kind == "staff_note")).one()
    assert "may want to stop" in note.body and "研究团队" in replies[0]


def test_oversized_body_gets_a_clear_reply_and_is_kept(enrolled, sms_post):
    status, replies = sms_post(PHONE, "字" * 2000)
    assert status == 200 and "太长" in replies[0]
    row = db.session.scalars(sa.select(Message).where(Message.direction == "in")).one()
    assert len(row.body) == 1600


def test_several_open_occasions_are_taken_oldest_first(enrolled, tick_at, sms_post):
    tick_at(OPEN_BL)
    sms_post(PHONE, "1")
    sms_post(PHONE, "2")
    eq, cldq = _occ(enrolled, "BL", "EQ5D5L"), _occ(enrolled, "BL", "CLDQ")
    assert eq.opens_at == cldq.opens_at  # same window: the protocol's order decides
    assert eq.status == "in_progress" and cldq.status == "open"


def test_status_callbacks_update_the_message(enrolled, tick_at, fake_twilio, client):
    from tests.e2e.conftest import sign

    tick_at(OPEN_BL)
    sid = fake_twilio.messages[0].sid
    form = {"MessageSid": sid, "MessageStatus": "delivered"}
    ok = client.post("/sms/status", data=form, headers={"X-Twilio-Signature": sign(PUBLIC + "/sms/status", form)})
    assert ok.status_code == 204
    db.session.expire_all()
    assert db.session.scalar(sa.select(Message.status).where(Message.provider_sid == sid)) == "delivered"
    late = {"MessageSid": sid, "MessageStatus": "sent"}
    client.post("/sms/status", data=late, headers={"X-Twilio-Signature": sign(PUBLIC + "/sms/status", late)})
    db.session.expire_all()
    assert db.session.scalar(sa.select(Message.status).where(Message.provider_sid == sid)) == "delivered"
    failed = {"MessageSid": fake_twilio.messages[1].sid, "MessageStatus": "undelivered", "ErrorCode": "21610"}
    client.post("/sms/status", data=failed, headers={"X-Twilio-Signature": sign(PUBLIC + "/sms/status", failed)})
    db.session.expire_all()
    assert db.session.get(Participant, enrolled.id).status == "opted_out"
    forged = client.post("/sms/status", data=form, headers={"X-Twilio-Signature": "nope"})
    assert forged.status_code == 403
