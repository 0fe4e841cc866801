"""EQ-5D indices against published values (shared/reference/eq5d/reference_values)."""

from __future__ import annotations

import csv
import hashlib
import json
import os
from pathlib import Path

import pytest

from pro_service.instruments.domain.value_sets import DATA_DIR
from pro_service.instruments.scoring import (
    eq5d_index,
    format_index,
    get_value_set,
    value_set_codes,
)

REFERENCE = Path(__file__).resolve().parents[3] / ".." / "shared" / "reference" / "eq5d"
MANIFEST = json.loads((DATA_DIR / "manifest.json").read_text(encoding="utf-8"))
CODE_BY_NAME = {
    entry["reference_name"]: code for code, entry in MANIFEST["value_sets"].items()
}
TOLERANCE = 0.0005  # agree to 3 decimals
JAPAN_TIE_TOLERANCE = (
    0.0011  # 4-decimal coefficients make 55555 a rounding tie (reference README)
)


# A copy of shared/reference/eq5d/reference_values.csv kept with the tests, so a checkout without
# the shared folder still checks every value; test_the_kept_copy_matches_the_shared_reference
# proves the two agree whenever both are present.
KEPT_COPY = Path(__file__).resolve().parents[2] / "data" / "eq5d_reference_values.csv"


def _reference_path() -> Path:
    shared = REFERENCE / "reference_values.csv"
    return shared if shared.is_file() else KEPT_COPY


def require_shared(path: Path) -> Path:
    """Fail loudly when a shared reference file is missing, unless explicitly allowed to skip.

    CI (.ci/run) has ../shared beside the checkout and never sets PRO_TEST_ALLOW_NO_SHARED, so a
    missing folder there is a failure, not a silent skip.
    """
    if path.is_file():
        return path
    message = f"shared reference file not found: {path.resolve()}"
    if os.environ.get("PRO_TEST_ALLOW_NO_SHARED") == "1":
        pytest.skip(message + " (PRO_TEST_ALLOW_NO_SHARED=1)")
    pytest.fail(message + "; set PRO_TEST_ALLOW_NO_SHARED=1 to run without ../shared")


def test_the_kept_copy_matches_the_shared_reference() -> None:
    shared = require_shared(REFERENCE / "reference_values.csv")
    assert shared.read_bytes() == KEPT_COPY.read_bytes()


def _reference_rows() -> list[object]:
    path = _reference_path()  # the kept copy is always there: a missing one fails collection
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return [
        pytest.param(row, id=f"{row['value_set']}-{row['profile']}") for row in rows
    ]


REFERENCE_ROWS = _reference_rows()


@pytest.mark.parametrize("row", REFERENCE_ROWS)
def test_index_matches_the_published_reference_value_to_three_decimals(
    row: dict[str, str],
) -> None:
    code = CODE_BY_NAME[row["value_set"]]
    assert get_value_set(code).version == row["version"]
    tolerance = (
        JAPAN_TIE_TOLERANCE
        if (code, row["profile"]) == ("5L-JP", "55555")
        else TOLERANCE
    )
    computed = eq5d_index(row["profile"], code)
    assert computed == pytest.approx(float(row["expected_index"]), abs=tolerance)


def test_reference_file_covers_every_value_set_with_its_best_and_worst_state() -> None:
    seen: dict[str, set[str]] = {}
    for param in REFERENCE_ROWS:
        row = param.values[0]
        seen.setdefault(CODE_BY_NAME[row["value_set"]], set()).add(row["profile"])
    assert set(seen) == set(value_set_codes())
    for code, profiles in seen.items():
        worst = "55555" if get_value_set(code).version == "5L" else "33333"
        assert {"11111", worst} <= profiles, code
    assert sum(len(p) for p in seen.values()) == 69


@pytest.mark.parametrize("code", value_set_codes())
def test_packaged_coefficient_file_is_identical_to_the_shared_reference(
    code: str,
) -> None:
    name = MANIFEST["value_sets"][code]["file"]
    require_shared(REFERENCE / name)
    packaged = (DATA_DIR / name).read_bytes()
    assert packaged == (REFERENCE / name).read_bytes()
    assert (
        hashlib.sha256(packaged).hexdigest() == MANIFEST["value_sets"][code]["sha256"]
    )


@pytest.mark.parametrize(
    ("profile", "value_set", "expected"),
    [
        ("44335", "5L-CN", "0.000"),
        ("45334", "5L-CN", "0.000"),
        ("35144", "5L-US", "0.000"),
        ("42435", "5L-US", "0.000"),
        ("55555", "5L-CN", "-0.391"),
        ("11111", "3L-UK", "1.000"),
    ],
)
def test_index_displays_three_decimals_and_never_minus_zero(
    profile: str, value_set: str, expected: str
) -> None:
    assert format_index(eq5d_index(profile, value_set)) == expected


def test_exact_zero_states_are_exactly_zero_not_float_noise() -> None:
    assert eq5d_index("44335") == 0.0
    assert eq5d_index("42435", "5L-US") == 0.0
