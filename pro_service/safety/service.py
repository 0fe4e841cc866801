"""Safety alerts: raise (deduplicated), advise the participant, notify and escalate, acknowledge, triage.

Every transition writes an audit event in the same transaction. Staff SMS are outbox rows of
the highest priority; queueing one wakes the scheduler's sender when the transaction commits
(NOTIFY on PostgreSQL, a short poll on SQLite), so no request ever waits on the provider.
"""

from __future__ import annotations

import logging
import secrets
from datetime import datetime
from functools import partial
from typing import Any

import sqlalchemy as sa

from pro_service.audit.service import record_event
from pro_service.core import metrics
from pro_service.core.db import (
    after_commit,
    for_update_skip_locked,
    insert_loaded_unless_taken,
    unit_of_work,
)
from pro_service.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from pro_service.core.localtime import format_local
from pro_service.extensions import db
from pro_service.messages import service as outbox
from pro_service.messages.models import Message
from pro_service.participants.models import Participant
from pro_service.safety.domain.escalation import (
    DEDUP_WINDOW,
    MEDDRA_SUGGESTION,
    SAE_REPORTING,
    URGENCY_RANK,
    ack_deadline,
    alert_link,
    more_urgent,
    staff_alert_text,
)
from pro_service.safety.domain.permissions import may_acknowledge, may_triage, refusal
from pro_service.safety.domain.rota import escalation_order
from pro_service.safety.models import SafetyAlert
from pro_service.safety.rota import on_call_now
from pro_service.staff.models import Role, StaffUser
from pro_service.staff.service import alert_contacts

log = logging.getLogger("pro_service.safety")
OPEN_STATUSES = ("open", "acknowledged")
TRIAGE = ("not_ae", "ae", "sae", "duplicate")
# After those on call: the site's other coordinators, its investigators, the safety desk.
CHAIN_ROLES = (Role.COORDINATOR, Role.INVESTIGATOR, Role.SAFETY_OFFICER)

# PRO_PUBLIC_BASE_URL, for the alert link in staff SMS; set by the application factory.
public_base_url = "http://127.0.0.1:5000"


def escalation_chain(site_id: int, now: datetime) -> list[StaffUser]:
    """Who is told, in order: on call now, the other coordinators, investigators, safety desk.

    A site with nobody on call now goes straight to its investigators and the safety desk.
    Two statements: the site's rota, and its contacts with the safety desk.
    """
    contacts = alert_contacts(site_id)
    by_role = ([u for u in contacts if u.role == role] for role in CHAIN_ROLES)
    groups = (on_call_now(site_id, now), *by_role)
    people = {u.id: u for group in groups for u in group}
    order = escalation_order(*([u.id for u in group] for group in groups))
    return [people[i] for i in order]


def _not_yet_told(alert: SafetyAlert, now: datetime) -> list[StaffUser]:
    """The escalation chain less those already texted about this alert."""
    told = {i for i in db.session.scalars(sa.select(Message.staff_id).where(
        Message.alert_id == alert.id, Message.kind == "staff_alert")) if i is not None}
    return [m for m in escalation_chain(alert.site_id, now) if m.id not in told]


def _next_escalation(urgency: str, pending: list[StaffUser], now: datetime,
                     tz: str) -> datetime | None:
    """When to escalate: the acknowledgement deadline while someone is left after the next one."""
    return ack_deadline(urgency, now, tz) if len(pending) > 1 else None


def raise_alert(p: Participant, *, category: str, urgency: str, source: str,
                evidence: dict[str, Any], now: datetime) -> tuple[SafetyAlert, bool]:
    """Open an alert, or add evidence to the participant's open one of that category within 24 h."""
    with unit_of_work() as session:
        item = {"at": now.isoformat(), "source": source, "urgency": urgency, **evidence}
        alert = session.scalar(sa.select(SafetyAlert).where(
            SafetyAlert.participant_id == p.id, SafetyAlert.category == category,
            SafetyAlert.status.in_(OPEN_STATUSES), SafetyAlert.created_at >= now - DEDUP_WINDOW)
            .order_by(SafetyAlert.id.desc()).limit(1).with_for_update())
        if alert is not None:
            _add_evidence(alert, item, urgency, now)
            return alert, False
        pending = escalation_chain(p.site_id, now)  # a new alert has told nobody yet
        due = _next_escalation(urgency, pending, now, p.site.timezone)
        alert = _insert_alert(participant_id=p.id, site_id=p.site_id, source=source,
                              category=category, urgency=urgency, status="open", evidence=[item],
                              escalation_level=0, next_escalation_at=due, created_at=now,
                              updated_at=now)
        record_event(actor="system:safety", action="alert.raise", entity_type="safety_alert",
                     entity_id=alert.id, now=now, after=_snapshot(alert))
        _text_next(alert, p, pending, now)
        return alert, True


