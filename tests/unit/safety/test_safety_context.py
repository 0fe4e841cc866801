"""ConText cues: hypotheticals, other people, proxies and history."""

from __future__ import annotations

import pytest

from pro_service.safety.detect import detect
from tests.unit.safety.safety_helpers import found


@pytest.mark.parametrize(
    "text",
    [
        "what if I vomit blood?",
        "Should I worry about black stools?",
        "If I see blood in my stool should I go to the ER?",
        "如果吐血怎么办",
        "万一拉黑便了要怎么处理？",
        "要是眼睛发黄的话需要复查吗",
        "肝硬化会吐血吗？",
        "the leaflet says cirrhosis can cause vomiting blood",
        "医生说拉黑便要马上来医院",
    ],
)
def test_hypothetical_or_general_mention_gives_nothing(text: str) -> None:
    assert found(text) == {}


def test_first_person_question_about_a_current_symptom_is_affirmed() -> None:
    assert found("Is it normal that my stool is black?") == {"gi_bleeding": "emergency"}
    assert found("我大便黑是不是出血了？") == {"gi_bleeding": "emergency"}


@pytest.mark.parametrize(
    "text",
    [
        "my neighbour had black stool",
        "隔壁床的病友吐血了，好吓人",
        "my son has a fever so I can't come",
        "my father had black stool, I'm fine",
    ],
)
def test_someone_elses_symptom_gives_nothing(text: str) -> None:
    assert found(text) == {}


@pytest.mark.parametrize("text", ["my father had black stool", "我爸爸拉黑便"])
def test_a_relatives_red_flag_is_kept_and_marked_as_maybe_someone_else(
    text: str,
) -> None:
    # issue 12: a caregiver may be texting from the participant's phone
    [finding] = detect(text)
    assert str(finding.category) == "gi_bleeding"
    assert finding.other_person


def test_relative_reporting_on_the_participant_is_affirmed() -> None:
    assert found("我老伴说我晚上老说胡话") == {"encephalopathy": "emergency"}
    assert found("my wife says I'm slurring my words") == {
        "encephalopathy": "emergency"
    }


def test_proxy_texting_for_the_participant_is_affirmed() -> None:
    assert found("我是他儿子，替我爸发的：他今天拉黑便") == {"gi_bleeding": "emergency"}
    assert found("writing for my mum, she's very confused today") == {
        "encephalopathy": "emergency"
    }


@pytest.mark.parametrize(
    "text",
    [
        "I had a bleed two years ago, fine now",
        "去年吐过血，现在好了",
        "入组前胃出血过一次",
        "History of variceal bleeding in 2019, banded",
        "swelling of the ankle after a sprain months ago, all fine now",
    ],
)
def test_long_past_mention_gives_nothing(text: str) -> None:
    assert found(text) == {}


def test_a_new_now_ends_the_history_scope() -> None:
    assert found("以前吐过血，今天又吐血了") == {"gi_bleeding": "emergency"}


def test_event_after_enrolment_with_a_hospital_stay_is_urgent() -> None:
    assert found("上周吐血住院了，现在出院了") == {"gi_bleeding": "urgent"}


@pytest.mark.parametrize(
    "text",
    [
        "今天去抽血了",
        "血压有点高",
        "Had black tea with breakfast",
        "blood test results came back ok",
        "那家店东西贵到吐血",
        "把那个推销电话拉黑了",
        "坐车晕车了",
        "我被时间表搞糊涂了",
        "I'm confused about which day to come in",
    ],
)
def test_false_friends_give_nothing(text: str) -> None:
    assert found(text) == {}


@pytest.mark.parametrize(("text", "is_list"), [
    ("no fever, or chills", True),
    ("no fever,or chills", True),
    ("no fever,and chills", True),
    ("no fever, chills", False),
    ("no fever,ok chills", False),
])
def test_an_english_comma_continues_a_list_only_before_a_conjunction(text: str,
                                                                     is_list: bool) -> None:
    from pro_service.safety.domain.cues import load_cues
    from pro_service.safety.domain.scope import layout, soft_comma_is_list

    lay = layout(text)
    (comma,) = lay.soft_commas
    assert soft_comma_is_list(lay, comma, len(text), load_cues().settings) is is_list
