"""The outbox: queue messages in the caller's transaction; claim, send and record them.

Every outbound message is a row first (DESIGN §1: the database is the queue). The idempotency
key makes "the invitation for occasion X" impossible to queue twice; claiming uses
FOR UPDATE SKIP LOCKED on PostgreSQL so any number of dispatchers can run at once.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import make_transient_to_detached

from pro_service.core.db import for_update_skip_locked, unit_of_work
from pro_service.extensions import db
from pro_service.messages.domain.backoff import MAX_ATTEMPTS, retry_delay
from pro_service.messages.domain.segments import count_segments
from pro_service.messages.gateway import Gateway, GatewayError, SendResult
from pro_service.messages.models import Message, MessageStatus

log = logging.getLogger("pro_service.messages")
STALE_SENDING = timedelta(minutes=10)
RECORD_EVERY = 50  # send results per transaction at most
RECORD_WITHIN = 0.25  # seconds a send result may wait for its commit

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


_QUEUED_COLUMNS = ("direction", "kind", "body", "status", "participant_id", "staff_id",
                   "idempotency_key", "send_after", "occasion_id", "alert_id", "encoding", "segments",
                   "ignore_quiet_hours", "reply_to_id", "attempts", "created_at", "updated_at")


def _queue_statement(returning: str) -> sa.TextClause:
    """INSERT … ON CONFLICT (idempotency_key) DO NOTHING, for SQLite and PostgreSQL.

    Written as text with the model's column types: SQLAlchemy 2.0's dialect `insert()` with
    `on_conflict_do_nothing` has no cache key and is compiled again on every call.
    """
    columns = [Message.__table__.c[name] for name in _QUEUED_COLUMNS]
    sql = (f"INSERT INTO {Message.__tablename__} ({', '.join(_QUEUED_COLUMNS)}) "  # noqa: S608 (model's own names)
           f"VALUES ({', '.join(':' + name for name in _QUEUED_COLUMNS)}) "
           f"ON CONFLICT (idempotency_key) DO NOTHING {returning}")
    return sa.text(sql).bindparams(*(sa.bindparam(c.name, type_=c.type) for c in columns))


_QUEUE = _queue_statement("RETURNING id")
_QUEUE_MANY = _queue_statement("")


@dataclass(frozen=True)
class Outbound:
    """One message to queue: the arguments of `queue_message` for `queue_messages`."""

    kind: str
    body: str
    key: str | None = None
    participant_id: int | None = None
    staff_id: int | None = None
    occasion_id: int | None = None
    alert_id: int | None = None
    send_after: datetime | None = None
    ignore_quiet_hours: bool = False
    reply_to_id: int | None = None


# Queued texts repeat (one invitation text per instrument and language; links are filled in later)
_segments_of = functools.lru_cache(maxsize=1024)(count_segments)


def _row(item: Outbound, now: datetime) -> dict[str, object]:
    encoding, segments = _segments_of(item.body)
    return dict(direction="out", kind=item.kind, body=item.body, status=MessageStatus.QUEUED,
                participant_id=item.participant_id, staff_id=item.staff_id,
                idempotency_key=item.key, send_after=item.send_after or now,
                occasion_id=item.occasion_id, alert_id=item.alert_id, encoding=encoding,
                segments=segments, ignore_quiet_hours=item.ignore_quiet_hours,
                reply_to_id=item.reply_to_id, attempts=0, created_at=now, updated_at=now)


def queue_message(*, kind: str, body: str, now: datetime, participant_id: int | None = None,
                  staff_id: int | None = None, key: str | None = None,
                  send_after: datetime | None = None, occasion_id: int | None = None,
                  alert_id: int | None = None, ignore_quiet_hours: bool = False,
                  reply_to_id: int | None = None) -> Message | None:
    """Add an outbound message to the current transaction; None when the key was queued before.

    One statement: a key queued earlier, or at the same moment by another worker (PostgreSQL
    waits for that commit), inserts nothing. The row is not read back: the object is attached
    to the session as loaded.
    """
    values = _row(Outbound(kind=kind, body=body, key=key, participant_id=participant_id,
                           staff_id=staff_id, occasion_id=occasion_id, alert_id=alert_id,
                           send_after=send_after, ignore_quiet_hours=ignore_quiet_hours,
                           reply_to_id=reply_to_id), now)
    session = db.session
    new_id = session.execute(_QUEUE, values).scalar()
    if new_id is None:
        return None
    msg = Message(id=new_id, **values)
    make_transient_to_detached(msg)
    session.add(msg)
    return msg


def queue_messages(items: Sequence[Outbound], *, now: datetime) -> int:
    """Queue a batch in one executemany (caller's transaction); return how many keys were new."""
    if not items:
        return 0
    result = db.session.execute(_QUEUE_MANY, [_row(item, now) for item in items])
    return int(result.rowcount)  # type: ignore[attr-defined]


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


@dataclass(frozen=True)
class _Hooks:
    resolve: Callable[[Message], Recipient]
    on_failed: Callable[[Message, datetime], None] | None
    on_permanent: Callable[[Message, str | None, datetime], None] | None
    defer: Callable[[Message, datetime], datetime] | None
    prefetch: Callable[[Sequence[Message]], list[object]] | None


@dataclass(frozen=True)
class _Outgoing:
    id: int
    number: str
    body: str


def claim_due(*, now: datetime, limit: int, only_ids: Sequence[int] | None = None) -> list[Message]:
    """Mark up to `limit` due queued messages (or just `only_ids`) as sending (caller's transaction)."""
    session = db.session
    stmt = (sa.select(Message).where(Message.status == MessageStatus.QUEUED, Message.send_after <= now)
            .order_by(Message.send_after, Message.id).limit(limit))
    if only_ids is not None:
        stmt = stmt.where(Message.id.in_(list(only_ids)))
    rows = session.scalars(for_update_skip_locked(stmt, session)).all()
    for msg in rows:
        msg.status, msg.claimed_at, msg.updated_at = MessageStatus.SENDING, now, now
        msg.attempts += 1
    return list(rows)


def dispatch_outbox(*, gateway: Gateway, now: datetime, limit: int,
                    resolve: Callable[[Message], Recipient],
                    on_failed: Callable[[Message, datetime], None] | None = None,
                    on_permanent: Callable[[Message, str | None, datetime], None] | None = None,
                    defer: Callable[[Message, datetime], datetime] | None = None,
                    prefetch: Callable[[Sequence[Message]], list[object]] | None = None,
                    only_ids: Sequence[int] | None = None) -> DispatchCounts:
    """Claim and resolve a batch in one transaction, send each, record results in small groups.

    The claim (status `sending`, recipient, fresh web link) commits before anything leaves, so a
    crash can never send twice: a send whose result was not recorded stays `sending` and
    `recover_stale` marks it failed. Results commit at least every RECORD_EVERY sends and
    RECORD_WITHIN seconds, so with a real provider (100+ ms a send) each is recorded at once,
    before its delivery report can arrive.
    """
    hooks = _Hooks(resolve, on_failed, on_permanent, defer, prefetch)
    counts = DispatchCounts()
    outgoing = _claim_and_resolve(now, limit, hooks, counts, only_ids)
    pending: list[tuple[_Outgoing, SendResult | GatewayError]] = []
    started = time.monotonic()
    try:
        for item in outgoing:
            pending.append((item, _attempt(gateway, item)))
            if len(pending) >= RECORD_EVERY or time.monotonic() - started >= RECORD_WITHIN:
                _record(pending, now, hooks, counts)
                pending, started = [], time.monotonic()
    finally:
        if pending:
            _record(pending, now, hooks, counts)
    return counts


def _claim_and_resolve(now: datetime, limit: int, hooks: _Hooks, counts: DispatchCounts,
                       only_ids: Sequence[int] | None = None) -> list[_Outgoing]:
    with unit_of_work():
        recover_stale(now=now)
        claimed = claim_due(now=now, limit=limit, only_ids=only_ids)
        # the session holds objects weakly: keep what prefetch loaded alive for the batch
        _loaded = hooks.prefetch(claimed) if claimed and hooks.prefetch else []
        outgoing = []
        for msg in claimed:
            recipient = _resolve_one(msg, hooks.resolve)
            if recipient.allowed and recipient.number:
                outgoing.append(_Outgoing(msg.id, recipient.number, recipient.body or msg.body))
                continue
            msg.status = MessageStatus.CANCELLED
            msg.last_error = recipient.reason or "no recipient"
            counts.cancelled += 1
        return outgoing


def _resolve_one(msg: Message, resolve: Callable[[Message], Recipient]) -> Recipient:
    """One row that cannot be resolved (say, an undecryptable number) fails alone."""
    try:
        return resolve(msg)
    except SQLAlchemyError:
        raise  # the transaction is unusable: the batch stays queued for the next tick
    except Exception as exc:
        log.exception("cannot resolve message %s", msg.id, extra={"message_id": msg.id})
        return Recipient(None, False, f"cannot resolve recipient: {type(exc).__name__}")


def _attempt(gateway: Gateway, item: _Outgoing) -> SendResult | GatewayError:
    try:
        return gateway.send(item.number, item.body)
    except GatewayError as exc:
        return exc


def _record(pending: list[tuple[_Outgoing, SendResult | GatewayError]], now: datetime, hooks: _Hooks,
            counts: DispatchCounts) -> None:
    with unit_of_work() as session:
        ids = [item.id for item, _ in pending]
        rows = {m.id: m for m in session.scalars(sa.select(Message).where(Message.id.in_(ids)))}
        for item, outcome in pending:
            msg = rows[item.id]
            _apply(msg, outcome, now, counts, hooks)
            if msg.status == MessageStatus.FAILED and hooks.on_failed:
                hooks.on_failed(msg, now)


def _apply(msg: Message, outcome: SendResult | GatewayError, now: datetime, counts: DispatchCounts,
           hooks: _Hooks) -> None:
    msg.updated_at = now
    if isinstance(outcome, SendResult):
        msg.status, msg.provider_sid = MessageStatus.SENT, outcome.provider_sid
        msg.segments, msg.sent_at = outcome.segments, now
        counts.sent += 1
        return
    msg.error_code, msg.last_error = outcome.code, str(outcome)[:300]
    if outcome.transient and msg.attempts < MAX_ATTEMPTS:
        retry_at = now + retry_delay(msg.attempts)
        msg.send_after = hooks.defer(msg, retry_at) if hooks.defer else retry_at
        msg.status = MessageStatus.QUEUED
        counts.retried += 1
        return
    msg.status = MessageStatus.FAILED
    counts.failed += 1
    counts.failures.append(msg)
    if not outcome.transient and hooks.on_permanent:
        hooks.on_permanent(msg, outcome.code, now)


def recover_stale(*, now: datetime) -> int:
    """A send interrupted mid-way may or may not have left: mark it failed, never resend blindly."""
    with unit_of_work() as session:
        stmt = sa.select(Message).where(Message.status == MessageStatus.SENDING,
                                        Message.claimed_at < now - STALE_SENDING)
        rows = session.scalars(for_update_skip_locked(stmt, session)).all()
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
