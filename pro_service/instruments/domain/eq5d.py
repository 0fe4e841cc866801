"""EQ-5D scoring: profile, level-sum score, EQ VAS and the value-set index.

Source: the value-set files and model form of shared/reference/eq5d/README.md (one
citation per set in `data/value_sets/manifest.json`). The level-sum score is the plain
sum of the five levels (5-25); the EQ VAS is reported as given (0-100).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from pro_service.instruments.domain.rows import ScoreRow
from pro_service.instruments.domain.value_sets import (
    DIMENSIONS,
    ValueSet,
    get_value_set,
)

DEFAULT_VALUE_SET = "5L-CN"
VAS_ITEM = "VAS"
VAS_RANGE = (0, 100)
LSS_ALGORITHM = "eq5d5l.lss.v1"
VAS_ALGORITHM = "eq5d.vas.v1"


@dataclass(frozen=True)
class Eq5dSummary:
    """Scores of one EQ-5D-5L response; `reason` says why profile/LSS/index are None."""

    profile: str | None
    level_sum: int | None
    vas: int | None
    index: float | None
    value_set: str
    index_algorithm: str
    level_sum_algorithm: str = LSS_ALGORITHM
    vas_algorithm: str = VAS_ALGORITHM
    reason: str | None = None
    vas_reason: str | None = None


def parse_profile(profile: str, levels: int = 5) -> tuple[int, ...]:
    """Split a profile such as '21354' into levels; ValueError says what is wrong."""
    if not isinstance(profile, str):
        raise ValueError(
            f"EQ-5D profile must be a string of 5 digits, not {type(profile).__name__}"
        )
    if len(profile) != len(DIMENSIONS):
        raise ValueError(
            f"EQ-5D profile {profile!r} must have 5 digits (MO SC UA PD AD), "
            f"not {len(profile)}"
        )
    if not (profile.isascii() and profile.isdigit()):
        raise ValueError(
            f"EQ-5D profile {profile!r} must contain only the digits 1-{levels}"
        )
    bad = [
        dim
        for dim, digit in zip(DIMENSIONS, profile, strict=True)
        if not 1 <= int(digit) <= levels
    ]
    if bad:
        raise ValueError(
            f"EQ-5D profile {profile!r}: level outside 1-{levels} ({levels}L) "
            f"for {', '.join(bad)}"
        )
    return tuple(int(digit) for digit in profile)


def _exact_index(value_set: ValueSet, levels: tuple[int, ...]) -> Decimal:
    if all(level == 1 for level in levels):
        return Decimal(1)
    total = value_set.constant + sum(
        (
            value_set.decrements[(dim, lvl)]
            for dim, lvl in zip(DIMENSIONS, levels, strict=True)
        ),
        Decimal(0),
    )
    if value_set.version == "3L" and 3 in levels:
        total += value_set.n3
    return Decimal(1) - total


def eq5d_index(profile: str, value_set: str = DEFAULT_VALUE_SET) -> float:
    """Return the unrounded index of a profile: 1 - the decrements that apply."""
    tariff = get_value_set(value_set)
    return float(_exact_index(tariff, parse_profile(profile, tariff.levels)))


def format_index(value: float, places: int = 3) -> str:
    """Round an index half-up for display, never printing '-0.000'."""
    rounded = Decimal(repr(value)).quantize(
        Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP
    )
    return str(abs(rounded) if rounded == 0 else rounded)


def _level(dim: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
        raise ValueError(f"EQ-5D answer {dim}={value!r} is not a level 1-5")
    return value


def _vas(value: object) -> int:
    low, high = VAS_RANGE
    if (
        isinstance(value, bool)
        or not isinstance(value, int)
        or not low <= value <= high
    ):
        raise ValueError(f"EQ VAS answer {value!r} is not an integer {low}-{high}")
    return value


def _check_keys(answers: Mapping[str, object]) -> None:
    unknown = sorted(set(answers) - set(DIMENSIONS) - {VAS_ITEM})
    if unknown:
        raise ValueError(f"EQ-5D answers have unknown item ids: {', '.join(unknown)}")


def eq5d_summary(
    answers: Mapping[str, object], value_set: str = DEFAULT_VALUE_SET
) -> Eq5dSummary:
    """Score EQ-5D-5L answers keyed MO, SC, UA, PD, AD, VAS (None = unanswered)."""
    tariff = get_value_set(value_set)
    if tariff.version != "5L":
        raise ValueError(
            f"value set {value_set} is for EQ-5D-3L; EQ-5D-5L answers need a 5L set"
        )
    _check_keys(answers)
    vas_value = answers.get(VAS_ITEM)
    vas = None if vas_value is None else _vas(vas_value)
    given = {
        dim: _level(dim, answers[dim])
        for dim in DIMENSIONS
        if answers.get(dim) is not None
    }
    missing = [dim for dim in DIMENSIONS if dim not in given]
    levels = tuple(given[dim] for dim in DIMENSIONS) if not missing else None
    return Eq5dSummary(
        profile="".join(map(str, levels)) if levels else None,
        level_sum=sum(levels) if levels else None,
        vas=vas,
        index=float(_exact_index(tariff, levels)) if levels else None,
        value_set=value_set,
        index_algorithm=tariff.algorithm_id,
        reason=f"missing dimension(s): {', '.join(missing)}" if missing else None,
        vas_reason="EQ VAS not answered" if vas is None else None,
    )


def eq5d_rows(summary: Eq5dSummary) -> list[ScoreRow]:
    """List the scores present in a summary as EQ5D_INDEX / EQ5D_LSS / EQ5D_VAS rows."""
    rows = []
    if summary.index is not None:
        rows.append(ScoreRow("EQ5D_INDEX", summary.index, summary.index_algorithm))
    if summary.level_sum is not None:
        rows.append(
            ScoreRow("EQ5D_LSS", float(summary.level_sum), summary.level_sum_algorithm)
        )
    if summary.vas is not None:
        rows.append(ScoreRow("EQ5D_VAS", float(summary.vas), summary.vas_algorithm))
    return rows
