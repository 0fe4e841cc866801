"""python -m scheduler: interval jobs with APScheduler's BlockingScheduler, plus the sender thread."""

from __future__ import annotations

import logging

from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask

from pro_service import create_app
from pro_service.core import clock
from pro_service.core.heartbeat import beat, forget_older_than
from pro_service.extensions import db
from pro_service.messages.gateway import make_gateway
from scheduler.jobs import JOBS, SENDER_JOB, run_job
from scheduler.sender import Sender

log = logging.getLogger("pro_service.scheduler")
HEARTBEAT_SECONDS = 30


def main() -> None:
    """Build the app and run the scheduler until stopped."""
    run_blocking(create_app())


def heartbeat(app: Flask, started_at: object) -> None:
    """Record that this process is alive (`/healthz/ready` reads the newest heartbeat)."""
    with app.app_context():
        try:
            now = clock.now()
            beat(now=now, started_at=started_at)  # type: ignore[arg-type]
            forget_older_than(now=now)
        except Exception:
            log.exception("could not record the scheduler heartbeat")
            db.session.rollback()
        finally:
            db.session.remove()


def run_blocking(app: Flask) -> None:
    """Start the sender thread, add one interval job per entry of JOBS and block."""
    gateway = make_gateway(app.config)
    started_at = clock.now()
    heartbeat(app, started_at)
    sender = Sender(app, gateway).start()
    sched = BlockingScheduler(timezone="UTC", job_defaults={"coalesce": True, "max_instances": 1})
    for job in JOBS:
        if job.name != SENDER_JOB:
            sched.add_job(run_job, "interval", seconds=job.seconds, args=(app, job, gateway),
                          id=job.name, name=job.name)
    sched.add_job(heartbeat, "interval", seconds=HEARTBEAT_SECONDS, args=(app, started_at),
                  id="heartbeat", name="heartbeat")
    log.info("scheduler starting with %d jobs and the outbox sender", len(JOBS))
    try:
        sched.start()
    except (KeyboardInterrupt, SystemExit):
        log.info("scheduler stopped")
    finally:
        sender.stop()


if __name__ == "__main__":
    main()
