"""A participant's phone: Chromium at 390×844 in Chinese completing, leaving, resuming, refused."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from pro_service.responses import service as responses
from tests.e2e.webform.conftest import settle, shot
from tests.integration.webform.conftest import Link

pytestmark = pytest.mark.browser


def _choose_and_next(page: Page, option: str) -> None:
    page.get_by_role("radio", name=option, exact=True).check()
    page.get_by_role("button", name="下一页").click()


def _submit(page: Page) -> None:
    expect(page.get_by_role("heading", name="请核对您的回答")).to_be_visible()
    page.get_by_role("button", name="提交我的回答").click()
    expect(page.get_by_role("heading", name="谢谢您！")).to_be_visible()


def test_a_participant_completes_eq5d_and_cldq_in_chinese_on_a_phone(
        app: Flask, live_server: str, link: Callable[..., Link],
        phone: Callable[..., Page]) -> None:
    eq5d, cldq = link("EQ5D5L"), link("CLDQ")
    instruments = app.extensions["pro.instruments"]
    page = phone()
    page.goto(live_server + eq5d.url)
    expect(page.get_by_role("heading", name="EQ-5D-5L 健康状况问卷")).to_be_visible()
    shot(page, "01-introduction")
    page.get_by_role("link", name="开始").click()
    for number, item in enumerate(instruments["EQ5D5L"].items[:5], start=1):
        expect(page.get_by_text(f"第 {number} 页，共 6 页")).to_be_visible()
        expect(page.get_by_role("group", name=item.text["zh-CN"])).to_be_visible()
        if number == 1:
            shot(page, "02-eq5d-dimension")
        _choose_and_next(page, item.choices[1].label["zh-CN"])
    slider = page.get_by_role("slider")
    expect(slider).to_be_visible()
    expect(page.get_by_role("spinbutton")).to_have_value("")
    shot(page, "03-eq-vas-untouched")
    box = slider.bounding_box()
    assert box is not None and box["height"] > 3 * box["width"]  # vertical
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] * 0.2)
    value = int(page.get_by_role("spinbutton").input_value())
    assert 70 <= value <= 90, value  # a fifth of the way down from 100 at the top
    slider.focus()
    page.keyboard.press("ArrowUp")
    expect(page.get_by_role("spinbutton")).to_have_value(str(value + 1))
    shot(page, "03-eq-vas-chosen")
    page.get_by_role("button", name="下一页").click()
    shot(page, "04-review")
    _submit(page)
    shot(page, "05-thank-you")

    page.goto(live_server + cldq.url)
    page.get_by_role("link", name="开始").click()
    for number, item in enumerate(instruments["CLDQ"].items, start=1):
        expect(page.get_by_text(f"第 {number} 页，共 29 页")).to_be_visible()
        if number == 1:
            shot(page, "06-cldq-item")
        _choose_and_next(page, item.choices[number % 7].label["zh-CN"])
    _submit(page)

    settle()
    eq, cl = (responses.current_response(eq5d.occasion_id),
              responses.current_response(cldq.occasion_id))
    assert eq is not None and eq.channel == "web" and eq.answers["VAS"] == value + 1
    assert [eq.answers[k] for k in ("MO", "SC", "UA", "PD", "AD")] == [2, 2, 2, 2, 2]
    assert cl is not None and cl.channel == "web" and cl.scores
    assert cl.answers["CLDQ07"] == 1 and cl.answers["CLDQ01"] == 2
    settle()


def test_leaving_halfway_and_opening_the_link_again_resumes_where_it_stopped(
        live_server: str, link: Callable[..., Link], phone: Callable[..., Page]) -> None:
    cldq = link("CLDQ")
    first = phone()
    first.goto(live_server + cldq.url)
    first.get_by_role("link", name="开始").click()
    for _ in range(14):
        _choose_and_next(first, "有时")
    expect(first.get_by_text("第 15 页，共 29 页")).to_be_visible()
    first.context.close()  # the browser is closed: its session cookie is gone

    again = phone()
    again.goto(live_server + cldq.url)
    expect(again.get_by_text("第 15 页，共 29 页")).to_be_visible()
    expect(again).to_have_url(re.compile(r"/s/f/\d+/15$"))
    assert cldq.token not in again.url
    shot(again, "07-resumed")
    again.get_by_role("button", name="上一页").click()
    expect(again.get_by_text("第 14 页，共 29 页")).to_be_visible()
    expect(again.get_by_role("radio", name="有时", exact=True)).to_be_checked()
    settle()
    assert len(responses.get_draft_answers(cldq.occasion_id)) == 14
    settle()


def test_an_expired_and_an_unknown_link_show_friendly_pages_in_both_languages(
        live_server: str, link: Callable[..., Link], phone: Callable[..., Page],
        clock_at: Callable[..., None]) -> None:
    lnk = link()
    page = phone()
    response = page.goto(live_server + "/s/" + "Q" * 32)
    assert response is not None and response.status == 404
    expect(page.get_by_text("找不到此页面。链接可能有误。")).to_be_visible()
    expect(page.get_by_text("This page was not found. The link may be wrong.")).to_be_visible()
    shot(page, "08-unknown-link")
    clock_at(lnk.closes_at + timedelta(hours=1))
    settle()
    response = page.goto(live_server + lnk.url)
    assert response is not None and response.status == 410
    expect(page.get_by_text("此链接已过期。")).to_be_visible()
    expect(page.get_by_text("This link has expired.")).to_be_visible()
    expect(page.locator("section").first).to_have_css("background-color", "rgb(255, 255, 255)")
    shot(page, "09-expired-link")


def test_a_second_submission_from_another_tab_is_refused(
        app: Flask, live_server: str, link: Callable[..., Link],
        phone: Callable[..., Page]) -> None:
    lnk = link()
    tab = phone()
    tab.goto(live_server + lnk.url)
    tab.get_by_role("link", name="开始").click()
    for item in app.extensions["pro.instruments"]["EQ5D5L"].items[:5]:
        _choose_and_next(tab, item.choices[0].label["zh-CN"])
    tab.get_by_role("spinbutton").fill("55")
    tab.get_by_role("button", name="下一页").click()
    other = tab.context.new_page()
    other.goto(tab.url)
    _submit(tab)
    other.get_by_role("button", name="提交我的回答").click()
    expect(other.get_by_role("heading", name="这份问卷已经提交过了")).to_be_visible()
    shot(other, "10-already-sent")
    tab.go_back()
    expect(tab.get_by_role("heading", name="这份问卷已经提交过了")).to_be_visible()
    settle()
    stored = responses.current_response(lnk.occasion_id)
    assert stored is not None and stored.version == 1 and stored.answers["VAS"] == 55
    settle()
