"""Caregivers of a participant (issue 12): register, list, deactivate, find by phone.

A caregiver's texts are about the participant (the SMS room screens them so). Staff of
the participant's site who may write participants register caregivers; the phone is
stored encrypted with an HMAC blind index and is never in an audit payload or log.
Analysts see no caregiver at all (names and phones are personal data).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa

from pro_service.audit.service import record_event
from pro_service.core import crypto
from pro_service.core.db import unit_of_work
from pro_service.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from pro_service.core.phones import normalise_mobile
from pro_service.extensions import db
from pro_service.participants.domain import LANGUAGES
from pro_service.participants.models import Caregiver, Participant
from pro_service.participants.service import Keys, get_participant
from pro_service.staff.models import SITE_SCOPED, Role, StaffUser
from pro_service.staff.policy import PARTICIPANT_WRITERS, require

READERS = (Role.ADMIN, Role.INVESTIGATOR, Role.COORDINATOR, Role.SAFETY_OFFICER)
MAX_NAME, MAX_RELATION = 100, 40


def snapshot(cg: Caregiver) -> dict[str, Any]:
    """The caregiver's fields for an audit event (never the phone)."""
    return {"participant": cg.participant.study_id if cg.participant else cg.participant_id,
            "name": cg.name, "relation": cg.relation, "language": cg.language,
            "consent_date": cg.consent_date.isoformat(), "active": cg.active}


def register_caregiver(study_id: str, data: dict[str, Any], *, staff: StaffUser, keys: Keys,
                       now: datetime) -> Caregiver:
    """Register a caregiver for a participant of the staff member's site."""
    require(staff, PARTICIPANT_WRITERS, "register caregivers")
    with unit_of_work() as session:
        p = get_participant(study_id, staff)
        fields = _validated(data, now)
        e164 = _phone(data.get("phone"))
        index = crypto.blind_index(e164, keys.index_key, "phone")
        if session.scalar(sa.select(Participant.id).where(Participant.phone_index == index)):
            raise Conflict("this phone number belongs to a participant")
        if session.scalar(sa.select(Caregiver.id).where(Caregiver.phone_index == index)):
            raise Conflict("this phone number is already registered for a caregiver")
        cg = Caregiver(participant=p, phone_enc=crypto.encrypt(e164, keys.data_key, "caregiver.phone"),
                       phone_index=index, active=True, created_at=now, updated_at=now, **fields)
        session.add(cg)
        session.flush()
        record_event(actor=f"staff:{staff.id}", action="caregiver.register", entity_type="caregiver",
                     entity_id=cg.id, now=now, after=snapshot(cg))
        return cg


def list_caregivers(study_id: str, *, staff: StaffUser) -> list[Caregiver]:
    """The participant's caregivers, active first."""
    _may_read(staff)
    p = get_participant(study_id, staff)
    return list(db.session.scalars(sa.select(Caregiver).where(Caregiver.participant_id == p.id)
                                   .order_by(Caregiver.active.desc(), Caregiver.id)))


def deactivate_caregiver(study_id: str, caregiver_id: int, *, staff: StaffUser, now: datetime,
                         reason: str) -> Caregiver:
    """Stop treating texts from this caregiver's phone as reports (kept for the record)."""
    require(staff, PARTICIPANT_WRITERS, "change caregivers")
    with unit_of_work():
        p = get_participant(study_id, staff)
        cg = db.session.get(Caregiver, caregiver_id)
        if cg is None or cg.participant_id != p.id:
            raise NotFound("no such caregiver for this participant")
        before = snapshot(cg)
        cg.active, cg.updated_at = False, now
        record_event(actor=f"staff:{staff.id}", action="caregiver.deactivate", entity_type="caregiver",
                     entity_id=cg.id, now=now, before=before, after=snapshot(cg), reason=reason)
        return cg


def caregiver_opt_out(cg: Caregiver, *, now: datetime) -> Caregiver:
    """The caregiver texted STOP: their phone is no longer a caregiver's (audited)."""
    with unit_of_work():
        before = snapshot(cg)
        cg.active, cg.updated_at = False, now
        record_event(actor=f"caregiver:{cg.id}", action="caregiver.opt_out", entity_type="caregiver",
                     entity_id=cg.id, now=now, before=before, after=snapshot(cg),
                     reason="caregiver replied STOP")
        return cg


def find_caregiver_by_phone(e164: str, keys: Keys) -> Caregiver | None:
    """An active caregiver from an inbound number, through the blind index."""
    index = crypto.blind_index(e164, keys.index_key, "phone")
    return db.session.scalar(sa.select(Caregiver).where(Caregiver.phone_index == index,
                                                        Caregiver.active.is_(True)))


def caregiver_phone(cg: Caregiver, staff: StaffUser, keys: Keys) -> str:
    """The phone in full for the participant's own site staff, masked for others."""
    phone = crypto.decrypt(cg.phone_enc, keys.data_key, "caregiver.phone")
    own_site = staff.role in SITE_SCOPED and cg.participant.site_id in staff.site_ids
    return phone if own_site else crypto.mask_phone(phone)


def _may_read(staff: StaffUser) -> None:
    if staff.role not in READERS:
        raise Forbidden("your role may not see caregivers")


def _phone(raw: Any) -> str:
    if not isinstance(raw, str) or not raw.strip():
        raise InvalidInput("phone is required")
    return normalise_mobile(raw)


def _validated(data: dict[str, Any], now: datetime) -> dict[str, Any]:
    name = str(data.get("name") or "").strip()
    relation = str(data.get("relation") or "").strip()
    language = data.get("language") or "zh-CN"
    consent = data.get("consent_date")
    problems = []
    if not name or len(name) > MAX_NAME:
        problems.append(f"name: 1 to {MAX_NAME} characters")
    if not relation or len(relation) > MAX_RELATION:
        problems.append(f"relation: 1 to {MAX_RELATION} characters")
    if language not in LANGUAGES:
        problems.append(f"language: one of {', '.join(LANGUAGES)}")
    if not isinstance(consent, date):
        problems.append("consent_date: a date is required")
    elif consent > now.date():
        problems.append("consent_date: cannot be in the future")
    if problems:
        raise InvalidInput("; ".join(problems), problems=problems)
    return {"name": name, "relation": relation, "language": language, "consent_date": consent}
