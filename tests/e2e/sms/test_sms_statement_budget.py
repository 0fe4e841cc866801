"""An inbound text costs a fixed, small number of SQL statements (issue F13: round trips are
most of the webhook's time). On PostgreSQL the sender's row lock and the text's own row are one
statement; a reply that offers the web link reuses the occasion the conversation just read.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import sqlalchemy as sa

from pro_service.extensions import db
from pro_service.messages.models import Message
from pro_service.sms.models import Conversation
from tests.e2e.conftest import OPEN_BL, TWILIO_APP
from tests.factories import fictional_mobile

pytestmark = pytest.mark.parametrize("app", [TWILIO_APP], indirect=True)
PHONE = fictional_mobile(4747)
# per database, statements of: a keyword; the first answer of a questionnaire (its draft is
# created and the occasion marked started); a reply that is not an answer. SQLite counts its
# BEGIN IMMEDIATE, and reads the participant and records the text in two statements.
BUDGET = {"postgresql": (2, 6, 4), "sqlite": (4, 8, 6)}


@pytest.fixture
def participant(make_site, make_participant, frozen_clock, tick_at):
    make_site("302", site_phone="+861012345678")
    p = make_participant(phone=PHONE)
    tick_at(OPEN_BL)  # BL opens, invitations go out
    return p


@contextmanager
def counted() -> Iterator[list[str]]:
    statements: list[str] = []

    def listen(conn, cursor, statement, *args):  # noqa: ANN001, ANN202
        statements.append(" ".join(statement.split())[:100])

    sa.event.listen(db.engine, "before_cursor_execute", listen)
    try:
        yield statements
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", listen)


def test_texts_stay_within_their_statement_budget(participant, sms_post):
    keyword, answer, not_an_answer = BUDGET[db.engine.dialect.name]
    with counted() as statements:
        status, replies = sms_post(PHONE, "HELP")
    assert status == 200 and "120" in replies[0]
    assert len(statements) <= keyword, statements
    with counted() as statements:
        status, replies = sms_post(PHONE, "1")  # starts the first questionnaire
    assert status == 200 and "（1/" in replies[-1]
    with counted() as statements:
        status, replies = sms_post(PHONE, "2")
    assert status == 200 and "（2/" in replies[-1]
    assert len(statements) <= answer, statements
    with counted() as statements:
        status, replies = sms_post(PHONE, "whatever")  # the item is asked again
    assert status == 200
    assert len(statements) <= not_an_answer, statements
    inbound = db.session.scalars(sa.select(Message).where(Message.direction == "in")
                                 .order_by(Message.id)).all()
    assert [m.body for m in inbound] == ["HELP", "1", "2", "whatever"]
    assert {m.participant_id for m in inbound} == {participant.id}
    assert db.session.scalars(sa.select(Conversation)).one().state["phase"] == "asking"
