"""Declarative base, UTC datetime type and the unit of work."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Session, make_transient_to_detached, registry
from sqlalchemy.orm.attributes import set_committed_value

log = logging.getLogger("pro_service.db")
T = TypeVar("T")

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(sa.types.TypeDecorator[datetime]):
    """A timezone-aware datetime stored in UTC on every database."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime refused: store timezone-aware UTC values")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    """Base class of every model."""

    registry = registry(
        metadata=sa.MetaData(naming_convention=NAMING),
        type_annotation_map={datetime: UTCDateTime()},
    )


def _session() -> Session:
    from pro_service.extensions import db

    return db.session()  # type: ignore[no-any-return]


@contextmanager
def unit_of_work() -> Iterator[Session]:
    """Run a use case in one transaction; nested calls join the outermost one."""
    session = _session()
    depth = session.info.get("uow_depth", 0)
    session.info["uow_depth"] = depth + 1
    try:
        yield session
        if depth == 0:
            session.commit()
    except BaseException:
        if depth == 0:
            session.rollback()
            session.info.pop("after_commit", None)
        raise
    finally:
        session.info["uow_depth"] = depth
    if depth == 0:
        _run_after_commit(session)


def insert_loaded(obj: T) -> T:
    """INSERT one new object's row now with a plain Core statement and keep the object in the
    session as if it had been loaded (later changes to it flush as UPDATEs).

    The hot path's cheaper `session.add(obj); session.flush()`: no unit-of-work pass. Columns
    the object leaves unset take their scalar Python default, else NULL, and are set on the
    object too, so reading them needs no query. A model with another kind of default for an
    unset column (a callable, or a server default alone) is refused. Only columns are written:
    give foreign keys as ids, not as related objects.
    """
    values = row_values(obj)
    (pk,) = _session().execute(_insert_statement(_table(obj)), values).inserted_primary_key
    return keep_loaded(obj, pk)


def insert_loaded_unless_taken(obj: T, unique: str) -> T | None:
    """`insert_loaded`, except that a value of the unique column `unique` (or the columns of a
    unique constraint, comma-separated: "alert_id, level") another row holds
    inserts nothing and gives None (ON CONFLICT DO NOTHING), so the caller can try another
    value in the same transaction: no savepoint, and no race between two writers."""
    values = row_values(obj)
    pk = _session().execute(_insert_unless_taken(_table(obj), unique), values).scalar()
    return None if pk is None else keep_loaded(obj, pk)


def _table(obj: Any) -> sa.Table:
    return sa.inspect(type(obj)).local_table  # type: ignore[no-any-return]


def row_values(obj: Any) -> dict[str, Any]:
    """Every column of a new object's row but its generated key (see `insert_loaded`): with
    `keep_loaded`, the two halves of `insert_loaded` for a caller that inserts the row inside a
    larger statement."""
    values: dict[str, Any] = {}
    given = obj.__dict__
    for column, key, fill in _fill_plan(type(obj)):
        if key in given:
            values[column] = given[key]
        elif fill is _GENERATED:
            continue
        elif fill is _REFUSED:
            raise TypeError(f"insert_loaded cannot fill {_table(obj).name}.{column}: give it a value")
        else:
            values[column] = fill
            setattr(obj, key, fill)
    return values


_GENERATED, _REFUSED = object(), object()


@functools.cache
def _fill_plan(model: type[Any]) -> tuple[tuple[str, str, Any], ...]:
    """Per column of `model`'s table, read once: (column key, attribute key, what an unset
    attribute becomes: its scalar default or None, _GENERATED for the key, _REFUSED otherwise)."""
    mapper = sa.inspect(model)
    plan = []
    for column in mapper.local_table.columns:
        key = mapper.get_property_by_column(column).key
        if column.primary_key and column.autoincrement:
            fill = _GENERATED
        elif column.default is None and column.server_default is None:
            fill = None
        elif column.default is not None and column.default.is_scalar:
            fill = column.default.arg
        else:
            fill = _REFUSED
        plan.append((column.key, key, fill))
    return tuple(plan)


def keep_loaded(obj: T, pk: Any) -> T:
    """Give the just-inserted object its key and keep it in the session as a loaded one."""
    mapper = sa.inspect(type(obj))
    setattr(obj, mapper.get_property_by_column(mapper.local_table.primary_key.columns[0]).key, pk)
    make_transient_to_detached(obj)
    _session().add(obj)
    return obj


@functools.cache
def _insert_statement(table: sa.Table) -> sa.Insert:
    return table.insert()


def update_loaded(obj: Any, **changes: Any) -> None:
    """UPDATE a loaded object's row with `changes` now (one Core statement by primary key) and
    take them as the object's committed state, so the unit of work has nothing left to flush
    for them: the hot path's cheaper attribute assignment. Keys are the model's column names."""
    mapper = sa.inspect(type(obj))
    (pk_column,) = mapper.local_table.primary_key.columns
    pk = getattr(obj, mapper.get_property_by_column(pk_column).key)
    _session().execute(_update_statement(mapper.local_table, tuple(sorted(changes))),
                       {**{f"{key}_": value for key, value in changes.items()}, "pk_": pk})
    for key, value in changes.items():
        set_committed_value(obj, key, value)


