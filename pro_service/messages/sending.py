"""The send protocol: claim a few rows, one commit before each provider call, one after.

DESIGN §10. A dispatcher claims a small batch (a lease held by its token, highest priority
first). For each row it commits `sending` (with the hash of the exact text and the time)
immediately before the provider call and records the result in the next commit, so a crash
anywhere leaves at most the rows whose call was in flight in `sending`. Such a row, once its
lease has expired, and a row whose send timed out, are reconciled with the provider's log before
anything is sent again: found → marked sent with the provider's sid; not found → sent.
Several threads send at once (bounded), each with its own session.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from pro_service.core.db import for_update_skip_locked, unit_of_work
from pro_service.extensions import db
from pro_service.messages.domain.backoff import policy_for, retry_delay
from pro_service.messages.gateway import Gateway, GatewayError, SendResult, body_hash
from pro_service.messages.models import Message, MessageStatus

log = logging.getLogger("pro_service.messages.sending")
LEASE = timedelta(minutes=2)  # a claim or a `sending` mark older than this is taken over
RECONCILE_RETRY = timedelta(seconds=30)  # provider log unreachable: ask again after this

# Every reconciliation in this process, by outcome (found / resent / error / stale); /metrics reads it.
RECONCILIATIONS: Counter[str] = Counter()
_counter_lock = threading.Lock()


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


@dataclass(frozen=True)
class Dispatcher:
    """One dispatch pass's settings: who sends, how many at once, how long a claim holds."""

    app: Any  # the Flask app: each sending thread runs in its own app context (own session)
    gateway: Gateway
    hooks: SendHooks
    concurrency: int = 8
    lease: timedelta = LEASE


def _count(outcome: str) -> None:
    with _counter_lock:
        RECONCILIATIONS[outcome] += 1


def dispatch_outbox(d: Dispatcher, *, now: datetime, limit: int,
                    only_ids: Sequence[int] | None = None,
                    max_priority: int | None = None) -> DispatchCounts:
    """Send up to `limit` due messages, highest priority first, `concurrency` at a time."""
    started = time.monotonic()

    def clock() -> datetime:  # `now` moves on with the pass (injected time in tests stays exact)
        return now + timedelta(seconds=time.monotonic() - started)

    counts = DispatchCounts(stale=recover_stale(now=now, lease=d.lease))
    token = uuid.uuid4().hex
    claimed: list[int] = []
    running: dict[Future[str], int] = {}
    with ThreadPoolExecutor(max_workers=d.concurrency, thread_name_prefix="sender") as pool:
        taken, exhausted = 0, False
        while True:
            # keep every thread busy: claim a few more while the last ones are in flight
            if not claimed and not exhausted and taken < limit:
                size = min(d.concurrency, limit - taken)
                claimed = claim_batch(now=clock(), size=size, token=token, lease=d.lease,
                                      only_ids=only_ids, max_priority=max_priority)
                taken += len(claimed)
                exhausted = len(claimed) < size
            while claimed and len(running) < d.concurrency:
                mid = claimed.pop(0)
                running[pool.submit(_send_in_context, d, mid, token, clock)] = mid
            if not running:
                return counts
            finished, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in finished:
                counts.add(future.result(), running.pop(future))


def claim_batch(*, now: datetime, size: int, token: str, lease: timedelta,
                only_ids: Sequence[int] | None = None, max_priority: int | None = None) -> list[int]:
    """Lease up to `size` due queued rows to `token` in one commit; nothing is sent yet."""
    with unit_of_work() as session:
        stmt = (sa.select(Message).where(
            Message.status == MessageStatus.QUEUED, Message.send_after <= now,
            sa.or_(Message.claimed_until.is_(None), Message.claimed_until < now))
            .order_by(Message.priority, Message.send_after, Message.id).limit(size))
        if only_ids is not None:
            stmt = stmt.where(Message.id.in_(list(only_ids)))
        if max_priority is not None:
            stmt = stmt.where(Message.priority <= max_priority)
        rows = session.scalars(for_update_skip_locked(stmt, session)).all()
        for msg in rows:
            msg.claim_token, msg.claimed_until, msg.claimed_at = token, now + lease, now
        return [m.id for m in rows]


def recover_stale(*, now: datetime, lease: timedelta = LEASE) -> int:
    """Hand rows left in `sending` past their lease to reconciliation (never resend blindly)."""
    with unit_of_work() as session:
        stmt = sa.select(Message).where(Message.status == MessageStatus.SENDING,
                                        Message.sending_at < now - lease)
        rows = session.scalars(for_update_skip_locked(stmt, session)).all()
        for msg in rows:
            log.warning("message %s was left sending since %s; reconciling with the provider",
                        msg.id, msg.sending_at.isoformat() if msg.sending_at else "?",
                        extra={"counts": {"message_id": msg.id}})
            msg.status, msg.reconcile, msg.send_after = MessageStatus.QUEUED, True, now
            msg.claim_token = msg.claimed_until = None
            msg.updated_at = now
            _count("stale")
        return len(rows)


def _send_in_context(d: Dispatcher, message_id: int, token: str, clock: Callable[[], datetime]) -> str:
    with d.app.app_context():
        try:
            return send_one(message_id, token=token, gateway=d.gateway, hooks=d.hooks, clock=clock)
        except Exception:  # one row's database trouble never stops the batch; the lease expires
            log.exception("sending message %s failed; it will be tried again", message_id)
            db.session.rollback()
            return "error"
        finally:
            db.session.remove()


