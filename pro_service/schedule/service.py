"""Occasion use cases: create from the protocol, recompute, cancel, open, remind, close.

Jobs claim bounded batches of due rows (FOR UPDATE SKIP LOCKED on PostgreSQL), so any number
of scheduler processes can run; the cost of a tick follows due work through the status indexes.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from pro_service.audit.service import record_event
from pro_service.core.db import for_update_skip_locked, unit_of_work
from pro_service.extensions import db
from pro_service.core.errors import InvalidInput
from pro_service.participants.domain import ANCHORS, Anchors, Status, anchor_problem
from pro_service.participants.models import Participant
from pro_service.schedule.domain.protocol import Protocol
from pro_service.schedule.domain.recompute import Current, Plan, plan_recompute
from pro_service.schedule.domain.reminders import next_reminder_at
from pro_service.schedule.domain.timeline import OccasionSpec, occasions_for
from pro_service.schedule.domain.windows import local_window_days
from pro_service.schedule.models import ACTIVE_STATUSES, NOT_ENDED, Occasion, OccasionStatus


def _new_occasion(p: Participant, spec: OccasionSpec, now: datetime) -> Occasion:
    """An occasion from its spec; one whose window is already over is recorded as such."""
    late = spec.closes_at <= now
    return Occasion(participant_id=p.id, timepoint=spec.timepoint, instrument=spec.instrument,
                    anchor=spec.anchor, target_date=spec.target, opens_at=spec.opens_at,
                    closes_at=spec.closes_at,
                    status=OccasionStatus.MISSED_BEFORE_ENROLMENT if late else OccasionStatus.SCHEDULED,
                    ended_at=now if late else None, created_at=now, updated_at=now)


def create_occasions(p: Participant, now: datetime, *, protocol: Protocol) -> int:
    """Create every occasion of a new participant; none is dropped.

    Windows already over at enrolment (baseline visit before registration) are created as
    `missed_before_enrolment`, so they show in the schedule, count in completion and stay
    open to late (paper) entry (DESIGN §10 "Clinic channels").
    """
    occasions = [_new_occasion(p, s, now) for s in occasions_for(protocol, p, p.timezone)]
    late = sum(o.status == OccasionStatus.MISSED_BEFORE_ENROLMENT for o in occasions)
    with unit_of_work() as session:
        session.add_all(occasions)
        record_event(actor="system:schedule", action="occasions.create", entity_type="participant",
                     entity_id=p.study_id, now=now, after={"occasions": len(occasions),
                                                           "missed_before_enrolment": late,
                                                           "protocol": protocol.code})
    return len(occasions)


def recompute_occasions(p: Participant, now: datetime, reason: str, *, protocol: Protocol) -> dict[str, int]:
    """After an anchor change, move only occasions not yet opened; add new ones, cancel dropped ones."""
    with unit_of_work() as session:
        existing = {(o.timepoint, o.instrument): o for o in
                    session.scalars(sa.select(Occasion).where(Occasion.participant_id == p.id))}
        plan = plan_recompute([as_current(o) for o in existing.values()],
                              occasions_for(protocol, p, p.timezone), now)
        # The moved windows as they were, so a data cut can still show them (exports.as_of).
        moved = [_window(existing[move.before.key]) for move in plan.moved]
        for move in plan.moved:
            _move(existing[move.before.key], move.after, now)
        session.add_all(_new_occasion(p, spec, now) for spec in plan.added)
        for gone in plan.cancelled:
            occ = existing[gone.key]
            occ.status, occ.ended_at, occ.updated_at = OccasionStatus.CANCELLED, now, now
        counts = plan.counts()
        record_event(actor="system:schedule", action="occasions.recompute", entity_type="participant",
                     entity_id=p.study_id, now=now, before={"moved": moved} if moved else None,
                     after=counts, reason=reason)
        return counts


def _window(occ: Occasion) -> dict[str, str | None]:
    """An occasion's identity, status and window for an audit event (ISO 8601 texts)."""
    return {"timepoint": occ.timepoint, "instrument": occ.instrument, "status": occ.status,
            "target_date": occ.target_date.isoformat(), "opens_at": occ.opens_at.isoformat(),
            "closes_at": occ.closes_at.isoformat(),
            "ended_at": occ.ended_at.isoformat() if occ.ended_at else None}


