"""flask participants import FILE.csv."""

from __future__ import annotations

import csv
from datetime import date, time
from pathlib import Path
from typing import Any

import click
from flask import current_app
from flask.cli import AppGroup
from marshmallow import ValidationError

from pro_service.core import clock
from pro_service.core.db import unit_of_work
from pro_service.core.errors import DomainError
from pro_service.participants import service
from pro_service.participants.schemas import ParticipantCreateSchema

participants_cli = AppGroup("participants", help="Participant commands.")
COLUMNS = ("study_id", "site", "phone", "language", "timezone", "channel", "quiet_start",
           "quiet_end", "baseline", "infusion_1", "infusion_2", "infusion_3")


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
    errors: list[tuple[int, str]] = []
    schema = ParticipantCreateSchema()
    now = clock.now()
    count = 0
    with path.open(newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        missing = {"study_id", "site", "phone"} - set(reader.fieldnames or [])
        if missing:
            return [(1, f"missing column(s): {', '.join(sorted(missing))}")], 0
        try:
            with unit_of_work() as session:
                for row in reader:
                    line = reader.line_num
                    data = {k: v for k, v in row.items() if k in COLUMNS and v not in ("", None)}
                    try:
                        with session.begin_nested():
                            service.enrol_participant(schema.load(data), keys=keys, now=now,
                                                      actor="cli:import")
                            count += 1
                    except ValidationError as exc:
                        errors.append((line, _flatten(exc.messages)))
                    except DomainError as exc:
                        errors.append((line, exc.detail))
                if errors:
                    raise _Abort
        except _Abort:
            return errors, 0
    return errors, count


class _Abort(Exception):
    pass


def _flatten(messages: Any) -> str:
    if isinstance(messages, dict):
        return "; ".join(f"{k}: {' '.join(map(str, v)) if isinstance(v, list) else v}"
                         for k, v in messages.items())
    return str(messages)


__all__ = ["date", "import_csv", "participants_cli", "time"]
