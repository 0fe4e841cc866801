"""The literal prefilter changes nothing: screening finds what running every pattern finds.

The reference runs every pattern of every gate, in order, as the detector did before
the prefilter. Its matches are worked out once per text and replayed, so the corpora
cost one pass over all patterns; the screened path is the detector as it ships.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given, settings

from pro_service.safety.domain.catchall import find_hits
from pro_service.safety.domain.cues import find_cues
from pro_service.safety.domain.detect import detect
from pro_service.safety.domain.normalise import normalise
from pro_service.safety.domain.prefilter import Gate
from tests.unit.safety.prefilter_helpers import (
    TEXTS,
    Found,
    Replay,
    every_match,
    fill,
    gates,
    messages,
)


def results(text: str) -> tuple[object, ...]:
    """Everything the detector and its finders report for `text`."""
    norm = normalise(text).text
    return (
        detect(text),
        detect(text, reporter="caregiver"),
        find_cues(norm, []),
        find_hits(norm, []),
    )


def unscreened(texts: list[str], replay: Replay) -> list[tuple[object, ...]]:
    """`results` for each text with every gate running all its patterns."""

    def finditer(gate: Gate[Any], text: str) -> Iterator[tuple[Any, re.Match[str]]]:
        return iter(every_match(gate, text, replay))

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Gate, "finditer", finditer)
        return [results(text) for text in texts]


def spans(found: Found) -> list[tuple[Any, tuple[int, int]]]:
    return [(key, m.span()) for key, m in found]


def gate_differences(text: str, replay: Replay) -> list[int]:
    """The gates whose screened matches in normalised `text` differ from all matches."""
    return [
        index
        for index, gate in enumerate(gates())
        if spans(list(gate.finditer(text))) != spans(every_match(gate, text, replay))
    ]


@pytest.fixture(scope="module")
def replay() -> Replay:
    """Every match on the corpora, worked out once for the module."""
    found: Replay = {}
    fill(found, sorted({normalise(t).text for t in TEXTS}))
    return found


def test_each_gate_yields_every_match_of_its_patterns_on_the_corpora(
    replay: Replay,
) -> None:
    norms = sorted({normalise(t).text for t in TEXTS})
    assert [(t, d) for t in norms if (d := gate_differences(t, replay))] == []


def test_detection_with_the_prefilter_equals_running_every_pattern_on_the_corpora(
    replay: Replay,
) -> None:
    screened = [results(text) for text in TEXTS]
    reference = unscreened(TEXTS, replay)
    assert [t for t, a, b in zip(TEXTS, screened, reference, strict=True) if a != b] == []


@settings(max_examples=100, deadline=None, derandomize=True, database=None)
@given(text=messages())
def test_detection_with_the_prefilter_equals_running_every_pattern_on_spliced_texts(
    replay: Replay, text: str
) -> None:
    assert gate_differences(normalise(text).text, replay) == []
    assert results(text) == unscreened([text], replay)[0]
