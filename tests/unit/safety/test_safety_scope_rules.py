"""Clause and gap rules of scope.py, tested directly (lexicon.md §5.4 rule 2).

A comma ends a Chinese clause when a Chinese character stands next to it (spaces aside);
an English comma is soft. A negation reaches across a gap of at most a few words that
starts no new subject, or a few allowed Chinese characters; a resolution reaches back
across at most a few words and Chinese characters.
"""

from __future__ import annotations

import pytest

from pro_service.safety.domain.cues import load_cues
from pro_service.safety.domain.scope import (
    any_between,
    gap_allows_negation,
    gap_allows_resolution,
    layout,
    strip_spans,
)

SETTINGS = load_cues().settings


@pytest.mark.parametrize(("text", "hard"), [
    ("吐血, no fever", True),  # Chinese before
    ("吐血 , no fever", True),  # Chinese before, spaces aside
    ("no fever, 吐血", True),  # Chinese after, spaces aside
    ("no fever,吐", True),  # Chinese right after
    ("no fever, chills", False),
    ("吐血 blood, no fever", False),  # Chinese earlier in the text does not count
    ("体温9, no chills", False),  # only the one character next to the comma counts
    ("no fever, chills 吐血", False),
    ("ok,x 吐", False),
])
def test_a_comma_is_hard_only_next_to_a_chinese_character(text: str, hard: bool) -> None:
    lay = layout(text)
    comma = text.index(",")
    assert (comma in lay.hard_commas, comma in lay.soft_commas) == (hard, not hard)


def test_a_colon_is_always_hard() -> None:
    assert layout("note: no fever").hard_commas == (4,)


def test_spans_inside_the_range_are_cut_out_up_to_its_very_end() -> None:
    assert strip_spans("abcdef", 0, 6, [(4, 6)]) == "abcd "
    assert strip_spans("abcdef", 0, 6, [(0, 2), (3, 4)]) == " c ef"
    assert strip_spans("abcdef", 1, 5, [(0, 2), (4, 6)]) == "bcde"  # not wholly inside


@pytest.mark.parametrize(("gap", "allowed"), [
    ("", True),
    (" or and nor any a ", True),  # list connectors do not count as words
    (" really very bad big ", True),  # four words
    (" really very bad big now ", False),  # five
    (" i ", False),  # a new subject
    (" or i ", False),
    ("再又出现发觉", True),  # six allowed characters
    ("再又出现发觉得", False),  # seven
    ("头", False),  # a character that breaks the negation
    (" a bit 明显 ", True),
])
def test_how_far_a_negation_reaches(gap: str, allowed: bool) -> None:
    assert gap_allows_negation(gap, SETTINGS) is allowed


@pytest.mark.parametrize(("gap", "allowed"), [
    ("", True),
    (" is now all ", True),  # three words
    (" is now all gone ", False),  # four
    ("已经基本", True),  # four Chinese characters
    ("已经基本上", False),  # five
    (" is now all 已经基本", True),
    (" is now all gone 已", False),
    (" is 已经基本上", False),
])
def test_how_far_a_resolution_reaches_back(gap: str, allowed: bool) -> None:
    assert gap_allows_resolution(gap, SETTINGS) is allowed


def test_a_sentence_runs_from_after_one_end_mark_to_the_next() -> None:
    lay = layout("ab. cd")
    assert lay.sentence(0) == (0, 2)
    assert lay.sentence(2) == (0, 2)  # the end mark closes its own sentence
    assert lay.sentence(3) == (3, 6)
    assert lay.sentence(4) == (3, 6)


def test_between_means_from_the_start_up_to_but_not_at_the_end() -> None:
    assert any_between([0], 0, 5) and any_between([4], 0, 5)
    assert not any_between([5], 0, 5)
