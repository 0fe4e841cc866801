"""Who may use which part of the staff workspace: one rule per capability, checked by services."""

from __future__ import annotations

from pro_service.core.errors import Forbidden
from pro_service.staff.models import Role, StaffUser

# Participants, schedules, answers, the status grid: clinical staff and the safety desk.
WORKSPACE_READERS = frozenset({Role.ADMIN, Role.INVESTIGATOR, Role.COORDINATOR, Role.SAFETY_OFFICER})
# Enrol, change anchors, opt out/in, withdraw, send links, correct answers.
PARTICIPANT_WRITERS = frozenset({Role.ADMIN, Role.INVESTIGATOR, Role.COORDINATOR})
AUDIT_READERS = frozenset({Role.ADMIN, Role.INVESTIGATOR})
STAFF_ADMINS = frozenset({Role.ADMIN})


def require(staff: StaffUser | None, roles: frozenset[Role], what: str) -> StaffUser:
    """Refuse (403) unless the staff member holds one of the roles; return them otherwise."""
    if staff is None or not staff.active or staff.role not in roles:
        role = staff.role if staff else "anonymous"
        raise Forbidden(f"the {role} role may not {what}")
    return staff


def may(staff: StaffUser | None, roles: frozenset[Role]) -> bool:
    """Whether the staff member holds one of the roles (to show or hide a button)."""
    return staff is not None and staff.active and staff.role in roles
