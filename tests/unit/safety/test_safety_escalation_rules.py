"""Acknowledgement deadlines, advice wording and the staff text (DESIGN §6)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from pro_service.messages.domain.segments import count_segments

from pro_service.safety.domain.escalation import advice, ack_deadline, more_urgent, staff_alert_text


def test_emergency_and_urgent_deadlines_are_15_minutes_and_4_hours():
    t = datetime(2027, 3, 1, 2, 0, tzinfo=UTC)
    assert ack_deadline("emergency", t, "Asia/Shanghai") == t + timedelta(minutes=15)
    assert ack_deadline("urgent", t, "Asia/Shanghai") == t + timedelta(hours=4)


def test_routine_deadline_counts_two_working_days_in_the_site_zone():
    friday = datetime(2027, 3, 5, 2, 0, tzinfo=UTC)  # Friday 10:00 Shanghai
    assert ack_deadline("routine", friday, "Asia/Shanghai") == datetime(2027, 3, 9, 2, 0, tzinfo=UTC)
    monday = datetime(2027, 3, 1, 2, 0, tzinfo=UTC)
    assert ack_deadline("routine", monday, "Asia/Shanghai") == datetime(2027, 3, 3, 2, 0, tzinfo=UTC)


def test_more_urgent_keeps_the_higher_urgency():
    assert more_urgent("routine", "emergency") == "emergency"
    assert more_urgent("urgent", "routine") == "urgent"


def test_emergency_advice_says_call_120_in_the_participants_language():
    zh = advice("emergency", "zh-CN", "120")
    en = advice("emergency", "en", "120")
    assert "120" in zh and "急诊" in zh and "研究团队" in zh
    assert "120" in en and "emergency department" in en and "study team" in en
    assert "today" in advice("urgent", "en", "120")


LOCAL = "2027-03-01 10:00 UTC+8"


def test_staff_text_names_participant_category_and_code_but_no_free_text():
    body = staff_alert_text(study_id="302-0007", category="gi_bleeding", urgency="emergency",
                            reported=LOCAL, code="123456", level=1,
                            link="https://pro.example.org/dashboard/alerts/123456")
    assert "302-0007" in body and "gi bleeding" in body and "ACK 123456" in body
    assert "escalated" in body
    assert "reported 2027-03-01 10:00 UTC+8" in body
    assert body.endswith("https://pro.example.org/dashboard/alerts/123456")
    assert count_segments(body)[1] <= 2


@pytest.mark.parametrize("base", ["https://p.cn", "https://pro-service.hospital-302.example.org/trials/"
                                  "nct05121870/pro-service-production-instance"])
@pytest.mark.parametrize("category", ["infusion_reaction", "gi_bleeding"])
def test_staff_text_keeps_code_study_id_and_link_within_two_segments(base, category):
    link = f"{base}/dashboard/alerts/654321"
    body = staff_alert_text(study_id="302-0123", category=category, urgency="emergency",
                            reported="2027-03-01 10:00 UTC-3:30", code="654321", level=3,
                            link=link)
    assert count_segments(body)[1] <= 2
    assert "302-0123" in body and "ACK 654321" in body and link in body
    assert "10:00 UTC-3:30" in body


@pytest.mark.parametrize(("local", "when"), [
    ((2027, 3, 1, 10, 0), "today"),  # Monday 10:00
    ((2027, 3, 1, 7, 30), "this_morning"),  # Monday 07:30
    ((2027, 3, 1, 18, 0), "tomorrow_morning"),  # Monday 18:00
    ((2027, 3, 5, 19, 0), "monday_morning"),  # Friday 19:00
    ((2027, 3, 6, 10, 0), "monday_morning"),  # Saturday
    ((2027, 3, 7, 21, 0), "tomorrow_morning"),  # Sunday evening
])
def test_the_call_back_promise_follows_the_site_clock(local, when):
    from zoneinfo import ZoneInfo

    from pro_service.safety.domain.escalation import call_back_when

    at = datetime(*local, tzinfo=ZoneInfo("Asia/Shanghai"))
    assert call_back_when(at.astimezone(UTC), "Asia/Shanghai") == when


def test_urgent_advice_outside_working_hours_says_when_in_both_languages():
    friday_night = datetime(2027, 3, 5, 12, 0, tzinfo=UTC)  # Friday 20:00 in Shanghai
    assert "will call you on Monday morning" in advice("urgent", "en", "120", now=friday_night,
                                                        tz="Asia/Shanghai")
    assert "周一上午会给您打电话" in advice("urgent", "zh-CN", "120", now=friday_night,
                                           tz="Asia/Shanghai")
    assert "call you today" in advice("urgent", "en", "120", now=friday_night, tz="Europe/London")
