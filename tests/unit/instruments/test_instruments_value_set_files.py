"""Loading value-set files: fields, defaults and every refusal, with exact messages."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from pro_service.instruments.domain import value_sets
from pro_service.instruments.domain.value_sets import (
    _build,
    _read_terms,
    default_value_set,
    get_value_set,
    value_set_codes,
)

HEADER = "term,dimension,level,decrement,applies_when\n"
FIVE_L = [f"{d}{lvl}" for d in ("MO", "SC", "UA", "PD", "AD") for lvl in (2, 3, 4, 5)]
ENTRY = {"version": "5L", "algorithm_id": "test.alg", "reference_name": "test_set",
         "citation": "A test set"}


def _terms(names: list[str], value: str = "0.1") -> dict[str, Decimal]:
    return {name: Decimal(value) for name in names}


def test_codes_and_default_come_from_the_manifest() -> None:
    assert value_set_codes() == ("5L-CN", "5L-US", "5L-EN", "5L-JP", "3L-CN", "3L-CN-ZHUO",
                                 "3L-UK")
    assert default_value_set() == "5L-CN"


def test_a_loaded_set_carries_its_manifest_fields_and_exact_coefficients() -> None:
    jp = get_value_set("5L-JP")
    assert (jp.code, jp.version, jp.levels) == ("5L-JP", "5L", 5)
    assert jp.algorithm_id == "eq5d5l.jp.shiroiwa2016.ctto"
    assert jp.reference_name == "japan_shiroiwa2016_ctto"
    assert jp.citation.startswith("Shiroiwa T, Ikeda S, Noto S")
    assert jp.constant == Decimal("0.0609") and jp.n3 == Decimal(0)
    assert jp.decrements[("MO", 1)] == Decimal(0) and jp.decrements[("AD", 5)] == Decimal("0.196")
    assert len(jp.decrements) == 25


def test_a_3l_set_has_three_levels_and_its_n3_term() -> None:
    uk = get_value_set("3L-UK")
    assert (uk.version, uk.levels) == ("3L", 3)
    assert uk.constant == Decimal("0.081") and uk.n3 == Decimal("0.269")
    assert len(uk.decrements) == 15 and uk.decrements[("PD", 3)] == Decimal("0.386")


def test_an_unknown_code_is_refused_listing_the_known_ones() -> None:
    with pytest.raises(ValueError) as caught:
        get_value_set("5L-XX")
    assert str(caught.value) == ("unknown EQ-5D value set '5L-XX'; known: 5L-CN, 5L-US, "
                                 "5L-EN, 5L-JP, 3L-CN, 3L-CN-ZHUO, 3L-UK")


def test_a_file_changed_after_its_checksum_was_recorded_is_refused(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    copy = tmp_path / "value_sets"
    shutil.copytree(value_sets.DATA_DIR, copy)
    path = copy / "eq5d5l_china_luo2017.csv"
    path.write_text(path.read_text().replace("0.194", "0.184"))
    monkeypatch.setattr(value_sets, "DATA_DIR", copy)
    with pytest.raises(ValueError) as caught:
        get_value_set("5L-CN")
    assert str(caught.value) == (
        "value set 5L-CN: eq5d5l_china_luo2017.csv does not match its manifest checksum")
    assert json.loads((copy / "manifest.json").read_text())["default"] == "5L-CN"


def test_terms_are_read_as_exact_decimals_and_zero_is_allowed() -> None:
    text = HEADER + "constant,,,0.0609,x\nMO2,mobility,2,0,x\n"
    assert _read_terms(text, "t.csv") == {"constant": Decimal("0.0609"), "MO2": Decimal(0)}


@pytest.mark.parametrize(("row", "message"), [
    ("MO2,mobility,2,abc,x", "t.csv: term 'MO2' has no numeric decrement"),
    ("MO2,mobility,2", "t.csv: term 'MO2' has no numeric decrement"),
    ("MO2,mobility,2,-0.001,x", "t.csv: term MO2 has a negative decrement"),
])
def test_a_bad_decrement_is_refused_naming_file_and_term(row: str, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        _read_terms(HEADER + row + "\n", "t.csv")
    assert str(caught.value) == message


def test_build_places_each_term_under_its_dimension_and_level() -> None:
    terms = {**_terms(FIVE_L), "MO5": Decimal("0.5"), "constant": Decimal("0.01")}
    built = _build("T", ENTRY, terms)
    assert (built.code, built.version, built.algorithm_id) == ("T", "5L", "test.alg")
    assert (built.reference_name, built.citation) == ("test_set", "A test set")
    assert built.decrements[("MO", 5)] == Decimal("0.5")
    assert built.decrements[("SC", 2)] == Decimal("0.1")
    assert {built.decrements[(d, 1)] for d in ("MO", "SC", "UA", "PD", "AD")} == {Decimal(0)}
    assert built.constant == Decimal("0.01") and built.n3 == Decimal(0)


def test_build_without_constant_or_n3_uses_zero() -> None:
    built = _build("T", {**ENTRY, "version": "3L"},
                   _terms([f"{d}{lvl}" for d in ("MO", "SC", "UA", "PD", "AD") for lvl in (2, 3)]))
    assert built.constant == Decimal(0) and built.n3 == Decimal(0) and built.levels == 3


@pytest.mark.parametrize(("terms", "message"), [
    ({**_terms(FIVE_L), "XX9": Decimal(1)},
     "value set T: unexpected terms ['XX9'], missing terms []"),
    (_terms(FIVE_L[1:]), "value set T: unexpected terms [], missing terms ['MO2']"),
    ({**_terms(FIVE_L), "N3": Decimal("0.1")},
     "value set T: unexpected terms [], missing terms []"),
])
def test_build_refuses_unexpected_missing_or_misplaced_terms(terms: dict[str, Decimal],
                                                             message: str) -> None:
    with pytest.raises(ValueError) as caught:
        _build("T", ENTRY, terms)
    assert str(caught.value) == message