def _move(occ: Occasion, spec: OccasionSpec, now: datetime) -> None:
    """Put an occasion on its new window; one that is now already over says so (same rule as enrolment)."""
    occ.target_date, occ.opens_at, occ.closes_at = spec.target, spec.opens_at, spec.closes_at
    late = spec.closes_at <= now
    occ.status = OccasionStatus.MISSED_BEFORE_ENROLMENT if late else OccasionStatus.SCHEDULED
    occ.ended_at = now if late else None
    occ.updated_at = now


def as_current(occ: Occasion) -> Current:
    return Current(occ.timepoint, occ.instrument, occ.status, occ.target_date, occ.opens_at,
                   occ.closes_at)


def preview_anchor_change(p: Participant, anchors: dict[str, date | None], *, now: datetime,
                          protocol: Protocol) -> Plan:
    """What an anchor change would do to the participant's occasions, without changing anything."""
    merged = {name: anchors.get(name, getattr(p, name)) for name in ANCHORS}
    if problem := anchor_problem(Anchors(**merged)):
        raise InvalidInput(problem)
    return plan_recompute([as_current(o) for o in occasions_of(p.id)],
                          occasions_for(protocol, merged, p.timezone), now)


def cancel_open_and_future(p: Participant, now: datetime) -> int:
    """On withdrawal, cancel every occasion that has not ended."""
    with unit_of_work() as session:
        rows = session.scalars(sa.select(Occasion).where(Occasion.participant_id == p.id,
                                                         Occasion.status.in_(NOT_ENDED))).all()
        for occ in rows:
            occ.status, occ.ended_at, occ.updated_at = OccasionStatus.CANCELLED, now, now
        record_event(actor="system:schedule", action="occasions.cancel", entity_type="participant",
                     entity_id=p.study_id, now=now, after={"cancelled": len(rows)},
                     reason="participant withdrawn")
        return len(rows)


def _claim(session: Session, stmt: sa.Select[tuple[Occasion]], *, participants: bool) -> list[Occasion]:
    """Lock the batch's occasion rows only; participants come in one extra query when needed.

    A joined load of the participant would put it under FOR UPDATE too (PostgreSQL refuses that
    on an outer join, and it would make workers skip each other's participants).
    """
    if participants:
        stmt = stmt.options(selectinload(Occasion.participant))
    return list(session.scalars(for_update_skip_locked(stmt, session)).all())


def open_due(*, now: datetime, limit: int, reminder_hours: tuple[int, ...]) -> list[Occasion]:
    """Open up to `limit` scheduled occasions whose window has begun (caller's transaction)."""
    # One sensible index (status, opens_at): a closes_at term here would tie it with
    # (status, closes_at) and let SQLite's planner flip between them from run to run.
    stmt = (sa.select(Occasion).where(Occasion.status == OccasionStatus.SCHEDULED,
                                      Occasion.opens_at <= now)
            .order_by(Occasion.opens_at, Occasion.id).limit(limit))
    # a window that closed unopened is left to close_expired (missed)
    rows = [occ for occ in _claim(db.session, stmt, participants=True) if _closes_after(occ, now)]
    for occ in rows:
        occ.status, occ.opened_at, occ.updated_at = OccasionStatus.OPEN, now, now
        occ.next_reminder_at = next_reminder_at(now, 0, occ.closes_at, reminder_hours)
    return rows


def due_reminders(*, now: datetime, limit: int) -> list[Occasion]:
    """Claim active occasions whose next reminder is due (caller's transaction)."""
    # (status, next_reminder_at) is the one index this shape can use; see open_due.
    stmt = (sa.select(Occasion).where(Occasion.status.in_(ACTIVE_STATUSES),
                                      Occasion.next_reminder_at <= now)
            .order_by(Occasion.next_reminder_at, Occasion.id).limit(limit))
    due = []
    for occ in _claim(db.session, stmt, participants=True):
        if _closes_after(occ, now):
            due.append(occ)
        else:  # never a reminder after the window closed
            occ.next_reminder_at, occ.updated_at = None, now
    return due


def _closes_after(occ: Occasion, now: datetime) -> bool:
    return occ.closes_at > now


