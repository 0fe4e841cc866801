"""Participant wording: a labelled read-back within the segment budget, English number words,
a lone answer wrapped in a few words, and two candidate answers asked again (never guessed)."""

from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from pro_service.messages.domain.segments import count_segments
from pro_service.sms.domain.numerals import english_to_int
from pro_service.sms.domain.prompts import readback, reprompt
from pro_service.sms.domain.replies import How, ParsedAnswer, ParseError, Problem, parse
from pro_service.sms.domain.state import AnswerRecord
from tests.unit.sms.sms_instruments import eq5d, symptoms
from tests.unit.sms.test_sms_segment_budget import INSTRUMENTS

MOBILITY = eq5d().item("MO")
VAS = eq5d().item("VAS")
BLEEDING = symptoms().item("SC_BLEED")


def _records(answers):
    return {k: AnswerRecord(v, str(v), How.DIGIT) for k, v in answers.items()}


def test_the_eq5d_read_back_names_what_each_number_answers():
    answers = _records({"MO": 2, "SC": 1, "UA": 3, "PD": 1, "AD": 2, "VAS": 75})
    zh = readback(eq5d(), answers, "zh-CN")
    assert "行动 2 · 自理 1 · 日常活动 3 · 疼痛 1 · 焦虑 2 · 健康 75" in zh
    en = readback(eq5d(), answers, "en")
    assert "mobility 2, self-care 1, activities 3, pain 1, anxiety 2, health 75" in en


def test_the_cldq_read_back_numbers_its_groups_of_ten():
    full = INSTRUMENTS["CLDQ"]
    answers = _records({item.id: 1 + n % 7 for n, item in enumerate(full.items)})
    text = readback(full, answers, "zh-CN")
    assert "第1-10题 1-2-3-4-5-6-7-1-2-3 · 第11-20题" in text and "第21-29题" in text


def _worst_answers(instrument, language):
    answers = {}
    for item in instrument.items:
        kind = str(item.type)
        if kind == "choice":
            answers[item.id] = item.choices[-1].code
        elif kind == "integer":
            answers[item.id] = 100
        elif kind == "yes_no":
            answers[item.id] = True
        else:
            answers[item.id] = ("头晕" if language == "zh-CN" else "dizzy ") * 20
    return _records(answers)


@pytest.mark.parametrize("code", sorted(INSTRUMENTS))
@pytest.mark.parametrize("language", ["zh-CN", "en"])
def test_every_read_back_fits_in_two_segments(code, language):
    text = readback(INSTRUMENTS[code], _worst_answers(INSTRUMENTS[code], language), language)
    encoding, segments = count_segments(text)
    assert segments <= 2, f"{code} {language} ({encoding}): {segments} segments: {text}"


@pytest.mark.parametrize(("text", "value"), [
    ("seven", 7), ("Seventy-five", 75), ("seventy five", 75), ("one hundred", 100),
    ("a hundred", 100), ("zero", 0), ("nineteen", 19), ("one hundred and five", 105),
])
def test_english_number_words_read_like_chinese_numerals(text, value):
    assert english_to_int(text.lower()) == value


@pytest.mark.parametrize("text", ["seven five", "hundred hundred", "twenty zero", "fifty-ten",
                                  "and", "a", "seven hundred hundred"])
def test_english_number_words_that_are_not_one_number_are_refused(text):
    assert english_to_int(text) is None


@pytest.mark.parametrize(("item", "text", "value"), [
    (MOBILITY, "我选2", 2), (MOBILITY, "选二", 2), (MOBILITY, "2吧", 2), (MOBILITY, "2吧，谢谢", 2),
    (MOBILITY, "我的答案是3。", 3), (MOBILITY, "I choose 2", 2), (MOBILITY, "3 please", 3),
    (MOBILITY, "three, thanks", 3), (MOBILITY, "my answer is four", 4), (MOBILITY, "我选轻微", 2),
    (VAS, "seventy-five", 75), (VAS, "Seventy five thanks", 75), (VAS, "我选七十五吧", 75),
    (VAS, "I'd say 80", 80),
    (BLEEDING, "没有，谢谢", False), (BLEEDING, "是的吧", True), (BLEEDING, "no thanks", False),
])
def test_a_lone_answer_wrapped_in_a_few_words_is_understood(item, text, value):
    parsed = parse(item, text, "zh-CN")
    assert isinstance(parsed, ParsedAnswer), parsed
    assert parsed.value == value and parsed.raw == text


