"""python -m scheduler: run the interval jobs with APScheduler's BlockingScheduler."""

from __future__ import annotations

import logging

from apscheduler.schedulers.blocking import BlockingScheduler

from flask import Flask

from pro_service import create_app
from pro_service.messages.gateway import make_gateway
from scheduler.jobs import JOBS, run_job

log = logging.getLogger("pro_service.scheduler")


def main() -> None:
    """Build the app and run the scheduler until stopped."""
    run_blocking(create_app())


def run_blocking(app: Flask) -> None:
    """Add one interval job per entry of JOBS and block."""
    gateway = make_gateway(app.config)
    sched = BlockingScheduler(timezone="UTC", job_defaults={"coalesce": True, "max_instances": 1})
    for job in JOBS:
        sched.add_job(run_job, "interval", seconds=job.seconds, args=(app, job, gateway),
                      id=job.name, name=job.name)
    log.info("scheduler starting with %d jobs", len(JOBS))
    try:
        sched.start()
    except (KeyboardInterrupt, SystemExit):
        log.info("scheduler stopped")


if __name__ == "__main__":
    main()
