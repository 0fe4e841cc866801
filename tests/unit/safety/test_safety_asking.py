"""Issue 12: unsure results, negation-shaped symptoms, caregivers' reports, ideation."""

from __future__ import annotations

import pytest

from pro_service.safety.detect import detect


def _found(text: str, reporter: str = "participant") -> dict[str, str]:
    return {str(f.category): str(f.urgency) for f in detect(text, reporter=reporter)}


def _asked(text: str) -> dict[str, tuple[str, str]]:
    return {
        str(q.category): (str(q.urgency), str(q.reason)) for q in detect(text).unsure
    }


@pytest.mark.parametrize(
    ("text", "category", "urgency"),
    [
        ("呕血是什么意思？", "gi_bleeding", "emergency"),
        ("吃了黑米粥，大便会变黑吗？", "gi_bleeding", "emergency"),
        ("what does black stool mean?", "gi_bleeding", "emergency"),
        ("is it normal to be confused after a liver operation?", "encephalopathy",
         "emergency"),
        ("is passing no urine for a day dangerous?", "renal", "emergency"),
    ],
)
def test_a_red_flag_asked_about_is_a_question_not_an_alert(
    text: str, category: str, urgency: str
) -> None:
    assert _found(text) == {}
    assert _asked(text) == {category: (urgency, "question")}


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("我今天拉黑便了，是不是药的问题？", "gi_bleeding"),
        ("does my black poo mean I'm bleeding?", "gi_bleeding"),
        ("I've been vomiting blood since noon, should I come in?", "gi_bleeding"),
    ],
)
def test_a_question_stating_the_participants_own_symptom_is_an_affirmation(
    text: str, category: str
) -> None:
    assert _found(text) == {category: "emergency"}


def test_a_correction_asks_about_what_it_still_mentions_and_drops_what_it_denies() -> (
    None
):
    assert _found("上一条打错了，我没有黑便") == {}
    assert _asked("上一条打错了，我没有黑便") == {}
    assert _found("sorry, typo: I meant yes, black stools today") == {}
    assert _asked("sorry, typo: I meant yes, black stools today") == {
        "gi_bleeding": ("emergency", "correction")
    }


@pytest.mark.parametrize(
    ("text", "category", "urgency"),
    [
        ("老伴今天怎么喊都喊不醒", "encephalopathy", "emergency"),
        ("we can't wake him up this morning", "encephalopathy", "emergency"),
        ("她现在连儿子都不认得了", "encephalopathy", "emergency"),
        ("he no longer recognises his own family", "encephalopathy", "emergency"),
        ("喝口水都吐，什么也咽不下", "other", "urgent"),
        ("can't keep any fluids down since this morning", "other", "urgent"),
        ("小便少了很多，一天就两次", "renal", "urgent"),
        ("I'm peeing a lot less than before", "renal", "urgent"),
        ("从昨晚到现在一滴尿都没有", "renal", "emergency"),
        ("haven't peed at all for 16 hours", "renal", "emergency"),
    ],
)
def test_negation_shaped_symptoms_are_terms_of_their_own(
    text: str, category: str, urgency: str
) -> None:
    assert _found(text, reporter="caregiver")[category] == urgency


def test_no_urine_for_a_short_or_unknown_time_is_urgent_not_emergency() -> None:
    assert _found("尿不出来") == {"renal": "urgent"}
    assert _found("haven't been able to pee") == {"renal": "urgent"}


@pytest.mark.parametrize(
    "text",
    [
        "叫一声就醒了，精神还行",
        "I couldn't wake up in time for the bus",
        "didn't recognise the new doctor at first",
        "can't keep up with the questionnaires",
        "尿量和平时差不多，没有减少",
    ],
)
def test_look_alikes_of_negation_shaped_symptoms_raise_nothing(text: str) -> None:
    assert _found(text) == {}


@pytest.mark.parametrize(
    ("text", "urgency"),
    [
        ("有时候想，要是睡着了就别醒过来该多好", "urgent"),
        ("I'm nothing but a burden to my family", "urgent"),
        ("everyone would be easier off without me", "urgent"),
        ("药我都攒起来了，准备今晚吃", "emergency"),
        ("I've saved up my tablets and decided when to do it", "emergency"),
    ],
)
def test_passive_ideation_is_urgent_and_a_plan_or_means_an_emergency(
    text: str, urgency: str
) -> None:
    assert _found(text)["self_harm"] == urgency


def test_a_relatives_red_flag_from_the_participants_phone_is_marked() -> None:
    [finding] = detect("他今天一直昏睡，叫不醒")
    assert (str(finding.category), str(finding.urgency)) == (
        "encephalopathy",
        "emergency",
    )
    assert finding.other_person


def test_a_caregivers_report_is_about_the_participant_unless_about_themselves() -> (
    None
):
    [finding] = detect("我爸今天叫不醒", reporter="caregiver")
    assert not finding.other_person
    assert _found("我自己这两天发烧38度5", reporter="caregiver") == {}
    assert _found("I've got a fever myself, can someone else bring him?",
                  reporter="caregiver") == {}


def test_someone_clearly_else_is_not_marked_but_dropped() -> None:
    assert _found("隔壁老王昨天吐血住院了") == {}
    assert _found("the dog threw up blood, off to the vet") == {}


def test_a_detection_iterates_over_its_findings_only() -> None:
    result = detect("黑便是什么意思？今天发烧38度5")
    assert [str(f.category) for f in result] == ["infection"]
    assert len(result) == 1
    assert [str(q.category) for q in result.unsure] == ["gi_bleeding"]


def test_an_unknown_reporter_is_refused() -> None:
    with pytest.raises(ValueError, match="reporter"):
        detect("吐血", reporter="neighbour")
