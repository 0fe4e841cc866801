"""The long-format score row every scorer produces for the response service to store."""

from __future__ import annotations

from typing import NamedTuple


class ScoreRow(NamedTuple):
    """One stored score: scale code (e.g. EQ5D_INDEX), value and its algorithm id."""

    scale_code: str
    value: float
    algorithm_id: str
