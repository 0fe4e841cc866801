"""flask participants link STUDY_ID [OCCASION]: print a fresh web-form link (audited)."""

from __future__ import annotations

import click
from flask import current_app

from pro_service.core import clock
from pro_service.core.errors import DomainError
from pro_service.core.localtime import format_local
from pro_service.responses import service as responses


@click.command("link")
@click.argument("study_id")
@click.argument("occasion", required=False)
def link_command(study_id: str, occasion: str | None) -> None:
    """Print a fresh one-time web-form link for STUDY_ID's open occasion.

    OCCASION is a timepoint (W4), timepoint:instrument (BL:CLDQ) or an occasion id; by default
    the oldest open one. For development and site staff; each link is audited.
    """
    try:
        occ, token = responses.issue_link_for(study_id, occasion, now=clock.now(), actor="cli:link")
    except DomainError as exc:
        raise click.ClickException(exc.detail) from None
    base = current_app.config["PUBLIC_BASE_URL"]
    closes = format_local(occ.closes_at, occ.participant.timezone)
    click.echo(f"{occ.timepoint} {occ.instrument} (closes {closes}, {occ.participant.timezone})")
    click.echo(f"{base}/s/{token}")
