"""Which outbound messages leave first (DESIGN §10: a priority, not a hope)."""

from __future__ import annotations

from enum import IntEnum


class Priority(IntEnum):
    """Lower goes first. Staff safety texts and calls, then advice, then the rest."""

    STAFF_SAFETY = 0
    PARTICIPANT_ADVICE = 1
    STAFF_NOTE = 2
    ROUTINE = 3


# Kinds whose commit wakes a sender at once (NOTIFY on PostgreSQL, a short poll on SQLite).
URGENT = Priority.PARTICIPANT_ADVICE

_BY_KIND = {
    "staff_alert": Priority.STAFF_SAFETY,
    "staff_call": Priority.STAFF_SAFETY,
    "safety_advice": Priority.PARTICIPANT_ADVICE,
    "safety_question": Priority.PARTICIPANT_ADVICE,
}


def priority_of(kind: str) -> Priority:
    """The priority of a message kind: safety first, invitations and reminders last."""
    if kind in _BY_KIND:
        return _BY_KIND[kind]
    if kind.startswith(("staff_alert", "staff_call", "staff_safety")):
        return Priority.STAFF_SAFETY
    if kind.startswith("staff_"):
        return Priority.STAFF_NOTE
    return Priority.ROUTINE
