"""Helpers for schedule tests: run jobs at a given instant with a recording gateway."""

from __future__ import annotations

from datetime import datetime

import pytest

from pro_service.extensions import db

from pro_service.messages.domain.segments import count_segments
from pro_service.messages.gateway import GatewayError, SendResult


class RecordingGateway:
    """A gateway that records sends in memory and can fail on demand (the outbox's own tests)."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []
        self.failures: list[GatewayError] = []

    def send(self, to: str, body: str) -> SendResult:
        if self.failures:
            raise self.failures.pop(0)
        self.sent.append((to, body))
        return SendResult(f"SM{len(self.sent):032x}", "queued", count_segments(body)[1])


@pytest.fixture
def gateway() -> RecordingGateway:
    return RecordingGateway()


@pytest.fixture
def run_tick(app, gateway):
    from scheduler.jobs import tick

    def run(now: datetime) -> dict[str, int]:
        # end the test's own transaction first: on SQLite it holds the write lock
        db.session.commit()
        counts = tick(app, now=now, gateway=gateway)
        db.session.expire_all()
        return counts

    return run
