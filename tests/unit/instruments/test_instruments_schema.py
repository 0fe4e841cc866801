"""Instrument files: shipped ones load; each rule names the file, the item and why."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from pro_service.instruments.domain.definitions import ResponseType
from pro_service.instruments.scoring import CLDQ_DOMAINS
from pro_service.instruments.service import InstrumentError, load_all, load_instrument

QUESTIONNAIRES = Path(__file__).resolve().parents[3] / "questionnaires"
Change = Callable[[dict[str, Any]], object]


def _item(data: dict[str, Any], item_id: str) -> dict[str, Any]:
    return next(item for item in data["items"] if item["id"] == item_id)


def corrupt(tmp_path: Path, name: str, change: Change) -> InstrumentError:
    """Copy a shipped file, change it, load it and return the error naming the file."""
    data = json.loads((QUESTIONNAIRES / name).read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(InstrumentError) as caught:
        load_instrument(path)
    assert str(caught.value).startswith(f"{path}: ")
    assert caught.value.path == str(path)
    return caught.value


def test_the_three_shipped_instruments_load_keyed_by_code() -> None:
    instruments = load_all(QUESTIONNAIRES)
    assert {code: len(i.items) for code, i in instruments.items()} == {
        "CLDQ": 29,
        "EQ5D5L": 6,
        "SYMPTOMS": 8,
    }
    assert [item.id for item in instruments["EQ5D5L"].items] == [
        "MO",
        "SC",
        "UA",
        "PD",
        "AD",
        "VAS",
    ]
    assert instruments["CLDQ"].items[28].id == "CLDQ29"


def test_shipped_cldq_domain_map_is_the_reference_map() -> None:
    scoring = load_instrument(QUESTIONNAIRES / "cldq.json").scoring
    assert {d: tuple(items) for d, items in scoring["domains"].items()} == CLDQ_DOMAINS


def test_shipped_symptom_items_carry_their_safety_category_and_urgency() -> None:
    items = load_instrument(QUESTIONNAIRES / "symptoms.json").items
    safety = {
        i.id: (i.safety_category, i.safety_urgency)
        for i in items
        if i.type is ResponseType.YES_NO
    }
    assert safety == {
        "SC_BLEED": ("gi_bleeding", "emergency"),
        "SC_CONFUSION": ("encephalopathy", "emergency"),
        "SC_ASCITES": ("ascites", "urgent"),
        "SC_FEVER": ("infection", "urgent"),
        "SC_JAUNDICE": ("jaundice", "urgent"),
        "SC_URINE": ("renal", "urgent"),
        "SC_INFUSION": ("infusion_reaction", "emergency"),
    }
    assert items[-1].type is ResponseType.FREE_TEXT
    assert not items[-1].required


def test_shipped_chinese_sms_texts_fit_one_segment() -> None:
    for instrument in load_all(QUESTIONNAIRES).values():
        for item in instrument.items:
            assert len(item.sms["zh-CN"]) <= 70, item.id
            assert len(item.sms["en"]) <= 160, item.id


@pytest.mark.parametrize(
    "phrase",
    [
        "I have no problems in walking about",
        "I am unable to walk about",
        "A good bit of the time",
        "Hardly any of the time",
        "None of the time",
        "feeling of abdominal bloating",
    ],
)
def test_shipped_files_do_not_copy_licensed_wording(phrase: str) -> None:
    for path in QUESTIONNAIRES.glob("*.json"):
        assert phrase.lower() not in path.read_text(encoding="utf-8").lower(), path.name


@pytest.mark.parametrize(
    "field",
    [
        "code",
        "version",
        "title",
        "license",
        "recall_period",
        "languages",
        "items",
        "scoring",
    ],
)
def test_a_missing_top_level_field_is_named(tmp_path: Path, field: str) -> None:
    error = corrupt(tmp_path, "eq5d.json", lambda d: d.pop(field))
    assert f"{field}: Missing data for required field." in str(error)


@pytest.mark.parametrize("blank", ["", "   "])
def test_an_empty_license_note_is_refused(tmp_path: Path, blank: str) -> None:
    error = corrupt(tmp_path, "cldq.json", lambda d: d.update(license=blank))
    assert "license: must not be empty" in str(error)


def test_languages_must_include_chinese_and_english(tmp_path: Path) -> None:
    error = corrupt(tmp_path, "symptoms.json", lambda d: d.update(languages=["zh-CN"]))
    assert "languages must include en" in str(error)


def test_a_title_without_english_is_refused(tmp_path: Path) -> None:
    error = corrupt(tmp_path, "cldq.json", lambda d: d["title"].pop("en"))
    assert "title has no text for en" in str(error)


def test_an_item_text_without_chinese_names_the_item(tmp_path: Path) -> None:
    error = corrupt(
        tmp_path, "cldq.json", lambda d: _item(d, "CLDQ07")["text"].pop("zh-CN")
    )
    assert "item CLDQ07: text has no text for zh-CN" in str(error)
    assert error.item_ids == ["CLDQ07"]


def test_an_empty_sms_text_names_the_item(tmp_path: Path) -> None:
    error = corrupt(
        tmp_path, "symptoms.json", lambda d: _item(d, "SC_FEVER")["sms"].update(en=" ")
    )
    assert "item SC_FEVER: sms has no text for en" in str(error)


def test_a_choice_label_without_english_names_the_item_and_choice(
    tmp_path: Path,
) -> None:
    error = corrupt(
        tmp_path, "eq5d.json", lambda d: _item(d, "UA")["choices"][2]["label"].pop("en")
    )
    assert "item UA: choice 3 label has no text for en" in str(error)


def test_a_repeated_item_id_is_refused(tmp_path: Path) -> None:
    error = corrupt(tmp_path, "cldq.json", lambda d: d["items"][1].update(id="CLDQ01"))
    assert "item CLDQ01: item id is used 2 times" in str(error)


def test_repeated_choice_codes_are_refused(tmp_path: Path) -> None:
    error = corrupt(
        tmp_path, "eq5d.json", lambda d: _item(d, "SC")["choices"][4].update(code=4)
    )
    assert "item SC: choice codes repeat: [4]" in str(error)


def test_choice_codes_with_a_gap_are_refused(tmp_path: Path) -> None:
    error = corrupt(
        tmp_path, "eq5d.json", lambda d: _item(d, "MO")["choices"][4].update(code=6)
    )
    assert "item MO: choice codes must be contiguous, got [1, 2, 3, 4, 6]" in str(error)


@pytest.mark.parametrize(("low", "high"), [(100, 0), (50, 50)])
def test_an_integer_item_needs_minimum_below_maximum(
    tmp_path: Path, low: int, high: int
) -> None:
    error = corrupt(
        tmp_path,
        "eq5d.json",
        lambda d: _item(d, "VAS").update(minimum=low, maximum=high),
    )
    assert f"item VAS: integer item needs minimum < maximum (got {low}, {high})" in str(
        error
    )


def test_a_yes_no_item_without_safety_category_is_refused(tmp_path: Path) -> None:
    error = corrupt(
        tmp_path, "symptoms.json", lambda d: _item(d, "SC_BLEED").pop("safety")
    )
    assert "item SC_BLEED: yes_no item needs a safety category" in str(error)


def test_a_yes_no_item_with_an_unknown_category_is_refused(tmp_path: Path) -> None:
    error = corrupt(
        tmp_path,
        "symptoms.json",
        lambda d: _item(d, "SC_URINE")["safety"].update(category="kidney"),
    )
    assert (
        "item SC_URINE: yes_no item needs a safety category from DESIGN §6, "
        "got 'kidney'" in str(error)
    )


def test_a_yes_no_item_with_an_unknown_urgency_is_refused(tmp_path: Path) -> None:
    error = corrupt(
        tmp_path,
        "symptoms.json",
        lambda d: _item(d, "SC_JAUNDICE")["safety"].update(urgency="soon"),
    )
    assert (
        "item SC_JAUNDICE: yes_no item needs urgency emergency/urgent/routine"
        in str(error)
    )


def test_an_unknown_response_type_names_the_item(tmp_path: Path) -> None:
    error = corrupt(
        tmp_path, "eq5d.json", lambda d: _item(d, "VAS").update(type="slider")
    )
    assert "item VAS: type: Must be one of" in str(error)


def test_an_unknown_field_in_an_item_names_the_item(tmp_path: Path) -> None:
    error = corrupt(tmp_path, "cldq.json", lambda d: _item(d, "CLDQ03").update(txet={}))
    assert "item CLDQ03: txet: Unknown field." in str(error)


def test_an_unknown_choice_set_names_the_item(tmp_path: Path) -> None:
    error = corrupt(
        tmp_path, "cldq.json", lambda d: _item(d, "CLDQ11").update(choices="cldq5")
    )
    assert "item CLDQ11: choices: unknown choice set 'cldq5'" in str(error)


def test_an_eq5d_dimension_without_level_five_is_refused(tmp_path: Path) -> None:
    error = corrupt(tmp_path, "eq5d.json", lambda d: _item(d, "PD")["choices"].pop())
    assert (
        "item PD: EQ-5D dimension must be a choice coded 1-5, got [1, 2, 3, 4]"
        in str(error)
    )


def test_an_eq5d_file_missing_a_dimension_is_refused(tmp_path: Path) -> None:
    error = corrupt(tmp_path, "eq5d.json", lambda d: d["items"].remove(_item(d, "AD")))
    assert "item AD: EQ-5D dimension item is missing" in str(error)


def test_an_eq5d_scoring_block_must_list_the_five_dimensions(tmp_path: Path) -> None:
    error = corrupt(tmp_path, "eq5d.json", lambda d: d["scoring"]["dimensions"].pop())
    assert "scoring.dimensions must be exactly ['MO', 'SC', 'UA', 'PD', 'AD']" in str(
        error
    )


def test_an_eq5d_default_value_set_must_be_a_known_5l_set(tmp_path: Path) -> None:
    error = corrupt(
        tmp_path, "eq5d.json", lambda d: d["scoring"].update(default_value_set="3L-CN")
    )
    assert "scoring.default_value_set must be a 5L value set, got '3L-CN'" in str(error)


def test_a_cldq_item_in_two_domains_is_refused(tmp_path: Path) -> None:
    error = corrupt(
        tmp_path, "cldq.json", lambda d: d["scoring"]["domains"]["WO"].append("CLDQ01")
    )
    assert (
        "item CLDQ01: item must be in exactly one CLDQ domain, found in ['AS', 'WO']"
        in str(error)
    )


def test_a_cldq_item_in_no_domain_is_refused(tmp_path: Path) -> None:
    error = corrupt(
        tmp_path, "cldq.json", lambda d: d["scoring"]["domains"]["EM"].remove("CLDQ26")
    )
    assert "item CLDQ26: item must be in exactly one CLDQ domain, found in none" in str(
        error
    )


def test_a_cldq_domain_listing_a_missing_item_is_refused(tmp_path: Path) -> None:
    error = corrupt(
        tmp_path, "cldq.json", lambda d: d["scoring"]["domains"]["AS"].append("CLDQ30")
    )
    assert "item CLDQ30: CLDQ domain AS lists an item that does not exist" in str(error)


def test_a_cldq_item_must_use_the_seven_point_scale(tmp_path: Path) -> None:
    def six_points(data: dict[str, Any]) -> None:
        _item(data, "CLDQ09")["choices"] = data["choice_sets"]["cldq7"][:6]

    error = corrupt(tmp_path, "cldq.json", six_points)
    assert "item CLDQ09: CLDQ item must be a choice coded 1-7" in str(error)


def test_an_unknown_scorer_is_refused(tmp_path: Path) -> None:
    error = corrupt(
        tmp_path, "symptoms.json", lambda d: d["scoring"].update(scorer="sum")
    )
    assert "scoring.scorer must be one of eq5d, cldq, none, got 'sum'" in str(error)


def test_a_file_that_is_not_json_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{"code": "X",', encoding="utf-8")
    with pytest.raises(InstrumentError, match=rf"^{path}: not valid UTF-8 JSON"):
        load_instrument(path)


def test_two_files_with_the_same_code_are_refused(tmp_path: Path) -> None:
    for name in ("a.json", "b.json"):
        (tmp_path / name).write_bytes((QUESTIONNAIRES / "symptoms.json").read_bytes())
    with pytest.raises(
        InstrumentError, match=r"b\.json: instrument code SYMPTOMS is also used by"
    ):
        load_all(tmp_path)


def test_a_directory_without_instrument_files_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InstrumentError, match="no instrument files"):
        load_all(tmp_path)


def test_a_yes_no_item_may_leave_out_its_choice_labels(tmp_path: Path) -> None:
    data = json.loads((QUESTIONNAIRES / "symptoms.json").read_text(encoding="utf-8"))
    _item(data, "SC_FEVER").pop("choices")
    path = tmp_path / "symptoms.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert load_instrument(path).item("SC_FEVER").choices == ()


def test_yes_no_choice_labels_must_code_yes_1_and_no_0(tmp_path: Path) -> None:
    def yes_2(data: dict[str, Any]) -> None:
        data["choice_sets"]["yes_no"][1]["code"] = 2

    error = corrupt(tmp_path, "symptoms.json", yes_2)
    assert "item SC_BLEED: yes_no choices must be coded 1 = yes and 0 = no" in str(
        error
    )
