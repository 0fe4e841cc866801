"""How the evaluation set is read and how its figures are tallied and printed.

The detector here is a table of canned results, so each figure can be checked by hand.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from pro_service.safety.domain.evaluation import (
    Example,
    Ratio,
    by_batch,
    evaluate,
    format_report,
    format_summary,
    load_examples,
)


@dataclass(frozen=True)
class F:
    category: str
    urgency: str


class Result(list):  # type: ignore[type-arg]
    """Canned findings with canned questions (`unsure`)."""

    def __init__(self, found: list[F], asked: list[F] | None = None) -> None:
        super().__init__(found)
        self.unsure = asked or []


def test_a_jsonl_row_becomes_an_example_with_defaults_for_what_it_leaves_out(tmp_path: Path) -> None:
    path = tmp_path / "set.jsonl"
    rows = [
        {"text": "吐血了", "expected": ["gi_bleeding"], "urgency": "emergency",
         "language": "zh-CN", "hard_negative": False, "note": "n", "batch": "dev",
         "sender": "caregiver"},
        {"text": "blood test", "expected": [], "urgency": None, "language": "en",
         "hard_negative": 1},
    ]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows[:1]) + "\n\n  \n"
                    + json.dumps(rows[1]) + "\n", "utf-8")
    assert load_examples(path) == [
        Example("吐血了", frozenset({"gi_bleeding"}), "emergency", "zh-CN", False, "n", "dev",
                "caregiver"),
        Example("blood test", frozenset(), None, "en", True, "", "", "participant"),
    ]
    assert load_examples(path)[1].hard_negative is True


EXAMPLES = [
    Example("bleed", frozenset({"gi_bleeding"}), "emergency", "en", False, batch="b1"),
    Example("bleed+fever", frozenset({"gi_bleeding", "infection"}), "urgent", "zh-CN", False,
            batch="b2"),
    Example("fainted", frozenset({"syncope"}), "urgent", "en", False, batch="b1"),
    Example("blood test", frozenset(), None, "en", True, batch="b2"),
    Example("fine", frozenset(), None, "zh-CN", False, batch="b1"),
    Example("hard", frozenset(), None, "mixed", True, batch="b3"),
]
ANSWERS = {
    "bleed": Result([F("gi_bleeding", "urgent")]),
    "bleed+fever": Result([F("gi_bleeding", "routine"), F("renal", "urgent")],
                          [F("infection", "routine")]),
    "fainted": Result([], [F("syncope", "urgent")]),
    "blood test": Result([F("gi_bleeding", "emergency")]),
    "fine": Result([], [F("other", "routine")]),
    "hard": Result([]),
}


def test_the_figures_of_a_small_set_by_hand() -> None:
    report = evaluate(EXAMPLES, ANSWERS.__getitem__)
    assert report.size == 6
    assert report.languages == Counter({"en": 3, "zh-CN": 2, "mixed": 1})
    assert report.hard_negatives == 2
    assert report.per_category == {"gi_bleeding": Ratio(2, 2), "infection": Ratio(1, 1),
                                   "syncope": Ratio(1, 1)}
    assert report.sensitivity == Ratio(4, 4)
    assert report.emergency_sensitivity == Ratio(0, 1)  # found, but only at urgent
    assert report.specificity == Ratio(2, 3)
    assert report.hard_specificity == Ratio(1, 2)
    # alerts: gi_bleeding, gi_bleeding, renal, gi_bleeding (blood test): two of four expected
    assert report.precision == Ratio(2, 4)
    assert report.emergency_reach == Ratio(1, 1)
    assert report.red_flags == Ratio(4, 4)
    assert report.hard_emergencies == 1
    assert report.questions_on_negatives == 1
    assert report.false_negatives == []
    assert report.false_positives == [("bleed+fever", ["renal:urgent"]),
                                      ("blood test", ["gi_bleeding:emergency"])]
    assert report.under_triaged == [("bleed", "emergency", "urgent"),
                                    ("bleed+fever", "urgent", "routine")]


def test_an_alert_outranks_a_question_of_the_same_category_but_not_the_other_way() -> None:
    examples = [Example("x", frozenset({"renal"}), "emergency", "en", False),
                Example("y", frozenset({"renal"}), "emergency", "en", False)]
    answers = {"x": Result([F("renal", "routine")], [F("renal", "emergency")]),
               "y": Result([F("renal", "urgent")], [F("renal", "urgent")])}
    report = evaluate(examples, answers.__getitem__)
    # x: the question's emergency stands; y: equal ranks, the alert's urgent
    assert report.emergency_reach == Ratio(2, 2)
    assert report.under_triaged == [("y", "emergency", "urgent")]
    assert report.emergency_sensitivity == Ratio(1, 2)  # a question counts at its urgency


def test_under_triage_names_the_best_urgency_found() -> None:
    examples = [Example("x", frozenset({"renal", "jaundice"}), "emergency", "en", False)]
    answers = {"x": Result([F("renal", "routine"), F("jaundice", "urgent")])}
    assert evaluate(examples, answers.__getitem__).under_triaged == [("x", "emergency", "urgent")]


def test_a_ratio_of_nothing_is_one_and_prints_its_counts() -> None:
    assert Ratio(0, 0).value == 1.0
    assert str(Ratio(2, 3)) == "0.667 (2/3)"


def test_batches_keep_their_order_of_appearance() -> None:
    batches = by_batch(EXAMPLES)
    assert list(batches) == ["b1", "b2", "b3"]
    assert [ex.text for ex in batches["b1"]] == ["bleed", "fainted", "fine"]


def test_the_summary_line() -> None:
    report = evaluate(EXAMPLES, ANSWERS.__getitem__)
    assert format_summary(report) == (
        "n=6 sensitivity 1.000 (4/4), emergency 0.000 (0/1), specificity 0.667 (2/3) "
        "(hard 0.500 (1/2)); goals: emergency>=urgent 1.000 (1/1), red flags 1.000 (4/4), "
        "hard negatives at emergency 1")


def test_the_report_lists_every_figure_and_every_error() -> None:
    examples = [*EXAMPLES, Example("missed", frozenset({"jaundice"}), None, "en", False)]
    answers = {**ANSWERS, "missed": Result([])}
    assert format_report(evaluate(examples, answers.__getitem__)) == "\n".join([
        "messages: 7 (en 4, mixed 1, zh-CN 2); hard negatives: 2",
        "per-category sensitivity:",
        "  gi_bleeding        1.000 (2/2)",
        "  infection          1.000 (1/1)",
        "  jaundice           0.000 (0/1)",
        "  syncope            1.000 (1/1)",
        "overall sensitivity:   0.800 (4/5)",
        "emergency sensitivity: 0.000 (0/1)",
        "specificity:           0.667 (2/3)",
        "  on hard negatives:   0.500 (1/2)",
        "precision:             0.500 (2/4)",
        "emergency >= urgent:   1.000 (1/1)",
        "red flags caught:      1.000 (4/4)",
        "hard negatives raising an emergency: 1",
        "questions put to harmless messages:  1",
        "false negatives (1):",
        "  - 'missed' missing ['jaundice']",
        "false positives (2):",
        "  + 'bleed+fever' extra ['renal:urgent']",
        "  + 'blood test' extra ['gi_bleeding:emergency']",
        "under-triaged (2):",
        "  v 'bleed' expected emergency, got urgent",
        "  v 'bleed+fever' expected urgent, got routine",
    ])


def test_precision_counts_the_alerts_that_were_expected() -> None:
    examples = [Example("x", frozenset({"renal"}), "urgent", "en", False),
                Example("y", frozenset({"renal"}), "urgent", "en", False)]
    answers = {"x": Result([F("renal", "urgent")]),
               "y": Result([F("renal", "urgent"), F("jaundice", "routine"), F("other", "routine")])}
    assert evaluate(examples, answers.__getitem__).precision == Ratio(2, 4)
    assert evaluate(examples[:1], answers.__getitem__).precision == Ratio(1, 1)
