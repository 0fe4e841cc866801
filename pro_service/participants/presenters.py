"""Turn a participant into the view its audience may see."""

from __future__ import annotations

from typing import Any

from pro_service.core.crypto import mask_phone
from pro_service.participants.models import Participant
from pro_service.participants.schemas import ParticipantAnalystSchema, ParticipantStaffSchema
from pro_service.participants.service import Keys, phone_of
from pro_service.staff.models import SITE_SCOPED, Role, StaffUser

_analyst = ParticipantAnalystSchema()
_staff = ParticipantStaffSchema()


def participant_view(p: Participant, staff: StaffUser, keys: Keys) -> dict[str, Any]:
    """Fields this audience may see (dumped by the response schema); phone full for own site only."""
    base = {"site": p.site.code, **{k: getattr(p, k) for k in _fields(staff)}}
    if staff.role == Role.ANALYST:
        return base
    phone = phone_of(p, keys)
    own_site = staff.role in SITE_SCOPED and p.site_id in staff.site_ids
    base["phone"] = phone if own_site else mask_phone(phone)
    return base


def _fields(staff: StaffUser) -> list[str]:
    schema = _analyst if staff.role == Role.ANALYST else _staff
    return [name for name in schema.fields if name not in ("site", "phone")]
