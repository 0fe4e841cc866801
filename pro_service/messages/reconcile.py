"""Reconciliation: a message that may have reached the provider is looked up, never guessed.

A row left in `sending` past its lease (its sender died mid-call) and a send that timed out are
checked against the provider's log (Twilio's Messages list for that number and date, matched by
the SHA-256 of the exact text sent): found → marked sent with the provider's sid; not found →
sent. Every reconciliation is logged and counted (`RECONCILIATIONS`, and /metrics).
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from pro_service.core import metrics
from pro_service.core.db import for_update_skip_locked, unit_of_work
from pro_service.extensions import db
from pro_service.messages.domain.backoff import policy_for, retry_delay
from pro_service.messages.gateway import Gateway, GatewayError, body_hash
from pro_service.messages.models import Message, MessageStatus
from pro_service.messages.records import LEASE, SendHooks, mine, record

log = logging.getLogger("pro_service.messages.reconcile")
RECONCILE_RETRY = timedelta(seconds=30)  # provider log unreachable: ask again after this at most

# Every reconciliation in this process, by outcome (found / resent / error / stale).
RECONCILIATIONS: Counter[str] = Counter()
_counter_lock = threading.Lock()


def _count(outcome: str) -> None:
    with _counter_lock:
        RECONCILIATIONS[outcome] += 1
    metrics.count_reconciliation(outcome)


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
            outcome = record(message_id, token, found, clock(), hooks, reconciled=True)
        except IntegrityError:  # that provider message is another row's
            db.session.rollback()
            continue
        _count("found")
        log.info("message %s was accepted by the provider before the interruption (%s); "
                 "marked sent without sending again", message_id, found.provider_sid)
        return outcome
    return "reconcile_error"


def _reconcile_question(message_id: int, token: str,
                        hooks: SendHooks) -> str | tuple[str, datetime, str, frozenset[str]] | None:
    """For a row whose last send may have reached the provider: what to ask its log."""
    with unit_of_work() as session:
        msg = mine(session, message_id, token, MessageStatus.QUEUED)
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


def _release(message_id: int, token: str, at: datetime) -> None:
    """The provider's log could not be read: ask again later (sooner for safety texts)."""
    with unit_of_work() as session:
        msg = mine(session, message_id, token, MessageStatus.QUEUED)
        if msg is not None:
            delay = min(RECONCILE_RETRY, retry_delay(1, policy=policy_for(msg.priority)))
            msg.claim_token, msg.claimed_until, msg.send_after = None, None, at + delay


