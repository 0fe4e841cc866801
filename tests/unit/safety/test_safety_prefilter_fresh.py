"""Gates built from freshly loaded data run every pattern that can match.

The gates hang off the cached lexicon, cue rules and net, so most tests use gates built
once per process. Here the loaders run afresh (`fresh_loaders`) and the gates are built
in the test: on every corpus text, each pattern that matches is among those the gate runs.
"""

from __future__ import annotations

import pytest

from pro_service.safety.domain.normalise import normalise
from tests.unit.safety.prefilter_helpers import TEXTS, gates

pytestmark = pytest.mark.usefixtures("fresh_loaders")


def test_freshly_built_gates_run_every_pattern_that_matches_the_corpora() -> None:
    norms = sorted({normalise(t).text for t in TEXTS})
    missed = []
    for number, gate in enumerate(gates()):
        runnable: dict[str, frozenset[int]] = {}
        for index, (_, pattern) in enumerate(gate.items):
            for text in filter(pattern.search, norms):
                if text not in runnable:
                    runnable[text] = frozenset(gate.runnable(text))
                if index not in runnable[text]:
                    missed.append((number, pattern.pattern, text))
    assert missed == []


def test_freshly_built_gates_skip_patterns_on_text_without_their_words() -> None:
    # the gates are worth having: on a plain greeting most patterns are not run
    for gate in gates():
        if len(gate.items) > 50:
            assert len(gate.runnable("thank you, see you on monday")) < len(gate.items) / 2
