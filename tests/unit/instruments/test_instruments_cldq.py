"""CLDQ domain means, overall mean of domain means, half rule (reference/cldq §4)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pro_service.instruments.scoring import (
    CLDQ_DOMAINS,
    cldq_rows,
    cldq_scores,
    minimum_answered,
    score_rows,
)

ITEMS = [item for items in CLDQ_DOMAINS.values() for item in items]


def _all(value: int) -> dict[str, object]:
    return dict.fromkeys(ITEMS, value)


def test_domain_map_has_29_items_in_six_domains_with_the_published_sizes() -> None:
    sizes = {domain: len(items) for domain, items in CLDQ_DOMAINS.items()}
    assert sizes == {"AS": 3, "FA": 5, "SY": 5, "AC": 3, "EM": 8, "WO": 5}
    assert sorted(ITEMS) == [f"CLDQ{n:02d}" for n in range(1, 30)]
    assert CLDQ_DOMAINS["AS"] == ("CLDQ01", "CLDQ05", "CLDQ17")


def test_overall_is_the_mean_of_domain_means_not_of_items() -> None:
    answers = _all(6)
    answers.update(dict.fromkeys(CLDQ_DOMAINS["EM"], 2))
    scores = cldq_scores(answers)
    assert scores.domains["EM"] == 2.0
    assert scores.domains["AS"] == 6.0
    assert scores.overall == pytest.approx(
        32 / 6
    )  # the README's example: 5.333, not 4.897
    assert scores.overall_algorithm == "cldq.overall.domain_mean.v1"
    assert scores.domain_algorithm == "cldq.younossi1999"


@settings(max_examples=200, database=None, deadline=None)
@given(
    answers=st.fixed_dictionaries(
        {}, optional={item: st.one_of(st.none(), st.integers(1, 7)) for item in ITEMS}
    )
)
def test_domain_means_and_overall_always_lie_between_one_and_seven(
    answers: dict[str, object],
) -> None:
    scores = cldq_scores(answers)
    for domain, mean in scores.domains.items():
        assert mean is None or 1.0 <= mean <= 7.0, domain
        assert scores.answered[domain] == sum(
            answers.get(i) is not None for i in CLDQ_DOMAINS[domain]
        )
    assert scores.overall is None or 1.0 <= scores.overall <= 7.0
    assert (scores.overall is None) == any(
        mean is None for mean in scores.domains.values()
    )


@pytest.mark.parametrize("domain", list(CLDQ_DOMAINS))
def test_domain_is_scored_when_exactly_half_its_items_are_answered(domain: str) -> None:
    items = CLDQ_DOMAINS[domain]
    needed = minimum_answered(len(items))
    answers = _all(7)
    answers.update(dict.fromkeys(items[needed:]))
    answers.update(dict.fromkeys(items[:needed], 3))
    scores = cldq_scores(answers)
    assert scores.answered[domain] == needed
    assert scores.domains[domain] == 3.0
    assert scores.overall is not None


@pytest.mark.parametrize("domain", list(CLDQ_DOMAINS))
def test_domain_is_missing_with_one_answer_fewer_than_half(domain: str) -> None:
    items = CLDQ_DOMAINS[domain]
    needed = minimum_answered(len(items))
    answers = {
        item: 4 for item in ITEMS if item not in items[: len(items) - needed + 1]
    }
    scores = cldq_scores(answers)
    assert scores.answered[domain] == needed - 1
    assert scores.domains[domain] is None


def test_half_means_two_of_three_three_of_five_and_four_of_eight() -> None:
    assert [minimum_answered(n) for n in (3, 5, 8)] == [2, 3, 4]


def test_overall_is_missing_when_one_domain_is_missing() -> None:
    answers = _all(5)
    answers.update(dict.fromkeys(CLDQ_DOMAINS["WO"][:3]))
    scores = cldq_scores(answers)
    assert scores.domains["WO"] is None
    assert scores.overall is None
    assert scores.reason == "too few items answered in domain(s): WO"
    assert [row.scale_code for row in cldq_rows(scores)] == [
        "CLDQ_AS",
        "CLDQ_FA",
        "CLDQ_SY",
        "CLDQ_AC",
        "CLDQ_EM",
    ]


def test_an_absent_item_counts_like_an_unanswered_one() -> None:
    answers = _all(5)
    del answers["CLDQ01"]
    scores = cldq_scores(answers)
    assert scores.answered["AS"] == 2
    assert scores.domains["AS"] == 5.0


@pytest.mark.parametrize("value", [0, 8, -1, "5", 5.0, True])
def test_an_answer_outside_one_to_seven_or_not_an_integer_is_refused(
    value: object,
) -> None:
    with pytest.raises(ValueError, match="CLDQ12"):
        cldq_scores({**_all(4), "CLDQ12": value})


def test_an_unknown_item_id_is_refused() -> None:
    with pytest.raises(ValueError, match="CLDQ30"):
        cldq_scores({**_all(4), "CLDQ30": 4})


def test_scores_become_six_domain_rows_and_an_overall_row() -> None:
    rows = score_rows(cldq_scores(_all(4)))
    assert [r.scale_code for r in rows] == [
        "CLDQ_AS",
        "CLDQ_FA",
        "CLDQ_SY",
        "CLDQ_AC",
        "CLDQ_EM",
        "CLDQ_WO",
        "CLDQ_OVERALL",
    ]
    assert {r.algorithm_id for r in rows[:6]} == {"cldq.younossi1999"}
    assert rows[-1].algorithm_id == "cldq.overall.domain_mean.v1"


def test_answered_counts_can_be_added_to_the_rows() -> None:
    answers = _all(4)
    answers["CLDQ10"] = None
    rows = cldq_rows(cldq_scores(answers), with_counts=True)
    counts = {r.scale_code: r.value for r in rows if r.scale_code.endswith("_N")}
    assert counts["CLDQ_EM_N"] == 7.0
    assert counts["CLDQ_AS_N"] == 3.0
