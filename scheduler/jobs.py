"""The scheduler's jobs: each handles a bounded batch at a fixed clock passed in."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import Flask

from pro_service.core import clock
from pro_service.core.metrics import timed_job
from pro_service.extensions import db
from pro_service.messages.gateway import Gateway, make_gateway
from pro_service.participants.service import Keys
from pro_service.exports.jobs import build_export_files, expire_export_files
from pro_service.responses.jobs import close_missed
from pro_service.safety.jobs import escalate_alerts
from pro_service.sms.jobs import dispatch, open_and_invite, queue_reminders
from pro_service.sms.safety_questions import expire_questions
from pro_service.voice.gateway import voice_gateway_of
from pro_service.voice.jobs import place_due_calls

log = logging.getLogger("pro_service.scheduler")
BATCH = 500  # rows a job claims per run; PRO_SCHEDULER_BATCH overrides it


@dataclass(frozen=True)
class Job:
    name: str
    seconds: int
    run: Callable[[Flask, datetime, Gateway], dict[str, int]]


def _ext(app: Flask) -> dict[str, Any]:
    return {"protocol": app.extensions["pro.protocol"], "instruments": app.extensions["pro.instruments"]}


def _batch(app: Flask) -> int:
    return int(app.config.get("SCHEDULER_BATCH") or BATCH)


def _keys(app: Flask) -> Keys:
    return Keys(app.config["DATA_KEY"], app.config["INDEX_KEY"])


def send_outbox(app: Flask, now: datetime, gateway: Gateway,
                max_priority: int | None = None) -> dict[str, int]:
    """One dispatch pass with the configured concurrency and lease."""
    return dispatch(now=now, limit=_batch(app), gateway=gateway, keys=_keys(app),
                    concurrency=int(app.config["SEND_CONCURRENCY"]),
                    lease=timedelta(seconds=float(app.config["SEND_LEASE_SECONDS"])),
                    max_priority=max_priority)


JOBS: list[Job] = [
    Job("open_and_invite", 30, lambda app, now, gw: open_and_invite(
        now=now, limit=_batch(app), **_ext(app))),
    Job("queue_reminders", 60, lambda app, now, gw: queue_reminders(
        now=now, limit=_batch(app), **_ext(app))),
    Job("close_missed", 60, lambda app, now, gw: close_missed(
        now=now, limit=_batch(app), instruments=app.extensions["pro.instruments"])),
    Job("escalate_alerts", 30, lambda app, now, gw: escalate_alerts(now=now, limit=_batch(app))),
    Job("expire_safety_questions", 60, lambda app, now, gw: expire_questions(
        now=now, limit=_batch(app))),
    Job("place_calls", 10, lambda app, now, gw: place_due_calls(
        now=now, limit=_batch(app), gateway=voice_gateway_of(app),
        public_base_url=app.config["PUBLIC_BASE_URL"], data_key=app.config["DATA_KEY"])),
    Job("build_export_files", 10, lambda app, now, gw: build_export_files(app, now=now)),
    # retention is counted in days: once an hour deletes a file within the hour it expires
    Job("expire_export_files", 3600, lambda app, now, gw: expire_export_files(
        app, now=now, limit=_batch(app))),
    # in the scheduler process the sender thread (scheduler.sender) runs this, woken at once
    Job("dispatch_outbox", 5, send_outbox),
]
SENDER_JOB = "dispatch_outbox"


def run_job(app: Flask, job: Job, gateway: Gateway, now: datetime | None = None) -> dict[str, int]:
    """Run one job in an app context; a failure is logged and the scheduler keeps going."""
    with app.app_context():
        try:
            with timed_job(job.name):
                counts = job.run(app, now or clock.now(), gateway)
        except Exception:
            log.exception("job %s failed", job.name, extra={"job": job.name})
            db.session.rollback()
            return {"error": 1}
        finally:
            db.session.remove()
    if any(counts.values()):
        log.info("job %s", job.name, extra={"job": job.name, "counts": counts})
    return counts


def tick(app: Flask, now: datetime | None = None, gateway: Gateway | None = None) -> dict[str, int]:
    """Run every job once, in order; return the summed counts (the `flask tick` command)."""
    gateway = gateway or make_gateway(app.config)
    totals: dict[str, int] = {}
    for job in JOBS:
        for key, value in run_job(app, job, gateway, now).items():
            totals[key] = totals.get(key, 0) + value
    return totals
