"""SAS transport (XPT version 5) of an SDTM dataset, written by pyreadstat (ReadStat).

pyreadstat is the maintained Python binding of ReadStat, which writes and reads SAS
transport files; its pandas dependency is imported only here, when an XPT file is asked for.
XPT headers carry the writing time; they are set to the data cut's time instead, so the
same cut gives the same bytes.
"""

from __future__ import annotations

import math
import re
import tempfile
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from pro_service.exports.domain.catalog import Dataset

_STAMP = re.compile(rb"\d{2}[A-Z]{3}\d{2}:\d{2}:\d{2}:\d{2}")
_HEADER_END = b"HEADER RECORD*******OBS     HEADER RECORD"


def stamp(data: bytes, at: datetime) -> bytes:
    """Replace the created/modified times in the XPT header records with `at`."""
    text = at.strftime("%d%b%y:%H:%M:%S").upper().encode("ascii")
    end = data.find(_HEADER_END)
    head = _STAMP.sub(text, data[: end if end >= 0 else len(data)])
    return head + data[len(head):] if end < 0 else head + data[end:]


def _column(spec_type: str, values: Sequence[Any]) -> Any:
    import pandas as pd

    if spec_type in ("integer", "float"):
        return pd.Series([math.nan if v is None or v == "" else float(v) for v in values],
                         dtype="float64")
    return pd.Series(["" if v is None else str(v) for v in values], dtype=object)


def xpt_bytes(spec: Dataset, rows: Sequence[Mapping[str, Any]], *, at: datetime) -> bytes:
    """An XPT v5 file with the dataset's variables, labels and rows (numbers as doubles)."""
    import pandas as pd
    import pyreadstat

    frame = pd.DataFrame({v.name: _column(v.type, [r.get(v.name) for r in rows])
                          for v in spec.variables}, columns=list(spec.columns))
    labels = {v.name: v.label_en[:40] for v in spec.variables}
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{spec.name}.xpt"
        pyreadstat.write_xport(frame, str(path), file_label=spec.label_en[:40],
                               column_labels=labels, table_name=spec.name.upper()[:8],
                               file_format_version=5)
        return stamp(path.read_bytes(), at)
