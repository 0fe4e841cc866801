"""Twilio hanging while red flags arrive: webhooks still answer at once, staff SMS leave once.

A production-like deployment: gunicorn (2 sync workers) serving signed webhooks, one
`python -m scheduler` whose sender is woken by NOTIFY, PostgreSQL, the real twilio library
against the fake server. The fake holds every API request (create and list) while 10
participants text a red flag at the same moment; after it recovers, each staff alert must
have reached the coordinator exactly once (the held creates are accepted late, so every one is
a timed-out send that reconciliation must find, not resend). Then, with Twilio healthy, 20
red flags one after another measure the time from webhook to staff SMS at the provider.

The same 10 concurrent webhooks are first timed with Twilio healthy: the webhook's latency must
not depend on the provider's, so with Twilio hanging every webhook answers in under 2 s, or (on a
machine too loaded for that) within twice the healthy run's slowest answer.
"""

from __future__ import annotations

import statistics
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import pytest
import requests
import sqlalchemy as sa
from twilio.request_validator import RequestValidator

from pro_service.extensions import db
from pro_service.messages.models import Message
from tests.factories import fictional_mobile
from tests.faults.conftest import logs, process_env, wait_until

PORT = 10151
PUBLIC = f"http://127.0.0.1:{PORT}"
COORDINATOR = fictional_mobile(21999)  # the staff member alerts go to
RED_FLAG = "我今天吐血了，大便是黑的"
CONCURRENT, SEQUENTIAL = 10, 20


@pytest.fixture
def deployment(app, database_url, make_site, make_staff, make_participant, fake_twilio, spawn, tmp_path):
    make_site("302")
    make_staff("investigator", alert_phone=COORDINATOR)  # no rota: alerts go to the investigator
    phones = [fictional_mobile(21000 + n) for n in range(2 * CONCURRENT + SEQUENTIAL)]
    for phone in phones:
        make_participant(phone=phone)
    db.session.commit()
    env = process_env(database_url, fake_twilio, PRO_PUBLIC_BASE_URL=PUBLIC,
                      PRO_SENDER_IDLE_SECONDS="30")  # only NOTIFY wakes the sender quickly
    spawn(["-m", "gunicorn", "--workers", "2", "--bind", f"127.0.0.1:{PORT}", "wsgi:app"], env, "web")
    spawn(["-m", "scheduler"], env, "scheduler")
    ready = wait_until(lambda: _get("/healthz/ready") == 200, 60, step=0.2)
    assert ready, logs(tmp_path, "web")[-2000:] + logs(tmp_path, "scheduler")[-2000:]
    return phones


def _get(path: str) -> int | None:
    try:
        return requests.get(PUBLIC + path, timeout=2).status_code
    except requests.RequestException:
        return None


def _text(phone: str, n: int) -> int:
    return _red_flag(phone, n, body="HELP")[1]


def _red_flag(phone: str, n: int, body: str = RED_FLAG) -> tuple[float, int, str, float]:
    form = {"MessageSid": f"SM{n:032x}", "From": phone, "To": "+15005550006", "Body": body}
    signature = RequestValidator("fake-auth-token").compute_signature(PUBLIC + "/sms/inbound", form)
    sent_at = time.time()
    started = time.perf_counter()
    resp = requests.post(PUBLIC + "/sms/inbound", data=form, timeout=30,
                         headers={"X-Twilio-Signature": signature})
    return time.perf_counter() - started, resp.status_code, resp.text, sent_at


def _staff_alerts_sent() -> int:
    db.session.rollback()
    return db.session.scalar(sa.select(sa.func.count()).where(
        Message.kind == "staff_alert", Message.status == "sent"))


def test_hanging_twilio_never_slows_webhooks_and_every_staff_alert_leaves_once(
        deployment, fake_twilio, tmp_path, capsys):
    phones = deployment
    with ThreadPoolExecutor(CONCURRENT) as pool:  # warm both workers up (HELP: no alert)
        list(pool.map(_text, phones[-CONCURRENT:], range(2000, 2000 + CONCURRENT)))
    with ThreadPoolExecutor(CONCURRENT) as pool:  # Twilio healthy: the baseline
        healthy = sorted(r[0] for r in pool.map(_red_flag, phones[-CONCURRENT:],
                                                 range(1000, 1000 + CONCURRENT)))
    assert wait_until(lambda: _staff_alerts_sent() == CONCURRENT, 30, step=0.2)
    fake_twilio.clear_messages()
    db.session.execute(sa.delete(Message).where(Message.kind == "staff_alert"))
    db.session.commit()

    fake_twilio.hang()
    with ThreadPoolExecutor(CONCURRENT) as pool:
        results = list(pool.map(_red_flag, phones[:CONCURRENT], range(CONCURRENT)))
    latencies = sorted(r[0] for r in results)
    assert all(status == 200 and "120" in text for _, status, text, _ in results)
    assert latencies[-1] < max(2.0, 2 * healthy[-1]), (latencies, healthy)
    time.sleep(2.0)  # the outage goes on: the sender's calls time out and wait to be reconciled
    assert fake_twilio.messages == []
    fake_twilio.recover()
    recovered = time.perf_counter()
    assert wait_until(lambda: _staff_alerts_sent() == CONCURRENT, 60, step=0.2), \
        logs(tmp_path, "scheduler")[-3000:]
    caught_up = time.perf_counter() - recovered
    to_staff = [m for m in fake_twilio.messages if m.to == COORDINATOR]
    assert len(to_staff) == len({m.body for m in to_staff}) == CONCURRENT  # each alert once
    sids = set(db.session.scalars(sa.select(Message.provider_sid).where(Message.kind == "staff_alert")))
    assert sids == {m.sid for m in to_staff}
    found = logs(tmp_path, "scheduler").count("marked sent without sending again")

    delays = []
    for n, phone in enumerate(phones[CONCURRENT:CONCURRENT + SEQUENTIAL], start=100):
        before = len(fake_twilio.messages)
        _, status, _, sent_at = _red_flag(phone, n)
        assert status == 200
        assert wait_until(lambda b=before: len(fake_twilio.messages) > b, 10)
        accepted = fake_twilio.messages[before].date_created
        delays.append((accepted - datetime.fromtimestamp(sent_at, UTC)).total_seconds())
    with capsys.disabled():
        print(f"\n{CONCURRENT} concurrent red-flag webhooks, gunicorn 2 sync workers: Twilio healthy "
              f"median {statistics.median(healthy) * 1000:.0f} ms, max {healthy[-1] * 1000:.0f} ms; "
              f"Twilio hanging median {statistics.median(latencies) * 1000:.0f} ms, "
              f"max {latencies[-1] * 1000:.0f} ms; "
              f"all {CONCURRENT} staff alerts sent once {caught_up:.1f} s after recovery "
              f"({found} reconciled as accepted during the outage)")
        print(f"healthy Twilio, {SEQUENTIAL} red flags one by one: webhook → staff SMS at the provider "
              f"median {statistics.median(delays) * 1000:.0f} ms, max {max(delays) * 1000:.0f} ms")
    assert len([m for m in fake_twilio.messages if m.to == COORDINATOR]) == CONCURRENT + SEQUENTIAL
