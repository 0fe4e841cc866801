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


def test_a_negation_shaped_symptom_after_bu_shi_is_kept_and_marked_for_he() -> None:
    assert _found("不是叫不醒") == [(Category.ENCEPHALOPATHY, Urgency.EMERGENCY, False)]
    assert _found("他不是叫不醒") == [(Category.ENCEPHALOPATHY, Urgency.EMERGENCY, True)]


def test_someone_else_s_negated_symptom_is_dropped() -> None:
    assert _found("他没有吐血") == []
    assert _found("我妈妈吐血了") == [(Category.GI_BLEEDING, Urgency.EMERGENCY, True)]


def test_self_harm_about_he_or_she_is_kept_marked_and_an_emergency() -> None:
    # lexicon.md §3.10: a proxy report ("他老说不想活了") is E, not "someone else"
    assert _found("他不想活了") == [(Category.SELF_HARM, Urgency.EMERGENCY, True)]


@pytest.mark.parametrize("text", ["我不想活了", "I want to die", "i just want to end it all",
                                  "活着没意思", "kill myself"])
def test_stated_suicidal_ideation_is_an_emergency(text: str) -> None:
    # lexicon.md §3.10: self_harm is E always; only passive ideation (issue 12) is urgent
    assert (Category.SELF_HARM, Urgency.EMERGENCY, False) in _found(text)


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


def _evidence(text: str) -> list[tuple[Category, str]]:
    return [(f.category, f.evidence) for f in detect(text)]


def test_of_two_equally_urgent_mentions_of_a_category_the_first_is_the_evidence() -> None:
    assert _evidence("吐血，黑便") == [(Category.GI_BLEEDING, "吐血")]
    assert _evidence("黑便，吐血") == [(Category.GI_BLEEDING, "黑便")]


def test_a_safety_net_mention_next_to_a_sure_finding_is_a_finding_too() -> None:
    alone = detect("肚子撑得跟吃多了一样")
    assert not alone.findings and [u.category for u in alone.unsure] == [Category.ASCITES]
    both = detect("吐血了，肚子撑得跟吃多了一样")
    assert [(f.category, f.urgency) for f in both] == [
        (Category.GI_BLEEDING, Urgency.EMERGENCY), (Category.ASCITES, Urgency.ROUTINE)]


def test_infusion_context_turns_a_safety_net_mention_into_an_infusion_reaction() -> None:
    result = detect("during the infusion I feel hot")
    assert [(u.category, u.term_id) for u in result.unsure] == [
        (Category.INFUSION_REACTION, "net.in.hot")]


# -- §2.1 combinations, on candidates built by hand --------------------------------------


def _candidate(name: str, category: Category, tags: set[str], at: int):
    from pro_service.safety.domain.detect import Candidate
    from pro_service.safety.domain.lexicon import Term
    from pro_service.safety.domain.mentions import Mention

    t = Term(name, category, U, "en", (re.compile(name),), "lexicon.md §3", frozenset(tags))
    return Candidate(Mention(t, at, at + 1), category, U)


def _combined(category: Category, *candidates):
    from pro_service.safety.domain.detect import _combine
    from pro_service.safety.domain.lexicon import Combination, Lexicon

    rule = Combination(frozenset({"x", "y"}), category, E, "lexicon.md §2.1")
    lex = Lexicon("test", (), (), (rule,), frozenset(), {})
    out = _combine(list(candidates), lex)
    assert out[: len(candidates)] == list(candidates)
    return out[len(candidates):]


def test_a_combination_raises_its_category_with_that_category_s_first_mention() -> None:
    plain = _candidate("plain", Category.RENAL, set(), 0)
    y = _candidate("y", OTHER, {"y"}, 1)
    x = _candidate("x", GI, {"x"}, 2)
    (raised,) = _combined(GI, plain, y, x)
    assert (raised.mention, raised.category, raised.urgency) == (x.mention, GI, E)


def test_a_combination_of_a_new_category_takes_the_first_mention_it_combines() -> None:
    plain = _candidate("plain", Category.RENAL, set(), 0)
    y = _candidate("y", OTHER, {"y"}, 1)
    x = _candidate("x", GI, {"x"}, 2)
    (raised,) = _combined(Category.INFECTION, plain, y, x)
    assert (raised.mention, raised.category) == (y.mention, Category.INFECTION)


def test_a_combination_needs_all_its_tags() -> None:
    x = _candidate("x", GI, {"x"}, 0)
    assert _combined(Category.INFECTION, x) == []


def test_a_negation_between_safety_net_mentions_of_one_clause_takes_the_net_away() -> None:
    # "not" is too far from "dark" to negate it, but it stands between "pee" and "dark"
    assert not detect("my pee is not at all in any way really dark").unsure
    assert [u.term_id for u in detect("my pee is so very very very really dark").unsure] == [
        "net.ja.dark_urine"]
