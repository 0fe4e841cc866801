"""Edges of the matching path: span overlap, the safety net's window per script, the
language of a safety-net result, and the prefilter's character classes and alternatives."""

from __future__ import annotations

import re

import pytest

from pro_service.safety.detect import detect
from pro_service.safety.domain.catchall import find_hits, groups
from pro_service.safety.domain.mentions import overlap
from pro_service.safety.domain.prefilter import MAX_SET, literals


@pytest.mark.parametrize(("a", "b", "shared"), [
    ((0, 2), (1, 3), True), ((1, 3), (0, 2), True), ((0, 4), (1, 2), True),
    ((0, 2), (2, 4), False), ((2, 4), (0, 2), False),  # touching is not sharing
    ((0, 1), (5, 6), False), ((5, 6), (0, 1), False),
])
def test_spans_overlap_only_when_they_share_a_character(a, b, shared: bool) -> None:
    assert overlap(a, b) is shared


def _fired(text: str) -> list[str]:
    hits = find_hits(text, [])
    return [rule.term.id for rule, _ in groups(hits, lambda _: (0, len(text)), text)]


@pytest.mark.parametrize(("text", "fires"), [
    ("stool is black", True),
    ("stool was, after the long walk home, black", True),  # 32 characters apart: within 40
    ("stool was, after the very very very very long walk home, so black", False),  # 55
    ("大便今天有点黑", True),
    ("大便今天早上吃完饭以后看起来有一点点黑", False),  # 16 characters apart: beyond 12
])
def test_the_safety_net_window_is_wider_for_english_than_for_chinese(text: str,
                                                                     fires: bool) -> None:
    assert ("net.gi.stool_alarm" in _fired(text)) is fires


@pytest.mark.parametrize(("text", "term_id", "language"), [
    ("I feel really hot today", "net.in.hot", "en"),
    ("大便的颜色有点发紫", "net.gi.stool_alarm", "zh-CN"),
])
def test_a_safety_net_result_takes_the_language_of_the_message(text: str, term_id: str,
                                                               language: str) -> None:
    result = detect(text)
    assert [(r.term_id, r.language) for r in (*result.findings, *result.unsure)] == [
        (term_id, language)]


def test_a_class_of_up_to_64_characters_is_a_set_of_literals() -> None:
    chars = "".join(chr(c) for c in range(0x4E00, 0x4E00 + MAX_SET))
    assert literals(re.compile(f"[{chars[0]}-{chars[-1]}]")) == frozenset(chars)
    assert literals(re.compile(f"[{chars[0]}-{chars[-1]}a]")) is None  # 65 characters


def test_alternatives_without_exact_strings_need_one_literal_of_each() -> None:
    assert literals(re.compile("(?:ab.*cd|ef.*gh)")) == frozenset({"ab", "ef"})
    assert literals(re.compile("(?:ab.*cd|.*)")) is None  # one alternative needs nothing


ALTS = [chr(0x4E00 + i) + "z" for i in range(65)]


def test_a_branch_of_up_to_64_strings_is_spelt_out_and_joined_to_what_follows() -> None:
    sixty_four = "(?:" + "|".join(ALTS[:64]) + ")y"
    assert literals(re.compile(sixty_four)) == frozenset(a + "y" for a in ALTS[:64])


def test_a_branch_of_more_strings_still_needs_one_of_them() -> None:
    many = "(?:" + "|".join(ALTS) + ")"
    assert literals(re.compile(many)) == frozenset(ALTS)
    # nested in another branch, it is not mistaken for a branch that matches nothing
    assert literals(re.compile(f"(?:{many}|ab)")) == frozenset({*ALTS, "ab"})


@pytest.mark.parametrize(("pattern", "wanted"), [
    ("(?:ab.*cd){1,3}", {"ab"}),  # at least once: its literal is needed
    ("(?:ab.*cd){2}", {"ab"}),
    ("x?(?:ab.*cd)?", None),  # maybe not at all: nothing is needed
    ("x?(?:ab.*cd){0,2}", None),
])
def test_a_repeated_group_of_unknown_strings_needs_its_literal_only_if_it_must_occur(
        pattern: str, wanted: set[str] | None) -> None:
    got = literals(re.compile(pattern))
    assert got == (None if wanted is None else frozenset(wanted))


@pytest.mark.parametrize(("blocked", "kept"), [
    ([], True),
    ([(14, 16)], True),  # a false friend right after the mention
    ([(6, 9)], True),  # ... and one ending right where "black" starts
    ([(20, 25)], True),  # one elsewhere
    ([(8, 10)], False),  # one sharing a character with "black"
])
def test_a_concept_mention_is_dropped_only_inside_a_false_friend(blocked, kept: bool) -> None:
    hits = find_hits("stool is black", blocked)
    assert (("stool_alarm", 9, 14) in [(h.concept, h.start, h.end) for h in hits]) is kept


@pytest.mark.parametrize("text", ["大便黑", "黑大便"])
def test_concept_mentions_that_touch_fire_a_rule_together(text: str) -> None:
    assert "net.gi.stool_alarm" in _fired(text)


def test_the_window_is_inclusive() -> None:
    assert "net.gi.stool_alarm" in _fired("stool " + "x" * 38 + " black")  # 40 apart
    assert "net.gi.stool_alarm" not in _fired("stool " + "x" * 39 + " black")  # 41


def test_every_pattern_of_the_data_matches_at_least_one_character() -> None:
    # so no empty match ever reaches the matching code (which skips them all the same)
    import re._parser as sre_parse

    from tests.unit.safety.prefilter_helpers import gates

    for gate in gates():
        for _, pattern in gate.items:
            assert sre_parse.parse(pattern.pattern, pattern.flags).getwidth()[0] > 0, pattern
