"""flask tick (one pass of every job) and flask scheduler run (the process in the foreground)."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from scheduler.__main__ import run_blocking
from scheduler.jobs import tick


@click.command("tick")
def tick_command() -> None:
    """Run every scheduler job once now and print the counts."""
    counts = tick(current_app._get_current_object())  # type: ignore[attr-defined]
    click.echo(" ".join(f"{k}={v}" for k, v in sorted(counts.items())) or "nothing to do")


scheduler_cli = AppGroup("scheduler", help="The scheduler process.")


@scheduler_cli.command("run")
def run() -> None:
    """Run the scheduler in this process (same as python -m scheduler)."""
    run_blocking(current_app._get_current_object())  # type: ignore[attr-defined]
