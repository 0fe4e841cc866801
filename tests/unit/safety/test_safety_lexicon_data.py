"""The lexicon and cue data files load, cite their source and compile."""

from __future__ import annotations

from pro_service.safety.domain.cues import Role, load_cues
from pro_service.safety.domain.data import load_json
from pro_service.safety.domain.lexicon import Category, load_lexicon


def test_every_term_cites_a_lexicon_section() -> None:
    for row in load_json("lexicon.json")["terms"]:
        assert row["source"].startswith("lexicon.md §"), row["id"]
        assert row["id"].split(".")[1] in {"zh", "en", "any"}, row["id"]


def test_every_category_has_terms_in_both_languages() -> None:
    terms = load_lexicon().terms
    for category in Category:
        if category is Category.INFUSION_REACTION:
            continue  # reached through infusion context (lexicon.md §3.8)
        languages = {t.language for t in terms if t.category is category}
        assert {"zh-CN", "en"} <= languages, category


def test_infusion_reaction_terms_exist_through_the_infusion_field() -> None:
    assert any(t.infusion is not None for t in load_lexicon().terms)


def test_every_cue_role_is_known_and_has_patterns() -> None:
    rules = load_cues()
    assert set(rules.patterns) == set(Role)
    assert all(rules.patterns[role] for role in Role)


def test_no_single_character_chinese_trigger() -> None:
    for row in load_json("lexicon.json")["terms"]:
        if row["language"] == "zh-CN":
            assert all(len(p) > 1 for p in row["patterns"]), row["id"]
