"""What the web form refuses: unknown and expired links, missing CSRF, bad values, big bodies,
a second submission; and what it never keeps: the token itself."""

from __future__ import annotations

import base64
import hashlib
import logging
from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from pro_service.extensions import db
from pro_service.responses import service as responses
from pro_service.responses.models import OccasionLink, Response
from tests.factories import valid_answers
from tests.integration.webform.conftest import Link, answer_all, csrf_of, post_page


def _responses(occasion_id: int) -> int:
    db.session.expire_all()
    return db.session.scalar(sa.select(sa.func.count()).select_from(Response)
                             .where(Response.occasion_id == occasion_id)) or 0


def _submit(client: FlaskClient, lnk: Link, answers: dict[str, object]) -> None:
    answer_all(client, lnk, answers)
    review = client.get(f"{lnk.form_url}/review")
    assert client.post(f"{lnk.form_url}/review",
                       data={"csrf_token": csrf_of(review.text)}).status_code == 303


def test_an_unknown_link_gives_a_bilingual_404_that_says_nothing_about_anyone(
        client: FlaskClient, link: Callable[..., Link]) -> None:
    lnk = link()
    for token in ("x" * 32, lnk.token[:-2] + "AA", "a" * 300):
        resp = client.get(f"/s/{token}")
        assert resp.status_code == 404 and resp.mimetype == "text/html"
        assert "找不到此页面" in resp.text and "This page was not found" in resp.text
        assert "302-" not in resp.text and "EQ-5D" not in resp.text


def test_an_expired_link_gives_a_bilingual_410(
        client: FlaskClient, link: Callable[..., Link], clock_at: Callable[..., None]) -> None:
    lnk = link()
    client.get(lnk.url)
    clock_at(lnk.closes_at + timedelta(minutes=1))
    for url in (lnk.url, f"{lnk.form_url}/1", f"{lnk.form_url}/review"):
        resp = client.get(url)
        assert resp.status_code == 410, url
        assert "此链接已过期" in resp.text and "This link has expired" in resp.text


def test_a_page_saved_after_the_window_closed_is_refused_with_410(
        client: FlaskClient, link: Callable[..., Link], clock_at: Callable[..., None]) -> None:
    lnk = link()
    client.get(lnk.url)
    token = csrf_of(client.get(f"{lnk.form_url}/1").text)
    clock_at(lnk.closes_at)
    resp = client.post(f"{lnk.form_url}/1", data={"csrf_token": token, "MO": "1"})
    assert resp.status_code == 410
    assert responses.get_draft_answers(lnk.occasion_id) == {}


def test_a_post_without_the_csrf_token_is_refused_and_nothing_saved(
        client: FlaskClient, link: Callable[..., Link]) -> None:
    lnk = link()
    client.get(lnk.url)
    for data in ({"MO": "1"}, {"MO": "1", "csrf_token": "forged"}):
        resp = client.post(f"{lnk.form_url}/1", data=data)
        assert resp.status_code == 400 and "请返回后重试" in resp.text
    assert client.post(f"{lnk.form_url}/review", data={}).status_code == 400
    assert responses.get_draft_answers(lnk.occasion_id) == {}


@pytest.mark.parametrize(("number", "fields", "message"), [
    (6, {"VAS": "101"}, "请输入 0 到 100 之间的整数。"),
    (6, {"VAS": "-1"}, "请输入 0 到 100 之间的整数。"),
    (6, {"VAS": "7.5"}, "请输入 0 到 100 之间的整数。"),
    (6, {"VAS": ""}, "请输入一个数字。"),
    (1, {"MO": "6"}, "请从列出的答案中选择一个。"),
    (1, {"MO": "one"}, "请从列出的答案中选择一个。"),
    (1, {}, "请选择一个答案。"),
])
def test_a_value_out_of_range_rerenders_the_page_with_an_error_and_stores_nothing(
        client: FlaskClient, link: Callable[..., Link], number: int, fields: dict[str, str],
        message: str) -> None:
    lnk = link()
    client.get(lnk.url)
    resp = post_page(client, f"{lnk.form_url}/{number}", {**fields, "action": "next"})
    assert resp.status_code == 422
    assert message in resp.text and 'role="alert"' in resp.text and "aria-describedby" in resp.text
    for value in fields.values():
        assert f'value="{value}"' in resp.text or value in ("6", "one")
    assert responses.get_draft_answers(lnk.occasion_id) == {}


def test_full_width_digits_typed_on_a_chinese_keyboard_are_accepted(
        client: FlaskClient, link: Callable[..., Link]) -> None:
    lnk = link()
    client.get(lnk.url)
    assert post_page(client, f"{lnk.form_url}/6", {"VAS": "８５"}).status_code == 303
    assert responses.get_draft_answers(lnk.occasion_id) == {"VAS": 85}


