"""An inbound SMS's first step: lock the sender's participant row and record the text.

On PostgreSQL both happen in one statement (one round trip on the hot path): a CTE takes the
participant's row lock, and an INSERT in a second CTE records the text with that participant's
id. Elsewhere (SQLite, whose BEGIN IMMEDIATE already serialises every writer) they are two
statements. Either way the lock is taken before the row is written, and a MessageSid seen
before fails the insert's unique constraint (the caller answers with the stored replies).
"""

from __future__ import annotations

import functools
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from pro_service.core.db import insert_loaded, is_postgres, keep_loaded, row_values
from pro_service.extensions import db
from pro_service.messages.models import Message
from pro_service.messages.service import inbound_message
from pro_service.participants import service as participants
from pro_service.participants.models import Participant

Found = tuple[Participant, Any] | None


def lock_and_record(*, sid: str, body: str, sender: str, index: str, keys: participants.Keys,
                    extra: sa.ColumnElement[Any], params: dict[str, Any],
                    now: datetime) -> tuple[Found, Message]:
    """The participant with this phone, locked until commit, with `extra` read from their row
    (see `participants.lock_by_phone_and`), or None; and the inbound message, recorded with
    the participant's id (None for anyone else: the caller names a staff member or caregiver)."""
    msg = inbound_message(sid=sid, body=body, from_index=index, now=now)
    if not is_postgres(db.session):
        found = participants.lock_by_phone_and(sender, keys, extra, params)
        msg.participant_id = found[0].id if found else None
        return found, insert_loaded(msg)
    values = row_values(msg)
    row = db.session.execute(_statement(extra, tuple(values)),
                             {**params, "phone_index": index,
                              **{f"m_{key}": value for key, value in values.items()}}).one()
    message_id, person, read = row
    msg.participant_id = person.id if person is not None else None  # as the INSERT wrote it
    keep_loaded(msg, message_id)
    return ((person, read) if person is not None else None), msg


@functools.cache
def _statement(extra: sa.ColumnElement[Any], columns: tuple[str, ...]) -> sa.Select[Any]:
    # built once per `extra` (the hot path skips statement construction and its cache key);
    # the locked row is read from the CTE that took the lock: after waiting for a concurrent
    # writer it holds that writer's committed version, which a plain read in the same
    # statement would not see
    locked = participants.lock_by_phone_statement(extra).cte("locked")
    messages = Message.__table__
    recorded = (messages.insert()
                .values({key: sa.bindparam(f"m_{key}") for key in columns if key != "participant_id"}
                        | {"participant_id": sa.select(locked.c.id).scalar_subquery()})
                .returning(messages.c.id).cte("recorded"))
    person = aliased(Participant, locked)
    return (sa.select(recorded.c.id, person, locked.c.extra)
            .select_from(recorded).outerjoin(locked, sa.true())
            .execution_options(populate_existing=True))
