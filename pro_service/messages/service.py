"""The outbox: queue messages in the caller's transaction; record inbound and delivery reports.

Every outbound message is a row first (DESIGN §1: the database is the queue). The idempotency
key makes "the invitation for occasion X" impossible to queue twice. Queueing an urgent
message (staff safety text, participant advice) wakes the senders from the same transaction
(NOTIFY on PostgreSQL). Sending is `messages.sending`.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import make_transient_to_detached

from pro_service.core.db import unit_of_work
from pro_service.core.logs import current_correlation
from pro_service.core.notify import OUTBOX_CHANNEL, notify
from pro_service.extensions import db
from pro_service.messages.domain.priority import URGENT, priority_of
from pro_service.messages.domain.segments import count_segments
from pro_service.messages.models import Message, MessageStatus
from pro_service.messages.sending import DispatchCounts, Recipient

log = logging.getLogger("pro_service.messages")

__all__ = ["SENT_DESPITE_OPT_OUT", "DispatchCounts", "Outbound", "Recipient", "apply_status_callback",
           "find_by_sid", "inbound_message", "queue_message", "queue_messages"]

# Kinds that still go to a participant who opted out of SMS (the opt-out confirmation itself).
SENT_DESPITE_OPT_OUT = frozenset({"opt_out_confirmation", "help"})


_QUEUED_COLUMNS = ("direction", "kind", "body", "status", "participant_id", "staff_id",
                   "idempotency_key", "send_after", "occasion_id", "alert_id", "encoding", "segments",
                   "ignore_quiet_hours", "reply_to_id", "attempts", "created_at", "updated_at",
                   "priority", "reconcile", "correlation_id")


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
                reply_to_id=item.reply_to_id, attempts=0, created_at=now, updated_at=now,
                priority=int(priority_of(item.kind)), reconcile=False,
                correlation_id=current_correlation())


def _wake_if_urgent(rows: Sequence[dict[str, object]]) -> None:
    """Wake the senders when this transaction commits, for staff safety texts and advice."""
    if any(int(row["priority"]) <= URGENT for row in rows):  # type: ignore[call-overload]
        notify(db.session, OUTBOX_CHANNEL)


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
    _wake_if_urgent([values])
    msg = Message(id=new_id, **values)
    make_transient_to_detached(msg)
    session.add(msg)
    return msg


def queue_messages(items: Sequence[Outbound], *, now: datetime) -> int:
    """Queue a batch in one executemany (caller's transaction); return how many keys were new."""
    if not items:
        return 0
    rows = [_row(item, now) for item in items]
    result = db.session.execute(_QUEUE_MANY, rows)
    _wake_if_urgent(rows)
    return int(result.rowcount)  # type: ignore[attr-defined]


def inbound_message(*, sid: str, body: str, from_index: str, now: datetime,
                    participant_id: int | None = None, staff_id: int | None = None) -> Message:
    """The (not yet inserted) row of an inbound SMS: `sms.intake` stores it in the statement that
    locks the sender (idempotency on the provider's MessageSid is the inbound webhook's check)."""
    return Message(direction="in", kind="inbound", body=body, status=MessageStatus.RECEIVED,
                   provider_sid=sid, from_index=from_index, participant_id=participant_id,
                   staff_id=staff_id, created_at=now, updated_at=now)


def find_by_sid(sid: str) -> Message | None:
    return db.session.scalar(sa.select(Message).where(Message.provider_sid == sid))


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