def test_an_oversized_body_is_refused_with_413(client: FlaskClient,
                                               link: Callable[..., Link]) -> None:
    lnk = link()
    client.get(lnk.url)
    resp = client.post(f"{lnk.form_url}/1", data={"MO": "1", "SC_OTHER": "x" * 100_000})
    assert resp.status_code == 413 and "提交的内容太大" in resp.text
    assert responses.get_draft_answers(lnk.occasion_id) == {}


def test_after_submission_the_link_says_already_sent_and_nothing_can_change(
        app: Flask, client: FlaskClient, link: Callable[..., Link]) -> None:
    lnk = link()
    answers = valid_answers(app.extensions["pro.instruments"]["EQ5D5L"])
    _submit(client, lnk, answers)
    token = _session_csrf(client)  # the pages after submission have no form to take it from
    start = client.get(client.get(lnk.url).headers["Location"])
    assert start.status_code == 200 and "这份问卷已经提交过了" in start.text and "<form" not in start.text
    assert client.get(f"{lnk.form_url}/2").status_code == 302
    assert client.get(f"{lnk.form_url}/review").status_code == 302
    again = client.post(f"{lnk.form_url}/review", data={"csrf_token": token})
    assert again.status_code == 409 and "这份问卷已经提交过了" in again.text
    change = client.post(f"{lnk.form_url}/1", data={"csrf_token": token, "MO": "5"})
    assert change.status_code == 409
    assert _responses(lnk.occasion_id) == 1
    stored = responses.current_response(lnk.occasion_id)
    assert stored is not None and stored.answers == answers


def _session_csrf(client: FlaskClient) -> str:
    """A valid CSRF token of this browser session (from any page that carries a form)."""
    return csrf_of(client.get("/dashboard/login").text)


def test_links_carry_at_least_128_random_bits_and_only_their_hash_is_stored(
        app: Flask, client: FlaskClient, link: Callable[..., Link]) -> None:
    lnk = link()
    raw = base64.urlsafe_b64decode(lnk.token + "=" * (-len(lnk.token) % 4))
    assert len(raw) * 8 >= 128
    stored = db.session.scalars(sa.select(OccasionLink.token_hash)
                                .where(OccasionLink.occasion_id == lnk.occasion_id)).all()
    assert hashlib.sha256(lnk.token.encode()).hexdigest() in stored
    _submit(client, lnk, valid_answers(app.extensions["pro.instruments"]["EQ5D5L"]))
    for table in db.Model.metadata.sorted_tables:
        for row in db.session.execute(sa.select(table)).all():
            assert lnk.token not in repr(tuple(row)), table.name


@pytest.fixture
def log_lines(app: Flask) -> Iterator[list[str]]:
    """Every log line the app writes, formatted as it would be written."""
    lines: list[str] = []
    formatter = logging.getLogger("pro_service").handlers[0].formatter

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(self.format(record))

    keep = Keep()
    keep.setFormatter(formatter)
    loggers = [logging.getLogger(name) for name in ("pro_service", "", "werkzeug", app.name)]
    for logger in loggers:
        logger.addHandler(keep)
    yield lines
    for logger in loggers:
        logger.removeHandler(keep)


def test_the_token_never_reaches_a_page_url_a_redirect_or_the_logs(
        app: Flask, client: FlaskClient, link: Callable[..., Link], log_lines: list[str],
        clock_at: Callable[..., None]) -> None:
    lnk = link()
    _submit(client, lnk, valid_answers(app.extensions["pro.instruments"]["EQ5D5L"]))
    client.get(lnk.url)
    client.get(f"/s/{lnk.token}x")
    clock_at(lnk.closes_at + timedelta(days=1))
    client.get(lnk.url)
    assert all(lnk.token not in line for line in log_lines)
    page = client.get(f"{lnk.form_url}/")
    assert lnk.token not in page.text and page.headers["Referrer-Policy"] == "no-referrer"
    assert page.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("app", [{"RATELIMIT_ENABLED": True}], indirect=True)
def test_failed_link_lookups_are_rate_limited_but_working_links_always_open(
        client: FlaskClient, link: Callable[..., Link]) -> None:
    lnk = link()
    for _ in range(12):
        assert client.get(lnk.url).status_code == 303
    for n in range(10):
        assert client.get(f"/s/guess{n:04d}guessguessguess").status_code == 404
    blocked = client.get("/s/guess-eleven-guessguessguess")
    assert blocked.status_code == 429 and "尝试次数过多" in blocked.text
    assert client.get(lnk.url).status_code == 303  # a working link always opens
