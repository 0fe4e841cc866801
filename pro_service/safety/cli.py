"""flask rota add / list / remove: a site's on-call rota (site local time)."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from pro_service.core import clock
from pro_service.core.errors import DomainError
from pro_service.safety import rota
from pro_service.safety.domain.rota import WEEKDAYS

rota_cli = AppGroup("rota", help="On-call rota per site (who gets a safety alert first).")


@rota_cli.command("add")
@click.argument("site")
@click.argument("email")
@click.option("--days", default="mon-fri", show_default=True, help="e.g. mon-fri, sat,sun, daily")
@click.option("--from", "start", default="08:00", show_default=True, help="local start time")
@click.option("--to", "end", default="18:00", show_default=True,
              help="local end time; not after --from means overnight")
def add(site: str, email: str, days: str, start: str, end: str) -> None:
    """Put a coordinator or investigator of SITE on call."""
    try:
        row = rota.add_shift(site=rota.site_by_code(site), staff=rota.staff_by_email(email),
                             weekdays=days, start=start, end=end, now=clock.now())
    except DomainError as exc:
        raise click.ClickException(exc.detail) from exc
    click.echo(f"shift {row.id}: {email} on call {row.weekdays} {row.start_time}-{row.end_time}")


@rota_cli.command("list")
@click.argument("site")
def list_(site: str) -> None:
    """Show SITE's rota, who is on call now and the hours nobody covers this week."""
    try:
        found = rota.site_by_code(site)
    except DomainError as exc:
        raise click.ClickException(exc.detail) from exc
    now = clock.now()
    click.echo(f"site {found.code} ({found.timezone})")
    for line in rota.rota_lines(found.id):
        phone = "" if line.has_phone else "  [no alert phone: skipped]"
        click.echo(f"  {line.shift.id:>4}  {line.staff.email:<30} {line.shift.weekdays:<28} "
                   f"{line.shift.start_time}-{line.shift.end_time}{phone}")
    on_call = rota.on_call_now(found.id, now)
    click.echo("on call now: " + (", ".join(u.email for u in on_call) or
                                  "NOBODY (alerts go straight to investigators and the safety desk)"))
    gaps = rota.rota_gaps(found.id, now)
    click.echo(f"uncovered hours this week: {len(gaps)} of 168")
    for day in sorted({d for d, _ in gaps}):
        hours = [h for d, h in gaps if d == day]
        click.echo(f"  {WEEKDAYS[day]}: {_ranges(hours)}")


def _ranges(hours: list[int]) -> str:
    out, start = [], hours[0]
    for prev, cur in zip(hours, [*hours[1:], None], strict=True):
        if cur != prev + 1:
            out.append(f"{start:02d}:00-{prev + 1:02d}:00")
            start = cur if cur is not None else start
    return ", ".join(out)


@rota_cli.command("remove")
@click.argument("shift_id", type=int)
def remove(shift_id: int) -> None:
    """Take shift SHIFT_ID off the rota."""
    try:
        rota.remove_shift(shift_id=shift_id, now=clock.now())
    except DomainError as exc:
        raise click.ClickException(exc.detail) from exc
    click.echo(f"shift {shift_id} removed")
