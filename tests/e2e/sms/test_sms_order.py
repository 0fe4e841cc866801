"""SMS order: with several open occasions the symptom check is asked first, unless the
participant is mid-questionnaire (the real twilio library, signed webhooks)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.e2e.conftest import BASE, TWILIO_APP
from tests.factories import fictional_mobile

pytestmark = pytest.mark.parametrize("app", [TWILIO_APP], indirect=True)
PHONE = fictional_mobile(4343)
W4_OPEN = datetime(2027, 2, 5, 2, 0, tzinfo=UTC)  # W4 EQ-5D-5L and CLDQ open (02-05 10:00 local)
SC_W4_OPEN = datetime(2027, 2, 8, 2, 0, tzinfo=UTC)  # the week-4 symptom check opens too


@pytest.fixture
def enrolled(make_site, make_participant, frozen_clock):
    make_site("302", site_phone="+861012345678")
    return make_participant(phone=PHONE, baseline=BASE)


def test_the_symptom_check_is_asked_first_when_several_are_open(enrolled, tick_at, sms_post,
                                                                frozen_clock):
    tick_at(W4_OPEN)
    tick_at(SC_W4_OPEN)
    frozen_clock["now"] = SC_W4_OPEN
    _, replies = sms_post(PHONE, "1")
    assert "有没有呕血或解黑便" in replies[0]  # the symptom check's first item


def test_a_participant_mid_questionnaire_keeps_going_then_gets_the_symptom_check(
        enrolled, tick_at, sms_post, frozen_clock):
    tick_at(W4_OPEN)
    frozen_clock["now"] = W4_OPEN
    sms_post(PHONE, "1")
    _, replies = sms_post(PHONE, "2")
    assert "（2/6）" in replies[0]
    tick_at(SC_W4_OPEN)  # the symptom check opens while the EQ-5D-5L is half done
    frozen_clock["now"] = SC_W4_OPEN
    _, replies = sms_post(PHONE, "2")
    assert "（3/6）" in replies[0] and "日常活动" in replies[0]
    for text in ("1", "1", "1", "80"):
        _, replies = sms_post(PHONE, text)
    _, replies = sms_post(PHONE, "好")
    assert "还有一份问卷" in replies[-1] and "症状" in replies[-1]
