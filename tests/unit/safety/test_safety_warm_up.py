"""`warm_up` builds the detector's matchers once per process, before the first text."""

from __future__ import annotations

from pro_service.safety.detect import warm_up
from pro_service.safety.domain import catchall, cues, lexicon


def test_warm_up_loads_and_compiles_what_a_first_text_would(fresh_loaders):
    warm_up()
    built = lexicon.load_lexicon()
    assert lexicon.load_lexicon.cache_info().hits >= 1  # loaded by warm_up, not by this call
    assert {"ordinary_gate", "net_gate", "pseudo_gate"} <= set(vars(built))
    assert cues.load_cues.cache_info().currsize == 1 and catchall.load_net.cache_info().currsize == 1

