"""EQ-5D index properties for every value set, and the summary of a 5L response."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pro_service.instruments.scoring import (
    Eq5dSummary,
    eq5d_index,
    eq5d_summary,
    get_value_set,
    score_rows,
    value_set_codes,
)

CODES = value_set_codes()
PROPERTY_SETTINGS = settings(max_examples=150, database=None, deadline=None)


def _levels(code: str) -> st.SearchStrategy[list[int]]:
    top = get_value_set(code).levels
    return st.lists(st.integers(1, top), min_size=5, max_size=5)


def _profile(levels: list[int]) -> str:
    return "".join(map(str, levels))


def _worst(code: str) -> str:
    return str(get_value_set(code).levels) * 5


@pytest.mark.parametrize("code", CODES)
@PROPERTY_SETTINGS
@given(data=st.data(), dimension=st.integers(0, 4))
def test_index_never_rises_when_one_dimension_worsens(
    code: str, data: st.DataObject, dimension: int
) -> None:
    levels = data.draw(_levels(code))
    if levels[dimension] == get_value_set(code).levels:
        return
    worse = list(levels)
    worse[dimension] += 1
    assert eq5d_index(_profile(worse), code) <= eq5d_index(_profile(levels), code)


@pytest.mark.parametrize("code", CODES)
@PROPERTY_SETTINGS
@given(data=st.data())
def test_every_index_lies_between_the_worst_state_and_one(
    code: str, data: st.DataObject
) -> None:
    levels = data.draw(_levels(code))
    assert eq5d_index(_worst(code), code) <= eq5d_index(_profile(levels), code) <= 1.0


@pytest.mark.parametrize("code", CODES)
def test_full_health_scores_exactly_one_in_every_value_set(code: str) -> None:
    assert eq5d_index("11111", code) == 1.0


@pytest.mark.parametrize("code", CODES)
def test_every_other_state_scores_below_one(code: str) -> None:
    assert eq5d_index("11112", code) < 1.0
    assert eq5d_index(_worst(code), code) < eq5d_index("11112", code)


@pytest.mark.parametrize(
    ("profile", "value_set", "words"),
    [
        ("1111", "5L-CN", "must have 5 digits"),
        ("111111", "5L-CN", "must have 5 digits"),
        ("1a111", "5L-CN", "only the digits 1-5"),
        ("1 111", "5L-CN", "only the digits 1-5"),
        ("\uff11" * 5, "5L-CN", "only the digits 1-5"),
        ("61111", "5L-CN", "outside 1-5 (5L) for MO"),
        ("11110", "5L-US", "outside 1-5 (5L) for AD"),
        ("11411", "3L-CN", "outside 1-3 (3L) for UA"),
    ],
)
def test_a_bad_profile_is_refused_saying_what_is_wrong(
    profile: str, value_set: str, words: str
) -> None:
    with pytest.raises(ValueError, match="profile") as caught:
        eq5d_index(profile, value_set)
    assert words in str(caught.value)


def test_an_unknown_value_set_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match=r"unknown EQ-5D value set '5L-XX'"):
        eq5d_index("11111", "5L-XX")


def test_china_2017_is_the_default_value_set() -> None:
    assert eq5d_index("21354") == eq5d_index("21354", "5L-CN")
    assert eq5d_summary({"MO": 1}).index_algorithm == "eq5d5l.cn.luo2017"


ANSWERS = {"MO": 2, "SC": 1, "UA": 3, "PD": 5, "AD": 4, "VAS": 65}


def test_summary_gives_profile_level_sum_vas_and_index_with_algorithm_ids() -> None:
    summary = eq5d_summary(ANSWERS)
    assert (summary.profile, summary.level_sum, summary.vas) == ("21354", 15, 65)
    assert summary.index == eq5d_index("21354", "5L-CN")
    assert summary.index_algorithm == "eq5d5l.cn.luo2017"
    assert summary.reason is None
    assert summary.vas_reason is None


def test_summary_under_another_value_set_carries_that_sets_algorithm_id() -> None:
    summary = eq5d_summary(ANSWERS, value_set="5L-US")
    assert summary.index == eq5d_index("21354", "5L-US")
    assert summary.index_algorithm == "eq5d5l.us.pickard2019"


def test_a_missing_dimension_empties_profile_level_sum_and_index_but_keeps_vas() -> (
    None
):
    summary = eq5d_summary({**ANSWERS, "SC": None, "AD": None})
    assert (summary.profile, summary.level_sum, summary.index) == (None, None, None)
    assert summary.vas == 65
    assert summary.reason == "missing dimension(s): SC, AD"


def test_a_missing_vas_empties_only_the_vas() -> None:
    answers = {key: value for key, value in ANSWERS.items() if key != "VAS"}
    summary = eq5d_summary(answers)
    assert summary.vas is None
    assert summary.vas_reason == "EQ VAS not answered"
    assert summary.profile == "21354"
    assert summary.index == eq5d_index("21354")
    assert summary.reason is None


@pytest.mark.parametrize(
    ("answers", "words"),
    [
        ({**ANSWERS, "MO": 6}, "MO=6 is not a level 1-5"),
        ({**ANSWERS, "MO": "2"}, "MO='2' is not a level 1-5"),
        ({**ANSWERS, "MO": True}, "MO=True is not a level 1-5"),
        ({**ANSWERS, "VAS": 101}, "101 is not an integer 0-100"),
        ({**ANSWERS, "VAS": 50.5}, "50.5 is not an integer 0-100"),
        ({**ANSWERS, "XX": 1}, "unknown item ids: XX"),
    ],
)
def test_summary_refuses_an_impossible_answer(
    answers: dict[str, object], words: str
) -> None:
    with pytest.raises(ValueError, match="EQ") as caught:
        eq5d_summary(answers)
    assert words in str(caught.value)


def test_summary_refuses_a_3l_value_set_for_5l_answers() -> None:
    with pytest.raises(ValueError, match="3L"):
        eq5d_summary(ANSWERS, value_set="3L-CN")


def test_summary_becomes_index_lss_and_vas_rows_with_algorithm_ids() -> None:
    rows = score_rows(eq5d_summary(ANSWERS))
    assert [(r.scale_code, r.algorithm_id) for r in rows] == [
        ("EQ5D_INDEX", "eq5d5l.cn.luo2017"),
        ("EQ5D_LSS", "eq5d5l.lss.v1"),
        ("EQ5D_VAS", "eq5d.vas.v1"),
    ]
    assert [r.value for r in rows][1:] == [15.0, 65.0]


def test_rows_leave_out_the_scores_a_summary_could_not_compute() -> None:
    summary = eq5d_summary({"MO": 1, "VAS": 80})
    assert isinstance(summary, Eq5dSummary)
    assert [r.scale_code for r in score_rows(summary)] == ["EQ5D_VAS"]
