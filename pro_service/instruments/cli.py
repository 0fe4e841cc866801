"""flask instruments check [FILE...] and flask score eq5d --value-set CODE PROFILE..."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from pro_service.instruments.scoring import (
    DEFAULT_VALUE_SET,
    eq5d_index,
    format_index,
    get_value_set,
    parse_profile,
    value_set_codes,
)
from pro_service.instruments.service import InstrumentError, load_instrument

instruments_cli = AppGroup("instruments", help="Questionnaire definition commands.")
score_cli = AppGroup("score", help="Score answers from the command line.")


@instruments_cli.command("check")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
def check(files: tuple[Path, ...]) -> None:
    """Validate instrument files (default: every *.json in QUESTIONNAIRES_DIR)."""
    if not files:
        directory = Path(current_app.config["QUESTIONNAIRES_DIR"])
        files = tuple(sorted(directory.glob("*.json")))
        if not files:
            click.echo(
                f"ERROR {directory}: no instrument files (*.json) found", err=True
            )
            raise SystemExit(1)
    failed = 0
    for path in files:
        try:
            instrument = load_instrument(path)
        except InstrumentError as exc:
            failed += 1
            click.echo(f"ERROR {exc}", err=True)
            continue
        click.echo(
            f"OK {path} ({instrument.code} {instrument.version}, "
            f"{len(instrument.items)} items)"
        )
    if failed:
        raise SystemExit(1)


def _profiles(
    ctx: click.Context, _param: click.Parameter, values: tuple[str, ...]
) -> tuple[str, ...]:
    levels = get_value_set(ctx.params.get("value_set", DEFAULT_VALUE_SET)).levels
    for profile in values:
        try:
            parse_profile(profile, levels)
        except ValueError as exc:
            raise click.BadParameter(str(exc)) from exc
    return values


@score_cli.command("eq5d")
@click.option(
    "--value-set",
    type=click.Choice(value_set_codes()),
    default=DEFAULT_VALUE_SET,
    show_default=True,
    is_eager=True,
    help="Value set (country and version) for the index.",
)
@click.argument("profiles", nargs=-1, required=True, callback=_profiles)
def eq5d(value_set: str, profiles: tuple[str, ...]) -> None:
    """Print 'profile<TAB>index' (3 decimals) for each EQ-5D profile, e.g. 21354."""
    for profile in profiles:
        click.echo(f"{profile}\t{format_index(eq5d_index(profile, value_set))}")
