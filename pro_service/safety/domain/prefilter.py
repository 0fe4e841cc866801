"""Skip patterns that cannot match a message: a literal prefilter for the lexicon.

Every inbound SMS is matched against some 2,400 lexicon, cue and safety-net patterns,
and almost all of them find nothing. `literals(pattern)` reads a pattern's parse tree
and returns strings of which every match must contain one ("bought " for
"bought (?:a |some )?(?:rope|knife|pills)", {"疹子"} for "[起出]?疹子"), or None when
it cannot tell. A `Gate` scans a message once for all its patterns' literals (a
trie) and names the patterns worth running, in their original order, so the matches
and every tie-break downstream stay exactly those of running all patterns. The idea
is the "required literals" prefilter of RE2's FilteredRE2 and Hyperscan.
"""

from __future__ import annotations

import re
import re._constants as sre  # the parse tree's opcodes; Python 3.11+
import re._parser as sre_parse
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import product
from typing import Any, Generic, TypeVar

# at most this many strings in a finite set (a class, a product of groups)
MAX_SET = 64
# a repeated group is spelt out this many times at most ("(?:ab){2}" as "abab")
MAX_COPIES = 8
# beyond this many characters a longer literal is no more selective
ENOUGH_CHARS = 6
_END = ""  # the trie key that marks the end of a literal (no character is "")

Literals = frozenset[str]
K = TypeVar("K")


@dataclass(frozen=True)
class _Info:
    """What a piece of a pattern matches: all its strings, if few, and its literals.

    `exact` holds every string the piece can match (a superset is fine; None: too
    many); `need` holds strings of which each match contains one (None: unknown).
    """

    exact: Literals | None
    need: Literals | None


_UNKNOWN = _Info(None, None)
_EMPTY = _Info(frozenset({""}), None)  # an anchor or lookaround: consumes nothing


def literals(pattern: re.Pattern[str]) -> Literals | None:
    """Strings of which every match of `pattern` contains one, or None if unknown."""
    if pattern.flags & re.IGNORECASE:
        return None
    tree = sre_parse.parse(pattern.pattern, pattern.flags)
    return _best(_sequence(list(tree)))


def _sequence(items: list[tuple[Any, Any]]) -> _Info:
    """A run of parse-tree items: the best literals of its stretches or its parts."""
    pieces = _merged([info for op, av in items for info in _pieces(op, av)])
    whole: Literals | None = frozenset({""})
    options: list[Literals] = []
    for index, piece in enumerate(pieces):
        whole = _concat(whole, piece.exact)
        options += [piece.need] if piece.need is not None else []
        if piece.exact is None:
            continue
        stretch: Literals | None = frozenset({""})
        for later in pieces[index:]:
            stretch = _concat(stretch, later.exact)
            if stretch is None:
                break
            options.append(stretch)
    return _Info(whole, _choose(options))


def _merged(pieces: list[_Info]) -> list[_Info]:
    """Join neighbouring pieces that each match one string ("c", "a", "n" → "can")."""
    out: list[_Info] = []
    for piece in pieces:
        if out and _single(out[-1]) and _single(piece):
            out[-1] = _Info(_concat(out[-1].exact, piece.exact), None)
        else:
            out.append(piece)
    return out


def _single(piece: _Info) -> bool:
    return piece.exact is not None and len(piece.exact) == 1


def _concat(left: Literals | None, right: Literals | None) -> Literals | None:
    if left is None or right is None or len(left) * len(right) > MAX_SET:
        return None
    return frozenset(a + b for a, b in product(left, right))


def _pieces(op: Any, av: Any) -> list[_Info]:
    """The parts of one parse-tree item, as a sequence of pieces."""
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
        low, high, body = av
        return _repeat(low, high, _sequence(list(body)))
    return [_item(op, av)]


def _item(op: Any, av: Any) -> _Info:
    if op is sre.LITERAL:
        return _Info(frozenset({chr(av)}), None)
    if op is sre.IN:
        chars = _class(av)
        return _UNKNOWN if chars is None else _Info(chars, None)
    if op is sre.SUBPATTERN:
        _, add_flags, _, body = av
        return _UNKNOWN if add_flags & re.IGNORECASE else _sequence(list(body))
    if op is sre.ATOMIC_GROUP:
        return _sequence(list(av))
    if op is sre.BRANCH:
        _, alternatives = av
        return _branch([_sequence(list(alt)) for alt in alternatives])
    if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
        return _EMPTY
    return _UNKNOWN  # any character, a negated literal, a back reference


