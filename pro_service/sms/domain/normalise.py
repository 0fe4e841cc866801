"""Fold an SMS reply to a comparable form: NFKC, case-folded, trimmed of punctuation."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
_APOSTROPHES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u02bc": "'"})
# Characters kept at the start of a reply because they change its meaning ("-1", ".5").
_KEEP_LEADING = frozenset("+-.")


def _is_edge_noise(char: str) -> bool:
    """Whitespace, punctuation, symbols and controls that may surround a reply."""
    return char.isspace() or unicodedata.category(char)[0] in "PSZC"


def fold(text: str) -> str:
    """Return `text` in NFKC (full-width to ASCII), case-folded, spaces collapsed."""
    folded = unicodedata.normalize("NFKC", text).casefold().translate(_APOSTROPHES)
    return _SPACES.sub(" ", folded).strip()


def trim(text: str, keep_leading: bool = False) -> str:
    """Strip surrounding punctuation, symbols and spaces; maybe keep a leading sign."""
    start, end = 0, len(text)
    while start < end and _is_edge_noise(text[start]):
        if keep_leading and text[start] in _KEEP_LEADING:
            break
        start += 1
    while end > start and _is_edge_noise(text[end - 1]):
        end -= 1
    return text[start:end].strip()


def normalise(text: str, keep_leading: bool = False) -> str:
    """Fold and trim a reply: "Ｓｔｏｐ!" and " stop. " both become "stop"."""
    return trim(fold(text), keep_leading=keep_leading)


_PARTS = re.compile(r"[\s,.!;:，。！；：、]+")


def parts(folded: str) -> list[str]:
    """The pieces of a normalised reply between spaces and punctuation ("好的，开始" -> 好的, 开始)."""
    return [part for part in _PARTS.split(folded) if part]
