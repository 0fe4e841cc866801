"""Participants with played-out history and a statement counter, for the staff workspace tests."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from pro_service.demo_seed import Profile, play_history
from pro_service.extensions import db
from tests.factories import T0, fictional_mobile

NOW = T0 + timedelta(weeks=20)
STEADY = Profile(adherence=0.85, partial=0.1, start=0.5, slope=0.2)


@pytest.fixture
def with_history(app, make_site, make_participant) -> Callable[..., list]:
    """Enrol n participants per site (baselines a week apart) and play their history to NOW."""

    def make(n: int, sites: tuple[str, ...] = ("302",), seed: int = 7) -> list:
        rng = random.Random(seed)
        people = []
        for code in sites:
            if not db.session.scalar(sa.text("select 1 from sites where code = :c"), {"c": code}):
                make_site(code)
            taken = db.session.scalar(sa.text("select count(*) from participants p join sites s "
                                              "on s.id = p.site_id where s.code = :c"), {"c": code})
            for i in range(n):
                base = date(2027, 1, 11) + timedelta(days=7 * (i % 6))
                p = make_participant(study_id=f"{code}-{taken + i + 1:04d}", site=code,
                                     phone=fictional_mobile(), baseline=base, infusion_1=base,
                                     infusion_2=base + timedelta(days=28),
                                     infusion_3=base + timedelta(days=56))
                play_history(p, STEADY, now=NOW, instruments=app.extensions["pro.instruments"], rng=rng)
                people.append(p)
        db.session.commit()
        return people

    return make


class StatementCounter:
    def __init__(self) -> None:
        self.statements: list[str] = []

    @property
    def count(self) -> int:
        return len(self.statements)


@pytest.fixture
def count_statements(app) -> Callable[[], object]:
    """Count the SQL statements run inside a `with count_statements() as counter:` block."""

    @contextmanager
    def counting() -> Iterator[StatementCounter]:
        counter = StatementCounter()

        def listen(conn, cursor, statement, *args):  # noqa: ANN001, ANN202
            if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "BEGIN", "PRAGMA")):
                counter.statements.append(statement)

        sa.event.listen(db.engine, "before_cursor_execute", listen)
        try:
            yield counter
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", listen)

    return counting
