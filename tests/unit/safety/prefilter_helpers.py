"""Helpers for the prefilter tests: the corpora, the gates and generated messages."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from pro_service.safety.domain.catchall import load_net
from pro_service.safety.domain.cues import load_cues
from pro_service.safety.domain.lexicon import load_lexicon
from pro_service.safety.domain.prefilter import Gate

DATA = Path(__file__).resolve().parents[2] / "data"
CORPORA = ("safety_messages.jsonl", "safety_heldout.jsonl", "safety_frozen.jsonl")
TEXTS = [
    json.loads(line)["text"]
    for name in CORPORA
    for line in (DATA / name).read_text("utf-8").splitlines()
    if line.strip()
]
_WORDS = re.compile(r"[a-z' ]{2,}|[\u3400-\u9fff]+")
Found = list[tuple[Any, re.Match[str]]]
# every match of every pattern of a gate in a normalised text: (gate, text) -> matches
Replay = dict[tuple[Gate[Any], str], Found]


def gates() -> list[Gate[Any]]:
    """Every gate the detector matches through."""
    lexicon, net = load_lexicon(), load_net()
    return [
        lexicon.ordinary_gate,
        lexicon.net_gate,
        lexicon.pseudo_gate,
        load_cues().gate,
        net.concept_gate,
        net.pseudo_gate,
    ]


def patterns() -> list[re.Pattern[str]]:
    """Every lexicon, cue and safety-net pattern once, in a fixed order."""
    unique = {id(p): p for gate in gates() for _, p in gate.items}
    return sorted(unique.values(), key=lambda p: p.pattern)


def every_match(gate: Gate[Any], text: str, replay: Replay) -> Found:
    """The matches of all the gate's patterns in `text`, in order, none skipped."""
    if (gate, text) not in replay:
        fill(replay, [text])
    return replay[gate, text]


def fill(replay: Replay, texts: list[str]) -> None:
    """Run every pattern of every gate on each text, keeping the matches in order."""
    for gate in gates():
        found: dict[str, Found] = {text: [] for text in texts}
        for key, pattern in gate.items:
            # one C-level pass over the texts; most patterns find nothing
            for text in filter(pattern.search, texts):
                found[text] += [(key, m) for m in pattern.finditer(text)]
        replay.update(((gate, text), matches) for text, matches in found.items())


def words() -> list[str]:
    """Words and phrases written in the lexicon, cue and safety-net patterns."""
    return sorted(
        {w for p in patterns() for w in _WORDS.findall(p.pattern) if w.strip()}
    )


def messages() -> st.SearchStrategy[str]:
    """Texts spliced from corpus fragments, lexicon and cue words, CJK and ASCII."""
    fragment = st.tuples(st.sampled_from(TEXTS), st.integers(0, 40), st.integers(1, 30))
    piece = st.one_of(
        fragment.map(lambda f: f[0][f[1] : f[1] + f[2]]),
        st.sampled_from(words()),
        st.text(st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), max_size=4),
        st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyz '.,?!0123456789"), max_size=8),
    )
    joiner = st.sampled_from(["", " ", "，", "。", ", ", ". ", "\n"])
    return st.lists(st.tuples(piece, joiner), max_size=6).map(
        lambda parts: "".join(p + j for p, j in parts)
    )