def _add_evidence(alert: SafetyAlert, item: dict[str, Any], urgency: str, now: datetime) -> None:
    before = _snapshot(alert)
    alert.evidence = [*alert.evidence, item]
    upgraded = URGENCY_RANK[urgency] > URGENCY_RANK[alert.urgency]
    alert.urgency = more_urgent(alert.urgency, urgency)
    alert.updated_at = now
    if upgraded and alert.status == "open":
        alert.next_escalation_at = ack_deadline(alert.urgency, now, alert.participant.site.timezone)
    record_event(actor="system:safety", action="alert.evidence", entity_type="safety_alert",
                 entity_id=alert.id, now=now, before=before, after=_snapshot(alert))


def open_alerts_of(participant_id: int, category: str) -> list[SafetyAlert]:
    """The participant's open alerts of `category`, newest first."""
    return list(db.session.scalars(sa.select(SafetyAlert).where(
        SafetyAlert.participant_id == participant_id, SafetyAlert.category == category,
        SafetyAlert.status.in_(OPEN_STATUSES)).order_by(SafetyAlert.id.desc())))


def marking_of(alert: SafetyAlert) -> str | None:
    """The first evidence's marking: who reported it, or that it may concern someone else."""
    markings = [e.get("marking") for e in alert.evidence if e.get("marking")]
    return markings[0] if markings else None


def _insert_alert(**values: Any) -> SafetyAlert:
    """Insert an alert under a new random code; a code that is taken is skipped by the unique
    column (no savepoint, and no race between two requests drawing the same code)."""
    while True:
        code = f"{secrets.randbelow(900000) + 100000}"
        alert = insert_loaded_unless_taken(SafetyAlert(code=code, **values), "code")
        if alert is not None:
            return alert


def _text_next(alert: SafetyAlert, p: Participant, pending: list[StaffUser], now: datetime) -> None:
    """Text the first of `pending` (the chain less those told) at the alert's escalation level."""
    if not pending:
        log.error("alert %s has nobody left to notify", alert.id)
        return
    member, level = pending[0], alert.escalation_level
    body = staff_alert_text(study_id=p.study_id, category=alert.category, urgency=alert.urgency,
                            reported=format_local(alert.created_at, p.site.timezone),
                            code=alert.code, level=level,
                            link=alert_link(public_base_url, alert.code),
                            note=marking_of(alert))
    outbox.queue_message(kind="staff_alert", body=body, now=now, staff_id=member.id,
                         alert_id=alert.id, key=f"alert:{alert.id}:{level}", ignore_quiet_hours=True)
    record_event(actor="system:safety", action="alert.notify", entity_type="safety_alert",
                 entity_id=alert.id, now=now, after={"level": level, "staff_id": member.id})
    if alert.urgency == "emergency" and level >= 1:
        from pro_service.safety.calls import queue_call

        queue_call(alert, member, level=level, now=now)


def escalate_due(*, now: datetime, limit: int) -> dict[str, int]:
    """Move every unacknowledged alert past its deadline one step up the chain."""
    with unit_of_work() as session:
        stmt = (sa.select(SafetyAlert).where(SafetyAlert.status == "open",
                                             SafetyAlert.next_escalation_at <= now)
                .order_by(SafetyAlert.next_escalation_at).limit(limit))
        rows = session.scalars(for_update_skip_locked(stmt, session)).all()
        for alert in rows:
            _escalate(alert, now)
            after_commit(partial(metrics.count_escalation, alert.urgency))
        return {"escalated": len(rows)}


def _escalate(alert: SafetyAlert, now: datetime) -> None:
    """Text the next person of the chain not yet told; plan the step after (one UPDATE)."""
    p = alert.participant  # with its site, which the rota reads too
    pending = _not_yet_told(alert, now)
    alert.escalation_level += 1
    alert.updated_at = now
    alert.next_escalation_at = _next_escalation(alert.urgency, pending, now, p.site.timezone)
    record_event(actor="system:scheduler", action="alert.escalate", entity_type="safety_alert",
                 entity_id=alert.id, now=now, after={"level": alert.escalation_level})
    _text_next(alert, p, pending, now)


