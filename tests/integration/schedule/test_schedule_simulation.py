"""A 48-week simulation of a 120-participant study with injected time (DESIGN §3, issue F3).

The scheduler ticks every 13 hours, so over the weeks the ticks visit every hour of the local
day: invitations and reminders that fall due in quiet hours wait for 08:00, reminders deferred
past the close are dropped, and one queued before the close but reaching the sender after it
is cancelled. A third of the participants answer when the invitation arrives, a third when a
reminder arrives, a third never. An independent model of the protocol's rules predicts, for
every occasion, when it opens, every message it sends (and when), and how it ends; the
database must match it exactly, and every message must reach the gateway exactly once.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from pro_service.core.db import unit_of_work
from pro_service.extensions import db
from pro_service.messages.models import Message
from pro_service.responses import service as responses
from pro_service.schedule.models import Occasion
from tests.conftest import BACKEND
from tests.factories import fictional_mobile, valid_answers

# 120 = the least common multiple of the generator's cycles below (zone 8, channel 10, language 6,
# behaviour 3, baseline offset 40, infusion shifts 4 and 5, site 5): every combination of them
# appears, as it did with 240 participants, in half the time.
PARTICIPANTS = 120
OCCASIONS_EACH = 69  # 6 visits × (EQ-5D-5L, CLDQ) + 48 weekly + 3 infusions × 3 symptom checks
SITES = ("301", "302", "303", "304", "305")
START = datetime(2027, 1, 1, 0, 0, tzinfo=UTC)
STEP = timedelta(hours=13)  # coprime with 24: the ticks drift through every local hour
ANSWER_DELAY = timedelta(minutes=5)
REMINDER_HOURS = (24, 72)
QUIET_START, QUIET_END = time(21, 0), time(8, 0)
BEHAVIOURS = ("on_invitation", "on_reminder", "never")


@dataclass
class Expected:
    opened_at: datetime
    status: str
    ended_at: datetime
    sent: list[tuple[str, datetime]] = field(default_factory=list)  # (kind, sent_at)
    cancelled: list[str] = field(default_factory=list)  # kinds queued but cancelled at dispatch


def _tick_at_or_after(at: datetime) -> datetime:
    steps = -((START - at) // STEP)  # ceiling division on timedeltas
    return START + steps * STEP


def _allowed(at: datetime, tz: str) -> datetime:
    """The first instant at or after `at` outside 21:00–08:00 local (written apart from the code)."""
    zone = ZoneInfo(tz)
    local = at.astimezone(zone)
    if QUIET_END <= local.time() < QUIET_START:
        return at
    day = local.date() + timedelta(days=1) if local.time() >= QUIET_START else local.date()
    return datetime.combine(day, QUIET_END, tzinfo=zone).astimezone(UTC)


def _expected(occ: Occasion, tz: str, behaviour: str) -> Expected:
    """Predict one occasion's life from the protocol's rules and the tick grid."""
    opened = _tick_at_or_after(occ.opens_at)
    closed = _tick_at_or_after(occ.closes_at)  # the tick that marks it missed
    exp = Expected(opened_at=opened, status="missed", ended_at=closed)

    def deliver(kind: str, queued_at: datetime) -> datetime | None:
        dispatched = _tick_at_or_after(_allowed(queued_at, tz))
        if dispatched >= occ.closes_at:  # the close job runs before the sender in a tick
            exp.cancelled.append(kind)
            return None
        exp.sent.append((kind, dispatched))
        return dispatched

    answered = None
    invited = deliver("invitation", opened)
    if behaviour == "on_invitation" and invited:
        answered = invited + ANSWER_DELAY
    for hours in REMINDER_HOURS:
        due = opened + timedelta(hours=hours)
        if due >= occ.closes_at:
            break
        picked = _tick_at_or_after(due)
        if picked >= occ.closes_at or (answered and answered <= picked):
            break
        if _allowed(picked, tz) >= occ.closes_at:
            continue  # deferred past the close: dropped, the next one may still come
        reminded = deliver("reminder", picked)
        if behaviour == "on_reminder" and reminded and answered is None:
            answered = reminded + ANSWER_DELAY
    if answered:
        exp.status, exp.ended_at = "completed", answered
    return exp


def _enrol_all(make_site, make_participant) -> dict[int, tuple[str, str]]:
    """Enrol everyone; return participant id -> (time zone, behaviour)."""
    for code in SITES:
        make_site(code)
    people = {}
    for n in range(PARTICIPANTS):
        site = SITES[n % len(SITES)]
        baseline = date(2027, 1, 20) + timedelta(days=n % 40)
        tz = "America/New_York" if n % 8 == 5 else "Asia/Shanghai"  # NY crosses both DST changes
        p = make_participant(study_id=f"{site}-{n:04d}", site=site, phone=fictional_mobile(20000 + n),
                             baseline=baseline, infusion_1=baseline, timezone=tz, now=START,
                             infusion_2=baseline + timedelta(days=28 + n % 4),
                             infusion_3=baseline + timedelta(days=56 + n % 5),
                             channel="sms_link" if n % 10 == 7 else "sms_chat",
                             language="en" if n % 6 == 1 else "zh-CN")
        people[p.id] = (tz, BEHAVIOURS[n % 3])
    db.session.commit()
    return people


def _answer_what_arrived(app, occasion_of, people, now) -> int:
    """Each participant answers the occasion whose invitation or reminder just reached them.

    The answers of one tick share a transaction (nested use cases join the outer unit of work):
    one commit a tick instead of one per participant keeps the simulation fast on SQLite.
    """
    instruments = app.extensions["pro.instruments"]
    arrived = db.session.execute(sa.select(Message.occasion_id, Message.kind).where(
        Message.sent_at == now, Message.occasion_id.is_not(None))).all()
    answered = 0
    with unit_of_work():
        for occasion_id, kind in sorted(arrived):
            participant_id, code = occasion_of[occasion_id]
            behaviour = people[participant_id][1]
            if (behaviour, kind) in (("on_invitation", "invitation"), ("on_reminder", "reminder")):
                instrument = instruments[code]
                responses.submit_response(occasion_id, valid_answers(instrument),
                                          instrument=instrument, channel="web",
                                          now=now + ANSWER_DELAY, actor="participant")
                answered += 1
    return answered


# On SQLite, one sender: writers take turns there, so sending threads only add hand-offs (the
# threaded dispatcher has its own tests in tests/e2e/sms/test_send_protocol.py); on PostgreSQL
# the configured eight, whose commits overlap.
@pytest.mark.parametrize("app", [{"SEND_CONCURRENCY": 1 if BACKEND == "sqlite" else 8}], indirect=True)
def test_48_weeks_of_a_study_with_every_combination_of_zone_channel_language_and_behaviour(app, make_site, make_participant, run_tick, gateway):
    people = _enrol_all(make_site, make_participant)
    occasion_of = {oid: (pid, code) for oid, pid, code in db.session.execute(
        sa.select(Occasion.id, Occasion.participant_id, Occasion.instrument))}
    assert len(occasion_of) == PARTICIPANTS * OCCASIONS_EACH
    last_close = db.session.scalar(sa.select(sa.func.max(Occasion.closes_at)))
    now, totals = START, Counter()
    while now <= last_close + STEP:
        totals.update(run_tick(now))
        totals["answered"] += _answer_what_arrived(app, occasion_of, people, now)
        now += STEP

    occasions = db.session.scalars(sa.select(Occasion)).all()
    messages = db.session.scalars(sa.select(Message)).all()
    assert {m.direction for m in messages} == {"out"}
    assert all(m.occasion_id is not None for m in messages)  # no alerts, no staff notes
    by_occasion = defaultdict(list)
    for m in sorted(messages, key=lambda m: (m.sent_at or m.created_at, m.id)):
        by_occasion[m.occasion_id].append(m)

    for occ in occasions:
        tz, behaviour = people[occ.participant_id]
        exp = _expected(occ, tz, behaviour)
        where = (occ.participant_id, occ.timepoint, occ.instrument, behaviour)
        assert (occ.opened_at, occ.status, occ.ended_at) == (exp.opened_at, exp.status, exp.ended_at), where
        got = by_occasion[occ.id]
        assert [(m.kind, m.sent_at) for m in got if m.status == "sent"] == exp.sent, where
        assert [m.kind for m in got if m.status == "cancelled"] == exp.cancelled, where
        assert all(m.status in ("sent", "cancelled") for m in got), where
        assert [m.kind for m in got].count("invitation") == 1, where
        assert all(m.sent_at < occ.closes_at and m.sent_at < occ.ended_at for m in got if m.sent_at), where

    sent = [m for m in messages if m.status == "sent"]
    assert len({m.provider_sid for m in sent}) == len(sent) == len(gateway.sent)
    assert len({m.idempotency_key for m in messages}) == len(messages)
    statuses = Counter(o.status for o in occasions)
    # every behaviour and every path was exercised
    assert statuses["completed"] == totals["answered"] > 0 and statuses["missed"] > 0
    assert set(statuses) == {"completed", "missed"}
    assert Counter(m.kind for m in sent)["reminder"] > 0
    assert any(o.reminders_sent > Counter(m.kind for m in by_occasion[o.id])["reminder"]
               for o in occasions)  # a reminder deferred past the close was dropped
    # quiet hours deferred invitations and reminders alike, and nothing left inside them
    deferred = Counter(m.kind for m in sent if m.send_after > m.created_at)
    assert deferred["invitation"] > 0 and deferred["reminder"] > 0, deferred
    for m in sent:
        local = m.sent_at.astimezone(ZoneInfo(people[m.participant_id][0])).time()
        assert QUIET_END <= local < QUIET_START, (m.kind, m.participant_id, m.sent_at)
    assert "error" not in totals
    assert totals["invitations"] == totals["opened"] == len(occasions)
