"""Urgency rules: self-harm, combinations, infusion, explanations, the safety net."""

from __future__ import annotations

import pytest

from pro_service.safety.detect import detect
from tests.unit.safety.safety_helpers import found


@pytest.mark.parametrize(
    "text",
    [
        "I'm going to kill myself tonight",
        "我现在就想死",
        "想吃药自杀",
        "今晚就跳楼",
        "going to take all my pills tonight",
    ],
)
def test_acute_self_harm_is_an_emergency(text: str) -> None:
    assert found(text)["self_harm"] == "emergency"


@pytest.mark.parametrize(
    "text", ["I want to die", "不想活了", "活着没意思", "thinking about ending it all"]
)
def test_stated_suicidal_ideation_is_an_emergency(text: str) -> None:
    # lexicon.md §3.10: self_harm is E always (issue 7: "urgent at least")
    assert found(text)["self_harm"] == "emergency"


@pytest.mark.parametrize(
    "text", ["sometimes I wish I wouldn't wake up", "不想再拖累孩子们",
             "I just want all of this to be over"]
)
def test_passive_ideation_without_plan_or_time_is_urgent(text: str) -> None:
    # issue 12: passive ideation is urgent; a plan, intent or means is an emergency
    assert found(text)["self_harm"] == "urgent"


def test_negated_self_harm_still_goes_to_routine_review() -> None:
    assert found("没有想不开，放心") == {"self_harm": "routine"}
    assert found("I'm not suicidal, just low")["self_harm"] == "routine"


def test_self_harm_idioms_give_nothing() -> None:
    assert found("想死你了，什么时候回来") == {}
    assert found("this heat is killing me") == {}


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("今天发烧，肚子也疼", "infection"),
        ("肚子胀，还发烧38度", "infection"),
        ("头晕，还拉黑便", "gi_bleeding"),
    ],
)
def test_combinations_raise_urgency(text: str, category: str) -> None:
    assert found(text)[category] == "emergency"


def test_infusion_context_turns_fever_and_rash_into_an_infusion_reaction() -> None:
    assert found("输液后起疹子了") == {"infusion_reaction": "urgent"}
    assert found("昨天输液，今天发烧38度") == {"infusion_reaction": "urgent"}
    assert found("起疹子了") == {"other": "routine"}


def test_breathing_trouble_is_an_emergency_with_or_without_infusion() -> None:
    assert found("输完液胸闷，喘不上气") == {"infusion_reaction": "emergency"}
    assert found("喘不上气") == {"other": "emergency"}


def test_own_harmless_explanation_lowers_a_bleed_to_urgent_never_to_none() -> None:
    assert found("Black stool but I take iron tablets") == {"gi_bleeding": "urgent"}
    assert found("大便发黑，我没吃铁剂也没吃猪血") == {"gi_bleeding": "emergency"}


def test_improving_or_unchanged_is_routine() -> None:
    assert found("眼白有点黄，跟以前一样") == {"jaundice": "routine"}
    assert found("ankles less swollen than last week") == {"ascites": "routine"}


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("maybe a little blood?", "gi_bleeding"),
        ("很难受", "other"),
        ("I feel very unwell", "other"),
        ("肚子一天比一天大", "ascites"),
    ],
)
def test_unclear_mention_errs_towards_a_routine_finding(
    text: str, category: str
) -> None:
    assert found(text).get(category) in {"routine", "urgent", "emergency"}


def test_at_most_one_finding_per_category_keeping_the_most_urgent() -> None:
    findings = detect("有点头晕，早上还晕倒了一次")
    assert [(f.category, f.urgency) for f in findings] == [("syncope", "emergency")]


def test_findings_come_most_urgent_first() -> None:
    findings = detect("眼睛发黄，今天吐血了")
    assert [str(f.category) for f in findings] == ["gi_bleeding", "jaundice"]
