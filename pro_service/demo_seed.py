"""A full demo trial: 240 participants at 5 sites with up to 48 weeks of answered history.

Answers go through the real pipeline (`responses.service`), so scores, versions, alerts and
audit events are what production would hold; only the passage of time is compressed: each
occasion is opened at its window's start and played out at once (answered, partly answered,
missed, or left open when its window is still running). Random but reproducible (seeded).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from pro_service.core.db import unit_of_work
from pro_service.core.errors import NotFound
from pro_service.extensions import db
from pro_service.instruments.domain.definitions import Instrument, ResponseType
from pro_service.messages.models import Message
from pro_service.participants import service as participants
from pro_service.participants.models import Participant
from pro_service.responses import service as responses
from pro_service.schedule.models import Occasion, OccasionStatus
from pro_service.schedule.service import occasions_of
from pro_service.staff import service as staff

SITES = (("301", "Demo Hospital 301"), ("302", "Demo Hospital 302"), ("303", "Demo Hospital 303"),
         ("304", "Demo Hospital 304"), ("305", "Demo Hospital 305"))
PER_SITE = 48
HISTORY_DAYS = 48 * 7


@dataclass(frozen=True)
class Profile:
    """How one participant behaves: how often they answer and how their health moves."""

    adherence: float  # chance of answering an occasion
    partial: float  # chance an answer stops half way
    start: float  # health 0 (worst) … 1 (best) at baseline
    slope: float  # change of health per 48 weeks


def fictional_phone(n: int) -> str:
    """libphonenumber's example range: never a real subscriber."""
    return f"+86131234{n % 100000:05d}"


def answers_for(instrument: Instrument, health: float, rng: random.Random) -> dict[str, Any]:
    """A complete answer set whose levels follow the participant's health (0 worst, 1 best)."""
    answers: dict[str, Any] = {}
    for item in instrument.items:
        if item.type == ResponseType.CHOICE:
            codes = sorted(c.code for c in item.choices)
            best_high = instrument.code == "CLDQ"  # CLDQ 7 = best; EQ-5D 1 = no problems
            position = health + rng.gauss(0, 0.12)
            position = min(max(position, 0.0), 1.0)
            index = round(position * (len(codes) - 1))
            answers[item.id] = codes[index] if best_high else codes[len(codes) - 1 - index]
        elif item.type == ResponseType.INTEGER:
            lo, hi = item.minimum or 0, item.maximum or 100
            answers[item.id] = int(min(hi, max(lo, round(lo + (hi - lo) * (health + rng.gauss(0, 0.08))))))
        elif item.type == ResponseType.YES_NO:
            answers[item.id] = rng.random() < 0.0015
        elif item.required:
            answers[item.id] = ""
    return answers


def play_history(p: Participant, profile: Profile, *, now: datetime,
                 instruments: dict[str, Instrument], rng: random.Random) -> dict[str, int]:
    """Play out every occasion whose window has opened by `now` (one transaction)."""
    counts = {"completed": 0, "partial": 0, "missed": 0, "open": 0}
    with unit_of_work():
        for occ in occasions_of(p.id):
            if occ.status != OccasionStatus.SCHEDULED or occ.opens_at > now:
                continue
            outcome = _play(p, occ, profile, now=now, instrument=instruments[occ.instrument], rng=rng)
            counts[outcome] += 1
    return counts


def _health(p: Participant, profile: Profile, day: date) -> float:
    weeks = (day - (p.baseline or day)).days / 7
    return min(max(profile.start + profile.slope * weeks / 48, 0.05), 0.95)


