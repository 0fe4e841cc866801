"""EQ-5D value sets: coefficient files listed in `data/value_sets/manifest.json`.

Every file has the additive form of shared/reference/eq5d/README.md: index = 1 -
constant (state != 11111) - N3 (any level 3, 3L only) - per-dimension decrements.
Coefficients stay `Decimal` so sums are exact; the caller converts to float once.
"""

from __future__ import annotations

import csv
import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "value_sets"
DIMENSIONS = ("MO", "SC", "UA", "PD", "AD")
LEVELS = {"5L": 5, "3L": 3}


@dataclass(frozen=True)
class ValueSet:
    """One tariff: decrements keyed by (dimension, level); level 1 is always 0."""

    code: str
    version: str
    algorithm_id: str
    reference_name: str
    citation: str
    constant: Decimal
    n3: Decimal
    decrements: dict[tuple[str, int], Decimal]

    @property
    def levels(self) -> int:
        """Return the number of levels per dimension (5 or 3)."""
        return LEVELS[self.version]


@cache
def _manifest() -> dict[str, Any]:
    with (DATA_DIR / "manifest.json").open(encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    return data


def value_set_codes() -> tuple[str, ...]:
    """Return the codes of every value set in the manifest, e.g. '5L-CN'."""
    return tuple(_manifest()["value_sets"])


def default_value_set() -> str:
    """Return the default value-set code (China 5L, Luo 2017)."""
    return str(_manifest()["default"])


@cache
def get_value_set(code: str) -> ValueSet:
    """Load one value set by code; ValueError names an unknown code or damaged file."""
    entries = _manifest()["value_sets"]
    if code not in entries:
        raise ValueError(
            f"unknown EQ-5D value set {code!r}; known: {', '.join(entries)}"
        )
    entry = entries[code]
    path = DATA_DIR / entry["file"]
    raw = path.read_bytes()
    if hashlib.sha256(raw).hexdigest() != entry["sha256"]:
        raise ValueError(
            f"value set {code}: {path.name} does not match its manifest checksum"
        )
    terms = _read_terms(raw.decode("utf-8"), path.name)
    return _build(code, entry, terms)


def _read_terms(text: str, name: str) -> dict[str, Decimal]:
    terms: dict[str, Decimal] = {}
    for row in csv.DictReader(text.splitlines()):
        try:
            value = Decimal(row["decrement"])
        except (InvalidOperation, TypeError) as exc:
            raise ValueError(
                f"{name}: term {row.get('term')!r} has no numeric decrement"
            ) from exc
        if value < 0:
            raise ValueError(f"{name}: term {row['term']} has a negative decrement")
        terms[row["term"]] = value
    return terms


def _build(code: str, entry: dict[str, Any], terms: dict[str, Decimal]) -> ValueSet:
    version = entry["version"]
    levels = LEVELS[version]
    expected = {f"{dim}{lvl}" for dim in DIMENSIONS for lvl in range(2, levels + 1)}
    extra = set(terms) - expected - {"constant", "N3"}
    missing = expected - set(terms)
    if extra or missing or ("N3" in terms and version != "3L"):
        raise ValueError(
            f"value set {code}: unexpected terms {sorted(extra)}, "
            f"missing terms {sorted(missing)}"
        )
    decrements = {(dim, 1): Decimal(0) for dim in DIMENSIONS}
    decrements.update({(t[:2], int(t[2:])): terms[t] for t in expected})
    return ValueSet(
        code=code,
        version=version,
        algorithm_id=entry["algorithm_id"],
        reference_name=entry["reference_name"],
        citation=entry["citation"],
        constant=terms.get("constant", Decimal(0)),
        n3=terms.get("N3", Decimal(0)),
        decrements=decrements,
    )