def send_one(message_id: int, *, token: str, gateway: Gateway, hooks: SendHooks,
             clock: Callable[[], datetime]) -> str:
    """Reconcile if needed, commit `sending`, call the provider, commit the result."""
    outcome = reconcile_one(message_id, token=token, gateway=gateway, hooks=hooks, clock=clock)
    if outcome not in ("", "resent+"):
        return outcome
    prepared = _mark_sending(message_id, token, clock(), hooks)
    if isinstance(prepared, str):
        return prepared
    number, text = prepared
    try:
        result: SendResult | GatewayError = gateway.send(number, text)
    except GatewayError as exc:
        result = exc
    return outcome + _record(message_id, token, result, clock(), hooks)


def reconcile_one(message_id: int, *, token: str, gateway: Gateway, hooks: SendHooks,
                  clock: Callable[[], datetime]) -> str:
    """Ask the provider's log about a row whose last send may have left: "" when not needed,
    "resent+" when the log does not have it (send it), else the final outcome."""
    for _ in range(3):  # a sid another row claimed meanwhile: ask again without it
        check = _reconcile_question(message_id, token, hooks)
        if check is None or check == "lost":
            return check or ""
        number, since, fingerprint, exclude = check
        try:
            found = gateway.find_sent(number, since, fingerprint, exclude)
        except GatewayError as exc:
            _count("error")
            log.warning("cannot ask the provider about message %s (%s); asking again later",
                        message_id, exc)
            _release(message_id, token, clock())
            return "reconcile_error"
        if found is None:
            _count("resent")
            log.info("message %s is not in the provider's log; sending it", message_id)
            return "resent+"
        try:
            outcome = _record(message_id, token, found, clock(), hooks, reconciled=True)
        except IntegrityError:  # that provider message is another row's
            db.session.rollback()
            continue
        _count("found")
        log.info("message %s was accepted by the provider before the interruption (%s); "
                 "marked sent without sending again", message_id, found.provider_sid)
        return outcome
    return "reconcile_error"


def _mine(session: sa.orm.Session, message_id: int, token: str, status: str) -> Message | None:
    msg = session.get(Message, message_id, with_for_update=True)
    if msg is None or msg.status != status or msg.claim_token != token:
        return None  # finished, cancelled, or taken over after this claim's lease expired
    return msg


def _reconcile_question(message_id: int, token: str,
                        hooks: SendHooks) -> str | tuple[str, datetime, str, frozenset[str]] | None:
    """For a row whose last send may have reached the provider: what to ask its log."""
    with unit_of_work() as session:
        msg = _mine(session, message_id, token, MessageStatus.QUEUED)
        if msg is None:
            return "lost"
        if not (msg.reconcile and msg.sending_at):
            return None
        number = hooks.address(msg)
        if number is None:
            return None
        exclude = frozenset(session.scalars(sa.select(Message.provider_sid).where(
            Message.id != msg.id, Message.provider_sid.is_not(None),
            Message.participant_id == msg.participant_id if msg.participant_id is not None
            else Message.staff_id == msg.staff_id,
            Message.created_at >= msg.sending_at - timedelta(days=2))))
        return number, msg.sending_at, msg.sent_body_hash or body_hash(msg.body), exclude


def _mark_sending(message_id: int, token: str, at: datetime,
                  hooks: SendHooks) -> tuple[str, str] | str:
    """Commit `sending` (with the exact text's hash) just before the provider call."""
    with unit_of_work() as session:
        msg = _mine(session, message_id, token, MessageStatus.QUEUED)
        if msg is None:
            return "lost"
        recipient = _resolve(msg, at, hooks)
        if not (recipient.allowed and recipient.number):
            msg.status, msg.last_error = MessageStatus.CANCELLED, recipient.reason or "no recipient"
            msg.claim_token, msg.updated_at = None, at
            return "cancelled"
        text = recipient.body or msg.body
        msg.status, msg.sending_at, msg.sent_body_hash = MessageStatus.SENDING, at, body_hash(text)
        msg.attempts += 1
        msg.reconcile, msg.updated_at = False, at
        return recipient.number, text


def _resolve(msg: Message, at: datetime, hooks: SendHooks) -> Recipient:
    """One row that cannot be resolved (say, an undecryptable number) fails alone."""
    try:
        return hooks.resolve(msg, at)
    except SQLAlchemyError:
        raise
    except Exception as exc:
        log.exception("cannot resolve message %s", msg.id)
        return Recipient(None, False, f"cannot resolve recipient: {type(exc).__name__}")


def _release(message_id: int, token: str, at: datetime) -> None:
    """The provider's log could not be read: ask again later (sooner for safety texts)."""
    with unit_of_work() as session:
        msg = _mine(session, message_id, token, MessageStatus.QUEUED)
        if msg is not None:
            delay = min(RECONCILE_RETRY, retry_delay(1, policy=policy_for(msg.priority)))
            msg.claim_token, msg.claimed_until, msg.send_after = None, None, at + delay


def _record(message_id: int, token: str, outcome: SendResult | GatewayError, at: datetime,
            hooks: SendHooks, reconciled: bool = False) -> str:
    """Commit what the provider said (or what its log showed)."""
    with unit_of_work() as session:
        status = MessageStatus.QUEUED if reconciled else MessageStatus.SENDING
        msg = _mine(session, message_id, token, status)
        if msg is None:  # taken over meanwhile: the new owner reconciles it
            log.warning("message %s changed hands while sending; its owner reconciles it", message_id)
            return "lost"
        msg.claim_token, msg.claimed_until, msg.updated_at = None, None, at
        if isinstance(outcome, SendResult):
            msg.status, msg.provider_sid = MessageStatus.SENT, outcome.provider_sid
            msg.segments, msg.sent_at, msg.reconcile = outcome.segments, at, False
            return "reconciled" if reconciled else "sent"
        return _failed(msg, outcome, at, hooks)


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
