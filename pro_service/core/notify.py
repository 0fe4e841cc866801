"""Wake other processes when a transaction commits: LISTEN/NOTIFY on PostgreSQL, a poll on SQLite.

`notify(session, channel)` runs inside the caller's transaction; PostgreSQL delivers it only
when that transaction commits (never for a rolled-back one), so a woken sender always finds
the committed rows. SQLite has no such signal: `Listener.wait` sleeps a short poll interval.
"""

from __future__ import annotations

import logging
import time

import sqlalchemy as sa
from sqlalchemy.orm import Session

log = logging.getLogger("pro_service.notify")
OUTBOX_CHANNEL = "pro_outbox"
SQLITE_POLL = 0.2  # seconds between outbox checks when the database cannot notify


def notify(session: Session, channel: str) -> None:
    """Signal `channel` when the current transaction commits (no-op on SQLite)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(sa.text("SELECT pg_notify(:channel, '')"), {"channel": channel})


class Listener:
    """Wait for a NOTIFY on `channel` (PostgreSQL) or a poll interval (SQLite)."""

    def __init__(self, url: str, channel: str = OUTBOX_CHANNEL, poll: float = SQLITE_POLL) -> None:
        self.url, self.channel, self.poll = sa.make_url(url), channel, poll
        self._conn = None

    @property
    def is_postgres(self) -> bool:
        return self.url.get_backend_name() == "postgresql"

    def wait(self, timeout: float) -> bool:
        """Block until woken or `timeout` seconds pass; True when a notification arrived."""
        if not self.is_postgres:
            time.sleep(min(timeout, self.poll))
            return False
        try:
            fresh = self._conn is None
            conn = self._connect()
            if fresh:  # a NOTIFY sent before LISTEN is lost: have the caller look once more
                return True
            woke = False
            for _ in conn.notifies(timeout=timeout, stop_after=1):
                woke = True
            return woke
        except Exception:  # a lost connection: reconnect next time, poll meanwhile
            log.warning("outbox listener lost its connection; reconnecting")
            self.close()
            time.sleep(min(timeout, 1.0))
            return False

    def _connect(self):  # type: ignore[no-untyped-def]
        if self._conn is None:
            import psycopg

            dsn = self.url.set(drivername="postgresql").render_as_string(hide_password=False)
            self._conn = psycopg.connect(dsn, autocommit=True)
            self._conn.execute(f'LISTEN "{self.channel}"')
        return self._conn

    def close(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            finally:
                self._conn = None
