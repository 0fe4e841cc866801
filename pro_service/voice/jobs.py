"""Scheduler job of the voice channel: place queued escalation calls."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from pro_service.messages.gateway import GatewayError
from pro_service.safety import calls
from pro_service.voice.gateway import VoiceGateway
from pro_service.voice.twiml import call_twiml


def place_due_calls(*, now: datetime, limit: int, gateway: VoiceGateway, public_base_url: str,
                    data_key: str, only_ids: Sequence[int] | None = None) -> dict[str, int]:
    """Claim queued calls, place each through the gateway, record the CallSid or the error
    (calls a dead placer left claimed are queued again first)."""
    placed = failed = 0
    recovered = calls.recover_stranded_calls(now=now, limit=limit) if only_ids is None else 0
    for order in calls.claim_due_calls(now=now, limit=limit, data_key=data_key, only_ids=only_ids):
        action = f"{public_base_url}/voice/ack?call={order.id}"
        try:
            sid = gateway.call(order.number, call_twiml(order, action))
        except GatewayError as exc:
            calls.record_call_result(order.id, sid=None, error=str(exc), transient=exc.transient,
                                     now=now)
            failed += 1
            continue
        calls.record_call_result(order.id, sid=sid, error=None, transient=False, now=now)
        placed += 1
    return {"calls_placed": placed, "calls_failed": failed, "calls_recovered": recovered}
