"""Outbox priority: staff safety texts first, then advice, then staff notes, then the rest."""

from __future__ import annotations

import pytest

from pro_service.messages.domain.priority import URGENT, Priority, priority_of


@pytest.mark.parametrize(("kind", "expected"), [
    ("staff_alert", Priority.STAFF_SAFETY),
    ("staff_call", Priority.STAFF_SAFETY),
    ("safety_advice", Priority.PARTICIPANT_ADVICE),
    ("staff_note", Priority.STAFF_NOTE),
    ("staff_delivery_failed", Priority.STAFF_NOTE),
    ("invitation", Priority.ROUTINE),
    ("reminder", Priority.ROUTINE),
    ("anything_new", Priority.ROUTINE),
])
def test_each_kind_has_its_priority(kind, expected):
    assert priority_of(kind) is expected


def test_only_safety_texts_and_advice_wake_the_sender():
    assert [p for p in Priority if p <= URGENT] == [Priority.STAFF_SAFETY, Priority.PARTICIPANT_ADVICE]
