"""SMS end to end: invitation → real twilio library → fake server; signed replies complete both
questionnaires in both languages; duplicates, malformed requests and an outage lose nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from pro_service.extensions import db
from pro_service.messages.models import Message
from pro_service.responses.models import Response
from tests.e2e.conftest import BASE, OPEN_BL, PUBLIC, TWILIO_APP, sign
from tests.factories import fictional_mobile

pytestmark = pytest.mark.parametrize("app", [TWILIO_APP], indirect=True)
PHONE = fictional_mobile(4545)
EQ = ["2", "1", "3", "2", "4", "65"]
CLDQ = [str(1 + (i * 3) % 7) for i in range(29)]
CONFIRM = {"zh-CN": "好", "en": "OK"}
# Worked out by hand, not by the scorer. EQ-5D 21324 (5L-CN, Luo 2017 coefficients in
# shared/reference/eq5d): 1 - (0.066 MO2 + 0.107 UA3 + 0.058 PD2 + 0.215 AD4) = 0.554, LSS 12.
# CLDQ item n = 1 + 3(n-1) mod 7; domains (BMC Res Notes 2012;5:446 Table 2):
# AS 1,6,7 = 14/3; FA 4,3,1,3,2 = 13/5; SY 7,2,5,4,2 = 4; AC 5,4,5 = 14/3;
# EM 7,6,1,4,6,2,7,6 = 39/8; WO 3,1,3,5,1 = 13/5; overall = the mean of the six domain means.
CLDQ_MEANS = {"AS": 14 / 3, "FA": 2.6, "SY": 4.0, "AC": 14 / 3, "EM": 4.875, "WO": 2.6}
EXPECTED = {
    "EQ5D5L": {("EQ5D_INDEX", "eq5d5l.cn.luo2017"): 0.554, ("EQ5D_LSS", "eq5d5l.lss.v1"): 12,
               ("EQ5D_VAS", "eq5d.vas.v1"): 65},
    "CLDQ": {**{(f"CLDQ_{d}", "cldq.younossi1999"): v for d, v in CLDQ_MEANS.items()},
             ("CLDQ_OVERALL", "cldq.overall.domain_mean.v1"): sum(CLDQ_MEANS.values()) / 6},
}


@pytest.fixture
def participant(make_site, make_participant, frozen_clock):
    make_site("302", site_phone="+861012345678")
    return make_participant


@pytest.mark.parametrize("language", ["zh-CN", "en"])
def test_both_questionnaires_completed_by_sms_store_the_hand_computed_scores(
        participant, tick_at, sms_post, fake_twilio, language):
    p = participant(phone=PHONE, baseline=BASE, language=language)
    tick_at(OPEN_BL)
    assert len(fake_twilio.messages) == 2 and all(m.to == PHONE for m in fake_twilio.messages)
    for answers in (EQ, CLDQ):
        for text in ["1", *answers, CONFIRM[language]]:
            status, replies = sms_post(PHONE, text)
            assert status == 200 and replies
    rows = {r.instrument: r for r in db.session.scalars(sa.select(Response).where(
        Response.participant_id == p.id))}
    assert set(rows) == {"EQ5D5L", "CLDQ"} and all(r.channel == "sms" for r in rows.values())
    assert rows["EQ5D5L"].answers == {"MO": 2, "SC": 1, "UA": 3, "PD": 2, "AD": 4, "VAS": 65}
    for code, expected in EXPECTED.items():
        stored = {(s.scale, s.algorithm_id): s.value for s in rows[code].scores}
        assert stored == {key: pytest.approx(value, abs=1e-9) for key, value in expected.items()}


def test_triple_delivery_records_one_answer(participant, tick_at, sms_post):
    participant(phone=PHONE, baseline=BASE)
    tick_at(OPEN_BL)
    sms_post(PHONE, "1")
    sid = "SM" + "7" * 32
    replies = [sms_post(PHONE, "3", sid=sid)[1] for _ in range(3)]
    assert replies[0] == replies[1] == replies[2]
    assert db.session.scalar(sa.select(sa.func.count(Message.id)).where(
        Message.provider_sid == sid)) == 1
    _, nxt = sms_post(PHONE, "1")
    assert "（3/6）" in nxt[0]  # the answer "3" counted once, so item 3 comes next


@pytest.mark.parametrize("form", [
    {},
    {"MessageSid": "SM" + "1" * 32},
    {"From": PHONE, "Body": "1"},
    {"MessageSid": "SM" + "2" * 32, "From": PHONE},
    {"MessageSid": "SM" + "3" * 32, "From": PHONE, "Body": "x" * 10_000},
    {"MessageSid": "SM" + "4" * 32, "From": PHONE, "Body": "😀👍🏽 好的"},
    {"MessageSid": "SM" + "5" * 32, "From": PHONE, "Body": "1\x00\x00"},
    {"MessageSid": "SM" + "6" * 300, "From": PHONE, "Body": "1"},
])
def test_malformed_requests_never_500_and_record_nothing_twice(participant, client, form):
    participant(phone=PHONE, baseline=BASE)
    for _ in range(2):
        db.session.commit()
        resp = client.post("/sms/inbound", data=form,
                           headers={"X-Twilio-Signature": sign(PUBLIC + "/sms/inbound", form)})
        assert resp.status_code in (200, 400), resp.get_data(as_text=True)
    count = db.session.scalar(sa.select(sa.func.count(Message.id)).where(Message.direction == "in"))
    assert count <= 1


def test_non_utf8_body_is_answered_not_crashed(participant, client):
    participant(phone=PHONE, baseline=BASE)
    raw = b"MessageSid=SM" + b"8" * 32 + b"&From=%2B8613123404545&Body=%FF%FE%FA"
    form = {"MessageSid": "SM" + "8" * 32, "From": PHONE, "Body": "\ufffd\ufffd\ufffd"}
    db.session.commit()
    resp = client.post("/sms/inbound", data=raw, content_type="application/x-www-form-urlencoded",
                       headers={"X-Twilio-Signature": sign(PUBLIC + "/sms/inbound", form)})
    assert resp.status_code in (200, 400, 403)


def test_after_a_five_minute_outage_every_message_is_delivered_exactly_once(
        participant, tick_at, fake_twilio):
    for n in range(4):
        participant(phone=fictional_mobile(6000 + n), baseline=BASE)
    start = OPEN_BL
    now = start
    while now < start + timedelta(minutes=5):
        fake_twilio.clear_faults()
        for i in range(20):
            if i % 4 == 0:
                fake_twilio.timeout_next()
            else:
                fake_twilio.fail_next(503, 20503)
        tick_at(now)
        now += timedelta(seconds=30)
    fake_twilio.clear_faults()
    assert fake_twilio.messages == []
    for _ in range(40):
        tick_at(now)
        now += timedelta(seconds=30)
    rows = db.session.scalars(sa.select(Message).where(Message.kind == "invitation")).all()
    assert len(rows) == 8 and all(r.status == "sent" for r in rows)
    assert len(fake_twilio.messages) == 8
    assert len({(m.to, m.body) for m in fake_twilio.messages}) == 8
