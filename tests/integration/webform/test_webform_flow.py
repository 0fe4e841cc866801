"""Walking the web form: pages, saving, resuming, review, submission, languages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from pro_service.extensions import db
from pro_service.responses import service as responses
from pro_service.responses.models import Response
from pro_service.schedule.models import Occasion
from tests.factories import valid_answers
from tests.integration.webform.conftest import Link, answer_all, csrf_of, post_page


def _instrument(app: Flask, code: str) -> Any:
    return app.extensions["pro.instruments"][code]


def test_the_link_redirects_to_an_introduction_in_the_participants_language(
        client: FlaskClient, link: Callable[..., Link]) -> None:
    zh, en = link(), link(language="en")
    resp = client.get(zh.url)
    assert resp.status_code == 303
    assert resp.headers["Location"] == f"{zh.form_url}/"
    assert zh.token not in resp.headers["Location"]
    page = client.get(resp.headers["Location"])
    assert '<html lang="zh-CN">' in page.text and "开始" in page.text and "共 6 页" in page.text
    page = client.get(client.get(en.url).headers["Location"])
    assert '<html lang="en">' in page.text and "Start" in page.text
    assert "There are 6 pages" in page.text


def test_every_eq5d_page_asks_one_dimension_then_the_vas(
        app: Flask, client: FlaskClient, link: Callable[..., Link]) -> None:
    lnk = link()
    client.get(lnk.url)
    eq5d = _instrument(app, "EQ5D5L")
    for number, item in enumerate(eq5d.items, start=1):
        page = client.get(f"{lnk.form_url}/{number}")
        assert page.status_code == 200
        assert item.text["zh-CN"] in page.text
        assert f"第 {number} 页，共 6 页" in page.text
        assert page.text.count("<fieldset") == 1 and "<legend>" in page.text
        if item.choices:
            assert page.text.count('type="radio"') == 5
    vas = client.get(f"{lnk.form_url}/6").text
    assert 'type="number"' in vas and 'min="0"' in vas and 'max="100"' in vas
    assert vas.index("<li>100</li>") < vas.index("<li>0</li>")  # best at the top
    assert "webform.js" in vas


def test_each_page_saves_a_draft_and_marks_the_occasion_in_progress(
        client: FlaskClient, link: Callable[..., Link]) -> None:
    lnk = link()
    client.get(lnk.url)
    resp = post_page(client, f"{lnk.form_url}/1", {"MO": "3", "action": "next"})
    assert resp.status_code == 303 and resp.headers["Location"] == f"{lnk.form_url}/2"
    db.session.expire_all()
    assert responses.get_draft_answers(lnk.occasion_id) == {"MO": 3}
    assert db.session.get(Occasion, lnk.occasion_id).status == "in_progress"
    assert 'value="3" checked' in client.get(f"{lnk.form_url}/1").text


def test_back_saves_what_is_valid_and_goes_to_the_previous_page(
        client: FlaskClient, link: Callable[..., Link]) -> None:
    lnk = link()
    client.get(lnk.url)
    post_page(client, f"{lnk.form_url}/1", {"MO": "2", "action": "next"})
    resp = post_page(client, f"{lnk.form_url}/2", {"SC": "4", "action": "back"})
    assert resp.status_code == 303 and resp.headers["Location"] == f"{lnk.form_url}/1"
    resp = post_page(client, f"{lnk.form_url}/3", {"action": "back"})  # nothing chosen: no error
    assert resp.status_code == 303
    db.session.expire_all()
    assert responses.get_draft_answers(lnk.occasion_id) == {"MO": 2, "SC": 4}


def test_opening_the_link_again_in_another_browser_resumes_at_the_first_unanswered_page(
        app: Flask, client: FlaskClient, link: Callable[..., Link]) -> None:
    lnk = link()
    client.get(lnk.url)
    for number, (key, value) in enumerate((("MO", "1"), ("SC", "2"), ("UA", "3")), start=1):
        post_page(client, f"{lnk.form_url}/{number}", {key: value, "action": "next"})
    other = app.test_client()
    assert other.get(f"{lnk.form_url}/4").status_code == 403  # no link in this browser yet
    start = other.get(lnk.url).headers["Location"]
    resp = other.get(start)
    assert resp.status_code == 302 and resp.headers["Location"] == f"{lnk.form_url}/4"
    assert 'value="3" checked' in other.get(f"{lnk.form_url}/3").text


def test_review_lists_every_answer_and_offers_submission_only_when_complete(
        app: Flask, client: FlaskClient, link: Callable[..., Link]) -> None:
    lnk = link()
    client.get(lnk.url)
    post_page(client, f"{lnk.form_url}/1", {"MO": "4", "action": "next"})
    review = client.get(f"{lnk.form_url}/review").text
    assert "走动有严重困难" in review and "未回答" in review and "提交我的回答" not in review
    token = csrf_of(client.get(f"{lnk.form_url}/1").text)
    resp = client.post(f"{lnk.form_url}/review", data={"csrf_token": token})
    assert resp.status_code == 303 and resp.headers["Location"] == f"{lnk.form_url}/2"
    answer_all(client, lnk, valid_answers(_instrument(app, "EQ5D5L"), 2) | {"MO": 4})
    review = client.get(f"{lnk.form_url}/review").text
    assert "提交我的回答" in review and "未回答" not in review
    assert f'href="{lnk.form_url}/3?r=1"' in review


def test_changing_an_answer_from_review_returns_to_review(
        app: Flask, client: FlaskClient, link: Callable[..., Link]) -> None:
    lnk = link()
    answer_all(client, lnk, valid_answers(_instrument(app, "EQ5D5L")))
    page = client.get(f"{lnk.form_url}/2?r=1").text
    assert 'name="return" value="review"' in page
    resp = client.post(f"{lnk.form_url}/2", data={"csrf_token": csrf_of(page), "SC": "5",
                                                    "return": "review", "action": "next"})
    assert resp.headers["Location"] == f"{lnk.form_url}/review"


def test_submission_stores_a_web_response_with_scores_and_thanks_without_anything_clinical(
        app: Flask, client: FlaskClient, link: Callable[..., Link]) -> None:
    lnk = link()
    answer_all(client, lnk, valid_answers(_instrument(app, "EQ5D5L"), 3))
    review = client.get(f"{lnk.form_url}/review")
    resp = client.post(f"{lnk.form_url}/review", data={"csrf_token": csrf_of(review.text)})
    assert resp.status_code == 303 and resp.headers["Location"] == f"{lnk.form_url}/done"
    page = client.get(resp.headers["Location"]).text
    thanks = page[page.index("<main"):page.index("</main>")]
    db.session.expire_all()
    stored = responses.current_response(lnk.occasion_id)
    assert stored is not None and stored.channel == "web" and stored.status == "complete"
    assert stored.answers == valid_answers(_instrument(app, "EQ5D5L"), 3)
    assert stored.actor.startswith("participant:")
    assert stored.scores and all(s.value is not None for s in stored.scores)
    assert db.session.get(Occasion, lnk.occasion_id).status == "completed"
    assert responses.get_draft_answers(lnk.occasion_id) == {}
    assert "谢谢您" in thanks
    for score in stored.scores:
        assert f"{score.value}" not in thanks and score.scale not in thanks
    for word in ("33333", "70", "分数", "score", "index"):
        assert word not in thanks.lower()


def test_cldq_asks_one_item_per_page_and_submits_through_the_same_pipeline(
        app: Flask, client: FlaskClient, link: Callable[..., Link]) -> None:
    lnk = link("CLDQ")
    cldq = _instrument(app, "CLDQ")
    client.get(lnk.url)
    assert "共 29 页" in client.get(f"{lnk.form_url}/").text
    assert client.get(f"{lnk.form_url}/17").text.count('type="radio"') == 7
    answer_all(client, lnk, valid_answers(cldq, 5))
    review = client.get(f"{lnk.form_url}/review")
    client.post(f"{lnk.form_url}/review", data={"csrf_token": csrf_of(review.text)})
    db.session.expire_all()
    stored = responses.current_response(lnk.occasion_id)
    assert stored is not None and stored.channel == "web"
    assert stored.answers == valid_answers(cldq, 5)
    overall = {s.scale: s.value for s in stored.scores}["CLDQ_OVERALL"]
    assert overall == 5.0


def test_the_symptom_check_is_one_page_of_yes_no_questions_with_optional_text(
        app: Flask, client: FlaskClient, symptom_link: Callable[..., Link]) -> None:
    lnk = symptom_link(language="en")
    client.get(lnk.url)
    page = client.get(f"{lnk.form_url}/1").text
    assert "Page 1 of 1" in page and page.count("<fieldset") == 7 and "<textarea" in page
    assert page.count('value="yes"') == 7 and ">Yes<" in page and ">No<" in page
    answers = {item.id: "no" for item in _instrument(app, "SYMPTOMS").items if item.required}
    resp = post_page(client, f"{lnk.form_url}/1", {**answers, "SC_OTHER": "A little tired",
                                                   "action": "next"})
    assert resp.headers["Location"] == f"{lnk.form_url}/review"
    review = client.get(resp.headers["Location"]).text
    assert "A little tired" in review
    client.post(f"{lnk.form_url}/review", data={"csrf_token": csrf_of(review)})
    db.session.expire_all()
    stored = responses.current_response(lnk.occasion_id)
    assert stored is not None and stored.answers["SC_BLEED"] is False
    assert stored.answers["SC_OTHER"] == "A little tired"


def test_an_emptied_optional_text_is_not_submitted(
        app: Flask, client: FlaskClient, symptom_link: Callable[..., Link]) -> None:
    lnk = symptom_link()
    client.get(lnk.url)
    answers = {item.id: "no" for item in _instrument(app, "SYMPTOMS").items if item.required}
    post_page(client, f"{lnk.form_url}/1", {**answers, "SC_OTHER": "头晕", "action": "next"})
    post_page(client, f"{lnk.form_url}/1", {**answers, "SC_OTHER": " ", "action": "next"})
    review = client.get(f"{lnk.form_url}/review").text
    client.post(f"{lnk.form_url}/review", data={"csrf_token": csrf_of(review)})
    db.session.expire_all()
    stored = db.session.scalar(sa.select(Response).where(Response.occasion_id == lnk.occasion_id))
    assert stored is not None and "SC_OTHER" not in stored.answers


def test_the_language_switch_is_remembered_for_the_following_pages(
        client: FlaskClient, link: Callable[..., Link]) -> None:
    lnk = link()
    client.get(lnk.url)
    english = client.get(f"{lnk.form_url}/1?lang=en").text
    assert '<html lang="en">' in english and "Which best describes your walking" in english
    assert 'href="/s/f/' in english and 'aria-current="true">English' in english
    assert "Page 2 of 6" in client.get(f"{lnk.form_url}/2").text
    assert "第 2 页" in client.get(f"{lnk.form_url}/2?lang=zh-CN").text

