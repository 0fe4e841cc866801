"""Fault: the database connections die while Twilio streams inbound webhooks at gunicorn.

A real gunicorn (2 workers x 4 threads) serves the app on PostgreSQL. Eight senders post 240
signed texts from 24 participants' phones and retry each like Twilio with the connection-override
fragment `#rc=3&rp=all` (a 5xx, a dropped connection or a time-out is sent again, same
MessageSid). Meanwhile the database "restarts" every 1.5 s: for 0.5 s every backend of the test
database is terminated with `pg_terminate_backend` each 50 ms, which is what a restart does to
open connections (the server itself is shared and is never restarted). Every text must be
recorded exactly once. A webhook whose transaction lost its connection is retried once inside
the app; if that fails too it is answered 503 (nothing committed) and Twilio sends it again.
The server log is kept in test-output/faults/.
"""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
import sqlalchemy as sa
from twilio.request_validator import RequestValidator

from pro_service.extensions import db
from pro_service.messages.models import Message
from tests.factories import fictional_mobile

pytestmark = pytest.mark.skipif(os.environ.get("PRO_TEST_DB", "sqlite") != "postgres",
                                reason="kills PostgreSQL backends")

REPO = Path(__file__).resolve().parents[2]
PORT = 10231
AUTH_TOKEN = "fault-test-auth-token"  # noqa: S105 - test credential
PUBLIC = "https://pro.example.org"
PHONES = [fictional_mobile(41000 + n) for n in range(24)]
TEXTS_PER_PHONE = 10
TWILIO_RETRIES = 3  # rc=3
RETRY_PAUSE = 0.3  # Twilio's retry comes after its connect/read time-out, never at once
RESTART_EVERY, RESTART_LASTS, KILL_EVERY = 1.5, 0.5, 0.05
LOG_DIR = REPO / "test-output" / "faults"


def _serve(database_url: str, log: Path) -> subprocess.Popen[bytes]:
    """Start gunicorn on the test database; its output goes to `log`."""
    env = {**os.environ, "PRO_ENV": "test", "PRO_DATABASE_URL": database_url,
           "PRO_TWILIO_AUTH_TOKEN": AUTH_TOKEN, "PRO_PUBLIC_BASE_URL": PUBLIC,
           "PRO_TWILIO_ACCOUNT_SID": "AC" + "0" * 32}
    with log.open("wb") as out:
        proc = subprocess.Popen(  # noqa: S603 - our own interpreter and gunicorn
            [sys.executable, "-m", "gunicorn", "--workers", "2", "--threads", "4", "--bind",
             f"127.0.0.1:{PORT}", "--timeout", "30", "wsgi:app"],
            cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT)
    for _ in range(200):
        try:
            if requests.get(f"http://127.0.0.1:{PORT}/healthz", timeout=5).ok:
                return proc
        except requests.RequestException:
            time.sleep(0.1)
    proc.kill()
    raise AssertionError("gunicorn did not start: " + log.read_text()[-2000:])


class Twilio:
    """Posts signed inbound webhooks and retries them the way the fragment tells Twilio to."""

    def __init__(self) -> None:
        self.outcomes: Counter[str] = Counter()
        self.lock = threading.Lock()

    def deliver(self, sid: str, sender: str, body: str) -> int:
        form = {"MessageSid": sid, "From": sender, "Body": body, "To": "+8613123400999"}
        signature = RequestValidator(AUTH_TOKEN).compute_signature(PUBLIC + "/sms/inbound", form)
        status = 0
        for _ in range(1 + TWILIO_RETRIES):
            try:
                status = requests.post(f"http://127.0.0.1:{PORT}/sms/inbound", data=form, timeout=10,
                                       headers={"X-Twilio-Signature": signature}).status_code
            except requests.RequestException:
                status = 599
            with self.lock:
                self.outcomes[str(status)] += 1
            if status < 500:
                return status
            time.sleep(RETRY_PAUSE)
        return status


def _restarts(url: str, stop: threading.Event, began: threading.Event,
              counts: Counter[str]) -> None:
    """From now on, every RESTART_EVERY s, kill the test database's connections for RESTART_LASTS s.

    The first restart begins at once (`began` is set when it has), so even a stream that a
    quiet machine answers within one restart period runs into dying connections.
    """
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    name = url.rsplit("/", 1)[1]
    with admin.connect() as conn:
        while True:
            counts["restarts"] += 1
            ends = time.monotonic() + RESTART_LASTS
            while time.monotonic() < ends:
                counts["terminated"] += conn.execute(sa.text(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE datname = :name AND pid <> pg_backend_pid()"), {"name": name}).scalar() or 0
                began.set()
                time.sleep(KILL_EVERY)
            if stop.wait(RESTART_EVERY - RESTART_LASTS):
                break
    admin.dispose()


def test_every_webhook_is_recorded_exactly_once_while_database_connections_die(
        app, database_url, make_site, make_participant):
    make_site("302", site_phone="+861012345678")
    for phone in PHONES:
        make_participant(phone=phone)
    db.session.commit()
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    server = _serve(database_url, LOG_DIR / "webhooks-database-loss.log")
    twilio, killed, stop, began = Twilio(), Counter[str](), threading.Event(), threading.Event()
    texts = [(f"SM{n:032x}", phone, f"hello {k}") for n, (k, phone) in
             enumerate(itertools.product(range(TEXTS_PER_PHONE), PHONES))]
    killer = threading.Thread(target=_restarts, args=(database_url, stop, began, killed))
    try:
        killer.start()
        assert began.wait(10), "the connection killer did not start"
        with ThreadPoolExecutor(8) as pool:
            final = list(pool.map(lambda t: twilio.deliver(*t), texts))
    finally:
        stop.set()
        killer.join()
        server.terminate()
        server.wait(timeout=30)
    # the restarts killed this test's own pooled connections too (the pool does not ping)
    db.session.remove()
    db.engine.dispose()

    recorded = Counter(db.session.scalars(sa.select(Message.provider_sid).where(
        Message.direction == "in")))
    print(f"\nwebhook stream under database restarts: {len(texts)} texts, {killed['restarts']} "  # noqa: T201
          f"restarts, {killed['terminated']} backends terminated, "
          f"HTTP outcomes of all attempts {dict(twilio.outcomes)}")
    assert killed["restarts"] > 0 and killed["terminated"] > 0
    assert final == [200] * len(texts), Counter(final)
    assert set(recorded) == {sid for sid, _, _ in texts}
    assert set(recorded.values()) == {1}
