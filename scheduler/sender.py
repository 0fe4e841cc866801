"""The scheduler's sender thread: sends the outbox as soon as something urgent is committed.

It sends whatever is due, highest priority first, until nothing is left, then waits for a
NOTIFY from a committing transaction (PostgreSQL) or a short poll (SQLite), and at most
`idle_seconds` for messages that become due by time alone (reminders, retries).
"""

from __future__ import annotations

import logging
import threading

from flask import Flask

from pro_service.core import clock
from pro_service.core.notify import Listener
from pro_service.extensions import db
from pro_service.messages.sending import next_due_at
from pro_service.messages.gateway import Gateway
from scheduler.jobs import JOBS, SENDER_JOB, run_job

log = logging.getLogger("pro_service.scheduler.sender")
IDLE_SECONDS = 5.0


class Sender:
    """A daemon thread running dispatch passes; `stop()` ends it after the current pass."""

    def __init__(self, app: Flask, gateway: Gateway, idle_seconds: float | None = None) -> None:
        self.app, self.gateway = app, gateway
        self.idle_seconds = idle_seconds or float(app.config.get("SENDER_IDLE_SECONDS") or IDLE_SECONDS)
        self.job = next(job for job in JOBS if job.name == SENDER_JOB)
        self.listener = Listener(app.config["SQLALCHEMY_DATABASE_URI"])
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self.run, name="outbox-sender", daemon=True)

    def start(self) -> Sender:
        self._thread.start()
        return self

    def stop(self, timeout: float = 30.0) -> None:
        self._stop.set()
        self._thread.join(timeout)
        self.listener.close()

    def run(self) -> None:
        """Send until nothing is due, wait for a wake-up, repeat until stopped."""
        log.info("outbox sender started (%s)", "LISTEN/NOTIFY" if self.listener.is_postgres else "poll")
        while not self._stop.is_set():
            counts = run_job(self.app, self.job, self.gateway, clock.now())
            if counts.get("error") or not _moved(counts):
                self.listener.wait(self._until_next_due())

    def _until_next_due(self) -> float:
        """Seconds to wait: until the earliest queued message is due (a retry), at most idle."""
        with self.app.app_context():
            try:
                due = next_due_at()
            except Exception:
                log.exception("cannot read the outbox; waiting")
                return self.idle_seconds
            finally:
                db.session.remove()
        if due is None:
            return self.idle_seconds
        return min(self.idle_seconds, max(0.25, (due - clock.now()).total_seconds()))


def _moved(counts: dict[str, int]) -> bool:
    """Whether a pass did any work (then look again at once: more may be due)."""
    return any(counts.get(k) for k in ("sent", "retried", "failed", "cancelled", "reconciled", "stale"))
