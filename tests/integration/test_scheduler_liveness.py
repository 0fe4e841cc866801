"""Scheduler liveness: heartbeats, /healthz/ready for the load balancer, the process's sender."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from pro_service.core import clock
from pro_service.core.heartbeat import SchedulerHeartbeat, beat, forget_older_than
from pro_service.extensions import db

NOW = datetime(2027, 3, 1, 8, 0, tzinfo=UTC)


@pytest.fixture
def at(monkeypatch):
    holder = {"now": NOW}
    monkeypatch.setattr(clock, "now", lambda: holder["now"])
    return holder


def test_ready_fails_until_a_scheduler_has_beaten(client, at):
    resp = client.get("/healthz/ready")
    assert resp.status_code == 503
    assert resp.json["database"] == "ok" and resp.json["scheduler"] == "never ran"
    assert resp.json["scheduler_heartbeat_age_seconds"] is None


def test_ready_reports_the_newest_heartbeat_and_fails_after_five_minutes(client, at):
    beat(now=NOW - timedelta(minutes=20), started_at=NOW - timedelta(hours=1), process="old:1")
    beat(now=NOW - timedelta(seconds=30), started_at=NOW - timedelta(hours=1), process="host:2")
    resp = client.get("/healthz/ready")
    assert resp.status_code == 200 and resp.json["scheduler"] == "ok"
    assert resp.json["scheduler_heartbeat_age_seconds"] == 30.0
    at["now"] = NOW + timedelta(minutes=4, seconds=29)
    assert client.get("/healthz/ready").status_code == 200
    at["now"] = NOW + timedelta(minutes=5, seconds=1)
    resp = client.get("/healthz/ready")
    assert resp.status_code == 503 and resp.json["scheduler"] == "stale"
    assert resp.json["scheduler_heartbeat_age_seconds"] == 331.0
    assert client.get("/healthz").status_code == 200  # liveness of the web process is separate


def test_a_process_keeps_one_heartbeat_row_and_old_ones_are_forgotten(app):
    for minutes in range(3):
        beat(now=NOW + timedelta(minutes=minutes), started_at=NOW, process="host:7")
    beat(now=NOW - timedelta(days=8), started_at=NOW - timedelta(days=9), process="gone:1")
    rows = {r.process: r for r in db.session.scalars(sa.select(SchedulerHeartbeat))}
    assert rows["host:7"].beat_at == NOW + timedelta(minutes=2) and len(rows) == 2
    assert forget_older_than(now=NOW) == 1
    assert db.session.scalars(sa.select(SchedulerHeartbeat.process)).all() == ["host:7"]


def test_ready_answers_503_when_the_database_is_gone(app, client, monkeypatch):
    def broken(*_args, **_kwargs):
        raise sa.exc.OperationalError("SELECT", {}, Exception("server closed the connection"))

    monkeypatch.setattr(db.session, "scalar", broken)
    resp = client.get("/healthz/ready")
    assert resp.status_code == 503 and resp.json["database"] == "unreachable"


def test_the_scheduler_process_heartbeat_records_this_process(app):
    from scheduler.__main__ import heartbeat

    db.session.commit()
    heartbeat(app, NOW)
    row = db.session.scalars(sa.select(SchedulerHeartbeat)).one()
    assert row.process.endswith(f":{__import__('os').getpid()}") and row.started_at == NOW


@pytest.mark.parametrize(("overrides", "named"), [
    ({"SEND_LEASE_SECONDS": "15", "TWILIO_TIMEOUT": "10"}, "PRO_SEND_LEASE_SECONDS"),
    ({"SEND_CONCURRENCY": "0"}, "PRO_SEND_CONCURRENCY"),
    ({"SEND_CONCURRENCY": "many"}, "PRO_SEND_CONCURRENCY"),
])
def test_sender_settings_that_could_send_twice_or_never_stop_start_up(database_url, overrides, named):
    from pro_service.config import ConfigError
    from tests.conftest import make_app

    with pytest.raises(ConfigError) as err:
        make_app(database_url, **overrides)
    assert named in str(err.value)


def test_sender_settings_are_typed_from_the_environment(database_url):
    from tests.conftest import make_app

    app = make_app(database_url, SEND_LEASE_SECONDS="60", TWILIO_TIMEOUT="5", SEND_CONCURRENCY="4")
    assert (app.config["SEND_LEASE_SECONDS"], app.config["TWILIO_TIMEOUT"],
            app.config["SEND_CONCURRENCY"]) == (60.0, 5.0, 4)
