"""The form without JavaScript, at 320 px, by keyboard, in English, and its error pages."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from pro_service.responses import service as responses
from tests.e2e.webform.conftest import settle, shot
from tests.integration.webform.conftest import Link

pytestmark = pytest.mark.browser
NARROW = {"width": 320, "height": 640}


def _fits(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= NARROW["width"], f"{page.url} scrolls sideways: {width}px"


def test_without_javascript_at_320_px_the_vas_is_typed_in_the_number_box(
        app: Flask, live_server: str, link: Callable[..., Link], phone: Callable[..., Page],
        browser: object) -> None:
    lnk = link()
    checker = phone(viewport=NARROW)  # measures widths; the no-JS page below cannot
    page = phone(viewport=NARROW, java_script_enabled=False)
    page.goto(live_server + lnk.url)
    page.get_by_role("link", name="开始").click()
    for item in app.extensions["pro.instruments"]["EQ5D5L"].items[:5]:
        page.get_by_role("radio", name=item.choices[2].label["zh-CN"]).check()
        page.get_by_role("button", name="下一页").click()
    expect(page.get_by_role("slider")).to_have_count(0)
    shot(page, "11-eq-vas-no-javascript-320px")
    page.get_by_role("spinbutton", name="您今天的健康状况（0–100）").fill("65")
    page.get_by_role("button", name="下一页").click()
    expect(page.get_by_role("heading", name="请核对您的回答")).to_be_visible()
    review_url = page.url
    page.get_by_role("button", name="提交我的回答").click()
    expect(page.get_by_role("heading", name="谢谢您！")).to_be_visible()
    for url in (f"{live_server}{lnk.url}", review_url, page.url):
        checker.goto(url)
        _fits(checker)
    settle()
    stored = responses.current_response(lnk.occasion_id)
    assert stored is not None and stored.answers["VAS"] == 65 and stored.answers["MO"] == 3
    settle()


def test_every_question_page_fits_320_px(live_server: str, link: Callable[..., Link],
                                         phone: Callable[..., Page]) -> None:
    cldq, eq5d = link("CLDQ"), link()
    page = phone(viewport=NARROW)
    for lnk, pages in ((eq5d, 6), (cldq, 29)):
        page.goto(live_server + lnk.url)
        _fits(page)
        for number in range(1, pages + 1):
            page.goto(f"{live_server}{lnk.form_url}/{number}")
            _fits(page)
    page.goto(f"{live_server}{cldq.form_url}/review")
    _fits(page)


def test_a_page_can_be_answered_by_keyboard_alone_with_visible_focus(
        live_server: str, link: Callable[..., Link], phone: Callable[..., Page]) -> None:
    lnk = link()
    page = phone(is_mobile=False, has_touch=False)
    page.goto(f"{live_server}{lnk.url}")
    page.goto(f"{live_server}{lnk.form_url}/1")
    for _ in range(8):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.type") == "radio":
            break
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    expect(page.get_by_role("radio", name="走动有中度困难")).to_be_checked()
    outline = page.evaluate(
        "getComputedStyle(document.activeElement.closest('label')).outlineStyle")
    assert outline == "solid"
    shot(page, "12-keyboard-focus")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "下一页"
    page.keyboard.press("Enter")
    expect(page.get_by_text("第 2 页，共 6 页")).to_be_visible()


def test_a_rejected_value_and_the_symptom_check_in_english(
        app: Flask, live_server: str, symptom_link: Callable[..., Link], link: Callable[..., Link],
        phone: Callable[..., Page]) -> None:
    eq5d = link(language="en")
    page = phone()
    page.goto(live_server + eq5d.url)
    page.goto(f"{live_server}{eq5d.form_url}/6")
    page.get_by_role("spinbutton").fill("150")
    page.eval_on_selector("form.page", "form => form.noValidate = true")  # server-side check
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_role("alert")).to_contain_text("Please check your answer")
    expect(page.get_by_text("Please enter a whole number from 0 to 100.")).to_be_visible()
    shot(page, "14-rejected-value")
    settle()
    assert responses.get_draft_answers(eq5d.occasion_id) == {}
    settle()

    symptoms = symptom_link(language="en")  # moves the clock into the symptom window
    page.goto(live_server + symptoms.url)
    page.get_by_role("link", name="Start").click()
    for item in app.extensions["pro.instruments"]["SYMPTOMS"].items:
        if item.required:
            page.get_by_role("group", name=item.text["en"]).get_by_role("radio", name="No").check()
    page.get_by_role("textbox").fill("A little tired in the evenings")
    shot(page, "13-symptom-check-english")
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_role("heading", name="Check your answers")).to_be_visible()


def test_a_page_opened_without_the_link_asks_to_open_the_link_again(
        live_server: str, link: Callable[..., Link], phone: Callable[..., Page]) -> None:
    lnk = link()
    page = phone()
    response = page.goto(f"{live_server}{lnk.form_url}/2")
    assert response is not None and response.status == 403
    expect(page.get_by_text("请重新打开短信里的链接继续填写。")).to_be_visible()
    expect(page.get_by_text("Please open the link in your text message again.")).to_be_visible()
    shot(page, "15-open-the-link-again")