@functools.cache
def _update_statement(table: sa.Table, keys: tuple[str, ...]) -> sa.Update:
    (pk_column,) = table.primary_key.columns
    return (table.update().where(pk_column == sa.bindparam("pk_"))
            .values({key: sa.bindparam(f"{key}_") for key in keys}))


def insert_rows(model: type[Any], rows: list[dict[str, Any]]) -> None:
    """INSERT new rows of `model` in one Core statement (executemany), outside the ORM: for
    rows nobody reads again in this transaction. Unset columns take their Core defaults."""
    if rows:
        _session().execute(_insert_statement(sa.inspect(model).local_table), rows)


def retry_on_lost_connection(fn: Callable[[], T]) -> T:
    """Run a whole use case; run it once more when the database connection was lost mid-way.

    A lost connection (database restart, failover, a killed backend) rolls the transaction back,
    so nothing of the first attempt is kept; the use case must be idempotent (inbound SMS are,
    on MessageSid). Inside an outer transaction nothing is retried: the caller owns it.
    """
    session = _session()
    if session.info.get("uow_depth", 0):
        return fn()
    try:
        return fn()
    except sa.exc.DBAPIError as exc:
        if not exc.connection_invalidated:
            raise
        log.warning("database connection lost; retrying the transaction once")
        session.rollback()
        return fn()


def after_commit(fn: Callable[[], None]) -> None:
    """Run fn once the current unit of work has committed successfully."""
    _session().info.setdefault("after_commit", []).append(fn)


def _run_after_commit(session: Session) -> None:
    callbacks = session.info.pop("after_commit", [])
    for fn in callbacks:
        fn()


def is_postgres(session: Session) -> bool:
    """Tell whether the session talks to PostgreSQL."""
    return session.get_bind().dialect.name == "postgresql"


def serialises_writers(session: Session) -> bool:
    """Tell whether the database lets one write transaction in at a time (SQLite)."""
    return session.get_bind().dialect.name == "sqlite"


def for_update_skip_locked(stmt: sa.Select[Any], session: Session) -> sa.Select[Any]:
    """Claim rows without blocking other workers (PostgreSQL); SQLite serialises writers."""
    if is_postgres(session):
        return stmt.with_for_update(skip_locked=True)
    return stmt


def claim_rows(due: sa.Select[Any], values: dict[str, Any], order: tuple[str, ...]) -> list[int]:
    """Claim the rows `due` selects (their ids, oldest or most urgent first) in one committed
    UPDATE … WHERE id IN (those rows, locked, skipping any another worker holds) … RETURNING,
    setting `values` (a lease: token, end, attempt count); their ids in `order` and then id,
    as the claim chose them (RETURNING follows no order)."""
    table = due.selected_columns[0].table
    with unit_of_work() as session:
        rows = session.execute(
            sa.update(table)
            .where(table.c.id.in_(for_update_skip_locked(due, session).scalar_subquery()))
            .values(values)
            .returning(table.c.id, *(table.c[name] for name in order))).all()
    return [row.id for row in sorted(rows, key=lambda r: (*r[1:], r.id))]


@functools.cache
def _insert_unless_taken(table: sa.Table, unique: str) -> sa.TextClause:
    """INSERT a row … ON CONFLICT (unique) DO NOTHING RETURNING its key, for SQLite and PostgreSQL.

    Text with the table's column types, compiled once: SQLAlchemy 2.0's dialect `insert()` with
    `on_conflict_do_nothing` has no cache key.
    """
    columns = [c for c in table.columns if not c.primary_key]
    (key,) = table.primary_key.columns
    names = [c.name for c in columns]
    sql = (f"INSERT INTO {table.name} ({', '.join(names)}) "  # noqa: S608 (the table's own names)
           f"VALUES ({', '.join(':' + name for name in names)}) "
           f"ON CONFLICT ({unique}) DO NOTHING RETURNING {key.name}")
    return sa.text(sql).bindparams(*(sa.bindparam(c.name, type_=c.type) for c in columns))


def utcnow() -> datetime:
    """The current instant in UTC (entry points only; services receive now)."""
    return datetime.now(UTC)


def install_sqlite_transactions(engine: sa.Engine) -> None:
    """Make SQLite transactions real: BEGIN IMMEDIATE at the start, savepoints inside.

    pysqlite otherwise defers BEGIN until the first write, so a SAVEPOINT opened before any
    write becomes the outer transaction and its RELEASE commits (SQLAlchemy's pysqlite notes).
    IMMEDIATE takes the write lock up front: writers queue on the busy timeout instead of
    failing when a read transaction tries to upgrade, which serialises SQLite writers safely.
    """
    if engine.dialect.name != "sqlite":
        return

    @sa.event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        # WAL with NORMAL: a commit is not fsynced on its own, the database stays consistent
        # after a crash; only the last commits may be lost on power failure (SQLite's advice)
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _begin(conn: sa.Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")