@pytest.mark.parametrize(("item", "text", "value"), [
    # a verb of choosing with its particle, a noun, a first sound, an opinion: all only wrap
    (MOBILITY, "我选择了3", 3), (MOBILITY, "选的是3", 3), (MOBILITY, "我的选择是3", 3),
    (MOBILITY, "答案：3", 3), (MOBILITY, "就选3吧", 3), (MOBILITY, "应该是3", 3),
    (MOBILITY, "嗯，3", 3), (MOBILITY, "好的，三", 3), (MOBILITY, "answer: 3", 3),
    (MOBILITY, "I'd go with 3", 3), (MOBILITY, "3 I think", 3), (MOBILITY, "my choice is three", 3),
    (VAS, "我给75分", 75), (VAS, "打75分", 75), (VAS, "75 points", 75), (VAS, "75/100", 75),
    (VAS, "今天75", 75), (VAS, "现在75分", 75), (VAS, "today I'd say 75", 75), (VAS, "60 right now", 60),
    # an answer named by its place among the options
    (MOBILITY, "第三个", 3), (MOBILITY, "我选第2项", 2), (MOBILITY, "选项3", 3), (MOBILITY, "3号", 3),
    (MOBILITY, "the third one", 3), (MOBILITY, "3rd", 3), (MOBILITY, "second", 2),
    # yes or no followed by words that only repeat or soften it
    (BLEEDING, "是的，有", True), (BLEEDING, "有一点", True), (BLEEDING, "yes, a little", True),
    (BLEEDING, "yes I did", True), (BLEEDING, "没有没有", False), (BLEEDING, "没有呢", False),
    (BLEEDING, "no I haven't", False), (BLEEDING, "not really", False), (BLEEDING, "nah", False),
])
def test_common_ways_of_wrapping_or_placing_an_answer_are_understood(item, text, value):
    parsed = parse(item, text, "zh-CN")
    assert isinstance(parsed, ParsedAnswer), parsed
    assert parsed.value == value


@pytest.mark.parametrize(("item", "text"), [
    # hedges that make a number approximate, negations, and a yes or no with more after it
    (VAS, "大概75"), (VAS, "75左右"), (VAS, "maybe 75"), (MOBILITY, "我不选3"),
    (MOBILITY, "not the third one"), (MOBILITY, "no 3"), (MOBILITY, "我选一个"),
    (BLEEDING, "没有，但是昨天吐血了"), (BLEEDING, "yes but I vomited blood"),
    (BLEEDING, "是的，没有"), (BLEEDING, "没有，有一点"), (BLEEDING, "i have a fever"),
    (BLEEDING, "nobody"), (BLEEDING, "有没有"),
])
def test_hedges_negations_and_mixed_yes_no_stay_not_understood(item, text):
    assert isinstance(parse(item, text, "zh-CN"), ParseError)


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 5), st.sampled_from(["不", "不是", "not ", "never ", "大概", "maybe "]),
       st.sampled_from(["", "选", "我选了", "第", "I choose ", "option "]),
       st.sampled_from(["", "吧", "个", " thanks", " i think"]))
def test_a_negated_or_hedged_answer_is_never_read_as_that_answer(value, negation, before, after):
    parsed = parse(MOBILITY, f"{negation}{before}{value}{after}", "zh-CN")
    assert isinstance(parsed, ParseError), parsed


@pytest.mark.parametrize(("item", "text", "candidates"), [
    (MOBILITY, "2或3", ("2", "3")), (MOBILITY, "2 or 3", ("2", "3")), (MOBILITY, "我选2还是3", ("2", "3")),
    (MOBILITY, "two or three", ("two", "three")), (MOBILITY, "1-2-1-3-2", ("1", "2", "1", "3", "2")),
    (VAS, "70 or 80", ("70", "80")), (VAS, "七十或八十", ("七十", "八十")),
])
def test_a_reply_holding_two_candidate_answers_is_asked_again(item, text, candidates):
    parsed = parse(item, text, "zh-CN")
    assert parsed == ParseError(Problem.AMBIGUOUS, text, candidates)
    again = reprompt(item, "zh-CN", offer_link=False, problem=parsed)
    assert again.startswith(f"您的回复里有{len(candidates)}个答案")


@pytest.mark.parametrize(("item", "text"), [
    (MOBILITY, "not 2"), (MOBILITY, "不是2"), (MOBILITY, "2 days ago"), (MOBILITY, "someone said 2"),
    (VAS, "about seventy"), (VAS, "七五"), (BLEEDING, "yes no"), (BLEEDING, "我选是否"),
    (MOBILITY, "选"), (MOBILITY, "谢谢"),
])
def test_words_around_an_answer_that_change_its_meaning_are_not_understood(item, text):
    parsed = parse(item, text, "zh-CN")
    assert isinstance(parsed, ParseError), parsed


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 100), st.sampled_from(["", "我选", "I choose ", "选"]),
       st.sampled_from(["", "吧", " thanks", "，谢谢", " please"]))
def test_a_wrapped_vas_number_is_read_as_that_number_and_nothing_else(value, before, after):
    parsed = parse(VAS, f"{before}{value}{after}", "zh-CN")
    assert isinstance(parsed, ParsedAnswer) and parsed.value == value


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 5), st.integers(1, 5), st.sampled_from(["或", " or ", "、", " ", "和", "/"]))
def test_two_numbers_are_never_read_as_one(first, second, joiner):
    assume(first != second)  # one answer said twice ("3 3") is that answer
    parsed = parse(MOBILITY, f"{first}{joiner}{second}", "zh-CN")
    assert isinstance(parsed, ParseError) and parsed.problem is Problem.AMBIGUOUS
