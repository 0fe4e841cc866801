"""The CLDQ item map is the published one, in the scorer and in the shipped file alike.

Published map: BMC Research Notes 2012;5:446, Table 2 (explicit item numbers), as copied in
shared/reference/cldq/README.md §3. It is written out here so a slip that changes the scorer
and `questionnaires/cldq.json` together (say, two items swapped between FA and SY) still fails.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pro_service.instruments.scoring import CLDQ_DOMAINS, score_answers
from pro_service.instruments.service import load_instrument

QUESTIONNAIRES = Path(__file__).resolve().parents[3] / "questionnaires"
PUBLISHED = {  # domain -> item numbers in questionnaire order (BMC Res Notes 2012;5:446 Table 2)
    "AS": (1, 5, 17),
    "FA": (2, 4, 8, 11, 13),
    "SY": (3, 6, 21, 23, 27),
    "AC": (7, 9, 14),
    "EM": (10, 12, 15, 16, 19, 20, 24, 26),
    "WO": (18, 22, 25, 28, 29),
}
DOMAIN_OF = {n: d for d, numbers in PUBLISHED.items() for n in numbers}


def _ids(numbers: tuple[int, ...]) -> tuple[str, ...]:
    return tuple(f"CLDQ{n:02d}" for n in numbers)


@pytest.mark.parametrize("domain", list(PUBLISHED))
def test_scorer_domain_holds_exactly_the_published_items(domain: str) -> None:
    assert CLDQ_DOMAINS[domain] == _ids(PUBLISHED[domain])


@pytest.mark.parametrize("domain", list(PUBLISHED))
def test_shipped_file_domain_holds_exactly_the_published_items(domain: str) -> None:
    domains = load_instrument(QUESTIONNAIRES / "cldq.json").scoring["domains"]
    assert tuple(domains[domain]) == _ids(PUBLISHED[domain])


def test_each_domain_scores_only_its_own_published_items() -> None:
    # Every item answered with its domain's own value: AS 1, FA 2, SY 3, AC 4, EM 5, WO 6.
    value = {"AS": 1, "FA": 2, "SY": 3, "AC": 4, "EM": 5, "WO": 6}
    answers = {f"CLDQ{n:02d}": value[DOMAIN_OF[n]] for n in range(1, 30)}
    cldq = load_instrument(QUESTIONNAIRES / "cldq.json")
    rows = {row.scale_code: row.value for row in score_answers(cldq, answers)}
    assert rows == {"CLDQ_AS": 1.0, "CLDQ_FA": 2.0, "CLDQ_SY": 3.0, "CLDQ_AC": 4.0,
                    "CLDQ_EM": 5.0, "CLDQ_WO": 6.0, "CLDQ_OVERALL": 3.5}  # (1+…+6)/6


def test_varied_answers_give_the_hand_computed_domain_means() -> None:
    # Item n answered (5n mod 7) + 1, the web-form test's answers. By hand:
    #   AS 1,5,17 -> 6,5,2 = 13/3        FA 2,4,8,11,13 -> 4,7,6,7,3 = 27/5
    #   SY 3,6,21,23,27 -> 2,3,1,4,3 = 13/5   AC 7,9,14 -> 1,4,1 = 6/3
    #   EM 10,12,15,16,19,20,24,26 -> 2,5,6,4,5,3,2,5 = 32/8
    #   WO 18,22,25,28,29 -> 7,6,7,1,6 = 27/5
    #   overall (13/3 + 27/5 + 13/5 + 2 + 4 + 27/5) / 6 = 3.9556
    answers = {f"CLDQ{n:02d}": (n * 5) % 7 + 1 for n in range(1, 30)}
    cldq = load_instrument(QUESTIONNAIRES / "cldq.json")
    rows = {row.scale_code: row.value for row in score_answers(cldq, answers)}
    expected = {"CLDQ_AS": 13 / 3, "CLDQ_FA": 5.4, "CLDQ_SY": 2.6, "CLDQ_AC": 2.0,
                "CLDQ_EM": 4.0, "CLDQ_WO": 5.4, "CLDQ_OVERALL": (13 / 3 + 19.4) / 6}
    assert rows == pytest.approx(expected)
