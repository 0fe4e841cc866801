"""Load and validate questionnaires/*.json; errors name the file, the item and why."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from marshmallow import ValidationError

from pro_service.instruments.domain.definitions import Instrument
from pro_service.instruments.domain.validation import Problem, find_problems
from pro_service.instruments.schemas import InstrumentSchema


class InstrumentError(Exception):
    """An instrument file is unusable: carries the file, its problems and a message."""

    def __init__(self, path: Path | str, problems: list[Problem]) -> None:
        self.path = str(path)
        self.problems = problems
        reasons = [
            f"item {item_id}: {reason}" if item_id else reason
            for item_id, reason in problems
        ]
        super().__init__(f"{self.path}: " + "; ".join(reasons))

    @property
    def item_ids(self) -> list[str]:
        """Return the item ids the problems name."""
        return [item_id for item_id, _ in self.problems if item_id]


def load_instrument(path: Path | str) -> Instrument:
    """Read, parse and validate one instrument file."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InstrumentError(
            path, [(None, f"cannot read file: {exc.strerror}")]
        ) from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InstrumentError(path, [(None, f"not valid UTF-8 JSON: {exc}")]) from exc
    if not isinstance(data, dict):
        raise InstrumentError(path, [(None, "top level must be a JSON object")])
    try:
        instrument: Instrument = InstrumentSchema().load(data)
    except ValidationError as exc:
        raise InstrumentError(path, _schema_problems(exc.messages, data)) from exc
    problems = find_problems(instrument)
    if problems:
        raise InstrumentError(path, problems)
    return instrument


def load_all(directory: Path | str) -> dict[str, Instrument]:
    """Load every *.json in a directory, keyed by instrument code (e.g. 'EQ5D5L')."""
    directory = Path(directory)
    paths = sorted(directory.glob("*.json"))
    if not paths:
        raise InstrumentError(directory, [(None, "no instrument files (*.json) found")])
    instruments: dict[str, Instrument] = {}
    origins: dict[str, Path] = {}
    for path in paths:
        instrument = load_instrument(path)
        if instrument.code in instruments:
            other = origins[instrument.code]
            reason = f"instrument code {instrument.code} is also used by {other}"
            raise InstrumentError(path, [(None, reason)])
        instruments[instrument.code] = instrument
        origins[instrument.code] = path
    return instruments


def _flatten(
    messages: Any, path: tuple[str | int, ...] = ()
) -> Iterator[tuple[tuple[str | int, ...], str]]:
    if isinstance(messages, Mapping):
        for key, value in messages.items():
            yield from _flatten(value, (*path, key))
    elif isinstance(messages, list):
        for message in messages:
            yield from _flatten(message, path)
    else:
        yield path, str(messages)


def _schema_problems(messages: Any, data: dict[str, Any]) -> list[Problem]:
    items = data.get("items")
    raw_items: list[Any] = items if isinstance(items, list) else []
    problems: list[Problem] = []
    for path, message in _flatten(messages):
        item_id = None
        if len(path) >= 2 and path[0] == "items" and isinstance(path[1], int):
            raw = raw_items[path[1]] if path[1] < len(raw_items) else None
            found = raw.get("id") if isinstance(raw, dict) else None
            item_id = str(found) if found else f"#{path[1] + 1}"
            path = path[2:]
        where = ".".join(str(part) for part in path if part != "_schema")
        problems.append((item_id, f"{where}: {message}" if where else message))
    return problems
