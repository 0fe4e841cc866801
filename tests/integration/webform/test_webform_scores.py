"""One pipeline, two channels: the same answers store the hand-computed scores on web and SMS.

Expected values are worked out by hand here (5L-CN coefficients: shared/reference/eq5d,
Luo 2017; CLDQ item map: BMC Res Notes 2012;5:446 Table 2), never by the scorer under test.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from pro_service.extensions import db
from pro_service.responses import service as responses
from tests.factories import valid_answers
from tests.integration.webform.conftest import NOW, Link, answer_all, csrf_of

MIXED = {
    "EQ5D5L": {"MO": 2, "SC": 1, "UA": 3, "PD": 4, "AD": 2, "VAS": 63},
    "CLDQ": {f"CLDQ{n:02d}": (n * 5) % 7 + 1 for n in range(1, 30)},
}
# MIXED EQ-5D 21342 (5L-CN): 1 - (0.066 MO2 + 0.107 UA3 + 0.252 PD4 + 0.049 AD2) = 0.526;
# LSS 2+1+3+4+2 = 12. MIXED CLDQ, item n = (5n mod 7) + 1, by domain:
# AS 6,5,2 = 13/3; FA 4,7,6,7,3 = 27/5; SY 2,3,1,4,3 = 13/5; AC 1,4,1 = 2;
# EM 2,5,6,4,5,3,2,5 = 4; WO 7,6,7,1,6 = 27/5; overall = the mean of the six.
# "level 1" / "level 5": EQ-5D 11111 = 1 and 55555 = 1 - 1.391 = -0.391 (LSS 5 / 25, VAS 70);
# CLDQ every item 1 (or 5): every domain and the overall 1.0 (or 5.0).
EQ_ALG, CLDQ_ALG, CLDQ_ALL = "eq5d5l.cn.luo2017", "cldq.younossi1999", "cldq.overall.domain_mean.v1"


def _eq(index: float, lss: float, vas: float) -> dict[str, tuple[float, str]]:
    return {"EQ5D_INDEX": (index, EQ_ALG), "EQ5D_LSS": (lss, "eq5d5l.lss.v1"),
            "EQ5D_VAS": (vas, "eq5d.vas.v1")}


def _cldq(domains: dict[str, float]) -> dict[str, tuple[float, str]]:
    rows = {f"CLDQ_{d}": (v, CLDQ_ALG) for d, v in domains.items()}
    return {**rows, "CLDQ_OVERALL": (sum(domains.values()) / 6, CLDQ_ALL)}


EXPECTED = {
    ("EQ5D5L", "mixed"): _eq(0.526, 12, 63),
    ("EQ5D5L", "level 1"): _eq(1.0, 5, 70),
    ("EQ5D5L", "level 5"): _eq(-0.391, 25, 70),
    ("CLDQ", "mixed"): _cldq({"AS": 13 / 3, "FA": 5.4, "SY": 2.6, "AC": 2.0, "EM": 4.0,
                              "WO": 5.4}),
    ("CLDQ", "level 1"): _cldq(dict.fromkeys(("AS", "FA", "SY", "AC", "EM", "WO"), 1.0)),
    ("CLDQ", "level 5"): _cldq(dict.fromkeys(("AS", "FA", "SY", "AC", "EM", "WO"), 5.0)),
}


def _scores(occasion_id: int) -> list[tuple[str, float | None, str]]:
    db.session.expire_all()
    stored = responses.current_response(occasion_id)
    assert stored is not None
    return [(s.scale, s.value, s.algorithm_id) for s in stored.scores]


@pytest.mark.parametrize("code", ["EQ5D5L", "CLDQ"])
@pytest.mark.parametrize("which", ["mixed", "level 1", "level 5"])
def test_web_and_sms_store_the_hand_computed_scores_for_identical_answers(
        app: Flask, client: FlaskClient, link: Callable[..., Link], code: str,
        which: str) -> None:
    instrument = app.extensions["pro.instruments"][code]
    answers: dict[str, Any] = (MIXED[code] if which == "mixed"
                               else valid_answers(instrument, int(which[-1])))
    web, sms = link(code), link(code)
    answer_all(client, web, answers)
    review = client.get(f"{web.form_url}/review")
    client.post(f"{web.form_url}/review", data={"csrf_token": csrf_of(review.text)})
    responses.submit_response(sms.occasion_id, answers, instrument=instrument, channel="sms",
                              now=NOW, actor="participant:sms")
    web_scores, sms_scores = _scores(web.occasion_id), _scores(sms.occasion_id)
    assert web_scores == sms_scores
    stored = {scale: (value, algorithm) for scale, value, algorithm in web_scores}
    expected = EXPECTED[(code, which)]
    assert set(stored) == set(expected)
    for scale, (value, algorithm) in expected.items():
        assert stored[scale] == (pytest.approx(value, abs=1e-9), algorithm), scale
    assert responses.current_response(web.occasion_id).channel == "web"  # type: ignore[union-attr]
    assert responses.current_response(sms.occasion_id).channel == "sms"  # type: ignore[union-attr]
