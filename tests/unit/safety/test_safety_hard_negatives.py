"""Each hard negative of the labelled evaluation set, one test each, raises nothing.

The aggregate floors in test_safety_evaluation_set.py tolerate a few false alarms; a hard
negative here (negated, historical, hypothetical, someone else's, reported, a false friend)
that starts raising an alert fails by name. The held-out set stays a measurement only.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pro_service.safety.domain.evaluation import load_examples
from tests.unit.safety.safety_helpers import found

SET = Path(__file__).resolve().parents[2] / "data" / "safety_messages.jsonl"
HARD_NEGATIVES = [ex for ex in load_examples(SET) if ex.hard_negative]


def test_the_set_has_its_hard_negatives() -> None:
    assert len(HARD_NEGATIVES) >= 250


@pytest.mark.parametrize("text", [ex.text for ex in HARD_NEGATIVES],
                         ids=[f"{i:03d}" for i in range(len(HARD_NEGATIVES))])
def test_hard_negative_raises_no_alert(text: str) -> None:
    assert found(text) == {}
