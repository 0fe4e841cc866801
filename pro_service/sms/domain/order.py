"""Which open questionnaire the SMS conversation takes up first (DESIGN §5, issue F11).

A participant who is mid-questionnaire keeps going; otherwise the symptom check comes
first (it is the safety-relevant one and takes a minute), then the others oldest first.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")

SYMPTOM_CHECK = "SYMPTOMS"
MID_QUESTIONNAIRE = frozenset({"asking", "confirming", "paused"})


def conversation_order(occasions: Sequence[T], *, instrument: Callable[[T], str],
                       phase: Callable[[T], str | None]) -> list[T]:
    """Order open occasions (given oldest first): started ones, then symptom checks, then the rest."""

    def rank(pair: tuple[int, T]) -> tuple[int, int]:
        position, occ = pair
        if phase(occ) in MID_QUESTIONNAIRE:
            return 0, position
        return (1 if instrument(occ) == SYMPTOM_CHECK else 2), position

    return [occ for _, occ in sorted(enumerate(occasions), key=rank)]