def _class(items: list[tuple[Any, Any]]) -> Literals | None:
    """The characters of a `[...]` class when it is a short list of them."""
    chars: set[str] = set()
    for op, av in items:
        if op is sre.LITERAL:
            chars.add(chr(av))
        elif op is sre.RANGE and av[1] - av[0] < MAX_SET:
            chars.update(chr(c) for c in range(av[0], av[1] + 1))
        else:
            return None  # a negation, a category (\w, \s) or a wide range
    return frozenset(chars) if len(chars) <= MAX_SET else None


def _branch(alternatives: list[_Info]) -> _Info:
    exact: set[str] | None = set()
    need: set[str] | None = set()
    for alt in alternatives:
        exact = None if exact is None or alt.exact is None else exact | alt.exact
        own = _best(alt)
        need = None if need is None or own is None else need | own
    if exact is not None and len(exact) > MAX_SET:
        exact = None
    return _Info(
        None if exact is None else frozenset(exact),
        None if need is None else frozenset(need),
    )


def _repeat(low: int, high: int, body: _Info) -> list[_Info]:
    """`body{low,high}` as `low` copies of the body and an optional rest."""
    if body.exact is None:
        return [_Info(None, body.need if low >= 1 else None)]
    copies = [body] * min(low, MAX_COPIES)
    if high == low and low <= MAX_COPIES:
        return copies
    if high - low > MAX_COPIES or low > MAX_COPIES:
        return [*copies, _UNKNOWN]
    optional: Literals = frozenset({""})
    power: Literals | None = optional
    for _ in range(high - low):
        power = _concat(power, body.exact)
        if power is None:
            return [*copies, _UNKNOWN]
        optional |= power
    return [*copies, _Info(optional if len(optional) <= MAX_SET else None, None)]


def _best(info: _Info) -> Literals | None:
    return _choose([s for s in (info.exact, info.need) if s is not None])


def _choose(options: Iterable[Literals]) -> Literals | None:
    """The most selective set: its shortest string longest, then the fewest strings."""
    usable = [s for s in options if s and "" not in s]
    if not usable:
        return None
    return max(usable, key=lambda s: (min(ENOUGH_CHARS, *map(len, s)), -len(s)))


class Gate(Generic[K]):
    """Keyed patterns in a fixed order, run only where their literals occur.

    `finditer(text)` yields each pattern's key and matches in the order of `items`,
    exactly as running every pattern would: a skipped pattern has no match.
    """

    def __init__(self, items: Iterable[tuple[K, re.Pattern[str]]]) -> None:
        self.items = tuple(items)
        always: list[int] = []
        gated: dict[str, list[int]] = {}
        for index, (_, pattern) in enumerate(self.items):
            found = literals(pattern)
            if found is None:
                always.append(index)
            for literal in found or ():
                gated.setdefault(literal, []).append(index)
        self._always = frozenset(always)
        self._gated = {literal: tuple(ids) for literal, ids in gated.items()}
        self._trie = _trie(self._gated)
        # one message is matched against the same list several times (detect.py)
        self._cached = lru_cache(maxsize=16)(self._select)

    def finditer(self, text: str) -> Iterator[tuple[K, re.Match[str]]]:
        """Each (key, match) of the patterns in `text`, in pattern order."""
        items = self.items
        for index in self.runnable(text):
            key, pattern = items[index]
            for match in pattern.finditer(text):
                yield key, match

    def runnable(self, text: str) -> Sequence[int]:
        """Indices of the patterns that may match `text`, in ascending order."""
        return self._cached(text)

    def _select(self, text: str) -> tuple[int, ...]:
        ids = set(self._always)
        for literal in _occurring(self._trie, text):
            ids.update(self._gated[literal])
        return tuple(sorted(ids))


Trie = dict[str, "Trie"]


def _trie(words: Iterable[str]) -> Trie:
    root: Trie = {}
    for word in words:
        node = root
        for char in word:
            node = node.setdefault(char, {})
        node[_END] = {}
    return root


def _occurring(root: Trie, text: str) -> set[str]:
    """The trie's words that occur in `text`."""
    found: set[str] = set()
    for start in range(len(text)):
        node = root.get(text[start])
        end = start + 1
        while node is not None:
            if _END in node:
                found.add(text[start:end])
            if end == len(text):
                break
            node = node.get(text[end])
            end += 1
    return found
