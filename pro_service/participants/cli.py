"""flask participants import FILE.csv."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from pro_service.core import clock
from pro_service.participants import service
from pro_service.participants.importer import import_csv_text

participants_cli = AppGroup("participants", help="Participant commands.")


@participants_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_csv(path: Path) -> None:
    """Import participants from a CSV; nothing is imported if any row is bad."""
    keys = service.Keys(current_app.config["DATA_KEY"], current_app.config["INDEX_KEY"])
    errors, count = import_rows(path, keys)
    if errors:
        for line, reason in errors:
            click.echo(f"{path.name}:{line}: {reason}", err=True)
        click.echo(f"{len(errors)} bad row(s); nothing imported", err=True)
        raise SystemExit(1)
    click.echo(f"imported {count} participant(s)")


def import_rows(path: Path, keys: service.Keys) -> tuple[list[tuple[int, str]], int]:
    """Validate every row inside one transaction; roll back everything on any bad row."""
    text = path.read_text(encoding="utf-8-sig")
    return import_csv_text(text, keys=keys, now=clock.now(), actor="cli:import")


__all__ = ["import_csv", "participants_cli"]
