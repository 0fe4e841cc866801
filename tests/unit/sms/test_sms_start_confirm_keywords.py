"""More ways of starting, confirming, asking to stop or for help, and answering the safety
question with its digit and its word; and the near-misses that must not count."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pro_service.sms.domain import clarify
from pro_service.sms.domain.clarify import Answer
from pro_service.sms.domain.dialogue import step
from pro_service.sms.domain.keywords import Keyword, classify, stop_wish
from pro_service.sms.domain.state import Phase, State
from tests.unit.sms.sms_instruments import eq5d

EQ5D = eq5d()
READ_BACK = State(phase=Phase.CONFIRMING, index=len(EQ5D.items))


def _starts(text: str) -> bool:
    return step(State(phase=Phase.INVITED), text, EQ5D, "zh-CN").state.phase is Phase.ASKING


def _confirms(text: str) -> bool:
    return step(READ_BACK, text, EQ5D, "zh-CN").state.phase is Phase.DONE


@pytest.mark.parametrize("text", [
    "開始", "好嘞", "好滴", "好哒", "开始答题", "开始填写", "我准备好了", "1开始", "回复1", "收到",
    "好的收到", "没问题", "要得", "一", "①", "１", "k", "kk", "okey", "yep", "yeah", "go ahead",
    "one", "ok thanks", "好的谢谢", "开始，谢谢", "[微笑]好的",
])
def test_everyday_ways_of_saying_start_start(text):
    assert _starts(text)


@pytest.mark.parametrize("text", [
    "不开始", "不要", "2", "等一下", "收到，但是今天不想", "1 2", "谢谢", "回复", "开始不了", "ok no",
    "不好的", "yes but later",
])
def test_refusals_delays_and_courtesy_alone_do_not_start(text):
    assert not _starts(text)


@pytest.mark.parametrize("text", [
    "確認", "對", "是对的", "全对", "都正确", "确认无误", "无误", "好的谢谢", "that's correct",
    "all correct", "confirmed", "yep", "yeah", "sure", "ok thanks", "perfect", "fine", "收到",
])
def test_everyday_ways_of_saying_all_correct_confirm(text):
    assert _confirms(text)


@pytest.mark.parametrize("text", [
    "不对", "错了", "第三个错了", "对了，第三题错了", "not correct", "not fine", "1", "谢谢",
    "不确认", "全不对", "no thanks",
])
def test_a_correction_or_anything_unclear_does_not_confirm(text):
    assert not _confirms(text)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(["不", "不是", "没", "not ", "别"]),
       st.sampled_from(["开始", "好的", "确认", "对", "ok", "start", "正确", "提交"]),
       st.sampled_from(["", "，谢谢", " thanks", "吧"]))
def test_a_negated_start_or_confirm_word_never_starts_or_confirms(negation, word, after):
    text = f"{negation}{word}{after}"
    assert not _starts(text) and not _confirms(text)


@pytest.mark.parametrize(("text", "keyword"), [
    ("退訂", Keyword.STOP), ("停止", Keyword.STOP), ("取消订阅", Keyword.STOP), ("取消訂閱", Keyword.STOP),
    ("STOP!!", Keyword.STOP), ("幫助", Keyword.HELP), ("求助", Keyword.HELP), ("Help me", Keyword.HELP),
    ("help?", Keyword.HELP), ("訂閱", Keyword.START), ("上一題", Keyword.BACK), ("稍後", Keyword.LATER),
    ("暫停", Keyword.LATER),
])
def test_more_keyword_forms_are_recognised(text, keyword):
    assert classify(text) is keyword


@pytest.mark.parametrize("text", ["Stop please", "stop stop", "STOP now", "取消", "取消吧"])
def test_stop_with_more_words_or_cancel_is_a_wish_the_site_confirms(text):
    assert classify(text) is None and stop_wish(text)


@pytest.mark.parametrize("text", ["停止吃药了吗", "取消了手术", "stop the pills?", "I stopped bleeding",
                                  "help me remember", "求助过医生"])
def test_sentences_that_contain_a_keyword_are_neither_keyword_nor_wish(text):
    assert classify(text) is None and not stop_wish(text)


@pytest.mark.parametrize(("text", "answer"), [
    ("1 有", Answer.YES), ("1，是的", Answer.YES), ("2 没有", Answer.NO), ("2，没有", Answer.NO),
    ("2没有", Answer.NO), ("木有", Answer.NO), ("沒有", Answer.NO), ("②", Answer.NO), ("noo", Answer.NO),
])
def test_the_safety_question_reads_its_digit_with_the_same_answer_in_words(text, answer):
    assert clarify.parse_answer(text) is answer


@pytest.mark.parametrize("text", ["1 没有", "2 有", "1 有点头晕", "2，但是吐血了", "12", "1 2"])
def test_the_safety_question_does_not_take_a_digit_and_words_that_disagree(text):
    assert clarify.parse_answer(text) is None


@pytest.mark.parametrize("text", ["好的，可以开始", "OK开始", "ok，开始", "开始開始", "好好好", "ok ok"])
def test_start_words_run_together_or_said_again_start(text):
    assert _starts(text)


@pytest.mark.parametrize("text", ["不ok", "ok不开始", "开始不开始", "no开始"])
def test_a_refusal_run_into_a_start_word_does_not_start(text):
    assert not _starts(text)


@pytest.mark.parametrize("text", ["好的呢", "好的哦", "好的呀", "嗯呢", "好得", "kaishi", "haode", "行吧"])
def test_a_start_word_with_a_particle_or_in_pinyin_starts(text):
    assert _starts(text)


@pytest.mark.parametrize("text", ["queren", "dui", "对的呢", "好的哦"])
def test_a_confirm_word_with_a_particle_or_in_pinyin_confirms(text):
    assert _confirms(text)
