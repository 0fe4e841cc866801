"""The safety desk's read side and contact log: the alert queue, one alert with everything around
it, and "called the participant" entries (DESIGN §10). Rules come from `service`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from pro_service.audit.service import record_event
from pro_service.core.db import unit_of_work
from pro_service.core.errors import InvalidInput, NotFound
from pro_service.extensions import db
from pro_service.messages.models import Message
from pro_service.participants.models import Participant
from pro_service.safety import service
from pro_service.safety.models import AlertContact, SafetyAlert, VoiceCall
from pro_service.safety.rota import sites_without_on_call
from pro_service.schedule import service as schedule
from pro_service.schedule.models import Occasion
from pro_service.staff.models import Site, StaffUser

CONTACT_OUTCOMES = ("reached", "no_answer", "left_message", "wrong_number")
FIRST_WORDS = 60
THREAD = 12  # the last SMS exchanged with the participant, both ways
_STATUS_RANK = sa.case({"open": 0, "acknowledged": 1, "triaged": 2}, value=SafetyAlert.status, else_=3)
_URGENCY_RANK = sa.case({"emergency": 0, "urgent": 1}, value=SafetyAlert.urgency, else_=2)


@dataclass(frozen=True)
class QueueItem:
    alert: SafetyAlert
    study_id: str
    site_code: str
    zone: str
    first_words: str


@dataclass
class AlertView:
    alert: SafetyAlert
    participant: Participant
    site: Site
    own_messages: list[Message]
    thread: list[Message]
    occasions: list[Occasion]
    notices: list[tuple[Message, StaffUser | None]]
    calls: list[tuple[VoiceCall, StaffUser | None]]
    contacts: list[tuple[AlertContact, StaffUser | None]]
    ack_by: StaffUser | None
    triaged_by: StaffUser | None
    actions: dict[str, bool] = field(default_factory=dict)


def alert_queue(staff: StaffUser, *, filters: dict[str, Any], limit: int = 200) -> list[QueueItem]:
    """Alerts the caller may see: open first, then by urgency, then by time to next escalation."""
    stmt = service.visible_alerts(staff).join(Site, Site.id == SafetyAlert.site_id)
    if filters.get("site"):
        stmt = stmt.where(Site.code == filters["site"])
    for name in ("status", "urgency", "category"):
        if filters.get(name):
            stmt = stmt.where(getattr(SafetyAlert, name) == filters[name])
    stmt = stmt.order_by(_STATUS_RANK, _URGENCY_RANK, SafetyAlert.next_escalation_at.is_(None),
                         SafetyAlert.next_escalation_at, SafetyAlert.created_at.desc()).limit(limit)
    stmt = stmt.options(selectinload(SafetyAlert.participant).selectinload(Participant.site))
    alerts = db.session.scalars(stmt).all()
    bodies = _message_bodies([e.get("message_id") for a in alerts for e in a.evidence])
    return [QueueItem(a, a.participant.study_id, a.participant.site.code, a.participant.site.timezone,
                      _first_words(a, bodies)) for a in alerts]


def _message_bodies(ids: list[Any]) -> dict[int, str]:
    wanted = [i for i in ids if isinstance(i, int)]
    if not wanted:
        return {}
    return dict(db.session.execute(sa.select(Message.id, Message.body).where(
        Message.id.in_(wanted))).tuples().all())


def _first_words(alert: SafetyAlert, bodies: dict[int, str]) -> str:
    for item in alert.evidence:
        text = bodies.get(item.get("message_id")) or item.get("excerpt") or ""
        if text:
            return text if len(text) <= FIRST_WORDS else text[:FIRST_WORDS].rstrip() + "…"
    return ""


def alert_by_code(code: str, staff: StaffUser) -> SafetyAlert:
    """One alert the caller may see, by its code (404 otherwise, the same for every reason)."""
    alert = db.session.scalar(service.visible_alerts(staff).where(SafetyAlert.code == code.strip()))
    if alert is None:
        raise NotFound(f"no alert {code}")
    return alert


def alert_view(code: str, staff: StaffUser, *, now: datetime) -> AlertView:
    """The alert with the participant's words, evidence, conversation, notices, calls, contacts."""
    alert = alert_by_code(code, staff)
    p = alert.participant
    own_ids = [e["message_id"] for e in alert.evidence if isinstance(e.get("message_id"), int)]
    own = list(db.session.scalars(sa.select(Message).where(Message.id.in_(own_ids)).order_by(Message.id)))
    since = alert.created_at - timedelta(days=14)
    thread = list(reversed(db.session.scalars(sa.select(Message).where(
        Message.participant_id == p.id, Message.created_at >= since,
        Message.created_at <= max(now, alert.updated_at)).order_by(Message.id.desc()).limit(THREAD)).all()))
    staff_by_id = _staff_of(alert)
    notices = db.session.scalars(sa.select(Message).where(
        Message.alert_id == alert.id, Message.kind == "staff_alert").order_by(Message.id)).all()
    calls = db.session.scalars(sa.select(VoiceCall).where(VoiceCall.alert_id == alert.id)
                               .order_by(VoiceCall.id)).all()
    contacts = db.session.scalars(sa.select(AlertContact).where(AlertContact.alert_id == alert.id)
                                  .order_by(AlertContact.called_at, AlertContact.id)).all()
    return AlertView(
        alert=alert, participant=p, site=p.site, own_messages=own, thread=thread,
        occasions=schedule.active_occasions(p.id, now),
        notices=[(m, staff_by_id.get(m.staff_id)) for m in notices],
        calls=[(c, staff_by_id.get(c.staff_id)) for c in calls],
        contacts=[(c, staff_by_id.get(c.staff_id)) for c in contacts],
        ack_by=staff_by_id.get(alert.ack_by_id), triaged_by=staff_by_id.get(alert.triaged_by_id),
        actions=service.allowed_actions(alert, staff))


