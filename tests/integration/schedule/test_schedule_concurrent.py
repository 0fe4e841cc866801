"""Two real scheduler processes on one PostgreSQL database send every invitation exactly once.

Both processes tick through the same 320 instants (5 minutes apart, 26 h 40 min of injected
time) with a small batch, so they claim rows side by side with FOR UPDATE SKIP LOCKED; they
send through the real twilio library to the fake Twilio server this test runs.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from pro_service.extensions import db
from pro_service.messages.models import Message
from pro_service.participants import service as participants
from pro_service.participants.models import Participant
from pro_service.schedule.models import Occasion
from tests.factories import fictional_mobile

pytestmark = pytest.mark.skipif(
    os.environ.get("PRO_TEST_DB", "sqlite") != "postgres",
    reason="needs PostgreSQL: SQLite serialises writers, the claim under test is FOR UPDATE SKIP LOCKED")

REPO = Path(__file__).resolve().parents[3]
START = datetime(2027, 3, 1, 0, 0, tzinfo=UTC)
STEP_MINUTES, TICKS = 5, 320
END = START + (TICKS - 1) * timedelta(minutes=STEP_MINUTES)
PARTICIPANTS = 60
ZONES = ("Asia/Shanghai", "Asia/Tokyo", "Europe/London", "America/New_York")
# baselines whose windows open during the run, or are open already and remind during it
BASELINES = (date(2027, 3, 15), date(2027, 3, 4), date(2027, 2, 22), date(2027, 2, 28),
             date(2027, 2, 1), date(2027, 3, 16))


def _enrol(make_site, make_participant) -> None:
    make_site("302")
    for n in range(PARTICIPANTS):
        baseline = BASELINES[n % len(BASELINES)]
        make_participant(study_id=f"302-{n:04d}", phone=fictional_mobile(30000 + n), baseline=baseline,
                         infusion_1=baseline, infusion_2=baseline + timedelta(days=28),
                         infusion_3=baseline + timedelta(days=56), timezone=ZONES[n % len(ZONES)],
                         channel="sms_link" if n % 5 == 4 else "sms_chat",
                         now=START - timedelta(days=1))
    db.session.commit()


def _run_two_schedulers(database_url: str, fake, tmp_path: Path) -> list[dict[str, int]]:
    env = {**os.environ, "PRO_ENV": "test", "PRO_DATABASE_URL": database_url,
           "PRO_SMS_GATEWAY": "twilio", "PRO_TWILIO_ACCOUNT_SID": fake.account_sid,
           "PRO_TWILIO_AUTH_TOKEN": fake.auth_token, "PRO_TWILIO_FROM": "+15005550006",
           "PRO_TWILIO_API_BASE_URL": fake.url, "PRO_SCHEDULER_BATCH": "5"}
    names = ("a", "b")
    procs = [subprocess.Popen(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "tests.integration.schedule.run_ticks", name, START.isoformat(),
         str(STEP_MINUTES), str(TICKS), str(tmp_path), peer],
        cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for name, peer in zip(names, reversed(names), strict=True)]
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err[-3000:]
        results.append(json.loads(out.strip().splitlines()[-1]))
    return results


def test_two_scheduler_processes_send_every_invitation_exactly_once(
        app, database_url, make_site, make_participant, keys, fake_twilio, tmp_path):
    _enrol(make_site, make_participant)
    results = _run_two_schedulers(database_url, fake_twilio, tmp_path)
    db.session.expire_all()

    opened = db.session.scalars(sa.select(Occasion.id).where(Occasion.opened_at.is_not(None))).all()
    messages = db.session.scalars(sa.select(Message)).all()
    invitations = Counter(m.occasion_id for m in messages if m.kind == "invitation")
    assert len(opened) > 100 and sorted(invitations) == sorted(opened)
    assert set(invitations.values()) == {1}  # one invitation per opened occasion
    assert Counter(m.idempotency_key for m in messages).most_common(1)[0][1] == 1
    assert Counter(m.kind for m in messages)["reminder"] > 0

    due = [m for m in messages if m.send_after <= END]
    assert all(m.status == "sent" and m.attempts == 1 and m.provider_sid for m in due)
    assert all(m.status == "queued" and m.attempts == 0 for m in messages if m.send_after > END)

    # the provider got each sent row once, to the right number, with the row's text
    received = {f.sid: f for f in fake_twilio.messages}
    assert len(received) == len(fake_twilio.messages) == len(due)
    assert set(received) == {m.provider_sid for m in due}
    phones = {p.id: participants.phone_of(p, keys) for p in db.session.scalars(sa.select(Participant))}
    for m in due:
        got = received[m.provider_sid]
        assert got.to == phones[m.participant_id]
        head = m.body.split("{link}")[0]
        assert got.body == m.body if head == m.body else got.body.startswith(head + "http")
    assert len({(f.to, f.body) for f in fake_twilio.messages if "/s/" in f.body}) == \
        sum("/s/" in f.body for f in fake_twilio.messages)

    # both processes ran every tick and both did part of the work; together, all of it
    assert [r["ticks"] for r in results] == [TICKS, TICKS]
    assert all(r.get("opened", 0) > 0 and r.get("sent", 0) > 0 for r in results), results
    assert sum(r.get("opened", 0) for r in results) == len(opened)
    assert sum(r.get("invitations", 0) for r in results) == len(invitations)
    assert sum(r.get("sent", 0) for r in results) == len(due)
    assert not any(r.get("error") or r.get("failed") or r.get("retried") for r in results), results
