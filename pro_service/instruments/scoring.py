"""Pure scoring entry points: EQ-5D and CLDQ scores and their long-format rows.

Imports no Flask, SQLAlchemy or marshmallow: workers, exports and tests score anywhere.
"""

from __future__ import annotations

from collections.abc import Mapping

from pro_service.instruments.domain.cldq import (
    CLDQ_DOMAINS,
    CldqScores,
    cldq_rows,
    cldq_scores,
    minimum_answered,
)
from pro_service.instruments.domain.definitions import Instrument
from pro_service.instruments.domain.eq5d import (
    DEFAULT_VALUE_SET,
    Eq5dSummary,
    eq5d_index,
    eq5d_rows,
    eq5d_summary,
    format_index,
    parse_profile,
)
from pro_service.instruments.domain.rows import ScoreRow
from pro_service.instruments.domain.value_sets import (
    ValueSet,
    default_value_set,
    get_value_set,
    value_set_codes,
)

__all__ = [
    "CLDQ_DOMAINS",
    "DEFAULT_VALUE_SET",
    "CldqScores",
    "Eq5dSummary",
    "ScoreRow",
    "ValueSet",
    "cldq_rows",
    "cldq_scores",
    "default_value_set",
    "eq5d_index",
    "eq5d_rows",
    "eq5d_summary",
    "format_index",
    "get_value_set",
    "minimum_answered",
    "parse_profile",
    "score_answers",
    "score_rows",
    "value_set_codes",
]


def score_rows(result: Eq5dSummary | CldqScores) -> list[ScoreRow]:
    """Turn an EQ-5D summary or CLDQ scores into (scale, value, algorithm) rows."""
    if isinstance(result, Eq5dSummary):
        return eq5d_rows(result)
    return cldq_rows(result)


def score_answers(
    instrument: Instrument, answers: Mapping[str, object], value_set: str | None = None
) -> list[ScoreRow]:
    """Score a response with the scorer its instrument names ("none": no rows)."""
    scoring = instrument.scoring
    scorer = scoring.get("scorer")
    if scorer == "eq5d":
        chosen = value_set or str(scoring.get("default_value_set", DEFAULT_VALUE_SET))
        return eq5d_rows(eq5d_summary(answers, chosen))
    if scorer == "cldq":
        raw = scoring.get("domains")
        if not isinstance(raw, Mapping):
            raise ValueError(f"instrument {instrument.code} has no CLDQ domain map")
        domains = {str(code): tuple(items) for code, items in raw.items()}
        return cldq_rows(cldq_scores(answers, domains))
    if scorer == "none":
        return []
    raise ValueError(f"instrument {instrument.code} names an unknown scorer {scorer!r}")
