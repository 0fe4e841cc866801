"""Rules of `detect._assess` shown on short messages: rule 5 of §5.4 (a removal that may
not cover a mention), negation-shaped symptoms, other people, resolution and long spells."""

from __future__ import annotations

import re

import pytest

from pro_service.safety.detect import detect
from pro_service.safety.domain.lexicon import Category, Urgency
from pro_service.safety.domain.prefilter import literals
from tests.unit.safety.test_safety_mention_rules import E, GI, OTHER, U, found, lexicon, term


def _found(text: str) -> list[tuple[Category, Urgency, bool]]:
    return [(f.category, f.urgency, f.other_person) for f in detect(text)]


def test_a_negation_heading_a_long_list_keeps_an_emergency_at_its_end_as_urgent() -> None:
    # §5.4 rule 5: the fourth symptom after one "没有" may not be covered by it
    assert _found("没有发烧、腹胀、黄疸、呕血") == [(Category.GI_BLEEDING, Urgency.URGENT, False)]


def test_a_negation_heading_a_long_list_still_removes_a_less_urgent_symptom() -> None:
    assert _found("没有发烧、腹胀、黄疸、尿少") == []


def test_a_negation_shaped_symptom_stays_under_a_negation() -> None:
    assert _found("不是叫不醒") == [(Category.ENCEPHALOPATHY, Urgency.EMERGENCY, False)]
    assert _found("他不是叫不醒") == [(Category.ENCEPHALOPATHY, Urgency.EMERGENCY, True)]


def test_someone_else_s_negated_symptom_is_dropped() -> None:
    assert _found("他没有吐血") == []
    assert _found("我妈妈吐血了") == [(Category.GI_BLEEDING, Urgency.EMERGENCY, True)]


def test_self_harm_about_he_or_she_is_kept_and_marked() -> None:
    assert _found("他不想活了") == [(Category.SELF_HARM, Urgency.URGENT, True)]


def test_a_resolved_lesser_bleed_is_kept_as_routine() -> None:
    # lexicon.json resolution_keeps: bleeding can come back
    assert _found("痔疮出血已经好了") == [(Category.GI_BLEEDING, Urgency.ROUTINE, False)]


def test_a_long_spell_raises_only_a_low_urine_mention_with_its_own_negation() -> None:
    assert _found("一整天尿不出来") == [(Category.RENAL, Urgency.EMERGENCY, False)]
    # "没有" later in the message is not part of the mention
    assert _found("尿很少，已经一整天了，没有疼") == [(Category.RENAL, Urgency.URGENT, False)]


def test_an_equally_urgent_longer_mention_of_another_category_hides_nothing() -> None:
    lex = lexicon(term("bleed", "abcd", GI, U), term("sick", "bc", OTHER, U))
    assert found("abcd", lex) == [("bleed", 0, 4), ("sick", 1, 3)]
    more = lexicon(term("bleed", "abcd", GI, E), term("sick", "bc", OTHER, U))
    assert found("abcd", more) == [("bleed", 0, 4)]


def test_literals_read_a_pattern_with_its_own_flags() -> None:
    assert literals(re.compile("ab c", re.VERBOSE)) == frozenset({"abc"})


@pytest.mark.parametrize("text", ["你好", "hello"])
def test_a_message_without_symptoms_finds_nothing(text: str) -> None:
    assert _found(text) == []
