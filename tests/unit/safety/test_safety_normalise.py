"""Normalisation: full-width, Traditional, typos, mixed language, original offsets."""

from __future__ import annotations

import pytest

from pro_service.safety.detect import Finding, detect
from pro_service.safety.domain.normalise import normalise
from tests.unit.safety.safety_helpers import found


def test_full_width_text_is_matched_and_evidence_is_the_original() -> None:
    [finding] = detect("今天ＢＬＡＣＫ　ＳＴＯＯＬ了")
    assert finding.evidence == "ＢＬＡＣＫ　ＳＴＯＯＬ"
    assert (finding.start, finding.end) == (2, 13)
    assert finding.language == "en"


def test_full_width_numbers_are_read_as_a_temperature() -> None:
    assert found("量了一下３８．６") == {"infection": "urgent"}


def test_traditional_characters_are_simplified() -> None:
    assert found("今天嘔血了") == {"gi_bleeding": "emergency"}
    assert found("沒有發燒") == {}


def test_normalise_keeps_a_map_to_the_original_text() -> None:
    norm = normalise("Ａ\u200b  b")
    assert norm.text == "a b"
    assert norm.original_span(2, 3) == (4, 5)


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("blak stool since yesterday", "gi_bleeding"),
        ("Vomitting blood now please help", "gi_bleeding"),
        ("今天土血了", "gi_bleeding"),
        ("拉黑变了", "gi_bleeding"),
        ("胡涂了，不知道自己在哪", "encephalopathy"),
        ("肚子涨，硬邦邦的", "ascites"),
        ("黄胆好像重了", "jaundice"),
        ("fanted at the bus stop", "syncope"),
    ],
)
def test_common_typos_are_matched(text: str, category: str) -> None:
    assert category in found(text)


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("今天 black stool 了", "gi_bleeding"),
        ("早上有点 dizzy", "syncope"),
        ("输液后 rash", "infusion_reaction"),
    ],
)
def test_mixed_language_messages_are_matched(text: str, category: str) -> None:
    assert category in found(text)


def test_mixed_language_negation_applies() -> None:
    assert found("no 发烧") == {}


def test_finding_is_a_frozen_record_with_a_term_id() -> None:
    [finding] = detect("吐血")
    assert isinstance(finding, Finding)
    assert finding.term_id == "gi.zh.vomit_blood"
    with pytest.raises(AttributeError):
        finding.urgency = "routine"  # type: ignore[misc]


def test_a_character_that_expands_to_several_keeps_them_all() -> None:
    from pro_service.safety.domain.normalise import normalise

    assert normalise("\ufb01ne").text == "fine"  # the ligature fi
    assert normalise("a \u00a8b").text == "a \u0308b"  # a spacing diaeresis after a space
