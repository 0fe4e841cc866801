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
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import SQLAlchemyError

from pro_service.core import metrics
from pro_service.core.db import claim_rows, serialises_writers, unit_of_work, update_loaded
from pro_service.core.logs import adopt_correlation, correlated
from pro_service.extensions import db
from pro_service.messages.gateway import Gateway, GatewayError, SendResult, body_hash
from pro_service.messages.models import Message, MessageStatus
from pro_service.messages.reconcile import RECONCILIATIONS, reconcile_one, recover_stale
from pro_service.messages.records import LEASE, DispatchCounts, Recipient, SendHooks, mine, record

log = logging.getLogger("pro_service.messages.sending")
__all__ = ["LEASE", "RECONCILIATIONS", "DispatchCounts", "Dispatcher", "Recipient", "SendHooks",
           "claim_batch", "dispatch_outbox", "next_due_at", "send_one"]


# Rows claimed at once, at least: a claim is a transaction of its own, and a single sender
# claiming one row at a time spent as long claiming as sending. A claimed row waits for its
# turn under the claim's lease; one still waiting when the lease ends is taken over, never
# sent twice (`mine`), and a `sending` mark has its own lease from the moment it is made.
MIN_CLAIM = 8


@dataclass(frozen=True)
class Dispatcher:
    """One dispatch pass's settings: who sends, how many at once, how long a claim holds."""

    app: Any  # the Flask app: each sending thread runs in its own app context (own session)
    gateway: Gateway
    hooks: SendHooks
    concurrency: int = 8
    lease: timedelta = LEASE


def dispatch_outbox(d: Dispatcher, *, now: datetime, limit: int,
                    only_ids: Sequence[int] | None = None,
                    max_priority: int | None = None) -> DispatchCounts:
    """Send up to `limit` due messages, highest priority first, `concurrency` at a time."""
    started = time.monotonic()

    # Leases and `sending` marks follow the wall clock through a long pass; recipients are resolved
    # and `sent_at` recorded at the pass's `now` (a tick's instant, exact under injected time).
    def clock() -> datetime:
        return now + timedelta(seconds=time.monotonic() - started)

    counts = DispatchCounts(stale=recover_stale(now=now, lease=d.lease))
    token = uuid.uuid4().hex
    # SQLite lets one writer in at a time: the pass's threads take turns for their short
    # transactions here, woken at once, instead of polling SQLite's busy handler (which sleeps
    # up to 100 ms a try); provider calls still overlap.
    turn: AbstractContextManager[Any] = (threading.Lock() if serialises_writers(db.session())
                                         else nullcontext())
    claimed: list[int] = []
    running: dict[Future[str], int] = {}
    pool = (ThreadPoolExecutor(max_workers=d.concurrency, thread_name_prefix="sender")
            if d.concurrency > 1 else _InThisThread())
    with pool:
        taken, exhausted = 0, False
        while True:
            # keep every thread busy: claim a few more while the last ones are in flight
            if not claimed and not exhausted and taken < limit:
                size = min(max(d.concurrency, MIN_CLAIM), limit - taken)
                with turn:
                    claimed = claim_batch(now=clock(), size=size, token=token, lease=d.lease,
                                          only_ids=only_ids, max_priority=max_priority)
                taken += len(claimed)
                exhausted = len(claimed) < size
            while claimed and len(running) < d.concurrency:
                mid = claimed.pop(0)
                running[pool.submit(_send_in_context, d, mid, token, clock, now, turn)] = mid
            if not running:
                return counts
            finished, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in finished:
                counts.add(future.result(), running.pop(future))


class _InThisThread(AbstractContextManager["_InThisThread"]):
    """The executor of a single sender: each send runs at once in the calling thread (a thread
    of its own would only add two hand-offs a message)."""

    def __exit__(self, *exc: object) -> None:
        return None

    def submit(self, fn: Callable[..., str], /, *args: Any) -> Future[str]:
        future: Future[str] = Future()
        future.set_result(fn(*args))
        return future


def next_due_at() -> datetime | None:
    """When the earliest queued message becomes due (the sender sleeps until then at most)."""
    return db.session.scalar(sa.select(sa.func.min(Message.send_after)).where(
        Message.status == MessageStatus.QUEUED))


