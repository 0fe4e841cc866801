"""Option words of the shipped questionnaires: common ways of naming a level are understood,
and no word names two options of one item."""

from __future__ import annotations

import pytest

from pro_service.sms.domain.normalise import normalise
from pro_service.sms.domain.replies import ParsedAnswer, ParseError, Problem, parse
from tests.unit.sms.test_sms_segment_budget import INSTRUMENTS

EQ5D, CLDQ = INSTRUMENTS["EQ5D5L"], INSTRUMENTS["CLDQ"]


@pytest.mark.parametrize(("item", "text", "language", "code"), [
    ("MO", "slight problems", "en", 2), ("MO", "I have slight problems", "en", 2),
    ("MO", "no problems at all", "en", 1), ("MO", "轻微困难", "zh-CN", 2),
    ("MO", "我有轻微困难", "zh-CN", 2), ("SC", "有一点困难", "zh-CN", 2),
    ("UA", "severe difficulty", "en", 4), ("UA", "做不了", "zh-CN", 5),
    ("PD", "extremely", "en", 5), ("AD", "a little", "en", 2),
    ("CLDQ01", "some of the time", "en", 4), ("CLDQ01", "most of the time", "en", 2),
    ("CLDQ01", "not at all", "en", 7), ("CLDQ01", "有些时候", "zh-CN", 4),
    ("CLDQ01", "我选大部分时间", "zh-CN", 2),
])
def test_common_names_of_a_level_are_understood(item, text, language, code):
    instrument = EQ5D if item in {i.id for i in EQ5D.items} else CLDQ
    parsed = parse(instrument.item(item), text, language)
    assert isinstance(parsed, ParsedAnswer), parsed
    assert parsed.value == code


@pytest.mark.parametrize("code", sorted(INSTRUMENTS))
def test_no_word_names_two_options_of_one_item(code):
    for item in INSTRUMENTS[code].items:
        named: dict[str, int] = {}
        for choice in item.choices:
            for language, label in choice.label.items():
                for word in (label, *choice.words.get(language, ())):
                    folded = normalise(word)
                    assert named.setdefault(folded, choice.code) == choice.code, (item.id, word)


@pytest.mark.parametrize(("item", "text", "language", "code"), [
    ("MO", "2 轻微困难", "zh-CN", 2), ("MO", "2.有点困难", "zh-CN", 2), ("MO", "slight (2)", "en", 2),
    ("MO", "2 走动有一点困难", "zh-CN", 2), ("MO", "2. Slight difficulty walking about", "en", 2),
    ("CLDQ01", "4有时", "zh-CN", 4), ("CLDQ01", "一直 1", "zh-CN", 1),
])
def test_an_option_named_by_its_number_and_its_words_is_understood(item, text, language, code):
    instrument = EQ5D if item in {i.id for i in EQ5D.items} else CLDQ
    parsed = parse(instrument.item(item), text, language)
    assert isinstance(parsed, ParsedAnswer), parsed
    assert parsed.value == code


@pytest.mark.parametrize(("text", "language", "candidates"), [
    ("2 severe", "en", ("2", "severe")), ("严重 2", "zh-CN", ("2", "严重")),
])
def test_a_number_and_words_naming_two_options_are_asked_again(text, language, candidates):
    parsed = parse(EQ5D.item("MO"), text, language)
    assert parsed == ParseError(Problem.AMBIGUOUS, text, candidates)
