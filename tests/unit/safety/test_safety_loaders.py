"""The loaders turn each row of the safety data files into the rule it describes.

Each test reads the JSON files afresh (`fresh_loaders`), so the loading code runs here and
not only once per process. The expectations come from the rows themselves: a term has the
category, urgency, language, tags and flags its row gives, and nothing else.
"""

from __future__ import annotations

import json
import re
from importlib import resources

import pytest

from pro_service.safety.domain import lexicon as lexicon_module
from pro_service.safety.domain.cues import Role, load_cues
from pro_service.safety.domain.data import load_json
from pro_service.safety.domain.lexicon import (
    Category,
    Urgency,
    compile_pattern,
    load_lexicon,
)
from pro_service.safety.domain.normalise import normalise

pytestmark = pytest.mark.usefixtures("fresh_loaders")


def _raw(name: str) -> dict:
    path = resources.files("pro_service.safety").joinpath("data", name)
    return json.loads(path.read_text("utf-8"))


@pytest.mark.parametrize("name", ["lexicon.json", "cues.json", "catchall.json", "normalise.json"])
def test_a_data_file_is_read_whole_as_utf8_json(name: str) -> None:
    assert load_json(name) == _raw(name)


def test_every_lexicon_row_becomes_a_term_with_the_row_s_fields() -> None:
    rows = _raw("lexicon.json")["terms"]
    terms = load_lexicon().terms
    assert [t.id for t in terms] == [row["id"] for row in rows]
    for row, term in zip(rows, terms, strict=True):
        assert term.category is Category(row["category"]), row["id"]
        assert term.urgency is Urgency(row["urgency"]), row["id"]
        assert term.language == row["language"], row["id"]
        assert term.source == row["source"], row["id"]
        assert term.tags == frozenset(row.get("tags", ())), row["id"]
        infusion = row.get("infusion")
        assert term.infusion == (Urgency(infusion) if infusion else None), row["id"]
        assert term.net is bool(row.get("net", False)), row["id"]
        assert term.negation_shaped is bool(row.get("negation_shaped", False)), row["id"]
        assert len(term.patterns) == len(row["patterns"]), row["id"]


def test_a_term_s_patterns_are_its_row_s_patterns_with_macros_expanded() -> None:
    data = _raw("lexicon.json")
    macros = data["macros"]
    for row, term in zip(data["terms"], load_lexicon().terms, strict=True):
        wanted = [compile_pattern(p, row["language"], macros).pattern for p in row["patterns"]]
        assert [p.pattern for p in term.patterns] == wanted, row["id"]
        assert not any("{" + name + "}" in p.pattern for p in term.patterns for name in macros)


def test_terms_without_flags_are_ordinary_and_flagged_ones_keep_their_flags() -> None:
    terms = load_lexicon().terms
    # both kinds occur in the data, so a loader that ignored a flag would be seen
    assert any(t.net for t in terms) and not all(t.net for t in terms)
    assert any(t.negation_shaped for t in terms) and not all(t.negation_shaped for t in terms)
    assert any(t.infusion for t in terms) and any(t.infusion is None for t in terms)
    assert any(t.tags for t in terms) and any(not t.tags for t in terms)


def test_the_lexicon_keeps_its_version_macros_false_friends_and_combinations() -> None:
    data = _raw("lexicon.json")
    lex = load_lexicon()
    assert lex.version == data["version"]
    assert lex.macros == data["macros"]
    wanted = [
        compile_pattern(p, row["language"], data["macros"]).pattern
        for row in data["pseudo"]
        for p in row["patterns"]
    ]
    assert [p.pattern for p in lex.pseudo] == wanted
    assert len(lex.combinations) == len(data["combinations"])
    for row, combo in zip(data["combinations"], lex.combinations, strict=True):
        assert combo.when == frozenset(row["when"])
        assert combo.category is Category(row["category"])
        assert combo.urgency is Urgency(row["urgency"])
        assert combo.source == row["source"]
    keeps = data["resolution_keeps"]["categories"]
    assert lex.resolution_keeps == frozenset(Category(c) for c in keeps)


