"""The web form's done page shows the same specific safety advice as the SMS when the submission
raised an alert, with a call-back promise that matches the site's clock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo
from typing import Any

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from pro_service.extensions import db
from pro_service.messages.models import Message
from tests.integration.webform.conftest import Link, csrf_of, post_page

SITE = ZoneInfo("Asia/Shanghai")


def _local(lnk: Link, hour: int) -> datetime:
    """`hour` o'clock at the site on the first weekday of the window (inside the window)."""
    day = lnk.opens_at.astimezone(SITE).date()
    while day.weekday() >= 5:
        day += timedelta(days=1)
    at = datetime.combine(day, time(hour), tzinfo=SITE)
    assert lnk.opens_at <= at < lnk.closes_at
    return at


def _submit(app: Flask, client: FlaskClient, lnk: Link, **yes: str) -> str:
    items = app.extensions["pro.instruments"]["SYMPTOMS"].items
    answers = {item.id: "no" for item in items if item.required}
    client.get(lnk.url)
    post_page(client, f"{lnk.form_url}/1", {**answers, **yes, "action": "next"})
    review = client.get(f"{lnk.form_url}/review").text
    done = client.post(f"{lnk.form_url}/review", data={"csrf_token": csrf_of(review)},
                       follow_redirects=True)
    assert done.status_code == 200
    return done.text


def test_an_evening_report_promises_a_call_tomorrow_morning_on_sms_and_the_done_page(
        app: Flask, client: FlaskClient, symptom_link: Callable[..., Link],
        clock_at: Callable[..., Any]) -> None:
    lnk = symptom_link(language="en")
    clock_at(_local(lnk, 20))  # 20:00 at the site (Asia/Shanghai) on a weekday
    page = _submit(app, client, lnk, SC_JAUNDICE="yes")
    sms = db.session.scalars(sa.select(Message.body).where(Message.kind == "safety_advice")).one()
    assert "will call you tomorrow morning" in sms and "today" not in sms
    assert sms in page


def test_a_report_in_working_hours_promises_a_call_today_in_chinese(
        app: Flask, client: FlaskClient, symptom_link: Callable[..., Link],
        clock_at: Callable[..., Any]) -> None:
    lnk = symptom_link()
    clock_at(_local(lnk, 10))  # 10:00 at the site on a weekday
    page = _submit(app, client, lnk, SC_JAUNDICE="yes")
    sms = db.session.scalars(sa.select(Message.body).where(Message.kind == "safety_advice")).one()
    assert "今天会给您打电话" in sms and sms in page


def test_no_alert_no_advice_on_the_done_page(app: Flask, client: FlaskClient,
                                             symptom_link: Callable[..., Link]) -> None:
    page = _submit(app, client, symptom_link(language="en"))
    assert 'class="advice"' not in page
