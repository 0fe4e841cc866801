"""Whole SMS conversations through the pure dialogue state machine."""

from __future__ import annotations

import json

import pytest

from pro_service.instruments.domain.definitions import Instrument
from pro_service.sms.domain.dialogue import StepResult, current_prompt, invitation, step
from pro_service.sms.domain.replies import How
from pro_service.sms.domain.state import (
    AnswerRecord,
    AnswerRecorded,
    Completed,
    OfferWebLink,
    Paused,
    Phase,
    Resumed,
    Started,
    State,
)
from tests.unit.sms.sms_instruments import cldq, eq5d, symptoms

EQ5D = eq5d()


def _talk(instrument: Instrument, language: str, *texts: str) -> list[StepResult]:
    state, results = State(), []
    for text in texts:
        result = step(state, text, instrument, language)
        results.append(result)
        state = result.state
    return results


def _values(state: State) -> dict[str, object]:
    return {item_id: record.value for item_id, record in state.answers.items()}


def test_full_eq5d_conversation_in_chinese() -> None:
    results = _talk(EQ5D, "zh-CN", "1", "1", "２", "一", "中度", "2", "七十", "好")
    start, *answers, confirm = results
    assert start.replies == ("（1/6）行动能力？\n1 无困难 2 轻微 3 中度 4 严重 5 无法",)
    assert start.events == (Started(),)
    assert answers[-1].replies == (
        "您的回答：行动 1 · 自理 2 · 日常活动 1 · 疼痛 3 · 焦虑 2 · 健康 70。回复“好”确认提交，回复“上一题”修改。",
    )
    assert confirm.replies == ("已收到您的回答，谢谢您的参与！",)
    assert confirm.state.phase is Phase.DONE
    final = {"MO": 1, "SC": 2, "UA": 1, "PD": 3, "AD": 2, "VAS": 70}
    assert _values(confirm.state) == final
    (completed,) = confirm.events
    assert isinstance(completed, Completed)
    assert {key: record.value for key, record in completed.answers.items()} == final
    assert completed.answers["SC"] == AnswerRecord(2, "２", How.FULLWIDTH_DIGIT)
    assert completed.answers["VAS"].how is How.CHINESE_NUMERAL


def test_full_eq5d_conversation_in_english() -> None:
    results = _talk(EQ5D, "en", "1", "1", "slight", "1", "3", "2", "70", "OK")
    assert results[1].replies == (
        "(2/6) Self-care?\n1 no problems, 2 slight, 3 moderate, 4 severe, 5 unable",
    )
    assert results[1].answers == {"MO": AnswerRecord(1, "1", How.DIGIT)}
    assert results[1].events == (AnswerRecorded("MO", AnswerRecord(1, "1", How.DIGIT)),)
    assert results[-2].replies == (
        "Your answers: mobility 1, self-care 2, activities 1, pain 3, anxiety 2, health 70. "
            "Reply OK to submit, or BACK to change.",
    )
    assert results[-1].replies == ("Thank you, your answers have been received.",)
    assert [event.kind for event in results[-1].events] == ["completed"]


def test_thank_you_says_nothing_clinical() -> None:
    (*_, done) = _talk(EQ5D, "en", "1", "5", "5", "5", "5", "5", "3", "ok")
    assert not any(char.isdigit() for char in done.replies[0])


def test_invited_participant_is_told_how_to_start() -> None:
    (result,) = _talk(EQ5D, "zh-CN", "你好")
    assert result.state == State()
    assert "回复1开始" in result.replies[0]
    assert "{link}" in result.replies[0]


def test_invitation_says_reply_1_and_carries_the_link() -> None:
    assert invitation(EQ5D, "zh-CN") == (
        "您好，请填写健康问卷。回复1开始，或打开链接填写：{link} "
        "回复稍后可暂停，回复TD退订。"
    )
    english = invitation(EQ5D, "en", link_placeholder="https://x.test/s/abc")
    assert "Reply 1 to start" in english
    assert "https://x.test/s/abc" in english


def test_invalid_reply_reprompts_with_allowed_answers() -> None:
    _, invalid = _talk(EQ5D, "zh-CN", "1", "很好")
    assert invalid.replies == (
        "抱歉，未能识别您的回复。请回复数字：1 无困难 2 轻微 3 中度 4 严重 5 无法",
    )
    assert (invalid.state.index, invalid.state.retries, invalid.events) == (0, 1, ())


def test_second_invalid_reply_offers_the_web_link_once() -> None:
    _, _, second, third, valid = _talk(EQ5D, "en", "1", "x", "101", "?", "2")
    assert second.events == (OfferWebLink("MO"),)
    assert "{link}" in second.replies[0]
    assert second.replies[0].startswith(
        "Sorry, we did not understand your reply. Reply with"
    )
    assert third.events == ()
    assert third.state.retries == 3
    assert valid.state.retries == 0
    assert valid.state.index == 1


def test_retries_count_per_item() -> None:
    *_, after = _talk(EQ5D, "en", "1", "x", "1", "x")
    assert after.state.retries == 1
    assert after.events == ()


def test_back_asks_the_previous_item_showing_the_earlier_answer() -> None:
    *_, back = _talk(EQ5D, "zh-CN", "1", "3", "上一题")
    assert back.state.index == 0
    assert back.replies == (
        "（1/6）行动能力？（原答案：3）\n1 无困难 2 轻微 3 中度 4 严重 5 无法",
    )
    *_, changed = _talk(EQ5D, "zh-CN", "1", "3", "上一题", "4")
    assert changed.state.index == 1
    assert _values(changed.state) == {"MO": 4}


