"""Negation scopes (NegEx style): pre- and post-negation, termination terms, lists."""

from __future__ import annotations

import pytest

from tests.unit.safety.safety_helpers import found


@pytest.mark.parametrize(
    "text",
    [
        "no bleeding this week",
        "denies confusion",
        "I haven't had any black stools since the last visit",
        "No fever, chills or black stool",
        "no swelling in legs or belly",
        "haven't fainted or felt dizzy",
    ],
)
def test_english_negation_removes_the_finding(text: str) -> None:
    assert found(text) == {}


@pytest.mark.parametrize(
    "text",
    [
        "这周没有出血",
        "没有黑便",
        "无发热",
        "未见呕血",
        "不发烧了",
        "没有黑便、呕血或发烧",
        "这几天都没有出现过黑便",
    ],
)
def test_chinese_negation_removes_the_finding(text: str) -> None:
    assert found(text) == {}


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("no fever but vomiting blood", "gi_bleeding"),
        ("没有发烧，但是拉黑便了", "gi_bleeding"),
        ("不发烧了，不过肚子还是胀", "ascites"),
        ("no black stool, however my eyes are yellow", "jaundice"),
        ("没有吐血，就是有点头晕", "syncope"),
        ("No confusion just very sleepy", "encephalopathy"),
    ],
)
def test_termination_term_ends_the_negation(text: str, category: str) -> None:
    assert list(found(text)) == [category]


def test_english_comma_without_a_list_ends_the_negation() -> None:
    assert found("no fever, vomiting blood since this morning") == {
        "gi_bleeding": "emergency"
    }


def test_chinese_comma_ends_the_negation() -> None:
    assert found("没有发烧，拉黑便了") == {"gi_bleeding": "emergency"}


def test_negator_inside_the_symptom_is_not_a_negation() -> None:
    assert found("喘不上气")["other"] == "emergency"
    assert found("I can't breathe properly")["other"] == "emergency"
    assert found("尿不出来") == {"renal": "urgent"}


def test_a_negated_negator_symptom_is_negated() -> None:
    assert found("身体还行，没什么不舒服") == {}


@pytest.mark.parametrize(
    "text", ["烧退了", "the fever is gone now", "头晕已经好了", "腿肿好多了，基本消了"]
)
def test_resolved_low_tier_symptom_gives_nothing(text: str) -> None:
    assert found(text) == {}


def test_resolved_bleed_is_kept_for_assessment() -> None:
    assert found("吐血止住了") == {"gi_bleeding": "urgent"}
    assert found("昨天拉黑便，今天正常了") == {"gi_bleeding": "emergency"}
