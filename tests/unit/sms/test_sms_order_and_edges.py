"""Which questionnaire the chat takes up first, and edges of numbers, ranges and questions."""

from __future__ import annotations

import pytest

from pro_service.instruments.domain.definitions import Item, ResponseType
from pro_service.sms.domain.clarify import Ask, Kind, Outcome, Status, on_silence, question_text
from pro_service.sms.domain.numerals import english_to_int
from pro_service.sms.domain.order import conversation_order
from pro_service.sms.domain.replies import integer_range

# (name, instrument, conversation phase), given oldest first
OPEN = [("a", "EQ5D5L", None), ("b", "SYMPTOMS", None), ("c", "CLDQ", "asking"),
        ("d", "SYMPTOMS", "done"), ("e", "CLDQ", None), ("f", "EQ5D5L", "paused"),
        ("g", "EQ5D5L", "confirming")]


def test_started_questionnaires_come_first_then_symptom_checks_then_the_rest_oldest_first() -> None:
    ordered = conversation_order(OPEN, instrument=lambda o: o[1], phase=lambda o: o[2])
    assert [o[0] for o in ordered] == ["c", "f", "g", "b", "d", "a", "e"]


def test_order_of_nothing_is_nothing() -> None:
    assert conversation_order([], instrument=str, phase=str) == []


@pytest.mark.parametrize(("text", "value"), [("twenty one", 21), ("twenty-nine", 29),
                                             ("ninety nine", 99), ("twenty", 20),
                                             ("twenty zero", None), ("twenty ten", None),
                                             ("a hundred and one", 101)])
def test_english_tens_take_a_unit_from_one_to_nine(text: str, value: int | None) -> None:
    assert english_to_int(text) == value


def _integer(minimum: int | None, maximum: int | None) -> Item:
    return Item("N", {"en": "n"}, {"en": "n"}, ResponseType.INTEGER, minimum=minimum,
                maximum=maximum)


def test_integer_range_defaults_to_the_eq_vas_range() -> None:
    assert integer_range(_integer(None, None)) == (0, 100)
    assert integer_range(_integer(1, 7)) == (1, 7)
    assert integer_range(_integer(5, None)) == (5, 100)
    assert integer_range(_integer(None, 10)) == (0, 10)


def test_silence_on_the_about_participant_question_is_exactly_an_expiry() -> None:
    assert on_silence(Kind.ABOUT_PARTICIPANT, "gi_bleeding") == Outcome(Status.EXPIRED, False)


def test_an_unknown_category_gets_the_general_question() -> None:
    ask = Ask(Kind.SYMPTOM, "unheard_of", "routine")
    assert question_text(ask, "en") == (
        "To be safe: do you have a new symptom that worries you now? Reply 1 yes, 2 no")
    assert question_text(ask, "zh-CN") == "为安全起见：您现在有让您担心的新的不舒服吗？回复 1 有，2 没有"
