"""CSV lines for streamed exports, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

# A text cell starting with one of these is run as a formula by spreadsheet programs
# (OWASP "CSV Injection"); a leading apostrophe keeps it text.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# ISO 8601 durations such as SDTM's QSEVLINT "-P2W" are data, not formulas: kept exact.
_DURATION = re.compile(r"-?P(\d+[YMWD])+")


def cell(value: Any) -> Any:
    """One CSV cell: booleans as true/false, empty for None, formula-looking text defused."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str) and value.startswith(_FORMULA_START) \
            and not _DURATION.fullmatch(value):
        return "'" + value
    return value


def csv_lines(columns: Sequence[str], rows: Iterable[Mapping[str, Any]],
              *, chunk_rows: int = 200) -> Iterator[str]:
    """The header line, then the rows (values in `columns` order) in chunks of lines."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    yield _drain(buffer)
    pending = 0
    for row in rows:
        writer.writerow([cell(row.get(name)) for name in columns])
        pending += 1
        if pending >= chunk_rows:
            yield _drain(buffer)
            pending = 0
    if pending:
        yield _drain(buffer)


def _drain(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text
