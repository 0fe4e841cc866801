"""The context rules on hand-built scenes: cues placed by position, no cue word lists.

Each test states a rule of lexicon.md §5.4/§5.5 and places the cues that rule speaks of,
so it holds whatever words the cue data list for each role.
"""

from __future__ import annotations

import pytest

from pro_service.safety.domain.asking import Reason, ask_reason
from pro_service.safety.domain.context import (
    Scene,
    Status,
    explanation_holds,
    removal_is_unsure,
    status_of,
)
from pro_service.safety.domain.cues import Cue, Role, load_cues
from pro_service.safety.domain.scope import layout

SETTINGS = load_cues().settings


def scene(text: str, cues: dict[str, Role], targets: list[str]) -> Scene:
    """A scene of `text` with a cue of each role at the first place its words occur."""
    placed = []
    for words, role in cues.items():
        at = text.index(words)
        placed.append(Cue(role, at, at + len(words)))
    spans = []
    for words in targets:
        at = text.index(words)
        spans.append((at, at + len(words)))
    return Scene(layout(text), tuple(sorted(placed, key=lambda c: c.start)), tuple(spans),
                 SETTINGS, proxy=False)


def status(text: str, cues: dict[str, Role], target: str, others: list[str] = ()) -> Status:
    sc = scene(text, cues, [target, *others])
    at = text.index(target)
    return status_of(at, at + len(target), sc)


NEG, POST, TERM, NOW = Role.PRE_NEGATION, Role.POST_NEGATION, Role.TERMINATION, Role.ANCHOR_NOW

# -- negation runs forward in its clause -------------------------------------------------


def test_a_pre_negation_negates_a_symptom_shortly_after_it() -> None:
    assert status("no fever", {"no": NEG}, "fever") is Status.NEGATED


def test_a_new_now_between_negation_and_symptom_ends_the_negation() -> None:
    assert status("no, now fever", {"no": NEG, "now": NOW}, "fever") is Status.AFFIRMED
    assert status("no now fever", {"no": NEG, "now": NOW}, "fever") is Status.AFFIRMED


def test_a_comma_right_after_the_negation_ends_it() -> None:
    assert status("no, fever", {"no": NEG}, "fever") is Status.AFFIRMED


def test_a_list_runs_to_the_sentence_end_or_a_termination_not_beyond() -> None:
    # the conjunction after the full stop or the termination does not make "fever, chills" a list
    assert status("no fever, chills. or else", {"no": NEG}, "chills", ["fever"]) is Status.AFFIRMED
    assert status("no fever, chills but or else", {"no": NEG, "but": TERM}, "chills",
                  ["fever"]) is Status.AFFIRMED
    assert status("no fever, or chills", {"no": NEG}, "chills", ["fever"]) is Status.NEGATED


# -- resolution runs backward -------------------------------------------------------------


def test_a_post_negation_after_the_symptom_resolves_it() -> None:
    assert status("fever gone", {"gone": POST}, "fever") is Status.RESOLVED


def test_a_post_negation_in_an_earlier_sentence_is_passed_over() -> None:
    text = "gone. fever gone"
    sc = Scene(layout(text), (Cue(POST, 0, 4), Cue(POST, 12, 16)), ((6, 11),), SETTINGS, False)
    assert status_of(6, 11, sc) is Status.RESOLVED


def test_a_termination_between_symptom_and_post_negation_blocks_it() -> None:
    assert status("fever but gone", {"but": TERM, "gone": POST}, "fever") is Status.AFFIRMED


@pytest.mark.parametrize(("text", "resolved"), [
    ("fever,abcgone", True),  # a comma and four characters: it continues the clause
    ("fever,abcdgone", False),  # five: a new statement
    ("fever, it is all gone", False),
    ("fever,a,gone", False),  # two commas
    ("fever,gone", True),
])
def test_a_post_negation_opening_the_next_clause_resolves_only_when_close(
        text: str, resolved: bool) -> None:
    got = status(text, {"gone": POST}, "fever")
    assert (got is Status.RESOLVED) is resolved


# -- §5.4 rule 5: a far or list-heading cue is unsure -------------------------------------


@pytest.mark.parametrize(("text", "unsure"), [
    ("没有头晕,恶心,呕吐", True),  # the cue is two clauses away
    ("没有头晕,呕吐", False),
    ("没有发烧。头晕,恶心,呕吐", False),  # the cue is in another sentence
    ("没有头晕,恶心,没呕吐", False),  # the nearest cue decides
])
def test_a_negation_two_clauses_away_may_not_cover_the_symptom(text: str, unsure: bool) -> None:
    cues = [Cue(NEG, 0, 2)]
    if "没呕吐" in text:
        cues.append(Cue(NEG, text.index("没呕吐"), text.index("没呕吐") + 1))
    targets = [(text.index(w), text.index(w) + 2) for w in ("头晕", "恶心", "呕吐", "发烧") if w in text]
    sc = Scene(layout(text), tuple(cues), tuple(targets), SETTINGS, False)
    assert removal_is_unsure(text.index("呕吐"), Status.NEGATED, sc) is unsure


