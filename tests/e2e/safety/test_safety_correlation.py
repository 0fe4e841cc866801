"""One grep follows a red flag: the webhook's request id is logged again when the staff SMS leaves."""

from __future__ import annotations

import json
import logging

import pytest
import sqlalchemy as sa

from pro_service.core.logs import JsonFormatter
from pro_service.extensions import db
from pro_service.messages.models import Message
from pro_service.safety import rota
from tests.e2e.conftest import OPEN_BL, PUBLIC, SENDER, TWILIO_APP, sign
from tests.factories import fictional_mobile

pytestmark = pytest.mark.parametrize("app", [TWILIO_APP], indirect=True)
PHONE = fictional_mobile(4711)


@pytest.fixture
def log_lines():
    lines: list[dict] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(json.loads(JsonFormatter().format(record)))

    handler = Collect()
    logger = logging.getLogger("pro_service")
    logger.addHandler(handler)
    yield lines
    logger.removeHandler(handler)


def test_the_staff_sms_for_a_red_flag_is_logged_under_the_webhooks_request_id(
        app, client, make_site, make_staff, make_participant, frozen_clock, send_outbox, log_lines,
        fake_twilio):
    make_site("302")
    nurse = make_staff("coordinator", alert_phone=fictional_mobile(4712))
    rota.add_shift(site=rota.site_by_code("302"), staff=nurse.user, weekdays="daily",
                   start="00:00", end="00:00", now=OPEN_BL)
    make_participant(phone=PHONE)
    form = {"MessageSid": "SM" + "c0" * 16, "From": PHONE, "To": SENDER, "Body": "我今天吐血了"}
    db.session.commit()
    resp = client.post("/sms/inbound", data=form, headers={
        "X-Twilio-Signature": sign(PUBLIC + "/sms/inbound", form), "X-Request-Id": "trace-red-flag-1"})
    assert resp.status_code == 200
    staff_sms = db.session.scalars(sa.select(Message).where(Message.kind == "staff_alert")).one()
    assert staff_sms.correlation_id == "trace-red-flag-1"
    assert send_outbox()["sent"] >= 1
    sent_lines = [line for line in log_lines if f"message {staff_sms.id} handed to the provider"
                  in line["msg"]]
    assert sent_lines and sent_lines[0]["correlation_id"] == "trace-red-flag-1"
    assert [m for m in fake_twilio.messages if m.to == fictional_mobile(4712)]