def visible_alerts(staff: StaffUser) -> sa.Select[tuple[SafetyAlert]]:
    """Alerts of the caller's sites (all sites for admin and the safety desk)."""
    stmt = sa.select(SafetyAlert)
    if not staff.all_sites:
        stmt = stmt.where(SafetyAlert.site_id.in_(staff.site_ids or {-1}))
    return stmt


def get_alert(alert_id: int, staff: StaffUser) -> SafetyAlert:
    alert = db.session.scalar(visible_alerts(staff).where(SafetyAlert.id == alert_id))
    if alert is None:
        raise NotFound(f"no alert {alert_id}")
    return alert


def allowed_actions(alert: SafetyAlert, staff: StaffUser) -> dict[str, bool]:
    """Which of acknowledge / triage this staff member may do on this alert (pages show buttons)."""
    sites = staff.site_ids
    return {"acknowledge": may_acknowledge(staff.role, sites, alert.site_id),
            "triage": may_triage(staff.role, sites, alert.site_id)}


def check_may_acknowledge(alert: SafetyAlert, staff: StaffUser) -> None:
    """Refuse (403) staff who may not acknowledge; 404 for an alert of a site they cannot see."""
    if not (staff.all_sites or alert.site_id in staff.site_ids):
        raise NotFound(f"no alert {alert.id}")
    if not may_acknowledge(staff.role, staff.site_ids, alert.site_id):
        raise Forbidden(refusal(staff.role, "acknowledge"))


def acknowledge_alert(alert: SafetyAlert, *, staff: StaffUser, via: str, now: datetime) -> SafetyAlert:
    """Record the first acknowledgement (awareness); stops escalation. Later ones change nothing."""
    check_may_acknowledge(alert, staff)
    with unit_of_work():
        if alert.ack_at is not None:
            return alert
        before = _snapshot(alert)
        alert.status, alert.ack_by_id, alert.ack_at, alert.ack_via = "acknowledged", staff.id, now, via
        alert.next_escalation_at, alert.updated_at = None, now
        record_event(actor=f"staff:{staff.id}", action="alert.acknowledge", entity_type="safety_alert",
                     entity_id=alert.id, now=now, before=before, after=_snapshot(alert))
        waited = (now - alert.created_at).total_seconds()
        after_commit(partial(metrics.observe_acknowledgement, alert.urgency, waited))
        return alert


def triage_alert(alert: SafetyAlert, *, staff: StaffUser, classification: str, meddra_term: str | None,
                 note: str | None, now: datetime) -> SafetyAlert:
    """Investigators and the safety desk classify an alert; SAE starts the 24-hour clock."""
    if not (staff.all_sites or alert.site_id in staff.site_ids):
        raise NotFound(f"no alert {alert.id}")
    if not may_triage(staff.role, staff.site_ids, alert.site_id):
        raise Forbidden(refusal(staff.role, "triage"))
    if classification not in TRIAGE:
        raise InvalidInput(f"classification must be one of {', '.join(TRIAGE)}")
    with unit_of_work():
        if alert.triage is not None:
            raise Conflict("this alert has already been triaged")
        acknowledge_alert(alert, staff=staff, via="triage", now=now)
        before = _snapshot(alert)
        alert.triage, alert.triage_note = classification, note
        alert.meddra_term = meddra_term or MEDDRA_SUGGESTION[alert.category][0]
        alert.triaged_by_id, alert.triaged_at, alert.updated_at = staff.id, now, now
        alert.status = "closed" if classification in ("not_ae", "duplicate") else "triaged"
        if classification == "sae" and alert.ack_at is not None:
            alert.sae_report_due_at = alert.ack_at + SAE_REPORTING
        record_event(actor=f"staff:{staff.id}", action="alert.triage", entity_type="safety_alert",
                     entity_id=alert.id, now=now, before=before, after=_snapshot(alert), reason=note)
        return alert


def _snapshot(alert: SafetyAlert) -> dict[str, Any]:
    return {"code": alert.code, "category": alert.category, "urgency": alert.urgency,
            "status": alert.status, "level": alert.escalation_level, "triage": alert.triage,
            "meddra_term": alert.meddra_term, "evidence_count": len(alert.evidence or [])}
