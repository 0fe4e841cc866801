"""Every reply form the chatbot accepts, and the replies it refuses."""

from __future__ import annotations

import pytest

from pro_service.instruments.domain.definitions import Item
from pro_service.sms.domain.numerals import chinese_to_int
from pro_service.sms.domain.replies import How, ParsedAnswer, ParseError, Problem, parse
from tests.unit.sms.sms_instruments import cldq, eq5d, symptoms

MOBILITY = eq5d().item("MO")
VAS = eq5d().item("VAS")
CLDQ_ITEM = cldq().items[0]
BLEEDING = symptoms().item("SC_BLEED")
OTHER = symptoms().item("SC_OTHER")


def _answer(item: Item, text: str, language: str = "zh-CN") -> ParsedAnswer:
    parsed = parse(item, text, language)
    assert isinstance(parsed, ParsedAnswer), parsed
    return parsed


@pytest.mark.parametrize(
    ("text", "value", "how"),
    [
        ("1", 1, How.DIGIT),
        ("5", 5, How.DIGIT),
        (" 3 ", 3, How.DIGIT),
        ("3.", 3, How.DIGIT),
        ("3。", 3, How.DIGIT),
        ("１", 1, How.FULLWIDTH_DIGIT),
        ("５", 5, How.FULLWIDTH_DIGIT),
        ("一", 1, How.CHINESE_NUMERAL),
        ("三", 3, How.CHINESE_NUMERAL),
        ("五", 5, How.CHINESE_NUMERAL),
        ("叁", 3, How.CHINESE_NUMERAL),
        ("两", 2, How.CHINESE_NUMERAL),
        ("无困难", 1, How.OPTION_WORD),
        ("中度", 3, How.OPTION_WORD),
        ("我无法", 5, How.OPTION_WORD),
        ("Moderate", 3, How.OPTION_WORD),
        ("ＳＬＩＧＨＴ", 2, How.OPTION_WORD),
        ("I have severe", 4, How.OPTION_WORD),
    ],
)
def test_choice_item_accepts_codes_numerals_and_option_words(
    text: str, value: int, how: How
) -> None:
    parsed = _answer(MOBILITY, text)
    assert (parsed.value, parsed.how, parsed.raw) == (value, how, text)


@pytest.mark.parametrize(
    ("text", "value", "how"),
    [
        ("7", 7, How.DIGIT),
        ("七", 7, How.CHINESE_NUMERAL),
        ("柒", 7, How.CHINESE_NUMERAL),
        ("3分", 3, How.OPTION_WORD),
        ("6 分", 6, How.DIGIT),
        ("score 4", 4, How.OPTION_WORD),
    ],
)
def test_seven_point_item_accepts_one_to_seven(text: str, value: int, how: How) -> None:
    parsed = _answer(CLDQ_ITEM, text)
    assert (parsed.value, parsed.how) == (value, how)


@pytest.mark.parametrize(
    ("item", "text", "problem"),
    [
        (MOBILITY, "0", Problem.OUT_OF_RANGE),
        (MOBILITY, "6", Problem.OUT_OF_RANGE),
        (MOBILITY, "６", Problem.OUT_OF_RANGE),
        (MOBILITY, "六", Problem.OUT_OF_RANGE),
        (MOBILITY, "12", Problem.OUT_OF_RANGE),
        (MOBILITY, "2.5", Problem.NOT_UNDERSTOOD),
        (MOBILITY, "1-2-1-3-2", Problem.AMBIGUOUS),
        (MOBILITY, "very bad", Problem.NOT_UNDERSTOOD),
        (MOBILITY, "", Problem.EMPTY),
        (MOBILITY, " 。", Problem.EMPTY),
        (CLDQ_ITEM, "8", Problem.OUT_OF_RANGE),
        (CLDQ_ITEM, "八", Problem.OUT_OF_RANGE),
    ],
)
def test_choice_item_rejects_other_replies(
    item: Item, text: str, problem: Problem
) -> None:
    parsed = parse(item, text, "zh-CN")
    assert isinstance(parsed, ParseError) and (parsed.problem, parsed.raw) == (problem, text)