def test_a_negation_heading_a_list_of_four_may_not_cover_the_last() -> None:
    text = "no a b c d"
    targets = tuple((i, i + 1) for i in (3, 5, 7, 9))
    sc = Scene(layout(text), (Cue(NEG, 0, 2),), targets, SETTINGS, False)
    assert removal_is_unsure(9, Status.NEGATED, sc)
    assert not removal_is_unsure(9, Status.AFFIRMED, sc)  # nothing removes it
    assert not removal_is_unsure(7, Status.NEGATED, sc)  # three listed up to it


# -- a harmless explanation -------------------------------------------------------------


def test_an_explanation_anywhere_in_the_sentence_holds_unless_denied_just_before() -> None:
    def holds(text: str, explanation: str, negation: str | None = None) -> bool:
        cues = [Cue(Role.EXPLANATION, text.rindex(explanation),
                    text.rindex(explanation) + len(explanation))]
        if negation is not None:
            cues.append(Cue(NEG, text.index(negation), text.index(negation) + len(negation)))
        sc = Scene(layout(text), tuple(sorted(cues, key=lambda c: c.start)), (), SETTINGS, False)
        return explanation_holds(text.index("黑便"), sc)

    assert holds("铁剂黑便", "铁剂")  # at the very start of the sentence
    assert not holds("没铁剂黑便", "铁剂", "没")  # denied right before
    assert not holds("没123456铁剂黑便", "铁剂", "没")  # six characters before: still denied
    assert holds("没1234567铁剂黑便", "铁剂", "没")  # seven: not


def test_an_explanation_in_another_sentence_is_passed_over() -> None:
    text = "铁剂。黑便铁剂"
    cues = (Cue(Role.EXPLANATION, 0, 2), Cue(Role.EXPLANATION, 5, 7))
    sc = Scene(layout(text), cues, (), SETTINGS, False)
    assert explanation_holds(3, sc)
    assert not explanation_holds(3, Scene(layout(text), cues[:1], (), SETTINGS, False))


# -- questions ---------------------------------------------------------------------------

Q, QW = Role.QUESTION, Role.QUESTION_WEAK


def ask(text: str, cues: dict[str, Role], target: str, at: Status = Status.AFFIRMED):
    return ask_reason(text.index(target), at, scene(text, cues, [target]))


def test_a_hypothetical_in_a_sentence_ending_with_a_question_mark_is_asked() -> None:
    assert ask("fever?", {}, "fever", Status.HYPOTHETICAL) is Reason.QUESTION
    assert ask("fever", {}, "fever", Status.HYPOTHETICAL) is None


def test_a_question_word_opening_the_sentence_or_clause_makes_it_a_question() -> None:
    assert ask("what fever", {"what": Q}, "fever", Status.HYPOTHETICAL) is Reason.QUESTION
    assert ask("what fever", {"what": Q}, "fever") is Reason.QUESTION


def test_a_weak_question_word_counts_only_in_the_clause_and_at_its_start_or_in_chinese() -> None:
    assert ask("头晕,好吗?", {"吗": QW}, "头晕") is None  # another clause
    assert ask("fever what?", {"what": QW}, "fever") is None  # English, not leading
    assert ask("ok. what fever?", {"what": QW}, "fever") is Reason.QUESTION  # leads its clause
    assert ask("头晕吗?", {"吗": QW}, "头晕") is Reason.QUESTION  # Chinese, anywhere


def test_only_my_before_the_symptom_makes_a_question_the_speaker_s_own() -> None:
    assert ask("is fever bad for my kid?", {"is": Q}, "fever") is Reason.QUESTION
    assert ask("is my fever bad?", {"is": Q}, "fever") is None


def test_a_negation_in_an_earlier_sentence_is_passed_over_for_one_in_this_sentence() -> None:
    text = "no. no fever"
    sc = Scene(layout(text), (Cue(NEG, 0, 2), Cue(NEG, 4, 6)), ((7, 12),), SETTINGS, False)
    assert status_of(7, 12, sc) is Status.NEGATED


