"""The outbox listener never sleeps through work committed before it began to LISTEN."""

from __future__ import annotations

import time

import pytest
import sqlalchemy as sa

from pro_service.core.notify import OUTBOX_CHANNEL, Listener
from tests.conftest import BACKEND


@pytest.mark.skipif(BACKEND != "postgres", reason="LISTEN/NOTIFY is PostgreSQL's")
def test_a_new_listener_wakes_at_once_then_waits_for_a_notify(database_url):
    listener = Listener(database_url)
    engine = sa.create_engine(database_url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    try:
        # a NOTIFY sent before the listener connects reaches nobody: it must look anyway
        with engine.connect() as conn:
            conn.execute(sa.text(f'NOTIFY "{OUTBOX_CHANNEL}"'))
        assert listener.wait(30) is True
        started = time.monotonic()
        assert listener.wait(0.2) is False  # listening now, and nothing was sent
        assert time.monotonic() - started >= 0.15
        with engine.connect() as conn:
            conn.execute(sa.text(f'NOTIFY "{OUTBOX_CHANNEL}"'))
        assert listener.wait(30) is True
    finally:
        listener.close()
        engine.dispose()
