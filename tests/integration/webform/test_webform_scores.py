"""One pipeline, two channels: the same answers give the same stored scores on web and SMS."""

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


def _scores(occasion_id: int) -> list[tuple[str, float | None, str]]:
    db.session.expire_all()
    stored = responses.current_response(occasion_id)
    assert stored is not None
    return [(s.scale, s.value, s.algorithm_id) for s in stored.scores]


@pytest.mark.parametrize("code", ["EQ5D5L", "CLDQ"])
@pytest.mark.parametrize("which", ["mixed", "level 1", "level 5"])
def test_web_and_sms_store_identical_scores_for_identical_answers(
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
    assert web_scores and web_scores == sms_scores
    assert responses.current_response(web.occasion_id).channel == "web"  # type: ignore[union-attr]
    assert responses.current_response(sms.occasion_id).channel == "sms"  # type: ignore[union-attr]