@pytest.mark.parametrize(
    "row",
    [
        {"id": "x.en.a", "language": "fr", "patterns": ["a"], "source": "lexicon.md §3"},
        {"id": "x.en.b", "language": "en", "patterns": [], "source": "lexicon.md §3"},
        {"id": "x.en.c", "language": "en", "patterns": ["c"]},
        {"id": "x.en.d", "language": "en", "patterns": ["d"], "source": ""},
    ],
)
def test_a_term_row_without_language_patterns_or_source_is_refused(row: dict) -> None:
    row = {"category": "other", "urgency": "routine", **row}
    with pytest.raises(ValueError, match=re.escape(repr(row["id"]))):
        lexicon_module._term(row, {})


@pytest.mark.parametrize("language", ["zh-CN", "en", "any"])
def test_a_well_formed_term_row_of_each_language_is_accepted(language: str) -> None:
    row = {"id": "x", "category": "renal", "urgency": "urgent", "language": language,
           "patterns": ["ab"], "source": "lexicon.md §3"}
    term = lexicon_module._term(row, {})
    assert (term.id, term.category, term.urgency, term.language) == (
        "x", Category.RENAL, Urgency.URGENT, language)
    assert (term.tags, term.infusion, term.net, term.negation_shaped) == (
        frozenset(), None, False, False)


def test_macros_are_expanded_by_name_before_compiling() -> None:
    pattern = compile_pattern("吐{gap}血", "zh-CN", {"gap": "[了出]?", "other": "x"})
    assert pattern.pattern == "吐[了出]?血"
    assert pattern.search("他吐了血") and pattern.search("吐血")
    assert compile_pattern("a{b}", "zh-CN", {}).pattern == "a{b}"


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("blood", True),
        ("some blood.", True),
        ("blood1", True),  # a digit after a word is no letter of it
        ("(blood)", True),
        ("bloody", False),
        ("lifeblood", False),
        ("3blood", False),
        ("'blood", False),
    ],
)
def test_english_patterns_match_whole_words_only(text: str, found: bool) -> None:
    assert bool(compile_pattern("blood", "en", {}).search(text)) is found


@pytest.mark.parametrize("language", ["zh-CN", "any"])
def test_chinese_and_emoji_patterns_match_anywhere(language: str) -> None:
    pattern = compile_pattern("ab", language, {})
    assert pattern.pattern == "ab"
    assert pattern.search("xabx")


def test_an_english_alternation_is_bounded_as_a_whole() -> None:
    pattern = compile_pattern("pee|wee", "en", {})
    assert pattern.search("wee") and not pattern.search("tweed") and not pattern.search("peel")


def test_every_cue_role_gets_its_patterns_in_every_language() -> None:
    data = _raw("cues.json")
    macros = _raw("lexicon.json")["macros"]
    rules = load_cues()
    assert rules.version == data["version"]
    for role, by_lang in data["cues"].items():
        wanted = [compile_pattern(p, lang, macros).pattern
                  for lang, pats in by_lang.items() for p in pats]
        assert [p.pattern for p in rules.patterns[Role(role)]] == wanted, role


def test_the_cue_settings_are_the_file_s_settings() -> None:
    raw = _raw("cues.json")["settings"]
    settings = load_cues().settings
    assert settings.zh_gap.pattern == raw["zh_negation_gap"]
    assert settings.zh_gap_chars == raw["zh_negation_gap_chars"]
    assert settings.en_gap_words == raw["en_negation_gap_words"]
    assert settings.en_connectors == frozenset(raw["en_list_connectors"])
    assert settings.en_conjunctions == frozenset(raw["en_list_conjunctions"])
    assert settings.en_subject_restart == frozenset(raw["en_subject_restart"])
    assert settings.zh_post_gap_chars == raw["zh_post_gap_chars"]
    assert settings.en_post_gap_words == raw["en_post_gap_words"]
    assert settings.near_gap_chars == raw["near_gap_chars"]


def test_the_normalisation_tables_drop_and_simplify_what_the_file_lists() -> None:
    data = _raw("normalise.json")
    dropped = [chr(int(code[2:], 16)) for code in data["drop"]]
    assert normalise("a" + "".join(dropped) + "b").text == "ab"
    for traditional, simplified in data["traditional_to_simplified"].items():
        assert normalise(traditional).text == simplified.lower(), traditional
