"""The clarifying safety question: pure rules for asking, answering and silence."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from pro_service.sms.domain import clarify
from pro_service.sms.domain.clarify import Answer, Ask, Kind, Status

BLEED = Ask(Kind.SYMPTOM, "gi_bleeding", "emergency", "gi.zh.vomit_blood")
JAUNDICE = Ask(Kind.SYMPTOM, "jaundice", "urgent", "ja.zh.eyes")
ABOUT = Ask(Kind.ABOUT_PARTICIPANT, "encephalopathy", "emergency")


@pytest.mark.parametrize("text", ["1", "１", "一", "yes", "Y", "有", "是的", " 1。", "是的，有", "有一点", "yes, a little"])
def test_yes_replies_are_read(text: str) -> None:
    assert clarify.parse_answer(text) is Answer.YES


@pytest.mark.parametrize("text", ["2", "２", "二", "no", "没有", "不是", "否", "2!", "没有，谢谢", "no, not at all", "没有，我很好", "no I'm fine"])
def test_no_replies_are_read(text: str) -> None:
    assert clarify.parse_answer(text) is Answer.NO


@pytest.mark.parametrize("text", ["3", "今天吐血了", "STOP", "", "12", "没有，但是昨天吐血了", "yes no"])
def test_anything_else_is_no_answer(text: str) -> None:
    assert clarify.parse_answer(text) is None


def test_at_most_one_question_is_open_and_the_most_urgent_is_asked() -> None:
    assert clarify.choose([JAUNDICE, BLEED], ABOUT, open_question=False) == BLEED
    assert clarify.choose([JAUNDICE, BLEED], ABOUT, open_question=True) is None
    assert clarify.choose([], ABOUT, open_question=False) == ABOUT
    assert clarify.choose([], None, open_question=False) is None


def test_yes_to_a_symptom_question_raises_its_alert_and_no_raises_nothing() -> None:
    assert clarify.answer(Kind.SYMPTOM, "gi_bleeding", "emergency", Answer.YES) == (
        clarify.Outcome(Status.YES, True, "gi_bleeding", "emergency"))
    assert clarify.answer(Kind.SYMPTOM, "gi_bleeding", "emergency", Answer.NO) == (
        clarify.Outcome(Status.NO, False))


def test_the_about_participant_answer_is_recorded_and_raises_nothing() -> None:
    for reply in Answer:
        assert not clarify.answer(Kind.ABOUT_PARTICIPANT, "gi_bleeding", "emergency",
                                  reply).raise_alert


@pytest.mark.parametrize(
    ("category", "term", "urgency"),
    [("gi_bleeding", "", "urgent"), ("encephalopathy", "", "urgent"),
     ("infusion_reaction", "", "urgent"), ("other", "ot.en.breathing", "urgent"),
     ("jaundice", "", "routine"), ("other", "ot.zh.routine", "routine")],
)
def test_silence_is_urgent_for_bleeding_confusion_or_breathing_else_routine(
        category: str, term: str, urgency: str) -> None:
    outcome = clarify.on_silence(Kind.SYMPTOM, category, term)
    assert outcome == clarify.Outcome(Status.EXPIRED, True, category, urgency)


def test_silence_on_the_about_participant_question_raises_nothing() -> None:
    assert not clarify.on_silence(Kind.ABOUT_PARTICIPANT, "gi_bleeding").raise_alert


def test_a_question_expires_after_30_minutes() -> None:
    at = datetime(2027, 1, 4, 2, 0, tzinfo=UTC)
    assert clarify.expires_at(at) == at + timedelta(minutes=30)


def test_questions_are_in_the_recipients_language() -> None:
    assert clarify.question_text(BLEED, "zh-CN") == (
        "为安全起见：您现在有呕血或黑便吗？回复 1 有，2 没有")
    assert clarify.question_text(BLEED, "en") == (
        "To be safe: are you vomiting blood or passing black stools now? "
        "Reply 1 yes, 2 no")
    assert "person in the study" in clarify.question_text(ABOUT, "en")
    assert clarify.thanks_text(Answer.NO, "en") == "Thank you, noted: no."


def test_every_category_has_a_question_in_both_languages() -> None:
    for category in ("gi_bleeding", "encephalopathy", "ascites", "infection", "jaundice",
                     "renal", "infusion_reaction", "syncope", "self_harm", "other"):
        for language in ("zh-CN", "en"):
            text = clarify.question_text(Ask(Kind.SYMPTOM, category, "urgent"), language)
            assert "1" in text and "2" in text
