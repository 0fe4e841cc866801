"""flask keys rotate: operator commands."""

from __future__ import annotations

import os

import click
from flask import current_app
from flask.cli import AppGroup

from pro_service.core import clock
from pro_service.ops.keys import KeyPair, KeyRotationError, rotate_keys

keys_cli = AppGroup("keys", help="Personal-data key commands.")


@keys_cli.command("rotate")
def rotate() -> None:
    """Re-encrypt phones and rebuild blind indexes under PRO_NEW_DATA_KEY / PRO_NEW_INDEX_KEY.

    The new keys are read from the environment (never from arguments, which other users of the
    machine can see). Afterwards restart every process with PRO_DATA_KEY/PRO_INDEX_KEY set to them.
    """
    new_data, new_index = os.environ.get("PRO_NEW_DATA_KEY"), os.environ.get("PRO_NEW_INDEX_KEY")
    if not new_data or not new_index:
        raise click.UsageError("set PRO_NEW_DATA_KEY and PRO_NEW_INDEX_KEY in the environment")
    old = KeyPair(current_app.config["DATA_KEY"], current_app.config["INDEX_KEY"])
    try:
        counts = rotate_keys(old=old, new=KeyPair(new_data, new_index), now=clock.now(),
                             actor="cli:keys-rotate")
    except KeyRotationError as exc:
        raise click.ClickException(str(exc)) from exc
    done = ", ".join(f"{table} {n}" for table, n in counts.items())
    click.echo(f"rotated: {done}. Now restart every process with the new PRO_DATA_KEY and "
               "PRO_INDEX_KEY.")
