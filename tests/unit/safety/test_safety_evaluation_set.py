"""The labelled evaluation set: its make-up, and figures that must not regress."""

from __future__ import annotations

from pathlib import Path

import pytest

from pro_service.safety.detect import detect
from pro_service.safety.domain.evaluation import (
    Example,
    Report,
    evaluate,
    load_examples,
)

SET = Path(__file__).resolve().parents[2] / "data" / "safety_messages.jsonl"
CATEGORIES = {
    "gi_bleeding",
    "encephalopathy",
    "ascites",
    "infection",
    "jaundice",
    "renal",
    "infusion_reaction",
    "syncope",
    "self_harm",
    "other",
}


@pytest.fixture(scope="module")
def examples() -> list[Example]:
    return load_examples(SET)


@pytest.fixture(scope="module")
def report(examples: list[Example]) -> Report:
    return evaluate(examples, detect)


def test_set_is_large_bilingual_and_rich_in_hard_negatives(
    examples: list[Example],
) -> None:
    assert len(examples) >= 300
    chinese = sum(ex.language in {"zh-CN", "mixed"} for ex in examples)
    assert chinese >= 0.45 * len(examples)
    assert sum(ex.hard_negative for ex in examples) >= len(examples) / 3


def test_set_rows_are_well_formed(examples: list[Example]) -> None:
    for ex in examples:
        assert ex.expected <= CATEGORIES, ex.text
        assert (ex.urgency is None) == (not ex.expected), ex.text
        assert not (ex.hard_negative and ex.expected), ex.text


def test_emergency_sensitivity_stays_above_its_floor(report: Report) -> None:
    assert report.emergency_sensitivity.value >= 0.98, report.emergency_sensitivity


def test_overall_sensitivity_stays_above_its_floor(report: Report) -> None:
    assert report.sensitivity.value >= 0.97, report.sensitivity
    assert all(ratio.value >= 0.90 for ratio in report.per_category.values()), (
        report.per_category
    )


def test_specificity_and_precision_stay_above_their_floors(report: Report) -> None:
    assert report.specificity.value >= 0.95, report.specificity
    assert report.precision.value >= 0.95, report.precision


def test_metrics_count_a_miss_and_a_false_alarm() -> None:
    examples = [
        Example("a", frozenset({"gi_bleeding"}), "emergency", "en", False),
        Example("b", frozenset(), None, "en", True),
    ]
    report = evaluate(examples, lambda text: detect("吐血") if text == "b" else [])
    assert (report.sensitivity.hits, report.sensitivity.total) == (0, 1)
    assert (report.specificity.hits, report.specificity.total) == (0, 1)
    assert report.false_negatives == [("a", ["gi_bleeding"])]
    assert report.false_positives == [("b", ["gi_bleeding:emergency"])]


class _Asked(list):  # type: ignore[type-arg]
    """A detector result with no alert and one clarifying question."""

    def __init__(self, category: str, urgency: str) -> None:
        super().__init__()
        self.unsure = [type("Q", (), {"category": category, "urgency": urgency})()]


def test_a_question_counts_as_caught_only_for_its_own_category() -> None:
    examples = [
        Example("bleed", frozenset({"gi_bleeding"}), "emergency", "en", False),
        Example("confused", frozenset({"encephalopathy"}), "emergency", "en", False),
        Example("what is melena", frozenset(), None, "en", True),
    ]
    answers = {
        "bleed": _Asked("gi_bleeding", "emergency"),
        "confused": _Asked("gi_bleeding", "emergency"),
        "what is melena": _Asked("gi_bleeding", "emergency"),
    }
    report = evaluate(examples, answers.__getitem__)
    assert (report.emergency_reach.hits, report.emergency_reach.total) == (1, 2)
    assert (report.red_flags.hits, report.red_flags.total) == (1, 2)
    assert (report.specificity.hits, report.specificity.total) == (1, 1)
    assert report.questions_on_negatives == 1
    assert report.hard_emergencies == 0


def test_a_caregiver_row_goes_to_the_caregiver_detector() -> None:
    examples = [Example("x", frozenset({"gi_bleeding"}), "emergency", "en", False,
                        sender="caregiver")]
    report = evaluate(examples, lambda text: [], lambda text: detect("吐血"))
    assert report.emergency_reach.value == 1.0
