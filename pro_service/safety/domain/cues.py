"""Context cues (NegEx / ConText roles) and where they occur in a normalised message.

Source: lexicon.md §5.2 (English cues), §5.3 (Chinese cues), §5.4 (scope rules), §3.1
(infusion context) and §3.10 (self-harm). The word lists live in `data/cues.json`.
Targets are matched first (§5.4 rule 1): a cue that overlaps a symptom phrase, such
as the 不 of 喘不上气, is no cue at all.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from functools import cache, cached_property
from typing import Any, TypeVar

from pro_service.safety.domain.data import load_json
from pro_service.safety.domain.lexicon import compile_pattern, load_lexicon
from pro_service.safety.domain.prefilter import Gate

T = TypeVar("T")


class Role(StrEnum):
    PRE_NEGATION = "pre_negation"
    POST_NEGATION = "post_negation"
    PSEUDO = "pseudo"
    TERMINATION = "termination"
    ANCHOR_NOW = "anchor_now"
    HISTORICAL = "historical"
    RECENT_PAST = "recent_past"
    HYPOTHETICAL = "hypothetical"
    HYPOTHETICAL_NEAR = "hypothetical_near"
    HYPOTHETICAL_BACK = "hypothetical_back"
    REPORTED = "reported"
    EXPERIENCER = "experiencer"
    FIRST_PERSON = "first_person"
    PROXY = "proxy"
    IMPROVING = "improving"
    EXPLANATION = "explanation"
    INFUSION_CONTEXT = "infusion_context"
    ACUTE = "acute"
    QUESTION = "question"
    QUESTION_WEAK = "question_weak"
    CORRECTION = "correction"
    THIRD_PERSON = "third_person"
    LONG_SPELL = "long_spell"
    CAREGIVER_SELF = "caregiver_self"
    NOT_PARTICIPANT = "not_participant"


# Roles read from the whole message or a whole sentence: they may overlap a symptom
# phrase ("ankles less swollen", "吃药自杀") and never compete with other cues.
FREE_ROLES = frozenset(
    {
        Role.IMPROVING,
        Role.EXPLANATION,
        Role.INFUSION_CONTEXT,
        Role.ACUTE,
        Role.PROXY,
        Role.QUESTION,
        Role.QUESTION_WEAK,
        Role.CORRECTION,
        Role.THIRD_PERSON,
        Role.LONG_SPELL,
        Role.CAREGIVER_SELF,
        Role.NOT_PARTICIPANT,
    }
)


@dataclass(frozen=True)
class Cue:
    role: Role
    start: int
    end: int


@dataclass(frozen=True)
class Settings:
    zh_gap: re.Pattern[str]
    zh_gap_chars: int
    en_gap_words: int
    en_connectors: frozenset[str]
    en_conjunctions: frozenset[str]
    en_subject_restart: frozenset[str]
    zh_post_gap_chars: int
    en_post_gap_words: int
    near_gap_chars: int


@dataclass(frozen=True)
class CueRules:
    version: str
    patterns: dict[Role, tuple[re.Pattern[str], ...]]
    settings: Settings

    @cached_property
    def gate(self) -> Gate[Role]:
        """Every cue pattern with its role, in the order of `patterns`."""
        return Gate((r, p) for r, patterns in self.patterns.items() for p in patterns)


def _settings(raw: dict[str, Any]) -> Settings:
    return Settings(
        zh_gap=re.compile(raw["zh_negation_gap"]),
        zh_gap_chars=raw["zh_negation_gap_chars"],
        en_gap_words=raw["en_negation_gap_words"],
        en_connectors=frozenset(raw["en_list_connectors"]),
        en_conjunctions=frozenset(raw["en_list_conjunctions"]),
        en_subject_restart=frozenset(raw["en_subject_restart"]),
        zh_post_gap_chars=raw["zh_post_gap_chars"],
        en_post_gap_words=raw["en_post_gap_words"],
        near_gap_chars=raw["near_gap_chars"],
    )


@cache
def load_cues() -> CueRules:
    """Load and compile `data/cues.json` once."""
    data = load_json("cues.json")
    macros = load_lexicon().macros
    patterns = {
        Role(role): tuple(
            compile_pattern(p, lang, macros)
            for lang, pats in by_lang.items()
            for p in pats
        )
        for role, by_lang in data["cues"].items()
    }
    return CueRules(data["version"], patterns, _settings(data["settings"]))


def find_cues(text: str, taken: list[tuple[int, int]]) -> list[Cue]:
    """Return the cues in `text`, leaving out any that overlap a `taken` span."""
    rules = load_cues()
    free: list[Cue] = []
    competing: list[Cue] = []
    for role, match in rules.gate.finditer(text):
        if match.end() == match.start():
            continue
        cue = Cue(role, match.start(), match.end())
        (free if role in FREE_ROLES else competing).append(cue)
    kept = [
        c
        for c in competing
        if not any(_overlaps(c.start, c.end, s, e) for s, e in taken)
    ]
    chosen = longest_first(kept, key=lambda c: (c.start, c.end))
    return sorted(
        free + [c for c in chosen if c.role is not Role.PSEUDO], key=lambda c: c.start
    )


def longest_first(
    items: list[T],
    key: Callable[[T], tuple[int, int]],
    tier: Callable[[T], int] = lambda _: 0,
) -> list[T]:
    """Keep the longest of overlapping spans, then the earliest (medspaCy's pruning).

    A lower `tier` wins before length is compared.
    """

    def order(item: T) -> tuple[int, int, int]:
        start, end = key(item)
        return tier(item), start - end, start

    ordered = sorted(items, key=order)
    chosen: list[T] = []
    for item in ordered:
        start, end = key(item)
        if not any(_overlaps(start, end, *key(other)) for other in chosen):
            chosen.append(item)
    return chosen


def _overlaps(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    return a_start < b_end and b_start < a_end
