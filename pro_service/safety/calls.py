"""Voice escalation (DESIGN §10): an emergency still unacknowledged after its first step rings the
person it escalates to; pressing 1 on the call acknowledges the alert through the same rule.

A call is a row first (`queued`, written with the escalation), claimed (`calling`) and placed by
the voice channel's job or at once after commit (`place_now`, wired by the factory), then
`placed` with the provider's CallSid, or `failed`. The keypress arrives at a signed webhook.
A call left `calling` with no CallSid for `CALL_LEASE` (its placer died between the claim and
the record) is queued again, so an escalation call is never lost; if the dead placer had
reached the provider, the callee may be rung twice, which for an unacknowledged emergency is
the lesser harm.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from pro_service.audit.service import record_event
from pro_service.core import crypto
from pro_service.core.db import (after_commit, for_update_skip_locked, insert_loaded_unless_taken,
                                  unit_of_work)
from pro_service.core.errors import Forbidden, NotFound
from pro_service.extensions import db
from pro_service.safety import service
from pro_service.safety.models import SafetyAlert, VoiceCall
from pro_service.staff.models import StaffUser

log = logging.getLogger("pro_service.safety.calls")
MAX_CALL_ATTEMPTS = 3
CALL_LEASE = timedelta(minutes=2)  # a claim's provider call times out long before this
ACK_DIGIT = "1"

# Places the given call ids at once after commit; set by the application factory.
place_now: Callable[[list[int]], None] | None = None


@dataclass(frozen=True)
class CallOrder:
    """What the voice channel needs to place one call."""

    id: int
    number: str
    language: str
    study_id: str
    category: str
    code: str


def queue_call(alert: SafetyAlert, member: StaffUser, *, level: int, now: datetime) -> VoiceCall | None:
    """Queue one call to `member` about `alert` at escalation `level` (once per level)."""
    if member.alert_phone_enc is None:
        return None
    # the unique (alert, level) makes a second call for the same step insert nothing, also when
    # two writers queue it at once
    call = insert_loaded_unless_taken(
        VoiceCall(alert_id=alert.id, staff_id=member.id, level=level,
                  language=member.language or "zh-CN", status="queued", attempts=0,
                  created_at=now, updated_at=now), "alert_id, level")
    if call is None:
        return None
    record_event(actor="system:safety", action="alert.call", entity_type="safety_alert",
                 entity_id=alert.id, now=now, after={"level": level, "staff_id": member.id,
                                                     "call_id": call.id})
    if place_now is not None:
        fn, ids = place_now, [call.id]

        def attempt() -> None:
            try:
                fn(ids)
            except Exception:  # the scheduler's job retries it
                log.exception("immediate voice call failed; the scheduler will retry")

        after_commit(attempt)
    return call


def claim_due_calls(*, now: datetime, limit: int, data_key: str,
                    only_ids: Sequence[int] | None = None) -> list[CallOrder]:
    """Mark queued calls `calling` and return what to dial; calls for acknowledged alerts stop."""
    with unit_of_work() as session:
        stmt = (sa.select(VoiceCall).where(VoiceCall.status == "queued")
                .order_by(VoiceCall.created_at, VoiceCall.id).limit(limit))
        if only_ids is not None:
            stmt = stmt.where(VoiceCall.id.in_(list(only_ids)))
        orders = []
        for call in session.scalars(for_update_skip_locked(stmt, session)).all():
            call.updated_at = now
            staff = session.get(StaffUser, call.staff_id)
            if call.alert.status != "open" or staff is None or staff.alert_phone_enc is None:
                call.status, call.last_error = "cancelled", "alert no longer open or no phone"
                continue
            call.status, call.attempts = "calling", call.attempts + 1
            number = crypto.decrypt(staff.alert_phone_enc, data_key, "staff.alert_phone")
            orders.append(CallOrder(call.id, number, call.language, call.alert.participant.study_id,
                                    call.alert.category, call.alert.code))
        return orders


def recover_stranded_calls(*, now: datetime, limit: int, lease: timedelta = CALL_LEASE) -> int:
    """Queue again (or fail, after the last attempt) calls claimed over `lease` ago that never got
    a CallSid or an error recorded; returns how many."""
    with unit_of_work() as session:
        stmt = (sa.select(VoiceCall).where(VoiceCall.status == "calling",
                                           VoiceCall.provider_sid.is_(None),
                                           VoiceCall.updated_at <= now - lease)
                .order_by(VoiceCall.updated_at, VoiceCall.id).limit(limit))
        stranded = session.scalars(for_update_skip_locked(stmt, session)).all()
        for call in stranded:
            retry = call.attempts < MAX_CALL_ATTEMPTS
            log.warning("voice call %s was left calling since %s: %s", call.id,
                        call.updated_at.isoformat(), "queued again" if retry else "failed")
            call.status = "queued" if retry else "failed"
            call.last_error, call.updated_at = "placer stopped before recording the call", now
            record_event(actor="system:voice", action="alert.call_recovered",
                         entity_type="safety_alert", entity_id=call.alert_id, now=now,
                         after={"call_id": call.id, "status": call.status})
        return len(stranded)


def record_call_result(call_id: int, *, sid: str | None, error: str | None, transient: bool,
                       now: datetime) -> None:
    """Record the provider's answer to a placed call (retried while transient, up to 3 tries)."""
    with unit_of_work() as session:
        call = session.get(VoiceCall, call_id)
        if call is None:
            return
        call.updated_at = now
        if sid is not None:
            call.status, call.provider_sid = "placed", sid
        elif transient and call.attempts < MAX_CALL_ATTEMPTS:
            call.status, call.last_error = "queued", (error or "")[:300]
        else:
            call.status, call.last_error = "failed", (error or "")[:300]
        record_event(actor="system:voice", action="alert.call_result", entity_type="safety_alert",
                     entity_id=call.alert_id, now=now,
                     after={"call_id": call.id, "status": call.status})


def call_for_keypress(call_id: int, call_sid: str) -> VoiceCall:
    """The call a keypress webhook is about; its CallSid must match the one the provider gave."""
    call = db.session.get(VoiceCall, call_id)
    if call is None or not call.provider_sid or call.provider_sid != call_sid:
        raise NotFound(f"no call {call_id}")
    return call


def acknowledge_by_keypress(call: VoiceCall, *, digits: str, now: datetime) -> str:
    """Take the keypress of a call: 1 acknowledges (if the callee's role may). Returns the outcome:
    `acknowledged`, `already`, `refused` or `ignored` (another key)."""
    with unit_of_work() as session:
        call.digits, call.answered_at, call.updated_at = digits[:8], now, now
        if digits.strip() != ACK_DIGIT:
            return "ignored"
        staff = session.get(StaffUser, call.staff_id)
        alert = call.alert
        if staff is None or not staff.active:
            return "refused"
        try:
            service.check_may_acknowledge(alert, staff)
        except (Forbidden, NotFound):
            return "refused"
        first = alert.ack_at is None
        service.acknowledge_alert(alert, staff=staff, via="voice", now=now)
        call.status = "acknowledged" if first else call.status
        return "acknowledged" if first else "already"


def recent_calls(*, limit: int) -> list[VoiceCall]:
    """The latest calls, newest first (development phone page)."""
    return list(db.session.scalars(sa.select(VoiceCall).order_by(VoiceCall.id.desc()).limit(limit)))
