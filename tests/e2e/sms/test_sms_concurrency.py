"""Concurrent webhooks: duplicates of one MessageSid and texts from one phone at the same moment.

Threads post signed webhooks through the app at once (run on PostgreSQL in CI, where the races
of the fault-and-abuse run happened: a unique violation gave a 500 and lost the message).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa

from pro_service.extensions import db
from pro_service.messages.models import Message
from pro_service.responses.models import ResponseDraft
from pro_service.sms import intake
from pro_service.sms.models import Conversation
from tests.conftest import BACKEND
from tests.e2e.conftest import OPEN_BL, PUBLIC, SENDER, TWILIO_APP, sign
from tests.factories import fictional_mobile

pytestmark = pytest.mark.parametrize("app", [TWILIO_APP], indirect=True)
PHONES = [fictional_mobile(31000 + n) for n in range(8)]


@pytest.fixture
def enrolled(make_site, make_staff, make_participant, frozen_clock, tick_at):
    make_site("302", site_phone="+861012345678")
    make_staff("coordinator", alert_phone=fictional_mobile(7001))
    people = [make_participant(phone=phone) for phone in PHONES]
    tick_at(OPEN_BL)  # open BL and send the invitations
    return people


@pytest.fixture
def post_at_once(app) -> Callable[[list[tuple[str, str, str]]], list[tuple[int, list[str]]]]:
    """POST signed webhooks (sender, body, sid) from one thread each, released together."""

    def run(requests: list[tuple[str, str, str]]) -> list[tuple[int, list[str]]]:
        db.session.commit()
        gate = threading.Barrier(len(requests))

        def one(req: tuple[str, str, str]) -> tuple[int, list[str]]:
            sender, body, sid = req
            form = {"MessageSid": sid, "From": sender, "Body": body, "To": SENDER}
            client = app.test_client()
            gate.wait()
            resp = client.post("/sms/inbound", data=form,
                               headers={"X-Twilio-Signature": sign(PUBLIC + "/sms/inbound", form)})
            return resp.status_code, re.findall(r"<Message>(.*?)</Message>", resp.get_data(as_text=True),
                                                re.S)

        with ThreadPoolExecutor(len(requests)) as pool:
            results = list(pool.map(one, requests))
        db.session.expire_all()
        return results

    return run


def _inbound(sid: str | None = None) -> list[Message]:
    stmt = sa.select(Message).where(Message.direction == "in")
    if sid:
        stmt = stmt.where(Message.provider_sid == sid)
    return list(db.session.scalars(stmt.order_by(Message.id)))


def test_twenty_copies_of_one_message_sid_at_once_all_get_the_stored_replies(
        enrolled, post_at_once):
    sid = "SM" + "d" * 32
    results = post_at_once([(PHONES[0], "1", sid)] * 20)
    assert [status for status, _ in results] == [200] * 20
    assert len({tuple(replies) for _, replies in results}) == 1 and results[0][1]
    [row] = _inbound(sid)
    replies = db.session.scalars(sa.select(Message).where(Message.reply_to_id == row.id)).all()
    assert len(replies) == len(results[0][1])


def test_twenty_copies_from_an_unknown_number_at_once_store_one_row(enrolled, post_at_once):
    sid = "SM" + "e" * 32
    results = post_at_once([(fictional_mobile(39999), "hello", sid)] * 20)
    assert [status for status, _ in results] == [200] * 20
    assert len(_inbound(sid)) == 1


def test_two_texts_from_one_phone_at_once_are_both_recorded_one_after_the_other(
        enrolled, post_at_once):
    """Each of 8 participants sends "1" twice at the same moment, before any conversation exists:
    one text starts the questionnaire, the other answers its first item, never a 500."""
    requests = [(phone, "1", f"SM{n:02d}{k}" + "0" * 29) for n, phone in enumerate(PHONES)
                for k in range(2)]
    results = post_at_once(requests)
    assert [status for status, _ in results] == [200] * len(requests)
    for n, phone in enumerate(PHONES):
        pair = [results[2 * n][1], results[2 * n + 1][1]]
        prompts = sorted(re.search(r"（(\d)/6）", replies[-1]).group(1) for replies in pair)
        assert prompts == ["1", "2"], (phone, pair)
    assert len(_inbound()) == len(requests)
    convos = db.session.scalars(sa.select(Conversation)).all()
    assert len(convos) == len(PHONES)
    drafts = db.session.scalars(sa.select(ResponseDraft)).all()
    assert len(drafts) == len(PHONES) and all(d.answers for d in drafts)


@pytest.mark.skipif(BACKEND != "postgres", reason="terminates a PostgreSQL backend")
def test_a_lost_database_connection_is_retried_once_and_the_text_recorded_once(
        enrolled, sms_post, monkeypatch, database_url):
    """The connection dies in the middle of the webhook's transaction (as in a restart)."""
    real_first_step, calls = intake.lock_and_record, []
    admin = sa.create_engine(database_url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)

    def lose_the_connection_then_lock(**kwargs):
        calls.append(kwargs["sender"])
        if len(calls) == 1:
            own = db.session.execute(sa.text("SELECT pg_backend_pid()")).scalar()
            with admin.connect() as conn:
                conn.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": own})
        return real_first_step(**kwargs)

    monkeypatch.setattr(intake, "lock_and_record", lose_the_connection_then_lock)
    status, replies = sms_post(PHONES[0], "1", sid="SM" + "f" * 32)
    admin.dispose()
    assert status == 200 and "（1/6）" in replies[-1]
    assert len(calls) == 2 and len(_inbound("SM" + "f" * 32)) == 1
