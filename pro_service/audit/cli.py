"""flask audit verify."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from pro_service.audit.service import verify_chain

audit_cli = AppGroup("audit", help="Audit trail commands.")


@audit_cli.command("verify")
def verify() -> None:
    """Check the audit hash chain; print OK or the first broken event."""
    report = verify_chain()
    if report.ok:
        click.echo(f"OK: {report.checked} events verified")
        return
    click.echo(f"BROKEN at audit event {report.broken_id}: {report.problem} ({report.checked} verified before it)")
    raise SystemExit(1)