def mark_reminded(occ: Occasion, *, now: datetime, reminder_hours: tuple[int, ...]) -> None:
    """Count one reminder and plan the next (none after close)."""
    occ.reminders_sent += 1
    occ.next_reminder_at = next_reminder_at(occ.opened_at or occ.opens_at, occ.reminders_sent,
                                            occ.closes_at, reminder_hours)
    occ.updated_at = now


def close_expired(*, now: datetime, limit: int) -> list[Occasion]:
    """Mark up to `limit` occasions whose window has closed without completion as missed."""
    stmt = (sa.select(Occasion).where(Occasion.status.in_(NOT_ENDED), Occasion.closes_at <= now)
            .order_by(Occasion.closes_at, Occasion.id).limit(limit))
    rows = _claim(db.session, stmt, participants=False)
    for occ in rows:
        occ.status, occ.ended_at, occ.updated_at = OccasionStatus.MISSED, now, now
        occ.next_reminder_at = None
    return rows


def mark_in_progress(occ: Occasion, *, now: datetime) -> None:
    if occ.status == OccasionStatus.OPEN:
        occ.status, occ.updated_at = OccasionStatus.IN_PROGRESS, now


def mark_completed(occ: Occasion, *, now: datetime) -> None:
    occ.status, occ.ended_at, occ.updated_at = OccasionStatus.COMPLETED, now, now
    occ.next_reminder_at = None


def is_answerable(occ: Occasion, now: datetime) -> bool:
    """An occasion takes answers while open and its window has not closed."""
    return occ.status in ACTIVE_STATUSES and occ.closes_at > now and \
        occ.participant.status != Status.WITHDRAWN


def open_for_clinic(occ: Occasion, *, now: datetime, reminder_hours: tuple[int, ...]) -> None:
    """Open a scheduled occasion whose window has begun, now (a site device is about to answer it).

    The scheduler would open it on its next tick; opening here spares the participant an
    invitation for a questionnaire they are answering at the visit.
    """
    if occ.status == OccasionStatus.SCHEDULED and occ.opens_at <= now < occ.closes_at:
        occ.status, occ.opened_at, occ.updated_at = OccasionStatus.OPEN, now, now
        occ.next_reminder_at = next_reminder_at(now, 0, occ.closes_at, reminder_hours)


def find_occasion(participant_id: int, timepoint: str, instrument: str) -> Occasion | None:
    return db.session.scalar(sa.select(Occasion).where(
        Occasion.participant_id == participant_id, Occasion.timepoint == timepoint,
        Occasion.instrument == instrument))


# Built once: a statement object keeps its cache key, so each call skips building and keying it
_PARTICIPANT_AND_OCCASION = (
    sa.select(Participant, Occasion)
    .outerjoin(Occasion, Occasion.id == sa.bindparam("occasion_id"))
    .where(Participant.id == sa.bindparam("participant_id")))


def participant_and_occasion(participant_id: int,
                             occasion_id: int | None) -> tuple[Participant | None, Occasion | None]:
    """A participant and (when given) one of their occasions, in one query (the sender's lookup)."""
    if occasion_id is None:
        return db.session.get(Participant, participant_id), None
    row = db.session.execute(_PARTICIPANT_AND_OCCASION,
                             {"participant_id": participant_id, "occasion_id": occasion_id}).first()
    return (row[0], row[1]) if row is not None else (None, None)


def window_days(occ: Occasion) -> tuple[date, date]:
    """The occasion's first and last local window days in the participant's zone."""
    return local_window_days(occ.opens_at, occ.closes_at, occ.participant.timezone)


def occasions_of(participant_id: int) -> list[Occasion]:
    return list(db.session.scalars(sa.select(Occasion).where(Occasion.participant_id == participant_id)
                                   .order_by(Occasion.opens_at, Occasion.timepoint, Occasion.instrument)))


def active_occasions(participant_id: int, now: datetime) -> list[Occasion]:
    """The participant's answerable occasions, oldest first."""
    return list(db.session.scalars(sa.select(Occasion).where(
        Occasion.participant_id == participant_id, Occasion.status.in_(ACTIVE_STATUSES),
        Occasion.closes_at > now).order_by(Occasion.opens_at, Occasion.id)))
