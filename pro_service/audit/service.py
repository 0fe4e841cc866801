"""Write and verify audit events (always inside the caller's unit of work)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from pro_service.audit.domain import GENESIS, event_hash, mask_personal
from pro_service.audit.models import AuditEvent
from pro_service.core.db import is_postgres
from pro_service.extensions import db

_CHAIN_LOCK = 7_401_001
_TAIL = "audit_chain_tail"


def record_event(
    *,
    actor: str,
    action: str,
    entity_type: str,
    entity_id: str | int,
    now: datetime,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str | None = None,
) -> AuditEvent:
    """Append one event to the chain in the current transaction."""
    session = db.session()  # the scoped session's current Session
    prev = _chain_tail(session)
    event = AuditEvent(
        at=now,
        actor=actor,
        action=action,
        entity_type=entity_type,
        entity_id=str(entity_id),
        before=mask_personal(before),
        after=mask_personal(after),
        reason=reason,
        prev_hash=prev or GENESIS,
    )
    event.hash = event_hash(event.prev_hash, event.hashed_fields())
    session.add(event)  # rows of one flush are inserted in the order added: chain order
    session.info[_TAIL] = (session.get_transaction(), event)
    return event


def _chain_tail(session: Session) -> str | None:
    """The newest event's hash: read once per transaction (under the chain lock), then carried.

    The lock (PostgreSQL) or SQLite's single writer keeps the chain ours until the transaction
    ends, so later events of the same transaction follow the one this transaction added last;
    a new transaction, or a savepoint rollback that dropped that event, reads it again.
    """
    cached = session.info.get(_TAIL)
    if cached is not None:
        transaction, event = cached
        state = sa.inspect(event)
        if transaction is session.get_transaction() and (state.pending or state.persistent):
            return event.hash  # type: ignore[no-any-return]
    if is_postgres(session):
        # One writer extends the chain at a time; the lock ends with the transaction.
        session.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": _CHAIN_LOCK})
    session.flush()
    return session.scalar(sa.select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1))


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    broken_id: int | None = None
    problem: str | None = None


def verify_chain(batch: int = 1000) -> ChainReport:
    """Recompute every hash in order; report the first event that does not match."""
    prev = GENESIS
    checked = 0
    last_id = 0
    while True:
        rows = db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.id > last_id).order_by(AuditEvent.id).limit(batch)
        ).all()
        if not rows:
            return ChainReport(ok=True, checked=checked)
        for event in rows:
            if event.prev_hash != prev:
                return ChainReport(False, checked, event.id, "prev_hash does not match the event before")
            if event_hash(prev, event.hashed_fields()) != event.hash:
                return ChainReport(False, checked, event.id, "content does not match its hash")
            prev = event.hash
            checked += 1
            last_id = event.id
        db.session.expunge_all()


def befores_after(entity_type: str, entity_ids: list[str], action: str,
                  after: datetime) -> list[tuple[str, dict[str, Any]]]:
    """(entity id, `before`) of every `action` event later than `after`, latest first."""
    out: list[tuple[str, dict[str, Any]]] = []
    for start in range(0, len(entity_ids), 500):
        rows = db.session.execute(
            sa.select(AuditEvent.at, AuditEvent.id, AuditEvent.entity_id, AuditEvent.before)
            .where(AuditEvent.entity_type == entity_type, AuditEvent.action == action,
                   AuditEvent.entity_id.in_(entity_ids[start:start + 500]),
                   AuditEvent.at > after))
        out += [(r.at, r.id, r.entity_id, r.before) for r in rows if r.before is not None]
    out.sort(key=lambda r: (r[0], r[1]), reverse=True)
    return [(entity_id, before) for _, _, entity_id, before in out]


def states_before(entity_type: str, entity_ids: list[str], action: str,
                  after: datetime) -> dict[str, dict[str, Any]]:
    """Per entity, the `before` snapshot of its first `action` event later than `after`.

    An event's `before` is the entity as it stood until that event, so the first one after an
    instant is the entity as it stood at that instant (data cuts read past states this way).
    """
    # Latest first: the earliest event's snapshot is assigned last and wins.
    return dict(befores_after(entity_type, entity_ids, action, after))