def _staff_of(alert: SafetyAlert) -> dict[int | None, StaffUser]:
    ids = set(db.session.scalars(sa.select(Message.staff_id).where(Message.alert_id == alert.id)))
    ids |= set(db.session.scalars(sa.select(VoiceCall.staff_id).where(VoiceCall.alert_id == alert.id)))
    ids |= set(db.session.scalars(sa.select(AlertContact.staff_id).where(
        AlertContact.alert_id == alert.id)))
    ids |= {alert.ack_by_id, alert.triaged_by_id}
    wanted = [i for i in ids if i is not None]
    return {u.id: u for u in db.session.scalars(sa.select(StaffUser).where(StaffUser.id.in_(wanted)))}


def log_contact(alert: SafetyAlert, *, staff: StaffUser, called_at: datetime, outcome: str,
                note: str | None, now: datetime) -> AlertContact:
    """Add a "called the participant" entry; the same staff who may acknowledge may log calls."""
    service.check_may_acknowledge(alert, staff)
    if outcome not in CONTACT_OUTCOMES:
        raise InvalidInput(f"outcome must be one of {', '.join(CONTACT_OUTCOMES)}")
    if called_at > now + timedelta(minutes=5) or called_at < alert.created_at - timedelta(hours=1):
        raise InvalidInput("the call time must be after the report and not in the future")
    with unit_of_work() as session:
        row = AlertContact(alert_id=alert.id, staff_id=staff.id, called_at=called_at, outcome=outcome,
                           note=(note or "").strip()[:4000] or None, created_at=now)
        session.add(row)
        session.flush()
        record_event(actor=f"staff:{staff.id}", action="alert.contact", entity_type="safety_alert",
                     entity_id=alert.id, now=now, reason=row.note,
                     after={"contact_id": row.id, "outcome": outcome,
                            "called_at": called_at.isoformat()})
        return row


def on_call_gaps(staff: StaffUser, now: datetime) -> list[Site]:
    """The caller's sites where nobody reachable is on call right now."""
    return sites_without_on_call(staff, now)
