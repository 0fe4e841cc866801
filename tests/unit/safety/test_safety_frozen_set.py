"""The frozen batch of issue 12: never edited, its make-up, and the issue's goals.

tests/data/safety_frozen.jsonl was written from how patients and caregivers text and
committed (cb2f35e) before the detector changes of issue 12; bench/safety_eval.py
prints its figures before and after. Tuning goes into the tuning set only.
"""

from __future__ import annotations

import hashlib
from functools import partial
from pathlib import Path

import pytest

from pro_service.safety.detect import detect
from pro_service.safety.domain.evaluation import Example, Report, evaluate, load_examples
from tests.unit.safety.test_safety_evaluation_set import CATEGORIES

FROZEN = Path(__file__).resolve().parents[2] / "data" / "safety_frozen.jsonl"
SHA256 = "a77b108df4d4992d48a52109a3fd80bb8f02e4c9a3251580360eee0ada336237"


@pytest.fixture(scope="module")
def examples() -> list[Example]:
    return load_examples(FROZEN)


@pytest.fixture(scope="module")
def report(examples: list[Example]) -> Report:
    return evaluate(examples, detect, partial(detect, reporter="caregiver"))


def test_the_frozen_batch_is_unchanged() -> None:
    assert hashlib.sha256(FROZEN.read_bytes()).hexdigest() == SHA256


def test_the_frozen_batch_has_the_make_up_the_issue_asks_for(
    examples: list[Example],
) -> None:
    assert len(examples) >= 300
    assert sum(ex.language == "zh-CN" for ex in examples) >= len(examples) / 2
    assert sum(ex.urgency == "emergency" for ex in examples) >= 60
    assert sum(ex.hard_negative for ex in examples) >= 0.4 * len(examples)
    assert {c for ex in examples for c in ex.expected} == CATEGORIES
    assert any(ex.sender == "caregiver" for ex in examples)


def test_the_frozen_batch_meets_the_goals_of_issue_12(report: Report) -> None:
    assert report.emergency_reach.value >= 0.98, report.emergency_reach
    assert report.red_flags.value >= 0.95, report.red_flags
    assert report.specificity.value >= 0.90, report.specificity
    assert report.hard_emergencies == 0
