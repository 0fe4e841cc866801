"""Enrol many participants from CSV text: every row or none, bad rows listed by line number.

The CLI (`flask participants import`) and the staff workspace upload share this one rule.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime
from typing import Any

from marshmallow import ValidationError

from pro_service.core.db import unit_of_work
from pro_service.core.errors import DomainError
from pro_service.participants import service
from pro_service.participants.schemas import ParticipantCreateSchema
from pro_service.staff.models import StaffUser

COLUMNS = ("study_id", "site", "phone", "language", "timezone", "channel", "quiet_start",
           "quiet_end", "baseline", "infusion_1", "infusion_2", "infusion_3")
REQUIRED = frozenset({"study_id", "site", "phone"})
MAX_ROWS = 5000
MAX_BYTES = 1_000_000


class _Abort(Exception):
    pass


def import_csv_text(text: str, *, keys: service.Keys, now: datetime, actor: str,
                    staff: StaffUser | None = None) -> tuple[list[tuple[int, str]], int]:
    """Validate every row inside one transaction; roll back everything on any bad row."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    missing = REQUIRED - set(reader.fieldnames or [])
    if missing:
        return [(1, f"missing column(s): {', '.join(sorted(missing))}")], 0
    errors: list[tuple[int, str]] = []
    schema, count = ParticipantCreateSchema(), 0
    try:
        with unit_of_work() as session:
            for row in reader:
                line = reader.line_num
                if count + len(errors) >= MAX_ROWS:
                    errors.append((line, f"more than {MAX_ROWS} rows; split the file"))
                    break
                data = {k: v for k, v in row.items() if k in COLUMNS and v not in ("", None)}
                try:
                    with session.begin_nested():
                        service.enrol_participant(schema.load(data), keys=keys, now=now, actor=actor,
                                                  staff=staff)
                        count += 1
                except ValidationError as exc:
                    errors.append((line, flatten(exc.messages)))
                except DomainError as exc:
                    errors.append((line, exc.detail))
            if errors:
                raise _Abort
    except _Abort:
        return errors, 0
    return errors, count


def import_csv_bytes(raw: bytes, *, keys: service.Keys, now: datetime, actor: str,
                     staff: StaffUser | None = None) -> tuple[list[tuple[int, str]], int]:
    """An uploaded file: at most 1 MB of UTF-8 text (a BOM is allowed), then `import_csv_text`."""
    if not raw or len(raw) > MAX_BYTES:
        return [(0, "choose a CSV file of at most 1 MB")], 0
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [(0, "the file is not UTF-8 text")], 0
    return import_csv_text(text, keys=keys, now=now, actor=actor, staff=staff)


def flatten(messages: Any) -> str:
    """Marshmallow's messages as one line: `field: message; field: message`."""
    if isinstance(messages, dict):
        return "; ".join(f"{k}: {' '.join(map(str, v)) if isinstance(v, list) else v}"
                         for k, v in messages.items())
    return str(messages)
