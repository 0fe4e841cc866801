"""Normalise text before matching while keeping a map back to the original offsets.

Source: lexicon.md §6 (NFKC, zero-width characters, Traditional to Simplified, lower
case, whitespace). Each character is normalised on its own so every output character
knows the input character it came from; the evidence shown to staff is always the
original text.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache

from pro_service.safety.domain.data import load_json


@dataclass(frozen=True)
class Normalised:
    text: str
    origin: tuple[int, ...]  # origin[i]: original index of normalised char i

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a normalised [start, end) span back to the original text."""
        return self.origin[start], self.origin[end - 1] + 1


@cache
def _tables() -> tuple[frozenset[str], dict[str, str]]:
    data = load_json("normalise.json")
    drop = frozenset(chr(int(code[2:], 16)) for code in data["drop"])
    return drop, dict(data["traditional_to_simplified"])


def normalise(text: str) -> Normalised:
    """NFKC, drop zero-width characters, Simplify, lower-case, collapse whitespace."""
    drop, t2s = _tables()
    chars: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        if char in drop:
            continue
        for out in _expand(char, t2s):
            if out.isspace():
                if chars and chars[-1] == " ":
                    continue
                out = " "
            chars.append(out)
            origin.append(index)
    return Normalised("".join(chars), tuple(origin))


def _expand(char: str, t2s: dict[str, str]) -> str:
    nfkc = unicodedata.normalize("NFKC", char)
    return "".join(t2s.get(piece, piece) for piece in nfkc).lower()
