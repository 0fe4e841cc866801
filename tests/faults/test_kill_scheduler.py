"""kill -9 of real scheduler processes at random points while they send 300 messages.

For each seed a scheduler (`python -m scheduler`) is started and killed with SIGKILL twice,
each time once the fake Twilio server has accepted a random number more messages, a random
moment later, with a call in flight (8 at once, so rows die in every state: claimed, `sending`
before the call, accepted by the provider but not recorded). Then two schedulers run side by
side until the outbox is empty. Every message must have reached the provider exactly once.
"""

from __future__ import annotations

import os
import random
import signal
import time
from collections import Counter

import pytest
import sqlalchemy as sa

from pro_service.core import clock
from pro_service.extensions import db
from pro_service.messages.models import Message
from pro_service.messages.service import queue_message
from tests.factories import fictional_mobile
from tests.faults.conftest import logs, process_env, wait_until

MESSAGES, PARTICIPANTS, KILLS = 300, 10, 2
SEEDS = (1, 2, 3, 4, 5)


def _queue_outbox(make_site, make_participant) -> list[str]:
    make_site("302")
    people = [make_participant(phone=fictional_mobile(20000 + n)) for n in range(PARTICIPANTS)]
    now = clock.now()
    bodies = [f"study news {n:03d}" for n in range(MESSAGES)]
    for n, body in enumerate(bodies):
        queue_message(kind="study_news", body=body, now=now, participant_id=people[n % PARTICIPANTS].id,
                      ignore_quiet_hours=True)  # a retry must not wait for the morning
    db.session.commit()
    return bodies


def _outbox_done() -> bool:
    db.session.rollback()
    return db.session.scalar(sa.select(sa.func.count()).where(Message.status != "sent")) == 0


def _left() -> list[tuple[object, ...]]:
    db.session.rollback()
    return [(m.id, m.status, m.attempts, m.last_error, m.send_after, m.reconcile, m.claimed_until)
            for m in db.session.scalars(sa.select(Message).where(Message.status != "sent"))]


@pytest.mark.parametrize("seed", SEEDS)
def test_kill_9_at_random_points_delivers_every_message_exactly_once(
        seed, app, database_url, make_site, make_participant, fake_twilio, spawn, tmp_path, capsys):
    bodies = _queue_outbox(make_site, make_participant)
    fake_twilio.latency = 0.02
    env = process_env(database_url, fake_twilio)
    rng = random.Random(seed)  # noqa: S311 - reproducible fault points
    killed_at = []
    for _ in range(KILLS):
        target = min(MESSAGES - 1, len(fake_twilio.messages) + rng.randint(10, 70))
        proc = spawn(["-m", "scheduler"], env, "scheduler")
        assert wait_until(lambda t=target: len(fake_twilio.messages) >= t, 60), logs(tmp_path, "scheduler")
        time.sleep(rng.uniform(0, 0.03))
        # die with a call in flight: on a slow machine the random pause can end between two
        # waves of sends, and a kill there strands nothing (the check at the end would fail)
        wait_until(lambda: fake_twilio.in_flight > 0, 5, step=0.001)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        killed_at.append(len(fake_twilio.messages))
    db.session.rollback()
    stranded = Counter(db.session.scalars(sa.select(Message.status)))
    for _ in range(2):  # recovery: two schedulers side by side, reconciling concurrently
        spawn(["-m", "scheduler"], env, "scheduler")
    assert wait_until(_outbox_done, 90, step=0.2), _left()

    delivered = Counter(m.body for m in fake_twilio.messages)
    times = Counter(min(delivered[b], 2) for b in bodies)
    text = logs(tmp_path, "scheduler")
    found, resent = text.count("marked sent without sending again"), text.count("not in the provider's log")
    with capsys.disabled():
        print(f"\nseed {seed}: killed after {killed_at} accepted; left behind {dict(stranded)}; "
              f"delivered 0×/1×/≥2×: {times[0]}/{times[1]}/{times[2]}; "
              f"reconciled: {found} found at the provider, {resent} sent after checking")
    assert (times[0], times[1], times[2]) == (0, MESSAGES, 0)
    assert len(fake_twilio.messages) == MESSAGES
    sids = set(db.session.scalars(sa.select(Message.provider_sid)))
    assert sids == {m.sid for m in fake_twilio.messages}
    assert stranded["sending"] + found + resent > 0  # the kills did strand messages mid-send
