"""How overlapping term matches settle (lexicon.md §3, §4), on small hand-built lexicons,
and what the detector reports for a mention it asks about.

The lexicons here hold a few terms with made-up words, so each test shows one rule:
within a category the longest match wins; across categories a longer, more urgent
mention hides a shorter one inside it, and nothing else hides anything.
"""

from __future__ import annotations

import re

from pro_service.safety.domain.detect import detect
from pro_service.safety.domain.lexicon import Category, Lexicon, Term, Urgency
from pro_service.safety.domain.mentions import find_mentions
from pro_service.safety.domain.asking import Reason

GI, OTHER, RENAL = Category.GI_BLEEDING, Category.OTHER, Category.RENAL
E, U, R = Urgency.EMERGENCY, Urgency.URGENT, Urgency.ROUTINE


def term(name: str, pattern: str, category: Category, urgency: Urgency, net: bool = False) -> Term:
    return Term(name, category, urgency, "zh-CN", (re.compile(pattern),), "lexicon.md §3", net=net)


def lexicon(*terms: Term, pseudo: tuple[str, ...] = ()) -> Lexicon:
    return Lexicon("test", terms, tuple(re.compile(p) for p in pseudo), (), frozenset(), {})


def found(text: str, lex: Lexicon) -> list[tuple[str, int, int]]:
    return [(m.term.id, m.start, m.end) for m in find_mentions(text, lex)]


def test_a_longer_more_urgent_mention_of_another_category_hides_one_inside_it() -> None:
    lex = lexicon(term("bleed", "abcd", GI, E), term("sick", "bc", OTHER, R))
    assert found("abcd", lex) == [("bleed", 0, 4)]


def test_a_shorter_more_urgent_mention_hides_nothing() -> None:
    lex = lexicon(term("bleed", "bc", GI, E), term("long", "abc", OTHER, R))
    assert found("abc", lex) == [("long", 0, 3), ("bleed", 1, 3)]


def test_equally_long_overlapping_mentions_of_two_categories_both_stay() -> None:
    lex = lexicon(term("bleed", "abc", GI, E), term("kidney", "bcd", RENAL, R))
    assert found("abcd", lex) == [("bleed", 0, 3), ("kidney", 1, 4)]


def test_a_longer_more_urgent_mention_elsewhere_hides_nothing() -> None:
    lex = lexicon(term("bleed", "abcd", GI, E), term("sick", "xy", OTHER, R))
    assert found("abcd xy", lex) == [("bleed", 0, 4), ("sick", 5, 7)]


def test_a_longer_less_urgent_mention_hides_nothing() -> None:
    lex = lexicon(term("long", "abcd", OTHER, R), term("bleed", "bc", GI, E))
    assert found("abcd", lex) == [("long", 0, 4), ("bleed", 1, 3)]


def test_a_net_term_speaks_only_where_nothing_else_matched() -> None:
    lex = lexicon(term("bleed", "abc", GI, E), term("net", "cde", OTHER, R, net=True),
                  term("net2", "xy", OTHER, R, net=True))
    assert found("abcde xy", lex) == [("bleed", 0, 3), ("net2", 6, 8)]


def test_a_false_friend_blocks_terms_unless_a_longer_term_covers_it() -> None:
    lex = lexicon(term("bleed", "ab", GI, E), term("net", "bc", OTHER, R, net=True),
                  pseudo=("abc",))
    assert found("abc", lex) == []  # the false friend is longest: nothing is a symptom
    longer = lexicon(term("bleed", "abcd", GI, E), term("net", "cdx", OTHER, R, net=True),
                     pseudo=("abc",))
    # "abcd" beats the false friend inside it, which then no longer blocks anything
    assert found("abcdx", longer) == [("bleed", 0, 4)]


# -- what an unsure result says ---------------------------------------------------------


def test_a_question_about_a_symptom_is_reported_with_its_evidence_term_and_language() -> None:
    result = detect("Is Vomiting Blood serious?")
    assert not result.findings
    (unsure,) = result.unsure
    assert (unsure.category, unsure.urgency, unsure.reason) == (GI, E, Reason.QUESTION)
    assert unsure.evidence == "Vomiting Blood"  # the words as the participant wrote them
    assert unsure.term_id == "gi.en.vomit_blood"
    assert unsure.language == "en"


def test_a_safety_net_question_names_the_language_of_the_message() -> None:
    (unsure,) = detect("大便的颜色有点发紫").unsure
    assert (unsure.reason, unsure.term_id, unsure.language) == (
        Reason.CATCHALL, "net.gi.stool_alarm", "zh-CN")
    assert unsure.evidence == "大便的颜色有点发紫"


def test_an_improving_word_opening_the_sentence_lowers_an_urgent_mention() -> None:
    assert [(f.category, f.urgency) for f in detect("swollen belly")] == [(Category.ASCITES, U)]
    assert [(f.category, f.urgency) for f in detect("less swollen belly")] == [
        (Category.ASCITES, R)]
