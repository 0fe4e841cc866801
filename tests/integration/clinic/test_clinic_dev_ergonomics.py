"""Dev ergonomics: the demo has a participant outside quiet hours at any hour, PORT flows into
the public base URL in development, and `flask participants link` prints a fresh link."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from pro_service.audit.models import AuditEvent
from pro_service.config import development_base_url
from pro_service.extensions import db
from pro_service.messages.gateway import ConsoleGateway
from pro_service.messages.models import Message
from pro_service.participants.models import Participant
from pro_service.responses import service as responses
from pro_service.schedule.domain.windows import in_quiet_hours, zone_outside_quiet_hours
from pro_service.cli import AWAKE_ZONES
from scheduler.jobs import tick

EVENING = datetime(2027, 1, 4, 13, 7, tzinfo=UTC)  # 21:07 in Shanghai: quiet hours there


@pytest.mark.parametrize("hour", range(24))
def test_at_every_hour_one_demo_zone_is_outside_quiet_hours(hour):
    from datetime import time
    from zoneinfo import ZoneInfo

    now = datetime(2027, 1, 4, hour, 30, tzinfo=UTC)
    zone = zone_outside_quiet_hours(now, AWAKE_ZONES)
    assert not in_quiet_hours(now.astimezone(ZoneInfo(zone)).time(), time(21), time(8))


def test_the_demo_invites_someone_at_once_even_during_quiet_hours_in_china(app, cli_runner,
                                                                           monkeypatch):
    monkeypatch.setattr("pro_service.core.clock.now", lambda: EVENING)
    out = cli_runner.invoke(args=["demo", "seed"]).output
    assert "302-0009 lives in" in out
    db.session.commit()
    tick(app, now=EVENING, gateway=ConsoleGateway())
    db.session.expire_all()
    awake = db.session.scalar(sa.select(Participant).where(Participant.study_id == "302-0009"))
    sent = db.session.scalars(sa.select(Message).where(Message.participant_id == awake.id,
                                                       Message.kind == "invitation")).all()
    assert sent and all(m.status == "sent" for m in sent)
    shanghai = db.session.scalar(sa.select(Participant).where(Participant.study_id == "302-0002"))
    held = db.session.scalars(sa.select(Message).where(Message.participant_id == shanghai.id,
                                                       Message.status == "queued")).all()
    assert held and all(m.send_after > EVENING for m in held)  # waits for 08:00 in Shanghai


@pytest.mark.parametrize(("env", "environ", "expected"), [
    ("development", {"PORT": "8123"}, "http://127.0.0.1:8123"),
    ("development", {"PORT": "8123", "PRO_PUBLIC_BASE_URL": "https://x.example"}, "http://set"),
    ("development", {}, "http://set"),
    ("production", {"PORT": "8123"}, "http://set"),
    ("development", {"PORT": "not-a-port"}, "http://set"),
])
def test_port_flows_into_the_public_base_url_in_development_only(env, environ, expected):
    assert development_base_url({"ENV": env, "PUBLIC_BASE_URL": "http://set"}, environ) == expected


def test_participants_link_prints_a_working_link_and_is_audited(app, cli_runner, make_site,
                                                                make_participant, monkeypatch):
    now = datetime(2027, 1, 4, 3, 0, tzinfo=UTC)
    monkeypatch.setattr("pro_service.core.clock.now", lambda: now)
    make_site("302")
    make_participant(study_id="302-0001", baseline=date(2027, 1, 11))
    db.session.commit()
    tick(app, now=now, gateway=ConsoleGateway())
    result = cli_runner.invoke(args=["participants", "link", "302-0001", "BL:CLDQ"])
    assert result.exit_code == 0, result.output
    assert "BL CLDQ" in result.output
    url = result.output.strip().splitlines()[-1]
    assert url.startswith(app.config["PUBLIC_BASE_URL"] + "/s/")
    occ = responses.occasion_for_token(url.rsplit("/", 1)[1], now=now + timedelta(minutes=1))
    assert (occ.timepoint, occ.instrument) == ("BL", "CLDQ")
    assert db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "link.issue")).one()
    missing = cli_runner.invoke(args=["participants", "link", "302-9999"])
    assert missing.exit_code != 0 and "no participant" in missing.output
    none_open = cli_runner.invoke(args=["participants", "link", "302-0001", "W48"])
    assert none_open.exit_code != 0 and "no open occasion" in none_open.output
