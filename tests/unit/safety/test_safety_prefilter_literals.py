"""The prefilter's literals: every match of a pattern contains one of them.

Hand cases show what is read from each kind of parse-tree node; the soundness tests
run every lexicon, cue and safety-net pattern on generated strings (strings built to
match the pattern, and spliced messages) and look for the literal in each match.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pro_service.safety.domain.catchall import load_net
from pro_service.safety.domain.cues import load_cues
from pro_service.safety.domain.lexicon import load_lexicon
from pro_service.safety.domain.prefilter import Gate, literals
from tests.unit.safety.prefilter_helpers import messages, patterns

PATTERNS = patterns()
LITERALS = {id(p): literals(p) for p in PATTERNS}


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("吐血", {"吐血"}),
        ("(?:rope|knife|pills)", {"rope", "knife", "pills"}),
        # a literal run outranks a larger product of the alternatives after it
        ("bought (?:a |some )?(?:rope|knife|pills)", {"bought "}),
        ("[起出]?疹子", {"疹子"}),
        ("尿(?:很|太|特别)?少", {"尿少", "尿很少", "尿太少", "尿特别少"}),
        ("(?:no|not) (?:blood|pain)", {"no blood", "no pain", "not blood", "not pain"}),
        ("(?:a|)b", {"b"}),
        ("[0-9一二三]+天", {"天"}),
        ("[ab]c", {"ac", "bc"}),
        ("[a-c]{2}", {"aa", "ab", "ac", "ba", "bb", "bc", "ca", "cb", "cc"}),
        (r"(a)\1", {"a"}),
        ("[^a]bc", {"bc"}),
        (r"\w+ing", {"ing"}),
        ("x{3}", {"xxx"}),
        ("(?:ab){2,3}", {"abab"}),
        ("poo+p?", {"poo"}),
        ("(?:pee|wee)+", {"pee", "wee"}),
        ("(?>ab|cd)e", {"abe", "cde"}),
        # a group's own best literal beats the product of the whole group
        ("(bought (?:a |some )?(?:rope|knife|pills))", {"bought "}),
        ("(?i:blood) clot", {" clot"}),
        # the English wrapper of lexicon.compile_pattern: its lookarounds consume nothing
        (r"(?<![a-z0-9'])(?:drops?)(?![a-z])", {"drop"}),
        (r"^(?=an)and\b$", {"and"}),
        (r"(?<!不)(?!好)疼", {"疼"}),
        # up to six characters a longer literal wins; beyond, the fewer strings
        ("abcde[0-9](?:ghijkl|nopqrs)", {"ghijkl", "nopqrs"}),
        ("abcdef[0-9](?:ghijklm|nopqrst)", {"abcdef"}),
        # a product of up to 64 strings, a group spelt out up to eight times
        ("[a-h]{2}", {a + b for a in "abcdefgh" for b in "abcdefgh"}),
        ("[a-h][a-i]", set("abcdefgh")),
        ("x{9}", {"xxxxxxxx"}),
        ("x{2,10}y", {"xxy", "xxxy", *("x" * n + "y" for n in range(4, 11))}),
    ],
)
def test_literals_read_from_the_parse_tree(pattern: str, expected: set[str]) -> None:
    assert literals(re.compile(pattern)) == expected


@pytest.mark.parametrize(
    "pattern",
    [
        "a|b*",  # an alternative without a literal
        "(?:blood)?",
        ".*",
        r"\d+",
        "[^a-z]{2,}",
        "[\u4e00-\u9fff]+",  # too wide a class to list
        "(?=abc)",
        "(?i)blood",
        "(?i:blood)",
        r"(.)\1",
        "x{0,3}",
    ],
)
def test_patterns_without_a_sure_literal_are_always_run(pattern: str) -> None:
    assert literals(re.compile(pattern)) is None


def test_every_lexicon_cue_and_net_pattern_has_literals() -> None:
    assert [p.pattern for p in PATTERNS if LITERALS[id(p)] is None] == []


def test_the_gates_are_built_once_per_loaded_data() -> None:
    assert load_lexicon().ordinary_gate is load_lexicon().ordinary_gate
    assert load_cues().gate is load_cues().gate
    assert load_net().concept_gate is load_net().concept_gate


@pytest.mark.usefixtures("fresh_loaders")
def test_clearing_the_loader_caches_drops_their_gates() -> None:
    lexicon = load_lexicon()
    gate = lexicon.pseudo_gate
    load_lexicon.cache_clear()
    assert load_lexicon() is not lexicon
    assert load_lexicon().pseudo_gate is not gate


def test_a_gate_keeps_pattern_order_and_runs_patterns_without_literals() -> None:
    gate = Gate([("a", re.compile("吐血")), ("b", re.compile(".")), ("c", re.compile("血"))])
    assert list(gate.runnable("吐血了")) == [0, 1, 2]
    assert list(gate.runnable("出血")) == [1, 2]
    assert list(gate.runnable("")) == [1]
    assert [(k, m.group()) for k, m in gate.finditer("吐血")] == [
        ("a", "吐血"),
        ("b", "吐"),
        ("b", "血"),
        ("c", "血"),
    ]


def test_the_gates_hold_the_data_files_patterns_in_their_order() -> None:
    lexicon, cues, net = load_lexicon(), load_cues(), load_net()
    ordinary = [(t, p) for t in lexicon.terms if not t.net for p in t.patterns]
    weak = [(t, p) for t in lexicon.terms if t.net for p in t.patterns]
    assert list(lexicon.ordinary_gate.items) == ordinary
    assert list(lexicon.net_gate.items) == weak
    assert [p for _, p in lexicon.pseudo_gate.items] == list(lexicon.pseudo)
    assert list(cues.gate.items) == [(r, p) for r, ps in cues.patterns.items() for p in ps]
    assert list(net.concept_gate.items) == [
        (c, p) for c, ps in net.concepts.items() for p in ps
    ]
    assert [p for _, p in net.pseudo_gate.items] == list(net.pseudo)


def contains_a_literal(pattern: re.Pattern[str], text: str) -> bool:
    """Whether every match of `pattern` in `text` holds one of its literals."""
    found = LITERALS[id(pattern)] or {""}
    return all(any(w in m.group() for w in found) for m in pattern.finditer(text))


@settings(max_examples=100, deadline=None, derandomize=True, database=None)
@given(
    st.sampled_from(PATTERNS).flatmap(
        lambda p: st.tuples(st.just(p), st.from_regex(p))
    )
)
def test_strings_made_to_match_a_pattern_contain_its_literals(
    case: tuple[re.Pattern[str], str],
) -> None:
    pattern, text = case
    assert pattern.search(text) is not None
    assert contains_a_literal(pattern, text)


@settings(max_examples=40, deadline=None, derandomize=True, database=None)
@given(messages())
def test_every_pattern_match_in_a_spliced_text_contains_its_literals(text: str) -> None:
    assert [p.pattern for p in PATTERNS if not contains_a_literal(p, text)] == []
