"""Classes of replies as phones and people write them: traditional characters, circled and
keycap digits, sign-offs and greetings, percentages, a number said twice, misspelt number
words; and the near-misses that must stay not understood."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pro_service.sms.domain.replies import ParsedAnswer, ParseError, Problem, parse
from tests.unit.sms.sms_instruments import cldq, eq5d, symptoms
from tests.unit.sms.test_sms_segment_budget import INSTRUMENTS

MOBILITY = eq5d().item("MO")
VAS = eq5d().item("VAS")
CLDQ_ITEM = cldq().items[0]
BLEEDING = symptoms().item("SC_BLEED")
SHIPPED_MO = INSTRUMENTS["EQ5D5L"].item("MO")
SHIPPED_CLDQ = INSTRUMENTS["CLDQ"].items[0]


def _value(item, text, language="zh-CN"):
    parsed = parse(item, text, language)
    assert isinstance(parsed, ParsedAnswer), (text, parsed)
    return parsed.value


@pytest.mark.parametrize(("item", "text", "value"), [
    (MOBILITY, "選3", 3), (MOBILITY, "我選擇三", 3), (MOBILITY, "第三個", 3), (MOBILITY, "貳", 2),
    (MOBILITY, "參", 3), (MOBILITY, "輕微", 2), (MOBILITY, "嚴重", 4), (MOBILITY, "無困難", 1),
    (SHIPPED_MO, "沒有困難", 1), (SHIPPED_CLDQ, "從來沒有", 7), (SHIPPED_CLDQ, "偶爾", 5),
    (SHIPPED_CLDQ, "幾乎沒有", 6), (SHIPPED_CLDQ, "大部分時間", 2), (SHIPPED_CLDQ, "總是", 1),
    (BLEEDING, "沒有", False), (BLEEDING, "對", True), (BLEEDING, "沒有，謝謝", False),
])
def test_traditional_characters_read_like_simplified(item, text, value):
    assert _value(item, text) == value


@pytest.mark.parametrize(("item", "text"), [
    (MOBILITY, "不選3"), (VAS, "大約75"), (BLEEDING, "沒有，但是昨天吐血了"), (BLEEDING, "有沒有"),
])
def test_traditional_hedges_negations_and_reports_stay_not_understood(item, text):
    assert isinstance(parse(item, text, "zh-CN"), ParseError)


@pytest.mark.parametrize(("item", "text", "value"), [
    (MOBILITY, "3️⃣", 3), (MOBILITY, "５️⃣", 5), (MOBILITY, "❸", 3), (MOBILITY, "➂", 3),
    (MOBILITY, "➌", 3), (MOBILITY, "⓷", 3), (MOBILITY, "③", 3), (MOBILITY, "⑶", 3),
    (CLDQ_ITEM, "7️⃣", 7), (MOBILITY, "3❤️", 3), (MOBILITY, "我选❷", 2),
])
def test_circled_and_keycap_digits_are_digits(item, text, value):
    assert _value(item, text) == value


@pytest.mark.parametrize(("item", "text"), [(MOBILITY, "❻"), (MOBILITY, "6️⃣"), (CLDQ_ITEM, "➇")])
def test_a_circled_digit_out_of_range_is_asked_again_as_out_of_range(item, text):
    parsed = parse(item, text, "zh-CN")
    assert isinstance(parsed, ParseError) and parsed.problem is Problem.OUT_OF_RANGE


@pytest.mark.parametrize(("text", "value"), [
    ("No.3", 3), ("no. 3", 3), ("No.2", 2), ("#3", 3), ("(3)", 3), ("【3】", 3), ("3、", 3),
])
def test_a_number_sign_before_the_answer_is_only_a_sign(text, value):
    assert _value(MOBILITY, text, "en") == value


@pytest.mark.parametrize("text", ["no 3", "NO3", "~3", "≈3", "～3", "~75"])
def test_no_without_its_dot_and_a_leading_tilde_are_not_taken(text):
    item = VAS if text.endswith("75") else MOBILITY
    assert isinstance(parse(item, text, "en"), ParseError)


@pytest.mark.parametrize(("text", "value"), [
    ("3，谢谢医生", 3), ("3 谢谢你们", 3), ("3，麻烦了", 3), ("3，辛苦了", 3), ("3，祝好", 3),
    ("3 感谢", 3), ("3喔", 3), ("3咯", 3), ("谢谢，3", 3), ("您好，3", 3), ("医生好，3", 3),
    ("护士您好，三", 3), ("那个，三", 3), ("收到，3", 3), ("3,thx", 3), ("3 thank u", 3),
    ("3 pls", 3), ("3 plz", 3), ("3 cheers", 3), ("Hi, 3", 3), ("hello 3", 3), ("Hi 3 thanks", 3),
    ("3, thanks doctor", 3), ("3 thank you so much", 3), ("3 ok", 3),
])
def test_greetings_and_sign_offs_around_an_answer_are_taken_off(text, value):
    assert _value(MOBILITY, text) == value


@pytest.mark.parametrize("text", [
    "您好，不选3", "3，谢谢，不对是4", "hi, not 3", "hello 3 or 4", "thanks, maybe 3", "3 or so thanks",
])
def test_a_sign_off_does_not_hide_a_hedge_negation_or_second_answer(text):
    assert isinstance(parse(MOBILITY, text, "zh-CN"), ParseError)


@pytest.mark.parametrize(("text", "value"), [
    ("百分之七十五", 75), ("百分之75", 75), ("百分之八十", 80), ("百分之百", 100), ("百分百", 100),
    ("满分", 100), ("75%", 75), ("75 percent", 75), ("75 per cent", 75), ("75pts", 75),
    ("75 pts", 75), ("80%吧", 80), ("就七十吧", 70),
])
def test_a_vas_score_as_a_percentage_or_full_marks_is_that_number(text, value):
    assert _value(VAS, text) == value


@pytest.mark.parametrize(("text", "problem"), [
    ("百分之一百五", Problem.OUT_OF_RANGE), ("110%", Problem.OUT_OF_RANGE),
    ("大概百分之八十", Problem.NOT_UNDERSTOOD), ("百分之七八十", Problem.NOT_UNDERSTOOD),
])
def test_a_percentage_out_of_range_or_hedged_is_asked_again(text, problem):
    parsed = parse(VAS, text, "zh-CN")
    assert isinstance(parsed, ParseError) and parsed.problem is problem, parsed


@pytest.mark.parametrize(("item", "text", "value"), [
    (MOBILITY, "3 3", 3), (MOBILITY, "3，3", 3), (MOBILITY, "三，三。", 3), (MOBILITY, "1 1 1", 1),
    (VAS, "75 75", 75), (VAS, "七十五，七十五", 75),
])
def test_one_answer_said_twice_is_that_answer(item, text, value):
    assert _value(item, text) == value


@pytest.mark.parametrize(("item", "text"), [
    (MOBILITY, "3 4"), (MOBILITY, "3-3"), (MOBILITY, "3或3"), (MOBILITY, "33"), (VAS, "健康 -5"),
    (MOBILITY, "3 三 4"), (VAS, "75 57"),
])
def test_different_numbers_or_joined_numbers_are_not_one_answer_said_twice(item, text):
    assert isinstance(parse(item, text, "zh-CN"), ParseError)


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 5), st.sampled_from([" ", "，", "。", "、", ", "]), st.integers(2, 3))
def test_any_answer_repeated_with_spaces_or_commas_is_read_once(value, separator, times):
    assert _value(MOBILITY, separator.join([str(value)] * times)) == value


@pytest.mark.parametrize(("item", "text", "value"), [
    (MOBILITY, "thre", 3), (MOBILITY, "fiv", 5), (MOBILITY, "fuor", 4), (CLDQ_ITEM, "sevn", 7),
    (VAS, "seventy fiv", 75), (VAS, "fourty", 40), (VAS, "ninty five", 95), (MOBILITY, "仨", 3),
    (MOBILITY, "俩", 2),
])
def test_misspelt_number_words_and_spoken_numerals_are_read(item, text, value):
    assert _value(item, text, "en") == value


@pytest.mark.parametrize(("item", "text"), [
    (MOBILITY, "tree"), (MOBILITY, "for"), (MOBILITY, "to"), (MOBILITY, "too"), (VAS, "fourty or fifty"),
])
def test_words_that_only_sound_like_numbers_are_not_read(item, text):
    assert isinstance(parse(item, text, "en"), ParseError)


@pytest.mark.parametrize(("text", "value"), [
    ("是滴", True), ("是哒", True), ("是啊", True), ("对呀", True), ("ya", True), ("yah", True),
    ("yesss", True), ("Yeahh", True), ("yepp", True), ("木有", False), ("没得", False), ("冇", False),
    ("都没有", False), ("完全没有", False), ("也没有", False), ("都没", False), ("nil", False),
    ("noo", False), ("NOOO", False), ("nopee", False), ("nahh", False), ("木有，谢谢", False),
    ("您好，没有", False), ("没有，谢谢医生", False),
])
def test_spoken_dialect_and_drawn_out_yes_or_no_is_read(text, value):
    assert _value(BLEEDING, text) == value


@pytest.mark.parametrize("text", [
    "木有，但是昨天吐血了", "yesss but black stools", "noo yes", "没得，有一点", "没有出血但是黑便",
    "not", "nono yes", "yesno", "nose", "yellow", "nobody", "都有",
])
def test_a_drawn_out_or_dialect_answer_with_a_report_or_its_opposite_is_not_taken(text):
    assert isinstance(parse(BLEEDING, text, "zh-CN"), ParseError)


@pytest.mark.parametrize(("item", "text", "value"), [
    (MOBILITY, "3[微笑]", 3), (MOBILITY, "[玫瑰]3", 3), (MOBILITY, "[抱拳][抱拳]3", 3),
    (MOBILITY, "3 [握手]", 3), (BLEEDING, "没有[微笑]", False), (BLEEDING, "[OK]没有", False),
])
def test_chat_stickers_written_as_text_around_an_answer_are_left_out(item, text, value):
    assert _value(item, text) == value


@pytest.mark.parametrize(("item", "text"), [
    (MOBILITY, "3[生病]"), (MOBILITY, "[微笑]3[流泪]4"), (BLEEDING, "没有[吐血]"),
    (MOBILITY, "[微笑]"), (MOBILITY, "3[微笑]4"),
])
def test_other_bracketed_words_and_stickers_between_answers_are_not_left_out(item, text):
    assert isinstance(parse(item, text, "zh-CN"), ParseError)


@pytest.mark.parametrize(("item", "text", "language", "code"), [
    ("MO", "有一点", "zh-CN", 2), ("MO", "有点儿", "zh-CN", 2), ("SC", "一点点", "zh-CN", 2),
    ("UA", "稍微有点困难", "zh-CN", 2), ("MO", "都没有", "zh-CN", 1), ("SC", "一点也没有", "zh-CN", 1),
    ("MO", "无", "zh-CN", 1), ("PD", "重度", "zh-CN", 4), ("MO", "做不到", "zh-CN", 5),
    ("MO", "走不了", "zh-CN", 5), ("MO", "a little bit", "en", 2), ("AD", "little", "en", 2),
    ("UA", "medium", "en", 3), ("SC", "can not", "en", 5), ("MO", "cant", "en", 5),
    ("MO", "none at all", "en", 1), ("PD", "extreme problem", "en", 5), ("MO", "very difficult", "en", 4),
    ("CLDQ01", "老是", "zh-CN", 1), ("CLDQ01", "从来没有过", "zh-CN", 7), ("CLDQ01", "一次都没有", "zh-CN", 7),
    ("CLDQ01", "some times", "en", 4), ("CLDQ01", "never ever", "en", 7), ("CLDQ01", "hardly", "en", 6),
])
def test_more_everyday_names_of_a_level_are_understood(item, text, language, code):
    instrument = INSTRUMENTS["EQ5D5L"] if item in {"MO", "SC", "UA", "PD", "AD"} else INSTRUMENTS["CLDQ"]
    assert _value(instrument.item(item), text, language) == code


@pytest.mark.parametrize(("item", "text"), [
    ("MO", "一般"), ("MO", "不太好"), ("PD", "很严重"), ("MO", "有困难"), ("MO", "extreme"),
    ("MO", "2 做不到"), ("MO", "有一点 4"), ("CLDQ01", "没有"), ("CLDQ01", "不经常"),
])
def test_words_that_fit_no_level_or_two_levels_stay_not_understood(item, text):
    instrument = INSTRUMENTS["EQ5D5L"] if item in {"MO", "SC", "UA", "PD", "AD"} else INSTRUMENTS["CLDQ"]
    assert isinstance(parse(instrument.item(item), text, "zh-CN"), ParseError)


@pytest.mark.parametrize(("text", "value"), [
    ("对对对", True), ("有有有", True), ("是是是", True), ("没有没有没有", False), ("没有，没有", False),
    ("no no no", False), ("yes yes", True), ("沒有沒有", False),
])
def test_a_yes_or_no_said_again_and_again_is_said_once(text, value):
    assert _value(BLEEDING, text) == value


@pytest.mark.parametrize("text", ["有没有有", "对不对", "是是不是", "nonono yes", "没有有"])
def test_a_repetition_that_mixes_yes_and_no_is_not_taken(text):
    assert isinstance(parse(BLEEDING, text, "zh-CN"), ParseError)


@pytest.mark.parametrize("text", ["现在没有了", "现在没有", "目前没有", "今天没有", "no right now",
                                  "not at the moment", "today no", "now yes"])
def test_a_symptom_yes_or_no_only_about_now_is_asked_again(text):
    # the symptom items ask about the time since the last check-in, not about today
    assert isinstance(parse(BLEEDING, text, "zh-CN"), ParseError)


@pytest.mark.parametrize(("item", "text", "value"), [
    (MOBILITY, "今天3", 3), (MOBILITY, "现在是2", 2), (VAS, "today 80", 80), (VAS, "80 right now", 80),
    (MOBILITY, "二号", 2), (MOBILITY, "三号", 3), (MOBILITY, "第二项", 2),
])
def test_an_eq5d_answer_about_today_or_named_by_its_number_is_taken(item, text, value):
    assert _value(item, text) == value


@pytest.mark.parametrize(("item", "text", "value"), [
    ("MO", "行动 2", 2), ("MO", "行动：2", 2), ("MO", "mobility: 2", 2), ("PD", "疼痛3", 3),
    ("PD", "pain 3", 3), ("PD", "疼痛严重", 4), ("VAS", "健康 80", 80), ("SC_BLEED", "呕血黑便：没有", False),
    ("SC_BLEED", "bleeding no", False), ("MO", "回复3", 3), ("MO", "reply 3", 3),
])
def test_the_item_s_own_name_before_the_answer_is_left_out(item, text, value):
    instrument = INSTRUMENTS["SYMPTOMS"] if item.startswith("SC_") else INSTRUMENTS["EQ5D5L"]
    assert _value(instrument.item(item), text) == value


@pytest.mark.parametrize(("item", "text"), [
    ("MO", "疼痛 2"), ("MO", "pain 2"), ("PD", "painful 3"), ("MO", "行动 2 3"), ("MO", "行动"),
    ("SC_BLEED", "bleeding yes a lot"), ("SC_BLEED", "发烧没有"), ("VAS", "健康 大概80"),
])
def test_another_item_s_name_or_more_than_an_answer_after_the_name_is_not_taken(item, text):
    instrument = INSTRUMENTS["SYMPTOMS"] if item.startswith("SC_") else INSTRUMENTS["EQ5D5L"]
    assert isinstance(parse(instrument.item(item), text, "zh-CN"), ParseError)


_HEDGES = ["大概", "大约", "约", "可能", "也许", "估计", "差不多", "不", "不是", "不选", "about ", "maybe ",
           "probably ", "not ", "never ", "~"]
_FORMS = {
    "MO": lambda n: [str(n), "①②③④⑤"[n - 1], f"{n}\ufe0f\u20e3", "一二三四五"[n - 1],
                         ["one", "two", "three", "four", "five"][n - 1], f"第{n}个", f"No.{n}"],
    "VAS": lambda n: [str(n), f"{n}分", f"{n}%", f"百分之{n}"],
}


@settings(max_examples=400, deadline=None)
@given(st.sampled_from([MOBILITY, VAS]), st.integers(1, 5), st.sampled_from(_HEDGES),
       st.integers(0, 6), st.sampled_from(["", "您好，", "hi ", "[微笑]", "選"]),
       st.sampled_from(["", "，谢谢医生", " thx", "[抱拳]", "吧", " pls"]))
def test_any_hedge_or_negation_around_any_form_of_an_answer_is_never_taken(
        item, value, hedge, form, before, after):
    forms = _FORMS[item.id](value * (20 if item is VAS else 1))
    text = f"{before}{hedge}{forms[form % len(forms)]}{after}"
    assert isinstance(parse(item, text, "zh-CN"), ParseError), text


@settings(max_examples=400, deadline=None)
@given(st.sampled_from([MOBILITY, VAS]), st.integers(1, 5), st.integers(0, 6),
       st.sampled_from(["", "您好，", "hi ", "[微笑]", "選", "医生好，", "嗯嗯，", "回复"]),
       st.sampled_from(["", "，谢谢医生", " thx", "[抱拳]", "吧", " pls", "。", " 🙏", "，辛苦了"]))
def test_any_greeting_sign_off_or_sticker_around_any_form_of_an_answer_keeps_it(
        item, value, form, before, after):
    number = value * (20 if item is VAS else 1)
    forms = _FORMS[item.id](number)
    text = f"{before}{forms[form % len(forms)]}{after}"
    assert _value(item, text) == number


@pytest.mark.parametrize(("item", "text", "value"), [
    (BLEEDING, "有哇", True), (BLEEDING, "没有嘞", False), (BLEEDING, "不是滴", False),
    (BLEEDING, "是得", True), (BLEEDING, "对得", True), (BLEEDING, "没有哟", False),
    (BLEEDING, "meiyou", False), (BLEEDING, "mei you", False), (BLEEDING, "shide", True),
    (BLEEDING, "bushi", False), (MOBILITY, "三哇", 3), (VAS, "八十嘞", 80),
])
def test_more_sentence_particles_and_pinyin_yes_or_no_are_read(item, text, value):
    assert _value(item, text) == value


@pytest.mark.parametrize(("item", "text"), [
    (BLEEDING, "you"), (BLEEDING, "shi"), (BLEEDING, "meiyou dan shi tu xue"), (VAS, "75+"),
    (MOBILITY, "3+"), (VAS, "75以上"), (VAS, "至少75"),
])
def test_a_bare_pinyin_syllable_a_pinyin_report_and_at_least_a_number_are_not_taken(item, text):
    assert isinstance(parse(item, text, "zh-CN"), ParseError)


OTHER = symptoms().item("SC_OTHER")


@pytest.mark.parametrize("text", ["没有，谢谢", "暂时没有", "没有其他", "nothing else", "no thanks", "nope",
                                  "没事", "没有 谢谢医生", "沒有了", "一切正常"])
def test_a_plain_no_to_anything_else_is_nothing_to_add(text):
    parsed = parse(OTHER, text, "zh-CN")
    assert isinstance(parsed, ParsedAnswer) and parsed.value is None, parsed


@pytest.mark.parametrize("text", ["没有，但是头晕", "没有发烧", "no, but dizzy", "现在没有了", "头晕"])
def test_a_no_with_a_report_is_kept_as_the_participant_s_words(text):
    parsed = parse(OTHER, text, "zh-CN")
    assert isinstance(parsed, ParsedAnswer) and parsed.value == text


@pytest.mark.parametrize(("item", "text", "value"), [
    (MOBILITY, "three moderate", 3), (SHIPPED_CLDQ, "seven never", 7), (MOBILITY, "choice 3", 3),
    (MOBILITY, "my choice: 3", 3), (MOBILITY, "I go for 3", 3), (MOBILITY, "opt 3", 3),
    (MOBILITY, "lvl 3", 3), (MOBILITY, "I'll take 3", 3),
])
def test_more_english_ways_of_giving_an_option_are_understood(item, text, value):
    assert _value(item, text, "en") == value


@pytest.mark.parametrize("text", ["two severe", "someone", "choice 3 or 4", "I go for maybe 3"])
def test_english_words_that_change_or_double_the_option_are_not_taken(text):
    assert isinstance(parse(MOBILITY, text, "en"), ParseError)


@pytest.mark.parametrize("text", ["5 5", "7 7", "五 五", "9，9"])
def test_a_single_digit_said_twice_on_the_vas_may_be_a_split_number_and_is_asked_again(text):
    parsed = parse(VAS, text, "zh-CN")
    assert isinstance(parsed, ParseError) and parsed.problem is Problem.AMBIGUOUS
