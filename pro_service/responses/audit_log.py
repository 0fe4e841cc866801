"""The audit log as staff read it: filters, site scoping, the chain check.

It lives in the highest service room because scoping an event to a site means knowing every
entity the chain records (participants, their occasions, responses, alerts). Payloads were
masked when written (`audit.domain.mask_personal`); nothing here unmasks them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa

from pro_service.audit.models import AuditEvent
from pro_service.audit.service import ChainReport, verify_chain
from pro_service.extensions import db
from pro_service.participants.models import Participant
from pro_service.responses.models import Response
from pro_service.safety.models import SafetyAlert
from pro_service.schedule.models import Occasion
from pro_service.staff.models import StaffUser
from pro_service.staff.policy import AUDIT_READERS, require


@dataclass
class AuditPage:
    events: list[AuditEvent]
    page: int
    per_page: int
    has_more: bool


def _site_scope(staff: StaffUser) -> sa.ColumnElement[bool]:
    """Events about participants of the caller's sites, or made by the caller."""
    sites = staff.site_ids or {-1}
    people = sa.select(Participant.id).where(Participant.site_id.in_(sites))
    as_text = lambda col: sa.cast(col, sa.String)  # noqa: E731 - entity ids are stored as text
    return sa.or_(
        AuditEvent.actor == f"staff:{staff.id}",
        sa.and_(AuditEvent.entity_type == "participant", AuditEvent.entity_id.in_(
            sa.select(Participant.study_id).where(Participant.site_id.in_(sites)))),
        sa.and_(AuditEvent.entity_type == "response", AuditEvent.entity_id.in_(
            sa.select(as_text(Response.id)).where(Response.participant_id.in_(people)))),
        sa.and_(AuditEvent.entity_type == "occasion", AuditEvent.entity_id.in_(
            sa.select(as_text(Occasion.id)).where(Occasion.participant_id.in_(people)))),
        sa.and_(AuditEvent.entity_type == "safety_alert", AuditEvent.entity_id.in_(
            sa.select(as_text(SafetyAlert.id)).where(SafetyAlert.site_id.in_(sites)))),
    )


def _participant_filter(study_id: str) -> sa.ColumnElement[bool]:
    person = sa.select(Participant.id).where(Participant.study_id == study_id).scalar_subquery()
    as_text = lambda col: sa.cast(col, sa.String)  # noqa: E731
    return sa.or_(
        sa.and_(AuditEvent.entity_type == "participant", AuditEvent.entity_id == study_id),
        sa.and_(AuditEvent.entity_type == "response", AuditEvent.entity_id.in_(
            sa.select(as_text(Response.id)).where(Response.participant_id == person))),
        sa.and_(AuditEvent.entity_type == "occasion", AuditEvent.entity_id.in_(
            sa.select(as_text(Occasion.id)).where(Occasion.participant_id == person))),
        sa.and_(AuditEvent.entity_type == "safety_alert", AuditEvent.entity_id.in_(
            sa.select(as_text(SafetyAlert.id)).where(SafetyAlert.participant_id == person))),
    )


def audit_events(staff: StaffUser, *, filters: dict[str, Any], page: int, per_page: int) -> AuditPage:
    """A page of audit events, newest first: admins see all, investigators their sites'."""
    require(staff, AUDIT_READERS, "read the audit log")
    stmt = sa.select(AuditEvent)
    if not staff.all_sites:
        stmt = stmt.where(_site_scope(staff))
    if filters.get("participant"):
        stmt = stmt.where(_participant_filter(filters["participant"]))
    if filters.get("actor"):
        stmt = stmt.where(AuditEvent.actor == filters["actor"])
    if filters.get("action"):
        stmt = stmt.where(AuditEvent.action.startswith(filters["action"], autoescape=True))
    if isinstance(filters.get("date_from"), date):
        stmt = stmt.where(AuditEvent.at >= datetime.combine(filters["date_from"], time(), tzinfo=UTC))
    if isinstance(filters.get("date_to"), date):
        end = datetime.combine(filters["date_to"] + timedelta(days=1), time(), tzinfo=UTC)
        stmt = stmt.where(AuditEvent.at < end)
    rows = list(db.session.scalars(stmt.order_by(AuditEvent.id.desc())
                                   .offset((page - 1) * per_page).limit(per_page + 1)))
    return AuditPage(rows[:per_page], page, per_page, len(rows) > per_page)


def verify_audit_chain(staff: StaffUser) -> ChainReport:
    """The same check as `flask audit verify`, for admins and investigators."""
    require(staff, AUDIT_READERS, "verify the audit chain")
    return verify_chain()


def actions() -> list[str]:
    """Distinct audit actions, for the filter's choices."""
    return list(db.session.scalars(sa.select(AuditEvent.action).distinct().order_by(AuditEvent.action)))
