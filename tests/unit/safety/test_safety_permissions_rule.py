"""The pure rule of who may acknowledge and triage an alert."""

from __future__ import annotations

import pytest

from pro_service.safety.domain.permissions import may_acknowledge, may_triage, refusal


@pytest.mark.parametrize(("role", "sites", "ack", "triage"), [
    ("coordinator", {1}, True, False),
    ("investigator", {1}, True, True),
    ("coordinator", {2}, False, False),
    ("investigator", {2, 3}, False, False),
    ("safety_officer", set(), True, True),
    ("admin", set(), False, False),
    ("analyst", set(), False, False),
    ("admin", {1}, False, False),
])
def test_only_clinical_staff_of_the_site_and_safety_officers_may_act(role, sites, ack, triage):
    assert may_acknowledge(role, sites, 1) is ack
    assert may_triage(role, sites, 1) is triage


def test_the_refusal_names_the_role_and_says_nothing_changed():
    assert refusal("analyst", "acknowledge") == (
        "the analyst role may not acknowledge safety alerts; nothing was changed")
