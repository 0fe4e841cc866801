"""The red-flag lexicon: terms per category, false friends and combination rules.

Source: lexicon.md §2 (categories, urgency, §2.1 combinations), §3 (trigger lexicon) and
§4 (false friends). The rows live in `data/lexicon.json`; this module validates and
compiles them once. English patterns match whole words; Chinese ones match anywhere
(§3: longest match first, never a single character).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from functools import cache, cached_property
from typing import Any

from pro_service.safety.domain.data import load_json
from pro_service.safety.domain.prefilter import Gate


class Category(StrEnum):
    GI_BLEEDING = "gi_bleeding"
    ENCEPHALOPATHY = "encephalopathy"
    ASCITES = "ascites"
    INFECTION = "infection"
    JAUNDICE = "jaundice"
    RENAL = "renal"
    INFUSION_REACTION = "infusion_reaction"
    SYNCOPE = "syncope"
    SELF_HARM = "self_harm"
    OTHER = "other"


class Urgency(StrEnum):
    ROUTINE = "routine"
    URGENT = "urgent"
    EMERGENCY = "emergency"

    @property
    def rank(self) -> int:
        return _RANK[self]


_RANK = {Urgency.ROUTINE: 0, Urgency.URGENT: 1, Urgency.EMERGENCY: 2}
LANGUAGES = ("zh-CN", "en", "any")


@dataclass(frozen=True)
class Term:
    id: str
    category: Category
    urgency: Urgency
    language: str  # "zh-CN", "en" or "any" (emoji)
    patterns: tuple[re.Pattern[str], ...]
    source: str
    tags: frozenset[str] = frozenset()
    infusion: Urgency | None = None  # as infusion_reaction, given infusion context
    net: bool = False  # a weak safety-net term: yields to any overlapping term
    # the negation is the symptom ("叫不醒", "no urine"): negation scope does not apply
    negation_shaped: bool = False


@dataclass(frozen=True)
class Combination:
    when: frozenset[str]
    category: Category
    urgency: Urgency
    source: str


@dataclass(frozen=True)
class Lexicon:
    version: str
    terms: tuple[Term, ...]
    pseudo: tuple[re.Pattern[str], ...]
    combinations: tuple[Combination, ...]
    resolution_keeps: frozenset[Category]
    macros: dict[str, str]

    @cached_property
    def ordinary_gate(self) -> Gate[Term]:
        """The patterns of the ordinary terms, in lexicon order."""
        return Gate((t, p) for t in self.terms if not t.net for p in t.patterns)

    @cached_property
    def net_gate(self) -> Gate[Term]:
        """The patterns of the weak safety-net terms, in lexicon order."""
        return Gate((t, p) for t in self.terms if t.net for p in t.patterns)

    @cached_property
    def pseudo_gate(self) -> Gate[None]:
        """The false friends' patterns (§4), in lexicon order."""
        return Gate((None, p) for p in self.pseudo)


def compile_pattern(
    pattern: str, language: str, macros: dict[str, str]
) -> re.Pattern[str]:
    """Expand `{macro}` names and compile; English patterns must match whole words."""
    for name, body in macros.items():
        pattern = pattern.replace("{" + name + "}", body)
    if language == "en":
        pattern = rf"(?<![a-z0-9'])(?:{pattern})(?![a-z])"
    return re.compile(pattern)


def _term(row: dict[str, Any], macros: dict[str, str]) -> Term:
    if row["language"] not in LANGUAGES or not row["patterns"] or not row.get("source"):
        raise ValueError(
            f"lexicon term {row.get('id')!r} needs a language, patterns and a source"
        )
    infusion = row.get("infusion")
    return Term(
        id=row["id"],
        category=Category(row["category"]),
        urgency=Urgency(row["urgency"]),
        language=row["language"],
        patterns=tuple(
            compile_pattern(p, row["language"], macros) for p in row["patterns"]
        ),
        source=row["source"],
        tags=frozenset(row.get("tags", ())),
        infusion=Urgency(infusion) if infusion else None,
        net=bool(row.get("net", False)),
        negation_shaped=bool(row.get("negation_shaped", False)),
    )


@cache
def load_lexicon() -> Lexicon:
    """Load and compile `data/lexicon.json` once."""
    data = load_json("lexicon.json")
    macros: dict[str, str] = data["macros"]
    terms = tuple(_term(row, macros) for row in data["terms"])
    ids = [term.id for term in terms]
    if len(ids) != len(set(ids)):
        raise ValueError("lexicon term ids must be unique")
    pseudo = tuple(
        compile_pattern(p, row["language"], macros)
        for row in data["pseudo"]
        for p in row["patterns"]
    )
    combos = tuple(
        Combination(
            frozenset(c["when"]),
            Category(c["category"]),
            Urgency(c["urgency"]),
            c["source"],
        )
        for c in data["combinations"]
    )
    keeps = frozenset(Category(c) for c in data["resolution_keeps"]["categories"])
    return Lexicon(data["version"], terms, pseudo, combos, keeps, macros)
