"""The outbox: queue messages in the caller's transaction; claim, send and record them.

Every outbound message is a row first (DESIGN §1: the database is the queue). The idempotency
key makes "the invitation for occasion X" impossible to queue twice; claiming uses
FOR UPDATE SKIP LOCKED on PostgreSQL so any number of dispatchers can run at once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from pro_service.core.db import for_update_skip_locked, unit_of_work
from pro_service.extensions import db
from pro_service.messages.domain.backoff import MAX_ATTEMPTS, retry_delay
from pro_service.messages.domain.segments import count_segments
from pro_service.messages.gateway import Gateway, GatewayError
from pro_service.messages.models import Message, MessageStatus

log = logging.getLogger("pro_service.messages")
STALE_SENDING = timedelta(minutes=10)

# Kinds that still go to a participant who opted out of SMS (the opt-out confirmation itself).
SENT_DESPITE_OPT_OUT = frozenset({"opt_out_confirmation", "help"})


@dataclass
class Recipient:
    """Where a message goes and whether it may go now (resolved by the caller's room)."""

    number: str | None
    allowed: bool = True
    reason: str | None = None
    body: str | None = None  # the text to send when it differs from the stored one (a fresh link)


@dataclass
class DispatchCounts:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    cancelled: int = 0
    failures: list[Message] = field(default_factory=list)


def queue_message(*, kind: str, body: str, now: datetime, participant_id: int | None = None,
                  staff_id: int | None = None, key: str | None = None,
                  send_after: datetime | None = None, occasion_id: int | None = None,
                  alert_id: int | None = None, ignore_quiet_hours: bool = False,
                  reply_to_id: int | None = None) -> Message | None:
    """Add an outbound message to the current transaction; None when the key was queued before."""
    session = db.session
    if key and session.scalar(sa.select(Message.id).where(Message.idempotency_key == key)):
        return None
    encoding, segments = count_segments(body)
    msg = Message(direction="out", kind=kind, body=body, status=MessageStatus.QUEUED,
                  participant_id=participant_id, staff_id=staff_id, idempotency_key=key,
                  send_after=send_after or now, occasion_id=occasion_id, alert_id=alert_id,
                  encoding=encoding, segments=segments, ignore_quiet_hours=ignore_quiet_hours,
                  reply_to_id=reply_to_id, created_at=now, updated_at=now)
    try:
        with session.begin_nested():
            session.add(msg)
    except IntegrityError:
        return None  # another worker queued the same key first
    return msg


def record_inbound(*, sid: str, body: str, from_index: str, now: datetime,
                   participant_id: int | None, staff_id: int | None) -> Message:
    """Log an inbound SMS (idempotency on the provider's MessageSid is the caller's check)."""
    msg = Message(direction="in", kind="inbound", body=body, status=MessageStatus.RECEIVED,
                  provider_sid=sid, from_index=from_index, participant_id=participant_id,
                  staff_id=staff_id, created_at=now, updated_at=now)
    db.session.add(msg)
    db.session.flush()
    return msg


def find_by_sid(sid: str) -> Message | None:
    return db.session.scalar(sa.select(Message).where(Message.provider_sid == sid))


def claim_due(*, now: datetime, limit: int) -> list[int]:
    """Mark up to `limit` due queued messages as sending and return their ids (own transaction)."""
    with unit_of_work() as session:
        stmt = (sa.select(Message).where(Message.status == MessageStatus.QUEUED,
                                         Message.send_after <= now)
                .order_by(Message.send_after, Message.id).limit(limit))
        rows = session.scalars(for_update_skip_locked(stmt, session)).all()
        for msg in rows:
            msg.status = MessageStatus.SENDING
            msg.claimed_at = now
            msg.attempts += 1
            msg.updated_at = now
        return [m.id for m in rows]


def dispatch_outbox(*, gateway: Gateway, now: datetime, limit: int,
                    resolve: Callable[[Message], Recipient],
                    on_failed: Callable[[Message, datetime], None] | None = None,
                    on_permanent: Callable[[Message, str | None, datetime], None] | None = None,
                    defer: Callable[[Message, datetime], datetime] | None = None) -> DispatchCounts:
    """Send claimed messages one by one, each result recorded in its own transaction."""
    counts = DispatchCounts()
    recover_stale(now=now)
    for msg_id in claim_due(now=now, limit=limit):
        with unit_of_work() as session:
            msg = session.get(Message, msg_id)
            assert msg is not None
            _send_one(msg, gateway, now, resolve, counts, on_permanent, defer)
            if msg.status == MessageStatus.FAILED and on_failed:
                on_failed(msg, now)
    return counts


def _send_one(msg: Message, gateway: Gateway, now: datetime, resolve: Callable[[Message], Recipient],
              counts: DispatchCounts, on_permanent: Callable[[Message, str | None, datetime], None] | None,
              defer: Callable[[Message, datetime], datetime] | None) -> None:
    recipient = resolve(msg)
    msg.updated_at = now
    if not recipient.allowed or not recipient.number:
        msg.status = MessageStatus.CANCELLED
        msg.last_error = recipient.reason or "no recipient"
        counts.cancelled += 1
        return
    try:
        result = gateway.send(recipient.number, recipient.body or msg.body)
    except GatewayError as exc:
        msg.error_code, msg.last_error = exc.code, str(exc)[:300]
        if exc.transient and msg.attempts < MAX_ATTEMPTS:
            retry_at = now + retry_delay(msg.attempts)
            msg.send_after = defer(msg, retry_at) if defer else retry_at
            msg.status = MessageStatus.QUEUED
            counts.retried += 1
        else:
            msg.status = MessageStatus.FAILED
            counts.failed += 1
            counts.failures.append(msg)
            if not exc.transient and on_permanent:
                on_permanent(msg, exc.code, now)
        return
    msg.status, msg.provider_sid = MessageStatus.SENT, result.provider_sid
    msg.segments, msg.sent_at = result.segments, now
    counts.sent += 1


def recover_stale(*, now: datetime) -> int:
    """A send interrupted mid-way may or may not have left: mark it failed, never resend blindly."""
    with unit_of_work() as session:
        rows = session.scalars(sa.select(Message).where(
            Message.status == MessageStatus.SENDING, Message.claimed_at < now - STALE_SENDING)).all()
        for msg in rows:
            msg.status = MessageStatus.FAILED
            msg.last_error = "interrupted while sending; delivery unknown"
            msg.updated_at = now
        return len(rows)


STATUS_MAP = {"queued": None, "accepted": None, "sending": None, "sent": MessageStatus.SENT,
              "delivered": MessageStatus.DELIVERED, "undelivered": MessageStatus.UNDELIVERED,
              "failed": MessageStatus.FAILED, "read": MessageStatus.DELIVERED}
_RANK = {MessageStatus.SENT: 1, MessageStatus.DELIVERED: 2, MessageStatus.UNDELIVERED: 2,
         MessageStatus.FAILED: 2}


def apply_status_callback(*, sid: str, status: str, error_code: str | None,
                          now: datetime) -> Message | None:
    """Record a provider delivery report; late or repeated reports never move a status back."""
    with unit_of_work() as session:
        msg = session.scalar(sa.select(Message).where(Message.provider_sid == sid))
        if msg is None:
            return None
        new = STATUS_MAP.get(status)
        if new and _RANK.get(new, 0) >= _RANK.get(MessageStatus(msg.status), 0):
            msg.status = new
        if error_code:
            msg.error_code = error_code
        msg.updated_at = now
        return msg
