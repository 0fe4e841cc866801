"""What a send leaves behind: the hooks a channel gives, the counts, and the recorded outcome.

Shared by `messages.sending` (the send protocol) and `messages.reconcile` (asking the provider).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa

from pro_service.core.db import unit_of_work
from pro_service.messages.domain.backoff import policy_for, retry_delay
from pro_service.messages.gateway import GatewayError, SendResult
from pro_service.messages.models import Message, MessageStatus

log = logging.getLogger("pro_service.messages.sending")
LEASE = timedelta(minutes=2)  # a claim or a `sending` mark older than this is taken over


@dataclass
class Recipient:
    """Where a message goes and whether it may go now (resolved by the caller's room)."""

    number: str | None
    allowed: bool = True
    reason: str | None = None
    body: str | None = None  # the text to send when it differs from the stored one (a fresh link)


@dataclass(frozen=True)
class SendHooks:
    """What the channel room decides: the recipient at send time and what a failure causes."""

    resolve: Callable[[Message, datetime], Recipient]
    address: Callable[[Message], str | None]  # the number alone, to ask the provider's log
    on_failed: Callable[[Message, datetime], None] | None = None
    on_permanent: Callable[[Message, str | None, datetime], None] | None = None
    defer: Callable[[Message, datetime], datetime] | None = None


@dataclass
class DispatchCounts:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    cancelled: int = 0
    reconciled: int = 0  # found at the provider and marked sent without sending again
    resent: int = 0  # not found at the provider after an interruption or time-out: sent
    stale: int = 0  # rows found left in `sending` and handed to reconciliation
    failures: list[int] = field(default_factory=list)

    def add(self, outcome: str, message_id: int) -> None:
        for part in outcome.split("+"):
            if part in ("sent", "retried", "failed", "cancelled", "reconciled", "resent"):
                setattr(self, part, getattr(self, part) + 1)
        if "failed" in outcome:
            self.failures.append(message_id)

    def as_dict(self) -> dict[str, int]:
        return {k: v for k, v in vars(self).items() if isinstance(v, int)}


# Built once (a statement object keeps its cache key): the row, locked, as `session.get` with
# FOR UPDATE would load it, without building and keying the query on each send
_LOCK_MESSAGE = sa.select(Message).where(Message.id == sa.bindparam("message_id")).with_for_update()


def mine(session: sa.orm.Session, message_id: int, token: str, status: str) -> Message | None:
    msg = session.scalar(_LOCK_MESSAGE, {"message_id": message_id})
    if msg is None or msg.status != status or msg.claim_token != token:
        return None  # finished, cancelled, or taken over after this claim's lease expired
    return msg


def record(message_id: int, token: str, outcome: SendResult | GatewayError, at: datetime,
           hooks: SendHooks, reconciled: bool = False, sent_at: datetime | None = None) -> str:
    """Commit what the provider said (or what its log showed)."""
    status = MessageStatus.QUEUED if reconciled else MessageStatus.SENDING
    if isinstance(outcome, SendResult):
        return _record_sent(message_id, token, status, outcome, at, sent_at or at, reconciled)
    with unit_of_work() as session:
        msg = mine(session, message_id, token, status)
        if msg is None:
            return _lost(message_id)
        msg.claim_token, msg.claimed_until, msg.updated_at = None, None, at
        return _failed(msg, outcome, at, hooks)


_MESSAGES = Message.__table__
# Written once: a table-level UPDATE is cached and skips the ORM's bulk-update machinery.
_MARK_SENT = (
    sa.update(_MESSAGES)
    .where(_MESSAGES.c.id == sa.bindparam("message_id"),
           _MESSAGES.c.status == sa.bindparam("expected"),
           _MESSAGES.c.claim_token == sa.bindparam("token"))
    .values(status=MessageStatus.SENT, provider_sid=sa.bindparam("sid"),
            segments=sa.bindparam("n_segments"), sent_at=sa.bindparam("when_sent"),
            reconcile=False, claim_token=None, claimed_until=None,
            updated_at=sa.bindparam("at"))
)


def _record_sent(message_id: int, token: str, status: str, outcome: SendResult, at: datetime,
                 sent_at: datetime, reconciled: bool) -> str:
    """Mark the row sent in one UPDATE guarded like `mine` (still ours, in the expected state)."""
    with unit_of_work() as session:
        updated = session.execute(_MARK_SENT, {
            "message_id": message_id, "expected": status, "token": token,
            "sid": outcome.provider_sid, "n_segments": outcome.segments, "when_sent": sent_at,
            "at": at})
    if updated.rowcount != 1:
        return _lost(message_id)
    return "reconciled" if reconciled else "sent"


def _lost(message_id: int) -> str:
    """The row was taken over while we sent: its new owner reconciles it, we record nothing."""
    log.warning("message %s changed hands while sending; its owner reconciles it", message_id)
    return "lost"


def _failed(msg: Message, error: GatewayError, at: datetime, hooks: SendHooks) -> str:
    msg.error_code, msg.last_error = error.code, str(error)[:300]
    policy = policy_for(msg.priority)
    if error.transient and msg.attempts < policy.max_attempts:
        retry_at = at + retry_delay(msg.attempts, policy=policy)
        msg.send_after = hooks.defer(msg, retry_at) if hooks.defer else retry_at
        msg.status, msg.reconcile = MessageStatus.QUEUED, error.ambiguous
        return "retried"
    msg.status = MessageStatus.FAILED
    if not error.transient and hooks.on_permanent:
        hooks.on_permanent(msg, error.code, at)
    if hooks.on_failed:
        hooks.on_failed(msg, at)
    return "failed"
