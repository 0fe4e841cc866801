"""EQ-5D indices against profiles worked out by hand from the published coefficients.

tests/data/eq5d_hand_computed_profiles.csv holds, for every value set, each dimension alone at
each of its levels plus mixed states (a Latin square of levels and the worst state), with the
arithmetic written out in its `working` column and the coefficient file and paper it used.
Every coefficient of every set therefore enters at least one expected value, so a changed
coefficient fails here even when ../shared is not there to compare the files with.
"""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest

from pro_service.instruments.scoring import eq5d_index, get_value_set, value_set_codes

DATA = Path(__file__).resolve().parents[2] / "data"
PROFILES = DATA / "eq5d_hand_computed_profiles.csv"
PUBLISHED = DATA / "eq5d_reference_values.csv"
DIMENSIONS = ("MO", "SC", "UA", "PD", "AD")
NAME_OF = {"5L-CN": "china_luo2017", "5L-US": "us_pickard2019", "5L-EN": "england_devlin2018",
           "5L-JP": "japan_shiroiwa2016_ctto", "3L-CN": "china_liu2014",
           "3L-CN-ZHUO": "china_zhuo2018", "3L-UK": "uk_dolan1997"}


def _rows() -> list[dict[str, str]]:
    with PROFILES.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


ROWS = _rows()


@pytest.mark.parametrize("row", ROWS, ids=[f"{r['value_set']}-{r['profile']}" for r in ROWS])
def test_index_equals_the_hand_computed_value(row: dict[str, str]) -> None:
    assert eq5d_index(row["profile"], row["value_set"]) == pytest.approx(
        float(row["expected_index"]), abs=1e-9)


@pytest.mark.parametrize("row", ROWS, ids=[f"{r['value_set']}-{r['profile']}" for r in ROWS])
def test_the_written_working_adds_up_to_the_expected_value(row: dict[str, str]) -> None:
    # "1 - (a X + b Y) = 1 - s = v": the terms add up to s and 1 - s is v
    terms, _, rest = row["working"].removeprefix("1 - (").partition(") = 1 - ")
    total, _, value = rest.partition(" = ")
    amounts = [Decimal(term.split()[0]) for term in terms.split(" + ")]
    assert sum(amounts, Decimal(0)) == Decimal(total)
    assert Decimal(1) - Decimal(total) == Decimal(value) == Decimal(row["expected_index"])
    named = {term.split()[1] for term in terms.split(" + ")}
    levels = {f"{d}{lvl}" for d, lvl in zip(DIMENSIONS, row["profile"], strict=True) if lvl != "1"}
    assert named - {"constant", "N3"} == levels


@pytest.mark.parametrize("code", value_set_codes())
def test_every_level_of_every_dimension_is_used_by_a_hand_computed_profile(code: str) -> None:
    levels = get_value_set(code).levels
    used = {(d, int(lvl)) for r in ROWS if r["value_set"] == code
            for d, lvl in zip(DIMENSIONS, r["profile"], strict=True)}
    wanted = {(d, lvl) for d in DIMENSIONS for lvl in range(2, levels + 1)}
    assert wanted <= used


@pytest.mark.parametrize("code", value_set_codes())
def test_every_coefficient_enters_an_expected_value(code: str) -> None:
    tariff = get_value_set(code)
    named = {term.split()[1] for r in ROWS if r["value_set"] == code
             for term in r["working"].removeprefix("1 - (").partition(")")[0].split(" + ")}
    wanted = {f"{d}{lvl}" for d in DIMENSIONS for lvl in range(2, tariff.levels + 1)}
    wanted |= {"constant"} if tariff.constant else set()
    wanted |= {"N3"} if tariff.n3 else set()
    assert named == wanted


def test_hand_computed_values_agree_with_the_published_ones_where_both_exist() -> None:
    with PUBLISHED.open(encoding="utf-8") as handle:
        published = {(r["value_set"], r["profile"]): float(r["expected_index"])
                     for r in csv.DictReader(handle)}
    shared = [(r, published[(NAME_OF[r["value_set"]], r["profile"])]) for r in ROWS
              if (NAME_OF[r["value_set"]], r["profile"]) in published]
    assert len(shared) >= 15
    for row, value in shared:
        tolerance = 0.0011 if row["value_set"] == "5L-JP" else 0.0005  # reference README
        assert float(row["expected_index"]) == pytest.approx(value, abs=tolerance), row
