"""Score the detector against a labelled message set (bench/safety_eval.py, tests).

Sensitivity is counted per (message, expected category); specificity over messages that
expect no category; emergency sensitivity over messages whose expected urgency is
emergency, which count only when an expected category is found at emergency.

A detector may also return clarifying questions (an `unsure` attribute on its result,
items with `category` and `urgency`). A question counts as a catch only for its own
category, at its own urgency: a "yes" raises exactly that alert. A question is not an
alert, so it costs no specificity; the questions put to harmless messages are counted.

The goal figures of issue 12: emergency messages reaching urgent or above; red flags
(expected categories of urgent or emergency messages) caught at any urgency; hard
negatives raising an emergency. A row may name its `sender` ("caregiver": the text came
from a registered caregiver's phone); the detector for such rows is passed separately.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pro_service.safety.domain.detect import Finding

RANK = {"routine": 0, "urgent": 1, "emergency": 2}


@dataclass(frozen=True)
class Example:
    text: str
    expected: frozenset[str]
    urgency: str | None
    language: str
    hard_negative: bool
    note: str = ""
    batch: str = ""
    sender: str = "participant"


@dataclass(frozen=True)
class Ratio:
    hits: int
    total: int

    @property
    def value(self) -> float:
        return self.hits / self.total if self.total else 1.0

    def __str__(self) -> str:
        return f"{self.value:.3f} ({self.hits}/{self.total})"


@dataclass
class Report:
    size: int
    languages: Counter[str]
    hard_negatives: int
    per_category: dict[str, Ratio]
    sensitivity: Ratio
    emergency_sensitivity: Ratio
    specificity: Ratio
    hard_specificity: Ratio
    precision: Ratio
    emergency_reach: Ratio = field(default_factory=lambda: Ratio(0, 0))
    red_flags: Ratio = field(default_factory=lambda: Ratio(0, 0))
    hard_emergencies: int = 0
    questions_on_negatives: int = 0
    false_negatives: list[tuple[str, list[str]]] = field(default_factory=list)
    false_positives: list[tuple[str, list[str]]] = field(default_factory=list)
    under_triaged: list[tuple[str, str, str]] = field(default_factory=list)


def load_examples(path: Path) -> list[Example]:
    """Read a JSON-lines evaluation set."""
    examples = []
    for line in path.read_text("utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            examples.append(
                Example(
                    row["text"],
                    frozenset(row["expected"]),
                    row["urgency"],
                    row["language"],
                    bool(row["hard_negative"]),
                    row.get("note", ""),
                    row.get("batch", ""),
                    row.get("sender", "participant"),
                )
            )
    return examples


Detector = Callable[[str], Iterable[Finding]]


def evaluate(
    examples: Sequence[Example],
    detector: Detector,
    caregiver_detector: Detector | None = None,
) -> Report:
    """Run `detector` over `examples` and tally the figures."""
    results = [
        (caregiver_detector or detector)(ex.text)
        if ex.sender == "caregiver"
        else detector(ex.text)
        for ex in examples
    ]
    found = [{str(f.category): str(f.urgency) for f in r} for r in results]
    asked = [
        {str(q.category): str(q.urgency) for q in getattr(r, "unsure", ())}
        for r in results
    ]
    caught = [_caught(f, a) for f, a in zip(found, asked, strict=True)]
    report = _tally(examples, caught, found)
    report.emergency_reach = _reach(examples, caught)
    report.red_flags = _red_flags(examples, caught)
    report.hard_emergencies = sum(
        "emergency" in got.values()
        for ex, got in zip(examples, found, strict=True)
        if ex.hard_negative
    )
    report.questions_on_negatives = sum(
        bool(a) for ex, a in zip(examples, asked, strict=True) if not ex.expected
    )
    return report


def _caught(found: dict[str, str], asked: dict[str, str]) -> dict[str, str]:
    """Alerts plus the alerts a "yes" to each question would raise."""
    out = dict(asked)
    for cat, urgency in found.items():
        if cat not in out or RANK[urgency] >= RANK[out[cat]]:
            out[cat] = urgency
    return out


def _reach(examples: Sequence[Example], caught: list[dict[str, str]]) -> Ratio:
    pairs = [
        (ex, got)
        for ex, got in zip(examples, caught, strict=True)
        if ex.urgency == "emergency"
    ]
    hits = sum(
        any(c in got and RANK[got[c]] >= RANK["urgent"] for c in ex.expected)
        for ex, got in pairs
    )
    return Ratio(hits, len(pairs))


def _red_flags(examples: Sequence[Example], caught: list[dict[str, str]]) -> Ratio:
    pairs = [
        (cat, got)
        for ex, got in zip(examples, caught, strict=True)
        if ex.urgency in {"urgent", "emergency"}
        for cat in ex.expected
    ]
    return Ratio(sum(cat in got for cat, got in pairs), len(pairs))


def _tally(
    examples: Sequence[Example],
    found: list[dict[str, str]],
    alerts: list[dict[str, str]],
) -> Report:
    """Sensitivity from `found` (alerts and questions); specificity from `alerts`."""
    hits: Counter[str] = Counter()
    totals: Counter[str] = Counter()
    report = _empty_report(examples)
    for ex, got, alert in zip(examples, found, alerts, strict=True):
        for cat in ex.expected:
            totals[cat] += 1
            hits[cat] += cat in got
        _record_errors(report, ex, got if ex.expected else alert)
    report.per_category = {c: Ratio(hits[c], totals[c]) for c in sorted(totals)}
    report.sensitivity = Ratio(sum(hits.values()), sum(totals.values()))
    report.emergency_sensitivity = _emergency(examples, found)
    negatives = [
        got for ex, got in zip(examples, alerts, strict=True) if not ex.expected
    ]
    report.specificity = Ratio(sum(not got for got in negatives), len(negatives))
    hard = [got for ex, got in zip(examples, alerts, strict=True) if ex.hard_negative]
    report.hard_specificity = Ratio(sum(not got for got in hard), len(hard))
    detected = [
        (ex, cat) for ex, got in zip(examples, alerts, strict=True) for cat in got
    ]
    report.precision = Ratio(
        sum(cat in ex.expected for ex, cat in detected), len(detected)
    )
    return report


def _empty_report(examples: Sequence[Example]) -> Report:
    zero = Ratio(0, 0)
    return Report(
        size=len(examples),
        languages=Counter(ex.language for ex in examples),
        hard_negatives=sum(ex.hard_negative for ex in examples),
        per_category={},
        sensitivity=zero,
        emergency_sensitivity=zero,
        specificity=zero,
        hard_specificity=zero,
        precision=zero,
    )


def _record_errors(report: Report, ex: Example, got: dict[str, str]) -> None:
    missing = sorted(ex.expected - got.keys())
    extra = sorted(got.keys() - ex.expected)
    if missing:
        report.false_negatives.append((ex.text, missing))
    if extra:
        report.false_positives.append((ex.text, [f"{c}:{got[c]}" for c in extra]))
    matched = [RANK[got[c]] for c in ex.expected if c in got]
    if ex.urgency and matched and max(matched) < RANK[ex.urgency]:
        best = max((got[c] for c in ex.expected if c in got), key=RANK.__getitem__)
        report.under_triaged.append((ex.text, ex.urgency, best))


def _emergency(examples: Sequence[Example], found: list[dict[str, str]]) -> Ratio:
    pairs = [
        (ex, got)
        for ex, got in zip(examples, found, strict=True)
        if ex.urgency == "emergency"
    ]
    hits = sum(any(got.get(c) == "emergency" for c in ex.expected) for ex, got in pairs)
    return Ratio(hits, len(pairs))


def by_batch(examples: Sequence[Example]) -> dict[str, list[Example]]:
    """Group examples by the batch they were written in, in order of appearance."""
    groups: dict[str, list[Example]] = {}
    for ex in examples:
        groups.setdefault(ex.batch, []).append(ex)
    return groups


def format_summary(report: Report) -> str:
    """Render the headline figures on one line."""
    return (
        f"n={report.size} sensitivity {report.sensitivity}, "
        f"emergency {report.emergency_sensitivity}, "
        f"specificity {report.specificity} (hard {report.hard_specificity}); "
        f"goals: emergency>=urgent {report.emergency_reach}, "
        f"red flags {report.red_flags}, "
        f"hard negatives at emergency {report.hard_emergencies}"
    )


def format_report(report: Report) -> str:
    """Render the figures and the confusion list as plain text."""
    langs = ", ".join(f"{k} {v}" for k, v in sorted(report.languages.items()))
    lines = [
        f"messages: {report.size} ({langs}); hard negatives: {report.hard_negatives}",
        "per-category sensitivity:",
        *(f"  {cat:<18} {ratio}" for cat, ratio in report.per_category.items()),
        f"overall sensitivity:   {report.sensitivity}",
        f"emergency sensitivity: {report.emergency_sensitivity}",
        f"specificity:           {report.specificity}",
        f"  on hard negatives:   {report.hard_specificity}",
        f"precision:             {report.precision}",
        f"emergency >= urgent:   {report.emergency_reach}",
        f"red flags caught:      {report.red_flags}",
        f"hard negatives raising an emergency: {report.hard_emergencies}",
        f"questions put to harmless messages:  {report.questions_on_negatives}",
        f"false negatives ({len(report.false_negatives)}):",
        *(f"  - {text!r} missing {cats}" for text, cats in report.false_negatives),
        f"false positives ({len(report.false_positives)}):",
        *(f"  + {text!r} extra {cats}" for text, cats in report.false_positives),
        f"under-triaged ({len(report.under_triaged)}):",
        *(
            f"  v {text!r} expected {want}, got {got}"
            for text, want, got in report.under_triaged
        ),
    ]
    return "\n".join(lines)