def test_back_on_the_first_item_stays_there() -> None:
    _, back = _talk(EQ5D, "en", "1", "BACK")
    assert back.state.index == 0
    assert back.replies[0].startswith("This is the first question. (1/6) Mobility?")


def test_back_from_the_read_back_changes_the_last_item() -> None:
    texts = ("1", "1", "1", "1", "1", "1", "50", "back", "60", "ok")
    *_, readback, back, again, done = _talk(EQ5D, "en", *texts)
    assert readback.state.phase is Phase.CONFIRMING
    assert (back.state.phase, back.state.index) == (Phase.ASKING, 5)
    assert "(was: 50)" in back.replies[0]
    assert "health 60" in again.replies[0]
    assert _values(done.state)["VAS"] == 60


def test_later_pauses_and_any_message_resumes_with_the_same_item() -> None:
    _, _, later, resume = _talk(EQ5D, "zh-CN", "1", "2", "稍后", "3")
    assert later.state.phase is Phase.PAUSED
    assert later.events == (Paused(),)
    assert "回复任意内容" in later.replies[0]
    assert resume.events == (Resumed(),)
    assert (resume.state.phase, resume.state.index) == (Phase.ASKING, 1)
    assert resume.replies[0].startswith("欢迎回来。（2/6）自我照顾？")
    assert _values(resume.state) == {"MO": 2}  # the resuming message is not an answer


def test_later_while_paused_stays_paused() -> None:
    *_, again = _talk(EQ5D, "en", "1", "PAUSE", "later")
    assert again.state.phase is Phase.PAUSED
    assert again.events == ()


def test_paused_read_back_resumes_with_the_read_back() -> None:
    texts = ("1", "1", "1", "1", "1", "1", "50", "LATER", "hello")
    *_, resumed = _talk(EQ5D, "en", *texts)
    assert resumed.state.phase is Phase.CONFIRMING
    assert "anxiety 1, health 50" in resumed.replies[0]


def test_paused_before_start_resumes_into_the_invitation() -> None:
    _, start = _talk(EQ5D, "en", "later", "1")
    assert [event.kind for event in start.events] == ["resumed", "started"]
    assert (start.state.phase, start.state.index) == (Phase.ASKING, 0)


def test_read_back_waits_for_a_confirmation_word() -> None:
    texts = ("1", "1", "1", "1", "1", "1", "50", "maybe")
    *_, unclear = _talk(EQ5D, "zh-CN", *texts)
    assert unclear.state.phase is Phase.CONFIRMING
    assert unclear.replies == ("请回复“好”确认提交，或回复“上一题”修改。",)


@pytest.mark.parametrize("text", ["好的，开始", "开始吧", "yes please", "ok, start", "准备好了", "Let's go",
                                  "👍", "👌🏻", " ✅ "])
def test_a_start_word_in_a_few_words_starts(text: str) -> None:
    (start,) = _talk(EQ5D, "zh-CN", text)
    assert (start.state.phase, start.state.index) == (Phase.ASKING, 0)


@pytest.mark.parametrize("text", ["不开始", "不好", "yes no", "later today"])
def test_a_refusal_or_anything_more_does_not_start(text: str) -> None:
    (reply,) = _talk(EQ5D, "zh-CN", text)
    assert reply.state.phase is not Phase.ASKING


@pytest.mark.parametrize(("text", "submitted"), [
    ("好的，确认", True), ("没问题，提交", True), ("确认，谢谢", True), ("对的", True), ("👍", True),
    ("👎", False), ("👍👎", False),
    ("不对", False), ("不确认", False), ("no", False), ("好，不对", False),
])
def test_the_read_back_is_confirmed_only_by_confirming_words(text: str, submitted: bool) -> None:
    *_, last = _talk(EQ5D, "zh-CN", "1", "1", "1", "1", "1", "1", "50", text)
    assert (last.state.phase is Phase.DONE) is submitted


def test_done_conversation_answers_politely_and_changes_nothing() -> None:
    *_, done, after = _talk(EQ5D, "en", "1", "1", "1", "1", "1", "1", "50", "ok", "2")
    assert after.state == done.state
    assert after.events == ()


def test_seven_point_read_back_lists_every_answer() -> None:
    *_, readback = _talk(cldq(4), "zh-CN", "1", "7", "一", "3分", "6")
    assert readback.replies == (
        "您的回答：第1-4题 7-1-3-6。回复“好”确认提交，回复“上一题”修改。",
    )


def test_symptom_check_reads_back_yes_no_and_free_text() -> None:
    *_, readback, done = _talk(
        symptoms(), "en", "1", "no", "YES", "dizzy at night", "ok"
    )
    assert readback.replies[0].startswith(
        "Your answers: bleeding no, fever yes, other dizzy at night."
    )
    assert _values(done.state) == {
        "SC_BLEED": False,
        "SC_FEVER": True,
        "SC_OTHER": "dizzy at night",
    }


def test_symptom_check_in_chinese_with_nothing_to_add() -> None:
    *_, readback = _talk(symptoms(), "zh-CN", "1", "没有", "有", "无")
    assert readback.replies[0].startswith("您的回答：呕血黑便 否 · 发烧 是 · 其他 无。")


def test_state_round_trips_through_json() -> None:
    *_, paused = _talk(EQ5D, "zh-CN", "1", "２", "七十", "x", "稍后")
    state = paused.state
    restored = State.from_dict(json.loads(json.dumps(state.to_dict())))
    assert restored == state
    assert restored.resume_phase is Phase.ASKING


def test_current_prompt_repeats_what_the_state_waits_for() -> None:
    _, asked = _talk(EQ5D, "en", "1", "2")
    assert current_prompt(asked.state, EQ5D, "en") == asked.replies[0]
    assert "Reply 1 to start" in current_prompt(State(), EQ5D, "en")
