"""A routine-level safety net by body system (lexicon.md §2: "when unsure, flag").

The lexicon's specific terms miss many paraphrases ("大便颜色发乌", "my wee is dark
like cola"). This net works on concepts instead of phrases: each rule in
`data/catchall.json` names concepts of one body system (a place such as stool, urine,
belly or skin, and an alarming attribute such as black, red, little, big or yellow,
or a single concept such as a fall or a death wish). A rule fires when every concept
is mentioned in one sentence, the mentions lie within a short window of each other,
and each mention is affirmed by the usual context rules (not negated, hypothetical,
historical, someone else's or resolved). It yields a routine finding, so a specific
term's urgency always wins, and a vague mention still reaches staff for review.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, cached_property

from pro_service.safety.domain.data import load_json
from pro_service.safety.domain.lexicon import (
    Category,
    Term,
    Urgency,
    compile_pattern,
    load_lexicon,
)
from pro_service.safety.domain.prefilter import Gate

_CJK = re.compile(r"[\u3400-\u9fff]")


@dataclass(frozen=True)
class Rule:
    term: Term  # a routine net term standing for the rule in findings
    concepts: tuple[str, ...]


@dataclass(frozen=True)
class Net:
    version: str
    concepts: dict[str, tuple[re.Pattern[str], ...]]
    rules: tuple[Rule, ...]
    window_zh: int
    window_en: int
    pseudo: tuple[re.Pattern[str], ...] = ()

    @cached_property
    def concept_gate(self) -> Gate[str]:
        """Every concept pattern with its concept's name, in the order of `concepts`."""
        return Gate((c, p) for c, patterns in self.concepts.items() for p in patterns)

    @cached_property
    def pseudo_gate(self) -> Gate[None]:
        """The net's own false friends, in order."""
        return Gate((None, p) for p in self.pseudo)


@dataclass(frozen=True)
class Hit:
    concept: str
    start: int
    end: int


@cache
def load_net() -> Net:
    """Load and compile `data/catchall.json` once."""
    data = load_json("catchall.json")
    macros = load_lexicon().macros
    concepts = {
        name: tuple(
            compile_pattern(p, lang, macros) for lang, pats in by_lang.items() for p in pats
        )
        for name, by_lang in data["concepts"].items()
    }
    rules = []
    for row in data["rules"]:
        unknown = set(row["all_of"]) - concepts.keys()
        if unknown or not row["all_of"]:
            raise ValueError(f"catch-all rule {row['id']!r}: unknown concepts {unknown}")
        infusion = row.get("infusion")
        term = Term(
            id=row["id"],
            category=Category(row["category"]),
            urgency=Urgency.ROUTINE,
            language="any",
            patterns=(),
            source=data["source"],
            tags=frozenset(row.get("tags", ())),
            infusion=Urgency(infusion) if infusion else None,
            net=True,
        )
        rules.append(Rule(term, tuple(row["all_of"])))
    return Net(
        data["version"],
        concepts,
        tuple(rules),
        data["window"]["zh-CN"],
        data["window"]["en"],
        tuple(
            compile_pattern(p, lang, macros)
            for lang, pats in data.get("pseudo", {}).items()
            for p in pats
        ),
    )


def find_hits(text: str, blocked: list[tuple[int, int]]) -> list[Hit]:
    """Every concept mention in `text`, leaving out those inside a false friend."""
    net = load_net()
    blocked = blocked + [
        (m.start(), m.end()) for _, m in net.pseudo_gate.finditer(text)
    ]
    spans: dict[str, set[tuple[int, int]]] = {}
    for name, m in net.concept_gate.finditer(text):
        if m.end() > m.start():
            spans.setdefault(name, set()).add((m.start(), m.end()))
    hits = []
    for name, found in spans.items():
        for start, end in sorted(found):
            if not any(s < end and start < e for s, e in blocked):
                hits.append(Hit(name, start, end))
    return hits


def groups(
    hits: list[Hit], sentence_of: Callable[[int], tuple[int, int]], text: str
) -> list[tuple[Rule, tuple[Hit, ...]]]:
    """Each rule with the sets of hits (one per concept) that fire it together.

    Each hit of a rule's first concept anchors a set: the nearest hit of every other
    concept in the same sentence, no further from the anchor than the window.
    """
    net = load_net()
    found: list[tuple[Rule, tuple[Hit, ...]]] = []
    for rule in net.rules:
        first, *rest = rule.concepts
        for anchor in (h for h in hits if h.concept == first):
            sentence = sentence_of(anchor.start)
            chosen = [anchor]
            for concept in rest:
                near = [
                    h
                    for h in hits
                    if h.concept == concept
                    and sentence_of(h.start) == sentence
                    and not (h.start < anchor.end and anchor.start < h.end)
                    and _gap(anchor, h) <= _window(net, text, anchor, h)
                ]
                if not near:
                    break
                chosen.append(min(near, key=lambda h: _gap(anchor, h)))
            else:
                found.append((rule, tuple(sorted(chosen, key=lambda h: h.start))))
    return found


def _gap(a: Hit, b: Hit) -> int:
    return max(a.start, b.start) - min(a.end, b.end)


def _window(net: Net, text: str, a: Hit, b: Hit) -> int:
    lo, hi = min(a.start, b.start), max(a.end, b.end)
    return net.window_zh if _CJK.search(text[lo:hi]) else net.window_en