def test_without_the_people_checks_the_time_and_negation_checks_still_run() -> None:
    sc = scene("he has no fever", {"he": Role.THIRD_PERSON, "no": NEG}, ["fever"])
    assert status_of(9, 14, sc) is Status.THIRD_PERSON
    assert status_of(9, 14, sc, people=False) is Status.NEGATED


# -- hypotheticals, reports, history and other people: where each stops ----------------

HYPO, REP, HIST = Role.HYPOTHETICAL, Role.REPORTED, Role.HISTORICAL
FIRST, EXP, THIRD = Role.FIRST_PERSON, Role.EXPERIENCER, Role.THIRD_PERSON


@pytest.mark.parametrize(("text", "cues", "wanted"), [
    ("if fever", {"if": HYPO}, Status.HYPOTHETICAL),
    ("if but fever", {"if": HYPO, "but": TERM}, Status.AFFIRMED),
    ("said fever", {"said": REP}, Status.HYPOTHETICAL),
    ("said but fever", {"said": REP, "but": TERM}, Status.AFFIRMED),
    ("said i fever", {"said": REP, "i ": FIRST}, Status.AFFIRMED),
])
def test_hypotheticals_and_reports_run_forward_until_a_termination_or_the_speaker(
        text: str, cues: dict[str, Role], wanted: Status) -> None:
    assert status(text, cues, "fever") is wanted


@pytest.mark.parametrize(("text", "wanted"), [
    ("iffever", Status.HYPOTHETICAL),  # right after
    ("if fever", Status.HYPOTHETICAL),  # one character between
    ("if  fever", Status.AFFIRMED),  # two
    ("ok, if fever", Status.HYPOTHETICAL),
])
def test_a_near_hypothetical_cue_reaches_only_the_next_character(text: str,
                                                                  wanted: Status) -> None:
    assert status(text, {"if": Role.HYPOTHETICAL_NEAR}, "fever") is wanted


def test_a_trailing_hypothetical_cue_reaches_back_over_its_clause() -> None:
    assert status("fever吗", {"吗": Role.HYPOTHETICAL_BACK}, "fever") is Status.HYPOTHETICAL
    assert status("fever, x吗", {"吗": Role.HYPOTHETICAL_BACK}, "fever") is Status.AFFIRMED


@pytest.mark.parametrize(("text", "cues", "wanted"), [
    ("last year fever", {"last year": HIST}, Status.HISTORICAL),
    ("fever last year", {"last year": HIST}, Status.HISTORICAL),
    ("now fever last year", {"now": NOW, "last year": HIST}, Status.AFFIRMED),
    ("last year but fever", {"last year": HIST, "but": TERM}, Status.AFFIRMED),
    ("fever but last year", {"last year": HIST, "but": TERM}, Status.AFFIRMED),
    ("last year. fever", {"last year": HIST}, Status.AFFIRMED),
    ("fever. last year", {"last year": HIST}, Status.AFFIRMED),
])
def test_history_reaches_both_ways_in_its_sentence_until_a_stop(
        text: str, cues: dict[str, Role], wanted: Status) -> None:
    assert status(text, cues, "fever") is wanted


@pytest.mark.parametrize(("text", "cues", "wanted"), [
    ("wife fever", {"wife": EXP}, Status.OTHER_PERSON),
    ("wife but fever", {"wife": EXP, "but": TERM}, Status.AFFIRMED),
    ("wife i fever", {"wife": EXP, "i ": FIRST}, Status.AFFIRMED),
    ("he fever", {"he": THIRD}, Status.THIRD_PERSON),
    ("fever he", {"he": THIRD}, Status.AFFIRMED),  # after the symptom
    ("he but fever", {"he": THIRD, "but": TERM}, Status.AFFIRMED),
    # someone else is clearly meant ("..., I'm fine"): he/she is another person
    ("he fever, im fine", {"he": THIRD, "im fine": Role.NOT_PARTICIPANT}, Status.OTHER_PERSON),
    ("he but fever, im fine", {"he": THIRD, "but": TERM, "im fine": Role.NOT_PARTICIPANT},
     Status.AFFIRMED),
    ("he i fever, im fine", {"he": THIRD, "i ": FIRST, "im fine": Role.NOT_PARTICIPANT},
     Status.AFFIRMED),
    # a pronoun next to a person named, not on it, does not make that person the subject
    ("wifehe fever", {"wife": EXP, "he": THIRD}, Status.OTHER_PERSON),
    ("hewife fever", {"he": THIRD, "wife": EXP}, Status.OTHER_PERSON),
])
def test_other_people_as_subject_until_a_stop(text: str, cues: dict[str, Role],
                                             wanted: Status) -> None:
    assert status(text, cues, "fever") is wanted
