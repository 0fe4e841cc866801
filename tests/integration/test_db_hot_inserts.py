"""The hot path's Core inserts (`core.db.insert_loaded`, `insert_rows`) keep ORM behaviour."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from pro_service.core.db import insert_loaded, insert_rows, update_loaded
from pro_service.extensions import db
from pro_service.messages.models import Message

NOW = datetime(2026, 3, 2, 8, 30, tzinfo=UTC)


def _inbound(sid: str, body: str = "1") -> Message:
    return Message(direction="in", kind="inbound", body=body, status="received", provider_sid=sid,
                   created_at=NOW, updated_at=NOW)


def _count_statements() -> list[str]:
    seen: list[str] = []
    sa.event.listen(db.engine, "before_cursor_execute", lambda *a: seen.append(a[2]))
    return seen


def test_the_row_is_inserted_at_once_with_the_models_defaults(app):
    msg = insert_loaded(_inbound("SM" + "1" * 32))
    row = db.session.execute(sa.select(Message.__table__).where(Message.id == msg.id)).one()
    assert (row.provider_sid, row.body, row.created_at) == ("SM" + "1" * 32, "1", NOW)
    assert (row.attempts, row.priority, row.ignore_quiet_hours, row.reconcile) == (0, 3, False, False)
    assert row.staff_id is None and row.sent_at is None


def test_the_object_reads_like_a_loaded_one_without_a_query(app):
    msg = insert_loaded(_inbound("SM" + "2" * 32))
    seen = _count_statements()
    assert (msg.id, msg.attempts, msg.priority, msg.reply_to_id, msg.body) == (msg.id, 0, 3, None, "1")
    assert msg in db.session and not db.session.dirty and seen == []


def test_a_later_change_is_flushed_as_an_update(app):
    msg = insert_loaded(_inbound("SM" + "3" * 32))
    msg.status, msg_id = "sent", msg.id
    db.session.commit()
    db.session.expunge_all()
    assert db.session.get(Message, msg_id).status == "sent"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Message)) == 1


def test_a_repeated_provider_sid_fails_the_unique_insert(app):
    insert_loaded(_inbound("SM" + "4" * 32))
    with pytest.raises(sa.exc.IntegrityError):
        insert_loaded(_inbound("SM" + "4" * 32))


class _Other(DeclarativeBase):
    pass


class _WithCallableDefault(_Other):
    __tablename__ = "with_callable_default"
    id: Mapped[int] = mapped_column(primary_key=True)
    made: Mapped[datetime] = mapped_column(default=lambda: NOW)
    named: Mapped[str] = mapped_column(sa.String(10), server_default="x")


@pytest.mark.parametrize("given", [{"named": "a"}, {"made": NOW}])
def test_a_column_it_cannot_fill_is_refused_before_any_query(app, given):
    seen = _count_statements()
    with pytest.raises(TypeError, match="with_callable_default"):
        insert_loaded(_WithCallableDefault(**given))
    assert seen == []


def test_rows_are_inserted_in_one_statement_in_their_order(app):
    seen = _count_statements()
    rows = [{"direction": "out", "kind": "reply", "body": body, "status": "sent",
             "created_at": NOW, "updated_at": NOW} for body in ("first", "second", "third")]
    insert_rows(Message, rows)
    insert_rows(Message, [])
    bodies = db.session.scalars(sa.select(Message.body).order_by(Message.id)).all()
    assert bodies == ["first", "second", "third"]
    assert len([s for s in seen if s.lstrip().upper().startswith("INSERT")]) == 1


def test_an_update_is_written_at_once_and_leaves_nothing_to_flush(app):
    msg = insert_loaded(_inbound("SM" + "5" * 32))
    update_loaded(msg, body="2", status="sent")
    seen = _count_statements()
    row = db.session.execute(sa.select(Message.__table__).where(Message.id == msg.id)).one()
    assert (row.body, row.status, row.provider_sid) == ("2", "sent", "SM" + "5" * 32)
    assert (msg.body, msg.status) == ("2", "sent") and not db.session.dirty
    db.session.commit()
    assert not [s for s in seen if s.lstrip().upper().startswith("UPDATE")]


def test_an_update_touches_only_its_own_row_and_other_changes_still_flush(app):
    first, second = insert_loaded(_inbound("SM" + "6" * 32)), insert_loaded(_inbound("SM" + "7" * 32))
    first.kind = "note"  # an ordinary ORM change beside it
    update_loaded(second, body="changed")
    db.session.commit()
    rows = db.session.execute(sa.select(Message.__table__.c.kind, Message.__table__.c.body)
                              .order_by(Message.id)).all()
    assert [tuple(r) for r in rows] == [("note", "1"), ("inbound", "changed")]
