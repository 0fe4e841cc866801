"""flask staff create / token / revoke, and flask sites create."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from pro_service.core import clock
from pro_service.core.errors import DomainError
from pro_service.staff import service
from pro_service.staff.models import Role

staff_cli = AppGroup("staff", help="Staff users and API tokens.")
sites_cli = AppGroup("sites", help="Sites.")


@sites_cli.command("create")
@click.argument("code")
@click.argument("name")
@click.option("--timezone", default="Asia/Shanghai")
@click.option("--phone", default=None, help="site contact number given to participants")
def create_site(code: str, name: str, timezone: str, phone: str | None) -> None:
    """Register a site."""
    try:
        service.create_site(code=code, name=name, timezone=timezone, site_phone=phone,
                            now=clock.now(), actor="cli")
    except DomainError as exc:
        raise click.ClickException(exc.detail) from exc
    click.echo(f"site {code} created")


@staff_cli.command("create")
@click.option("--name", required=True)
@click.option("--email", required=True)
@click.option("--role", required=True, type=click.Choice([r.value for r in Role]))
@click.option("--site", "sites", multiple=True, help="site code (repeat for several)")
@click.option("--password", default=None, help="dashboard password (prompted if --prompt)")
@click.option("--alert-phone", default=None, help="mobile number for safety alerts")
def create_staff(name: str, email: str, role: str, sites: tuple[str, ...],
                 password: str | None, alert_phone: str | None) -> None:
    """Create a staff user."""
    cfg = current_app.config
    try:
        user = service.create_staff(name=name, email=email, role=role, site_codes=list(sites),
                                    password=password, alert_phone=alert_phone, now=clock.now(),
                                    data_key=cfg["DATA_KEY"], index_key=cfg["INDEX_KEY"], actor="cli")
    except DomainError as exc:
        raise click.ClickException(exc.detail) from exc
    click.echo(f"staff {user.id} {user.email} ({role}) created")


@staff_cli.command("token")
@click.argument("email")
@click.option("--label", default="")
def token(email: str, label: str) -> None:
    """Issue an API token; it is shown once and stored only as a hash."""
    try:
        value = service.issue_token(email=email, label=label, now=clock.now(), actor="cli")
    except DomainError as exc:
        raise click.ClickException(exc.detail) from exc
    click.echo(value)


@staff_cli.command("revoke-token")
@click.argument("token_id", type=int)
def revoke(token_id: int) -> None:
    """Revoke an API token by its id."""
    try:
        service.revoke_token(token_id=token_id, now=clock.now(), actor="cli")
    except DomainError as exc:
        raise click.ClickException(exc.detail) from exc
    click.echo(f"token {token_id} revoked")