def claim_batch(*, now: datetime, size: int, token: str, lease: timedelta,
                only_ids: Sequence[int] | None = None, max_priority: int | None = None) -> list[int]:
    """Lease up to `size` due queued rows to `token` in one statement; nothing is sent yet.

    One UPDATE … WHERE id IN (the due rows, locked, skipping those another sender holds)
    RETURNING: the lease is committed before any row is sent, as with a select-then-update.
    """
    due = (sa.select(Message.id).where(
        Message.status == MessageStatus.QUEUED, Message.send_after <= now,
        sa.or_(Message.claimed_until.is_(None), Message.claimed_until < now))
        .order_by(Message.priority, Message.send_after, Message.id).limit(size))
    if only_ids is not None:
        due = due.where(Message.id.in_(list(only_ids)))
    if max_priority is not None:
        due = due.where(Message.priority <= max_priority)
    return claim_rows(due, {"claim_token": token, "claimed_until": now + lease, "claimed_at": now},
                      order=("priority", "send_after"))


def _send_in_context(d: Dispatcher, message_id: int, token: str, clock: Callable[[], datetime],
                     now: datetime, turn: AbstractContextManager[Any]) -> str:
    with d.app.app_context(), correlated(None):
        try:
            return send_one(message_id, token=token, gateway=d.gateway, hooks=d.hooks, clock=clock,
                            now=now, turn=turn)
        except Exception:  # one row's database trouble never stops the batch; the lease expires
            log.exception("sending message %s failed; it will be tried again", message_id)
            db.session.rollback()
            return "error"
        finally:
            db.session.remove()


def send_one(message_id: int, *, token: str, gateway: Gateway, hooks: SendHooks,
             clock: Callable[[], datetime], now: datetime | None = None,
             turn: AbstractContextManager[Any] | None = None) -> str:
    """Reconcile if needed, commit `sending`, call the provider, commit the result.

    `turn` is held around each of the two commits (not the provider call).
    """
    outcome = ""
    now = now or clock()
    turn = turn or nullcontext()
    with turn:
        prepared = _mark_sending(message_id, token, clock(), hooks, resolve_at=now)
    if prepared == "reconcile":  # its last send may have reached the provider: ask first
        outcome = reconcile_one(message_id, token=token, gateway=gateway, hooks=hooks, clock=clock)
        if outcome not in ("", "resent+"):
            return outcome
        with turn:
            prepared = _mark_sending(message_id, token, clock(), hooks, asked=True, resolve_at=now)
    if isinstance(prepared, str):
        return prepared
    number, text = prepared
    started = time.perf_counter()
    try:
        result: SendResult | GatewayError = gateway.send(number, text)
    except GatewayError as exc:
        result = exc
    _observe(result, time.perf_counter() - started)
    with turn:
        recorded = record(message_id, token, result, clock(), hooks, sent_at=now)
    log.info("message %s handed to the provider: %s", message_id, recorded)
    return outcome + recorded


def _observe(result: SendResult | GatewayError, seconds: float) -> None:
    if isinstance(result, SendResult):
        metrics.observe_send("sms", "sent", seconds)
    else:
        metrics.observe_send("sms", "timeout" if result.ambiguous else "failed", seconds,
                             result.code or "network")


def _mark_sending(message_id: int, token: str, at: datetime, hooks: SendHooks,
                  asked: bool = False, resolve_at: datetime | None = None) -> tuple[str, str] | str:
    """Commit `sending` (with the exact text's hash) just before the provider call.

    A row whose last send may have left is not marked: "reconcile" asks the caller to check the
    provider's log first (`asked` once it has).
    """
    with unit_of_work() as session:
        msg = mine(session, message_id, token, MessageStatus.QUEUED)
        if msg is None:
            return "lost"
        adopt_correlation(msg.correlation_id)  # log the send under the request that queued it
        if msg.reconcile and msg.sending_at and not asked:
            return "reconcile"
        recipient = _resolve(msg, resolve_at or at, hooks)
        if not (recipient.allowed and recipient.number):
            msg.status, msg.last_error = MessageStatus.CANCELLED, recipient.reason or "no recipient"
            msg.claim_token, msg.updated_at = None, at
            return "cancelled"
        text = recipient.body or msg.body
        # one UPDATE by key, nothing left for the commit to flush (every send passes here)
        update_loaded(msg, status=MessageStatus.SENDING, sending_at=at, sent_body_hash=body_hash(text),
                      attempts=msg.attempts + 1, reconcile=False, updated_at=at)
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