@pytest.mark.parametrize(
    ("text", "value", "how"),
    [
        ("0", 0, How.DIGIT),
        ("70", 70, How.DIGIT),
        ("100", 100, How.DIGIT),
        ("070", 70, How.DIGIT),
        ("70分", 70, How.DIGIT),
        ("７０", 70, How.FULLWIDTH_DIGIT),
        ("１００", 100, How.FULLWIDTH_DIGIT),
        ("七十", 70, How.CHINESE_NUMERAL),
        ("七十五", 75, How.CHINESE_NUMERAL),
        ("十五", 15, How.CHINESE_NUMERAL),
        ("一百", 100, How.CHINESE_NUMERAL),
        ("零", 0, How.CHINESE_NUMERAL),
        ("八十分", 80, How.CHINESE_NUMERAL),
        ("seventy", 70, How.ENGLISH_NUMBER),
        ("Seventy-five", 75, How.ENGLISH_NUMBER),
    ],
)
def test_vas_accepts_whole_numbers_from_0_to_100(
    text: str, value: int, how: How
) -> None:
    parsed = _answer(VAS, text)
    assert (parsed.value, parsed.how) == (value, how)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("101", Problem.OUT_OF_RANGE),
        ("-1", Problem.OUT_OF_RANGE),
        ("一百零一", Problem.OUT_OF_RANGE),
        ("7.5", Problem.NOT_UNDERSTOOD),
        ("about seventy", Problem.NOT_UNDERSTOOD),
        ("七五", Problem.NOT_UNDERSTOOD),
        ("", Problem.EMPTY),
    ],
)
def test_vas_rejects_out_of_range_and_non_integers(text: str, problem: Problem) -> None:
    assert parse(VAS, text, "en") == ParseError(problem, text)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("是", True),
        ("有", True),
        ("对", True),
        ("是的", True),
        ("y", True),
        ("Y", True),
        ("yes", True),
        ("YES", True),
        ("Ｙｅｓ", True),
        ("yes!", True),
        ("否", False),
        ("没有", False),
        ("无", False),
        ("不是", False),
        ("n", False),
        ("N", False),
        ("no", False),
        ("NO.", False),
        ("ｎｏ", False),
    ],
)
def test_yes_no_item_accepts_yes_and_no_words(text: str, value: bool) -> None:
    parsed = _answer(BLEEDING, text)
    assert (parsed.value, parsed.how) == (value, How.YES_NO_WORD)


@pytest.mark.parametrize("text", ["1", "2", "maybe", "不知道", "", "yes no"])
def test_yes_no_item_rejects_anything_else(text: str) -> None:
    assert isinstance(parse(BLEEDING, text, "en"), ParseError)


@pytest.mark.parametrize(
    "text", ["无", "没有", "no", "None", "NONE.", "nothing", "n/a"]
)
def test_free_text_nothing_to_add_has_no_value(text: str) -> None:
    parsed = _answer(OTHER, text)
    assert (parsed.value, parsed.how) == (None, How.NOTHING_TO_ADD)


def test_free_text_keeps_the_participant_words() -> None:
    parsed = _answer(OTHER, "  最近有点头晕  ")
    assert (parsed.value, parsed.how, parsed.raw) == (
        "最近有点头晕",
        How.FREE_TEXT,
        "  最近有点头晕  ",
    )


def test_free_text_must_not_be_empty() -> None:
    assert parse(OTHER, "   ", "en") == ParseError(Problem.EMPTY, "   ")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("七", 7),
        ("十", 10),
        ("十五", 15),
        ("二十", 20),
        ("七十五", 75),
        ("一百", 100),
        ("一百零五", 105),
        ("柒拾", 70),
        ("〇", 0),
    ],
)
def test_chinese_numerals_are_read(text: str, value: int) -> None:
    assert chinese_to_int(text) == value


@pytest.mark.parametrize(
    "text", ["", "七五", "百", "十十", "一百十", "零十", "abc", "一千"]
)
def test_malformed_chinese_numerals_are_refused(text: str) -> None:
    assert chinese_to_int(text) is None
