"""Exact words staff and participants read: alert names, caregiver advice, the crisis line,
the staff SMS and its shorter forms, and the call-back promise."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from pro_service.messages.domain.segments import count_segments
from pro_service.safety.domain.asking import Detection
from pro_service.safety.domain.escalation import (
    ack_deadline,
    advice,
    alert_link,
    call_back_when,
    more_urgent,
    staff_alert_text,
)
from pro_service.safety.domain.reporters import caregiver_advice, crisis_text, marking
from pro_service.safety.domain.wording import (
    category_name,
    source_name,
    status_name,
    triage_name,
    urgency_name,
)

# -- alert words -----------------------------------------------------------------------


@pytest.mark.parametrize(("name", "key", "zh", "en"), [
    (category_name, "gi_bleeding", "消化道出血", "GI bleeding"),
    (category_name, "self_harm", "自伤风险", "Self-harm risk"),
    (urgency_name, "emergency", "紧急", "Emergency"),
    (urgency_name, "routine", "常规", "Routine"),
    (source_name, "free_text", "短信原文", "Free text"),
    (source_name, "score_rule", "评分规则", "Score rule"),
    (status_name, "acknowledged", "已确认", "Acknowledged"),
    (status_name, "closed", "已关闭", "Closed"),
    (triage_name, "not_ae", "非不良事件", "Not an AE"),
    (triage_name, "sae", "严重不良事件", "SAE"),
])
def test_alert_words_are_chinese_unless_english_is_asked(name, key, zh, en) -> None:
    assert name(key, "en") == en
    assert name(key, "zh-CN") == zh
    assert name(key, "en-GB") == zh  # the dashboard asks for exactly "en" or gets Chinese


@pytest.mark.parametrize("name", [category_name, urgency_name, source_name, status_name,
                                  triage_name])
def test_an_unknown_key_is_shown_as_itself_with_spaces_in_english(name) -> None:
    assert name("brand_new_thing", "en") == "brand new thing"
    assert name("brand_new_thing", "zh-CN") == "brand_new_thing"


# -- caregivers and the crisis line ------------------------------------------------------


@pytest.mark.parametrize(("urgency", "language", "wanted"), [
    ("emergency", "zh-CN",
     "您描述的病人情况可能很严重。请立即拨打120或马上送病人去最近的医院急诊。研究团队已收到通知。"),
    ("urgent", "en", "Thank you for telling us. The study team has been told and will contact you "
                     "today. If the patient gets worse, call 120."),
    ("routine", "fr", "谢谢您告诉我们，研究团队会查看并在需要时联系您。如病人情况加重请拨打120。"),
])
def test_caregiver_advice_speaks_of_the_patient(urgency: str, language: str, wanted: str) -> None:
    assert caregiver_advice(urgency, language, "120") == wanted


def test_the_crisis_text_names_the_site_line_and_the_emergency_number() -> None:
    assert crisis_text("en", "400-161-9995", "120") == (
        "If you are thinking of harming yourself, call the crisis line 400-161-9995 now, or 120.")
    assert crisis_text("zh-CN", "400-161-9995", "120") == (
        "如果您有伤害自己的想法，请马上拨打心理危机干预热线 400-161-9995，或拨打120。")


def test_without_a_crisis_line_the_emergency_number_stands_in() -> None:
    assert crisis_text("en", None, "999") == (
        "If you are thinking of harming yourself, call the crisis line 999 now, or 999.")
    assert "热线 120，" in crisis_text("zh-CN", "", "120")


@pytest.mark.parametrize(("relation", "other", "wanted"), [
    ("daughter", False, "reported by caregiver (daughter)"),
    ("son", True, "reported by caregiver (son)"),
    (None, True, "may concern another person"),
    (None, False, None),
])
def test_staff_see_who_the_report_is_about(relation, other, wanted) -> None:
    assert marking(caregiver_relation=relation, other_person=other) == wanted


def test_a_detection_is_true_only_with_findings() -> None:
    assert Detection(findings=(object(),))
    assert not Detection()
    assert not Detection(unsure=(object(),))  # a question is not an alert


# -- participant advice ------------------------------------------------------------------

MONDAY_10 = datetime(2027, 3, 1, 2, 0, tzinfo=UTC)  # Monday 10:00 in Shanghai


@pytest.mark.parametrize(("urgency", "language", "wanted"), [
    ("emergency", "en", "What you describe may be serious. Call 120 or go to the nearest emergency "
                        "department now. The study team has been told."),
    ("urgent", "en", "Thank you for telling us. The study team has been told and will call you "
                     "today. If you get worse, call 120."),
    ("routine", "en", "Thank you for telling us. The study team will review it and contact you if "
                      "needed. If you feel worse, call 120."),
    ("urgent", "zh-CN", "谢谢您告诉我们。研究团队已收到通知，今天会给您打电话。如情况加重请拨打120。"),
    ("urgent", "en-US", "谢谢您告诉我们。研究团队已收到通知，今天会给您打电话。如情况加重请拨打120。"),
])
def test_advice_is_word_for_word(urgency: str, language: str, wanted: str) -> None:
    assert advice(urgency, language, "120") == wanted
    assert advice(urgency, language, "120", now=MONDAY_10) == wanted


def test_the_call_back_promise_uses_the_shanghai_clock_by_default() -> None:
    monday_1900_shanghai = datetime(2027, 3, 1, 11, 0, tzinfo=UTC)  # 11:00 in London
    assert "tomorrow morning" in advice("urgent", "en", "120", now=monday_1900_shanghai)


@pytest.mark.parametrize(("local", "when"), [
    ((2027, 3, 1, 8, 0), "today"),  # Monday 08:00: working hours start
    ((2027, 3, 1, 7, 59), "this_morning"),
    ((2027, 3, 1, 17, 59), "today"),
    ((2027, 3, 4, 18, 0), "tomorrow_morning"),  # Thursday 18:00
    ((2027, 3, 5, 18, 0), "monday_morning"),  # Friday 18:00
    ((2027, 3, 6, 7, 0), "monday_morning"),  # Saturday morning
    ((2027, 3, 7, 7, 0), "tomorrow_morning"),  # Sunday morning
])
def test_working_hours_are_eight_to_six_monday_to_friday(local, when) -> None:
    from zoneinfo import ZoneInfo

    at = datetime(*local, tzinfo=ZoneInfo("Asia/Shanghai")).astimezone(UTC)
    assert call_back_when(at, "Asia/Shanghai") == when


# -- deadlines ---------------------------------------------------------------------------


@pytest.mark.parametrize(("start", "deadline"), [
    ((2027, 3, 1), (2027, 3, 3)),  # Monday -> Wednesday
    ((2027, 3, 4), (2027, 3, 8)),  # Thursday -> Monday
    ((2027, 3, 5), (2027, 3, 9)),  # Friday -> Tuesday
    ((2027, 3, 6), (2027, 3, 9)),  # Saturday -> Tuesday
    ((2027, 3, 7), (2027, 3, 9)),  # Sunday -> Tuesday
])
def test_a_routine_alert_waits_two_working_days(start, deadline) -> None:
    since = datetime(*start, 10, 0, tzinfo=UTC)
    got = ack_deadline("routine", since, "Europe/London")
    assert got == datetime(*deadline, 10, 0, tzinfo=UTC)
    assert got.tzinfo is UTC


def test_working_days_are_counted_on_the_site_calendar() -> None:
    # Friday 20:00 UTC is already Saturday 04:00 in Shanghai: Monday, Tuesday 04:00 local
    since = datetime(2027, 3, 5, 20, 0, tzinfo=UTC)
    assert ack_deadline("routine", since, "Asia/Shanghai") == datetime(2027, 3, 8, 20, 0, tzinfo=UTC)
    assert ack_deadline("routine", since, "UTC") == datetime(2027, 3, 9, 20, 0, tzinfo=UTC)


def test_an_emergency_alert_waits_fifteen_minutes() -> None:
    assert ack_deadline("emergency", MONDAY_10, "UTC") - MONDAY_10 == timedelta(minutes=15)


@pytest.mark.parametrize(("a", "b", "wanted"), [
    ("urgent", "urgent", "urgent"), ("routine", "urgent", "urgent"),
    ("emergency", "urgent", "emergency"), ("routine", "routine", "routine"),
])
def test_the_more_urgent_of_two_urgencies(a: str, b: str, wanted: str) -> None:
    assert more_urgent(a, b) == wanted


# -- the staff SMS -----------------------------------------------------------------------


def test_the_full_staff_text() -> None:
    body = staff_alert_text(study_id="302-0007", category="gi_bleeding", urgency="emergency",
                            reported="2027-03-01 10:00 UTC+8", code="123456", level=0,
                            link="https://p.cn/dashboard/alerts/123456")
    assert body == ("[pro-service] EMERGENCY possible AE: participant 302-0007, gi bleeding, "
                    "reported 2027-03-01 10:00 UTC+8. Reply ACK 123456 to acknowledge. "
                    "https://p.cn/dashboard/alerts/123456")


def test_an_escalated_staff_text_says_its_level_and_the_marking() -> None:
    body = staff_alert_text(study_id="302-0007", category="renal", urgency="urgent",
                            reported="2027-03-01 10:00 UTC+8", code="123456", level=2,
                            link="https://p.cn/a/1", note="may concern another person")
    assert body == ("[pro-service] URGENT possible AE [escalated, level 2]: participant 302-0007, "
                    "renal (may concern another person), reported 2027-03-01 10:00 UTC+8. "
                    "Reply ACK 123456 to acknowledge. https://p.cn/a/1")


def _text_with_link(length: int, level: int = 1) -> str:
    return staff_alert_text(study_id="302-0007", category="gi_bleeding", urgency="emergency",
                            reported="2027-03-01 10:00 UTC+8", code="123456", level=level,
                            link="https://" + "x" * length)


def test_a_long_link_shortens_the_wording_step_by_step() -> None:
    lengths = range(20, 400)
    bodies = [_text_with_link(n) for n in lengths]
    middle = next(b for b in bodies if b.startswith("[pro-service] EMERGENCY [L1]: "))
    assert middle.startswith("[pro-service] EMERGENCY [L1]: 302-0007, gi bleeding, reported "
                             "2027-03-01 10:00 UTC+8. Reply ACK 123456. https://")
    short = next(b for b in bodies if b.startswith("EMERGENCY"))
    assert short.startswith("EMERGENCY [L1] 302-0007 gi bleeding 2027-03-01 10:00 UTC+8 ACK 123456 "
                            "https://")
    for body in bodies:
        # the longest wording that fits in two segments is used
        if count_segments(body)[1] > 2:
            assert body.startswith("EMERGENCY [L1] ")


def test_the_short_forms_leave_out_a_level_of_zero() -> None:
    bodies = [_text_with_link(n, level=0) for n in range(20, 400)]
    assert any(b.startswith("[pro-service] EMERGENCY: 302-0007") for b in bodies)
    assert any(b.startswith("EMERGENCY 302-0007 ") for b in bodies)
    assert not any("[L0]" in b or "level 0" in b for b in bodies)


@pytest.mark.parametrize("base", ["https://pro.example.org", "https://pro.example.org/",
                                  "https://pro.example.org//"])
def test_the_alert_link_joins_the_base_url_and_the_code(base: str) -> None:
    assert alert_link(base, "123456") == "https://pro.example.org/dashboard/alerts/123456"


def test_the_alert_link_keeps_the_base_path_whatever_it_ends_with() -> None:
    assert alert_link("https://h.cn/APEX/", "1") == "https://h.cn/APEX/dashboard/alerts/1"
