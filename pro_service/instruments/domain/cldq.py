"""CLDQ scoring: six domain means and the overall mean of domain means.

Source: shared/reference/cldq/README.md. Domains: Younossi ZM et al., Gut 1999;
45:295-300; item map: BMC Res Notes 2012;5:446 Table 2. Items are coded 1-7,
higher = better, none reversed. Overall: convention (a), the mean of the six
domain means (§4.2). Missing items: the project's half rule (§4.3, a project
convention to pre-specify in the SAP): a domain is the mean of its answered items
when at least half are answered; the overall needs all six domains.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from math import ceil

from pro_service.instruments.domain.rows import ScoreRow

DOMAIN_ALGORITHM = "cldq.younossi1999"
OVERALL_ALGORITHM = "cldq.overall.domain_mean.v1"
ITEM_RANGE = (1, 7)
_MAP = {
    "AS": (1, 5, 17),
    "FA": (2, 4, 8, 11, 13),
    "SY": (3, 6, 21, 23, 27),
    "AC": (7, 9, 14),
    "EM": (10, 12, 15, 16, 19, 20, 24, 26),
    "WO": (18, 22, 25, 28, 29),
}
CLDQ_DOMAINS: dict[str, tuple[str, ...]] = {
    domain: tuple(f"CLDQ{number:02d}" for number in numbers)
    for domain, numbers in _MAP.items()
}


@dataclass(frozen=True)
class CldqScores:
    """Domain means (None if too few answers), answered counts and the overall mean."""

    domains: dict[str, float | None]
    answered: dict[str, int]
    overall: float | None
    domain_algorithm: str = DOMAIN_ALGORITHM
    overall_algorithm: str = OVERALL_ALGORITHM
    reason: str | None = None


def minimum_answered(item_count: int) -> int:
    """Return how many items a domain needs to be scored: at least half (ceil)."""
    return ceil(item_count / 2)


def _item_value(item_id: str, value: object) -> int:
    low, high = ITEM_RANGE
    if (
        isinstance(value, bool)
        or not isinstance(value, int)
        or not low <= value <= high
    ):
        raise ValueError(
            f"CLDQ answer {item_id}={value!r} is not an integer {low}-{high}"
        )
    return value


def _domain_mean(values: list[int], item_count: int) -> float | None:
    if len(values) < minimum_answered(item_count):
        return None
    return sum(values) / len(values)


def cldq_scores(
    answers: Mapping[str, object],
    domains: Mapping[str, tuple[str, ...]] = CLDQ_DOMAINS,
) -> CldqScores:
    """Score CLDQ answers keyed CLDQ01..CLDQ29 (None or absent = not answered)."""
    known = {item for items in domains.values() for item in items}
    unknown = sorted(set(answers) - known)
    if unknown:
        raise ValueError(f"CLDQ answers have unknown item ids: {', '.join(unknown)}")
    means: dict[str, float | None] = {}
    answered: dict[str, int] = {}
    for domain, items in domains.items():
        values = [
            _item_value(i, answers[i]) for i in items if answers.get(i) is not None
        ]
        answered[domain] = len(values)
        means[domain] = _domain_mean(values, len(items))
    missing = [domain for domain, mean in means.items() if mean is None]
    present = [mean for mean in means.values() if mean is not None]
    return CldqScores(
        domains=means,
        answered=answered,
        overall=None if missing else sum(present) / len(present),
        reason=f"too few items answered in domain(s): {', '.join(missing)}"
        if missing
        else None,
    )


def cldq_rows(scores: CldqScores, with_counts: bool = False) -> list[ScoreRow]:
    """List present scores as CLDQ_<domain>, CLDQ_OVERALL (and CLDQ_<domain>_N) rows."""
    rows = [
        ScoreRow(f"CLDQ_{domain}", mean, scores.domain_algorithm)
        for domain, mean in scores.domains.items()
        if mean is not None
    ]
    if scores.overall is not None:
        rows.append(ScoreRow("CLDQ_OVERALL", scores.overall, scores.overall_algorithm))
    if with_counts:
        rows += [
            ScoreRow(f"CLDQ_{domain}_N", float(count), "cldq.answered_count.v1")
            for domain, count in scores.answered.items()
        ]
    return rows
