"""Page-flow rules of the web form (pure: no app needed)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pro_service.instruments.service import load_all
from pro_service.webform import flow

INSTRUMENTS = load_all(str(Path(__file__).resolve().parents[3] / "questionnaires"))


def test_eq5d_has_a_page_per_dimension_then_the_vas_and_the_symptom_check_one_page() -> None:
    eq5d = flow.pages_of(INSTRUMENTS["EQ5D5L"])
    assert [[i.id for i in p.items] for p in eq5d] == [["MO"], ["SC"], ["UA"], ["PD"], ["AD"],
                                                      ["VAS"]]
    assert len(flow.pages_of(INSTRUMENTS["CLDQ"])) == 29
    (symptoms,) = flow.pages_of(INSTRUMENTS["SYMPTOMS"])
    assert len(symptoms.items) == 8 and symptoms.items[-1].id == "SC_OTHER"


@pytest.mark.parametrize(("fields", "answers", "errors"), [
    ({"VAS": "70"}, {"VAS": 70}, {}),
    ({"VAS": " 0 "}, {"VAS": 0}, {}),
    ({"VAS": "１００"}, {"VAS": 100}, {}),
    ({"VAS": "101"}, {}, {"VAS": "invalid"}),
    ({"VAS": "1e2"}, {}, {"VAS": "invalid"}),
    ({"VAS": ""}, {}, {"VAS": "missing"}),
    ({}, {}, {"VAS": "missing"}),
])
def test_the_vas_field_is_read_as_a_whole_number_from_0_to_100(
        fields: dict[str, str], answers: dict[str, int], errors: dict[str, str]) -> None:
    vas = flow.pages_of(INSTRUMENTS["EQ5D5L"])[5]
    assert flow.parse_page(vas, fields) == (answers, errors)


def test_yes_no_answers_become_booleans_and_empty_optional_text_clears() -> None:
    (page,) = flow.pages_of(INSTRUMENTS["SYMPTOMS"])
    fields = {item.id: "no" for item in page.items if item.required} | {"SC_BLEED": "yes"}
    answers, errors = flow.parse_page(page, fields)
    assert errors == {} and answers["SC_BLEED"] is True and answers["SC_FEVER"] is False
    assert answers["SC_OTHER"] is None
    assert flow.parse_page(page, {**fields, "SC_FEVER": "maybe"})[1] == {"SC_FEVER": "invalid"}


def test_after_a_page_comes_the_next_one_or_the_first_gap_when_returning_to_review() -> None:
    pages = flow.pages_of(INSTRUMENTS["EQ5D5L"])
    assert flow.next_page(pages, 1, {}, to_review=False) == pages[1]
    assert flow.next_page(pages, 6, {"VAS": 50}, to_review=False) == pages[0]
    full = {"MO": 1, "SC": 1, "UA": 1, "PD": 1, "AD": 1, "VAS": 50}
    assert flow.next_page(pages, 6, full, to_review=False) is None
    assert flow.next_page(pages, 2, full, to_review=True) is None
    assert flow.first_unanswered(pages, {"MO": 1, "SC": 2}) == pages[2]


def test_the_page_language_is_the_choice_then_the_participants_then_chinese() -> None:
    assert flow.language_of("en", "zh-CN") == "en"
    assert flow.language_of(None, "en") == "en"
    assert flow.language_of("fr", None) == "zh-CN"


def test_review_labels_show_the_chosen_option_in_the_page_language() -> None:
    mo = INSTRUMENTS["EQ5D5L"].item("MO")
    bleed = INSTRUMENTS["SYMPTOMS"].item("SC_BLEED")
    assert flow.answer_label(mo, 5, "en") == "Cannot walk about"
    assert flow.answer_label(bleed, False, "zh-CN") == "没有"
    assert flow.answer_label(mo, None, "en") is None
    assert flow.options(bleed, "en") == (("yes", "Yes"), ("no", "No"))