def _play(p: Participant, occ: Occasion, profile: Profile, *, now: datetime, instrument: Instrument,
          rng: random.Random) -> str:
    occ.status, occ.opened_at, occ.updated_at = OccasionStatus.OPEN, occ.opens_at, occ.opens_at
    _message(occ, "out", "invitation", occ.opens_at)
    window = occ.closes_at - occ.opens_at
    answer_at = occ.opens_at + window * rng.uniform(0.05, 0.8)
    still_open = occ.closes_at > now
    answers = answers_for(instrument, _health(p, profile, occ.target_date), rng)
    if still_open and answer_at > now:
        occ.reminders_sent = int(now - occ.opens_at > timedelta(hours=24))
        return "open"
    if rng.random() >= profile.adherence:
        occ.reminders_sent = 2
        if not still_open:
            occ.status, occ.ended_at = OccasionStatus.MISSED, occ.closes_at
            return "missed"
        return "open"
    if rng.random() < profile.partial:
        half = dict(list(answers.items())[: max(1, len(answers) // 2)])
        responses.save_draft(occ.id, half, instrument=instrument, channel="web", now=answer_at)
        if still_open:
            return "open"
        occ.status, occ.ended_at = OccasionStatus.MISSED, occ.closes_at
        responses.keep_partial(occ, instrument=instrument, now=occ.closes_at)
        return "partial"
    channel = "sms" if p.channel == "sms_chat" and rng.random() < 0.7 else "web"
    responses.submit_response(occ.id, answers, instrument=instrument, channel=channel, now=answer_at,
                              actor="participant", provenance={"demo": True})
    if channel == "sms":
        _message(occ, "in", "reply", answer_at)
    return "completed"


def _message(occ: Occasion, direction: str, kind: str, at: datetime) -> None:
    body = "1" if direction == "in" else f"[demo] {occ.instrument} {occ.timepoint}"
    db.session.add(Message(direction=direction, kind=kind, participant_id=occ.participant_id,
                           occasion_id=occ.id, body=body,
                           status="delivered" if direction == "out" else "received",
                           provider_sid=f"SMDEMO{direction}{occ.id:010d}", encoding="GSM-7", segments=1,
                           attempts=1 if direction == "out" else 0, send_after=at, created_at=at,
                           updated_at=at, sent_at=at if direction == "out" else None))


def create_sites(*, now: datetime, keys: participants.Keys) -> None:
    """The five demo sites, each with an on-call coordinator who has an alert phone."""
    for n_site, (code, name) in enumerate(SITES):
        if _site_exists(code):
            continue
        staff.create_site(code=code, name=name, now=now, site_phone=f"+8610123456{70 + n_site}",
                          actor="cli:demo")
        staff.create_staff(name=f"On-call {code}", email=f"oncall{code}@demo.test", role="coordinator",
                           site_codes=[code], now=now, actor="cli:demo",
                           alert_phone=fictional_phone(39000 + n_site),
                           data_key=keys.data_key, index_key=keys.index_key)


def seed_full(*, now: datetime, keys: participants.Keys, instruments: dict[str, Instrument],
              per_site: int = PER_SITE, seed: int = 20270101) -> dict[str, int]:
    """Enrol `per_site` participants at each demo site, with history up to `now`."""
    rng = random.Random(seed)
    totals = {"participants": 0, "completed": 0, "partial": 0, "missed": 0, "open": 0}
    create_sites(now=now, keys=keys)
    for n_site, (code, _name) in enumerate(SITES):
        for i in range(1, per_site + 1):
            study_id = f"{code}-{i:04d}"
            baseline = (now - timedelta(days=rng.randint(10, HISTORY_DAYS + 30))).date()
            enrolled_at = datetime.combine(baseline - timedelta(days=10), now.timetz())
            p = participants.enrol_participant(
                {"study_id": study_id, "site": code, "phone": fictional_phone(30000 + n_site * 1000 + i),
                 "language": "en" if i % 7 == 3 else "zh-CN",
                 "channel": "sms_link" if i % 9 == 4 else "sms_chat",
                 "baseline": baseline, "infusion_1": baseline,
                 "infusion_2": baseline + timedelta(days=28), "infusion_3": baseline + timedelta(days=56)},
                keys=keys, now=enrolled_at, actor="cli:demo")
            profile = Profile(adherence=rng.choice((0.95, 0.9, 0.8, 0.6)), partial=0.04,
                              start=rng.uniform(0.3, 0.7), slope=rng.uniform(-0.15, 0.3))
            counts = play_history(p, profile, now=now, instruments=instruments, rng=rng)
            if i % 16 == 5:
                participants.set_sms_opt_out(p, opted_out=True, now=now, actor="cli:demo",
                                             reason="demo: asked for no more SMS")
            totals["participants"] += 1
            for key, value in counts.items():
                totals[key] += value
            db.session.expunge_all()
    return totals


def _site_exists(code: str) -> bool:
    try:
        staff.get_site(code)
    except NotFound:
        return False
    return True
