"""Sentences and clauses of a normalised message, and gaps between cue and target.

Source: lexicon.md §5.4 rule 2. Sentences end at . ! ? ; 。 and new lines. A Chinese
clause also ends at a comma next to a Chinese character (SMS Chinese separates
statements with commas). An English comma is soft: a negation runs across it only
through a list joined by "or", "and" or "nor" ("no fever, chills or black stool").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pro_service.safety.domain.cues import Settings

_SENTENCE_END = re.compile(r"[。!?;\n~]|(?<![0-9])\.|\.(?![0-9])")
_COMMA = re.compile(r"[,:]")
_CJK = re.compile(r"[\u3400-\u9fff]")
_ZH_CONNECTORS = re.compile(r"[、 ]|或者|以及|和|或|及|与|跟")
_WORD = re.compile(r"[a-z0-9'/.]+")


@dataclass(frozen=True)
class Layout:
    text: str
    sentence_ends: tuple[int, ...]
    hard_commas: tuple[int, ...]  # commas that end a Chinese clause, and colons
    soft_commas: tuple[int, ...]  # English commas

    def sentence(self, pos: int) -> tuple[int, int]:
        """Return the [start, end) of the sentence holding `pos`."""
        return _enclosing(self.sentence_ends, pos, len(self.text))

    def clause(self, pos: int) -> tuple[int, int]:
        """Return the [start, end) of the comma-delimited clause holding `pos`."""
        cuts = sorted(self.sentence_ends + self.hard_commas + self.soft_commas)
        return _enclosing(tuple(cuts), pos, len(self.text))


def layout(text: str) -> Layout:
    """Find the sentence ends and the hard and soft commas of `text`."""
    ends = tuple(m.start() for m in _SENTENCE_END.finditer(text))
    hard: list[int] = []
    soft: list[int] = []
    for match in _COMMA.finditer(text):
        pos = match.start()
        is_hard = match.group() == ":" or _next_to_cjk(text, pos)
        (hard if is_hard else soft).append(pos)
    return Layout(text, ends, tuple(hard), tuple(soft))


def _enclosing(cuts: tuple[int, ...], pos: int, length: int) -> tuple[int, int]:
    start = max((c + 1 for c in cuts if c < pos), default=0)
    end = min((c for c in cuts if c >= pos), default=length)
    return start, end


def _next_to_cjk(text: str, pos: int) -> bool:
    before = text[:pos].rstrip()[-1:]
    after = text[pos + 1 :].lstrip()[:1]
    return bool(_CJK.match(before) or _CJK.match(after))


def any_between(positions: tuple[int, ...] | list[int], start: int, end: int) -> bool:
    """Whether any position lies in [start, end)."""
    return any(start <= p < end for p in positions)


def strip_spans(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> str:
    """Return text[start:end] with the given spans inside it removed."""
    inner = sorted((s, e) for s, e in spans if start <= s and e <= end)
    pieces: list[str] = []
    cursor = start
    for s, e in inner:
        pieces.append(text[cursor:s])
        cursor = e
    pieces.append(text[cursor:end])
    return " ".join(pieces)


def gap_allows_negation(gap: str, settings: Settings) -> bool:
    """Whether a pre-negation reaches across `gap` (other targets already removed)."""
    words = [w for w in _WORD.findall(gap) if w not in settings.en_connectors]
    if (
        any(w in settings.en_subject_restart for w in words)
        or len(words) > settings.en_gap_words
    ):
        return False
    chinese = _ZH_CONNECTORS.sub("", _WORD.sub("", gap.replace(",", "")))
    return len(chinese) <= settings.zh_gap_chars and bool(
        settings.zh_gap.match(chinese)
    )


def gap_allows_resolution(gap: str, settings: Settings) -> bool:
    """Whether a post-negation ("烧退了", "fever is gone") reaches back across `gap`."""
    words = _WORD.findall(gap)
    chinese = _CJK.findall(gap)
    return (
        len(words) <= settings.en_post_gap_words
        and len(chinese) <= settings.zh_post_gap_chars
    )


def soft_comma_is_list(
    layout: Layout, comma: int, stop: int, settings: Settings
) -> bool:
    """Whether an English comma continues a list up to `stop` (a conjunction)."""
    words = _WORD.findall(layout.text[comma + 1 : stop])
    return any(w in settings.en_conjunctions for w in words)
