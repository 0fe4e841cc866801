"""Exact outcomes of the instrument rules: whole problem lists, messages and rows.

Messages are compared whole (not searched) because staff and the `instruments check` command
read them; each list is what the rule must return, nothing more.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from pathlib import Path

import pytest

from pro_service.instruments.domain.cldq import cldq_rows, cldq_scores
from pro_service.instruments.domain.definitions import Choice, Instrument, Item, ResponseType
from pro_service.instruments.domain.eq5d import (
    eq5d_rows,
    eq5d_summary,
    format_index,
    parse_profile,
)
from pro_service.instruments.domain.rows import ScoreRow
from pro_service.instruments.domain.validation import find_problems
from pro_service.instruments.service import load_instrument

QUESTIONNAIRES = Path(__file__).resolve().parents[3] / "questionnaires"
ITEMS = [f"CLDQ{n:02d}" for n in range(1, 30)]


def _load(name: str) -> Instrument:
    return load_instrument(QUESTIONNAIRES / name)


def _with_item(instrument: Instrument, item_id: str, **changes: object) -> Instrument:
    items = tuple(dataclasses.replace(i, **changes) if i.id == item_id else i
                  for i in instrument.items)
    return dataclasses.replace(instrument, items=items)


def _with_scoring(instrument: Instrument, **changes: object) -> Instrument:
    return dataclasses.replace(instrument, scoring={**instrument.scoring, **changes})


def test_shipped_instruments_have_no_problems() -> None:
    for name in ("eq5d.json", "cldq.json", "symptoms.json"):
        assert find_problems(_load(name)) == [], name


def test_missing_languages_are_all_named() -> None:
    eq = dataclasses.replace(_load("eq5d.json"), languages=("fr",), title={"fr": "EQ"},
                             recall_period={"fr": "aujourd'hui"})
    assert find_problems(eq)[0] == (None, "languages must include zh-CN, en")


def test_a_title_missing_two_languages_names_both() -> None:
    eq = dataclasses.replace(_load("eq5d.json"), title={})
    assert find_problems(eq) == [(None, "title has no text for zh-CN, en")]


def test_an_item_text_missing_two_languages_names_both() -> None:
    eq = _with_item(_load("eq5d.json"), "MO", text={"zh-CN": " ", "en": ""})
    assert find_problems(eq) == [("MO", "text has no text for zh-CN, en")]


def test_an_integer_item_without_a_minimum_is_refused_showing_both_bounds() -> None:
    eq = _with_item(_load("eq5d.json"), "VAS", minimum=None)
    assert find_problems(eq) == [
        ("VAS", "integer item needs minimum < maximum (got None, 100)"),
        ("VAS", "EQ VAS must range 0-100"),
    ]


def test_only_integer_items_take_a_minimum_even_without_a_maximum() -> None:
    eq = _with_item(_load("eq5d.json"), "MO", minimum=1)
    assert find_problems(eq) == [("MO", "only integer items take minimum/maximum")]


def test_a_choice_item_with_one_choice_is_refused() -> None:
    eq = _load("eq5d.json")
    eq = _with_item(eq, "MO", choices=eq.item("MO").choices[:1])
    assert find_problems(eq)[0] == ("MO", "a choice item needs at least two choices")


def test_a_choice_label_missing_two_languages_names_both() -> None:
    eq = _load("eq5d.json")
    bare = (Choice(1, {}), *eq.item("MO").choices[1:])
    assert find_problems(_with_item(eq, "MO", choices=bare)) == [
        ("MO", "choice 1 label has no text for zh-CN, en")]


def test_a_safety_urgency_alone_on_a_choice_item_is_refused() -> None:
    eq = _with_item(_load("eq5d.json"), "MO", safety_urgency="urgent")
    assert find_problems(eq) == [("MO", "only yes_no items carry a safety category")]


def test_eq5d_levels_must_be_one_to_five() -> None:
    eq = _with_scoring(_load("eq5d.json"), levels=[1, 2, 3])
    assert find_problems(eq) == [(None, "scoring.levels must be [1, 2, 3, 4, 5]")]


def test_an_eq5d_file_without_a_vas_item_says_so_for_the_file() -> None:
    eq = _load("eq5d.json")
    scoring = {k: v for k, v in eq.scoring.items() if k != "vas_item"}
    problems = find_problems(dataclasses.replace(eq, scoring=scoring))
    assert problems == [(None, "scoring.vas_item must name an integer item"),
                        ("VAS", "EQ-5D has only the five dimensions and the VAS")]


def test_an_eq5d_vas_item_that_is_a_choice_is_refused() -> None:
    eq = _with_scoring(_load("eq5d.json"), vas_item="MO")
    assert find_problems(eq) == [("MO", "scoring.vas_item must name an integer item"),
                                 ("VAS", "EQ-5D has only the five dimensions and the VAS")]


def test_an_eq5d_vas_with_another_range_is_refused() -> None:
    eq = _with_item(_load("eq5d.json"), "VAS", minimum=1)
    assert find_problems(eq) == [("VAS", "EQ VAS must range 0-100")]


def test_cldq_domains_that_are_not_a_mapping_are_refused() -> None:
    cldq = _with_scoring(_load("cldq.json"), domains=["AS", "FA", "SY", "AC", "EM", "WO"])
    assert find_problems(cldq) == [
        (None, "scoring.domains must map exactly the domains AS, FA, SY, AC, EM, WO")]


def test_a_cldq_domain_given_as_text_places_none_of_its_items() -> None:
    cldq = _load("cldq.json")
    domains = {**cldq.scoring["domains"], "AS": "CLDQ01"}
    problems = find_problems(_with_scoring(cldq, domains=domains))
    assert problems == [(item, "item must be in exactly one CLDQ domain, found in none")
                        for item in ("CLDQ01", "CLDQ05", "CLDQ17")]


def test_profile_that_is_not_text_is_refused_naming_its_type() -> None:
    with pytest.raises(ValueError) as caught:
        parse_profile(12345)  # type: ignore[arg-type]
    assert str(caught.value) == "EQ-5D profile must be a string of 5 digits, not int"


def test_profile_levels_out_of_range_are_all_named() -> None:
    with pytest.raises(ValueError) as caught:
        parse_profile("16171")
    assert str(caught.value) == "EQ-5D profile '16171': level outside 1-5 (5L) for SC, PD"


def test_unknown_eq5d_answer_keys_are_all_named() -> None:
    with pytest.raises(ValueError) as caught:
        eq5d_summary({"MO": 1, "XX": 1, "AA": 2})
    assert str(caught.value) == "EQ-5D answers have unknown item ids: AA, XX"


@pytest.mark.parametrize("vas", [0, 100])
def test_vas_accepts_both_ends_of_its_range(vas: int) -> None:
    assert eq5d_summary({"VAS": vas}).vas == vas


def test_summary_keeps_the_value_set_it_used() -> None:
    assert eq5d_summary({"MO": 1}, "5L-US").value_set == "5L-US"


def test_rows_carry_the_index_value() -> None:
    rows = eq5d_rows(eq5d_summary({"MO": 2, "SC": 1, "UA": 1, "PD": 1, "AD": 1, "VAS": 80}))
    assert rows == [ScoreRow("EQ5D_INDEX", pytest.approx(0.934), "eq5d5l.cn.luo2017"),
                    ScoreRow("EQ5D_LSS", 6.0, "eq5d5l.lss.v1"),
                    ScoreRow("EQ5D_VAS", 80.0, "eq5d.vas.v1")]


@pytest.mark.parametrize(("value", "shown"), [(0.1225, "0.123"), (-0.1225, "-0.123"),
                                              (0.0005, "0.001"), (-0.0001, "0.000"),
                                              (-0.0004, "0.000"), (1.0, "1.000")])
def test_index_display_rounds_half_up_and_never_shows_minus_zero(value: float, shown: str) -> None:
    assert format_index(value) == shown


def test_index_display_takes_the_number_of_places() -> None:
    assert format_index(0.12345, places=4) == "0.1235"
    assert Decimal(format_index(0.5, places=1)) == Decimal("0.5")


def test_cldq_reason_is_empty_when_every_domain_is_scored() -> None:
    assert cldq_scores(dict.fromkeys(ITEMS, 4)).reason is None


def test_cldq_reason_names_every_missing_domain() -> None:
    answers = dict.fromkeys(ITEMS, 4)
    for item in ("CLDQ02", "CLDQ04", "CLDQ08", "CLDQ18", "CLDQ22", "CLDQ25"):
        answers[item] = None
    assert cldq_scores(answers).reason == "too few items answered in domain(s): FA, WO"


def test_cldq_unknown_items_are_all_named() -> None:
    with pytest.raises(ValueError) as caught:
        cldq_scores({"CLDQ30": 1, "CLDQ00": 2})
    assert str(caught.value) == "CLDQ answers have unknown item ids: CLDQ00, CLDQ30"


def test_cldq_rows_with_counts_add_the_answered_counts_after_the_scores() -> None:
    answers = dict.fromkeys(ITEMS, 3)
    answers["CLDQ01"] = None
    rows = cldq_rows(cldq_scores(answers), with_counts=True)
    assert rows[:7] == [ScoreRow(f"CLDQ_{d}", 3.0, "cldq.younossi1999")
                        for d in ("AS", "FA", "SY", "AC", "EM", "WO")] + [
        ScoreRow("CLDQ_OVERALL", 3.0, "cldq.overall.domain_mean.v1")]
    assert rows[7:] == [ScoreRow(f"CLDQ_{d}_N", float(n), "cldq.answered_count.v1")
                        for d, n in (("AS", 2), ("FA", 5), ("SY", 5), ("AC", 3), ("EM", 8),
                                     ("WO", 5))]


def test_an_unknown_item_id_raises_key_error_naming_it() -> None:
    with pytest.raises(KeyError) as caught:
        _load("eq5d.json").item("ZZ")
    assert caught.value.args == ("ZZ",)


def test_item_finds_by_id() -> None:
    eq = _load("eq5d.json")
    assert eq.item("VAS").type is ResponseType.INTEGER
    assert isinstance(eq.item("MO"), Item)
