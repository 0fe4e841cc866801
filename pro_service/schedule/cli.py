"""flask schedule show STUDY_ID, and flask tick (one pass of every scheduler job)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from pro_service.extensions import db
from pro_service.participants.models import Participant
from pro_service.schedule.service import occasions_of

schedule_cli = AppGroup("schedule", help="Occasion schedules.")


@schedule_cli.command("show")
@click.argument("study_id")
def show(study_id: str) -> None:
    """Print a participant's occasions with local opening and closing times and states."""
    p = db.session.scalar(sa.select(Participant).where(Participant.study_id == study_id))
    if p is None:
        raise click.ClickException(f"no participant {study_id}")
    zone = ZoneInfo(p.timezone)
    click.echo(f"{p.study_id}  site {p.site.code}  {p.timezone}  status {p.status}")
    click.echo(f"{'timepoint':<12}{'instrument':<10}{'opens (local)':<18}{'closes (local)':<18}"
               f"{'status':<12}reminders")
    for o in occasions_of(p.id):
        click.echo(f"{o.timepoint:<12}{o.instrument:<10}"
                   f"{o.opens_at.astimezone(zone):%Y-%m-%d %H:%M}  "
                   f"{o.closes_at.astimezone(zone):%Y-%m-%d %H:%M}  {o.status:<12}{o.reminders_sent}")
