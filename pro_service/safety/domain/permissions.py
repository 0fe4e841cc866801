"""Who may act on a safety alert (DESIGN §10): one rule for SMS, voice, API and pages.

Acknowledging is clinical awareness (it starts the SAE clock), so only staff who can act on the
participant clinically may do it: coordinators and investigators of the participant's site, and
the sponsor's safety officers. Triage (AE / SAE classification) is a medical judgement: the site's
investigators and the safety officers. Admins and analysts read, they never act.
"""

from __future__ import annotations

from collections.abc import Collection

ACK_AT_SITE = frozenset({"coordinator", "investigator"})
TRIAGE_AT_SITE = frozenset({"investigator"})
ANY_SITE = frozenset({"safety_officer"})


def may_acknowledge(role: str, staff_site_ids: Collection[int], alert_site_id: int) -> bool:
    """Tell whether a staff member in `role` at `staff_site_ids` may acknowledge the alert."""
    return role in ANY_SITE or (role in ACK_AT_SITE and alert_site_id in staff_site_ids)


def may_triage(role: str, staff_site_ids: Collection[int], alert_site_id: int) -> bool:
    """Tell whether a staff member in `role` at `staff_site_ids` may classify the alert."""
    return role in ANY_SITE or (role in TRIAGE_AT_SITE and alert_site_id in staff_site_ids)


def refusal(role: str, action: str) -> str:
    """The plain reason given when the role may not act (no alert details in it)."""
    return f"the {role} role may not {action} safety alerts; nothing was changed"
