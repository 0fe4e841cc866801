"""Find where the lexicon's terms occur in a normalised message (lexicon.md §3, §4).

Every term and false friend is matched (the lexicon's gates skip patterns whose
literals are absent, which finds the same); overlaps are then settled so each stretch
of text speaks for one mention per category.
"""

from __future__ import annotations

from dataclasses import dataclass

from pro_service.safety.domain.cues import longest_first
from pro_service.safety.domain.lexicon import Category, Lexicon, Term
from pro_service.safety.domain.prefilter import Gate

# a matched span and its term; None marks a false friend (§4)
Match = tuple[int, int, Term | None]


@dataclass(frozen=True)
class Mention:
    term: Term
    start: int
    end: int


def find_mentions(text: str, lexicon: Lexicon) -> list[Mention]:
    """Match every term; false friends and longer phrases win overlaps (§3, §4).

    Overlaps are settled within a category: a long phrase of one category ("拉的是黑
    稀的，一天三四次") must not hide a more urgent mention of another inside it,
    while a less urgent one inside it ("vomiting" in "vomiting blood") adds nothing.
    Safety-net terms come last, only where no ordinary term or false friend matched.
    """
    pseudo: list[Match] = [(s, e, None) for s, e in pseudo_spans(text, lexicon)]
    ordinary = _matches(text, lexicon.ordinary_gate)
    kept = _per_category(ordinary, pseudo)
    kept = [m for m in kept if not any(_subsumes(k, m) for k in kept)]
    pseudo = [p for p in pseudo if not any(_beats(k, p) for k in kept)]
    net = _per_category(_matches(text, lexicon.net_gate), pseudo)
    kept += [n for n in net if not any(overlap(n, b) for b in kept + pseudo)]
    return sorted((Mention(t, s, e) for s, e, t in kept if t is not None), key=_start)


def _per_category(matches: list[Match], pseudo: list[Match]) -> list[Match]:
    """Keep the longest of overlapping matches per category (false friends too); a false
    friend as long as a term's match wins it ("confusing" is not "confus\\w*")."""
    return [
        item
        for category in Category
        for item in longest_first(
            pseudo
            + [m for m in matches if m[2] is not None and m[2].category is category],
            key=_span,
        )
        if item[2] is not None
    ]


def _start(mention: Mention) -> int:
    return mention.start


def _subsumes(a: Match, b: Match) -> bool:
    """Whether `a` is a longer, more urgent mention of another category over `b`."""
    if a[2] is None or b[2] is None or a[2].category is b[2].category:
        return False
    return _beats(a, b) and a[2].urgency.rank > b[2].urgency.rank


def _beats(a: Match, b: Match) -> bool:
    return overlap(a, b) and a[1] - a[0] > b[1] - b[0]


def _span(item: Match) -> tuple[int, int]:
    return item[0], item[1]


def overlap(a: Match | tuple[int, int], b: Match | tuple[int, int]) -> bool:
    """Whether two [start, end) spans share a character."""
    return a[0] < b[1] and b[0] < a[1]


def _matches(text: str, gate: Gate[Term]) -> list[Match]:
    return [
        (m.start(), m.end(), term)
        for term, m in gate.finditer(text)
        if m.end() > m.start()
    ]


def pseudo_spans(text: str, lexicon: Lexicon) -> list[tuple[int, int]]:
    """The spans of the false friends (§4) in `text`, in lexicon order."""
    return [
        (m.start(), m.end())
        for _, m in lexicon.pseudo_gate.finditer(text)
        if m.end() > m.start()
    ]
