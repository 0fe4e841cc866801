"""Time one scheduler tick at 10,000 and 100,000 enrolled participants, on SQLite and PostgreSQL.

Each study has 20 occasions a participant (ended ones in the past, one open now, the rest
scheduled) and three sent messages each; the same 100 participants (1 % of the smaller study)
have work due: an occasion to open, a reminder to queue, an occasion to close as missed, and
the two messages this queues to send. Every size is loaded first; then each size's tick is
timed five times, the sizes interleaved (A/B, the due work put back in between), and the
median kept, so machine noise falls on both sizes. The ratio 100k/10k should stay near 1
(goal ≤ 1.5): a tick's cost follows due work, not enrolment. It also prints the claims' plans.

Run: .venv/bin/python bench/scheduler_tick.py [--sizes 10000,100000] [--due 100] [--repeat 5]
     [--postgres-url postgresql://postgres@127.0.0.1:5432/test | --no-postgres]
A private SQLite file and a private PostgreSQL database are created and dropped.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as time_of_day
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

# The repository root must be on sys.path before the project is imported.
import sqlalchemy as sa  # noqa: E402
from flask import Flask  # noqa: E402

from pro_service import create_app  # noqa: E402
from pro_service.core import crypto  # noqa: E402
from pro_service.extensions import db  # noqa: E402
from pro_service.messages.domain.segments import count_segments  # noqa: E402
from pro_service.messages.gateway import SendResult  # noqa: E402
from scheduler.jobs import JOBS, run_job  # noqa: E402

NOW = datetime(2027, 6, 1, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai: outside quiet hours
WARM_UP = NOW - timedelta(days=3)  # a first tick on a few other participants compiles every statement
WARM_UP_PARTICIPANTS = 10
OCCASIONS_EACH = 20  # weeks -8 … +11 around now
MESSAGES_EACH = 3
HOUR = timedelta(hours=1)


class NullGateway:
    """Accepts every message at once (the provider's latency is not what is measured)."""

    def __init__(self) -> None:
        self.sent = 0

    def send(self, to: str, body: str) -> SendResult:
        self.sent += 1
        return SendResult(f"SMBENCH{uuid.uuid4().hex}", "queued", count_segments(body)[1])


def _occasion(pid: int, week: int, **fields: Any) -> dict[str, Any]:
    opens = NOW + timedelta(weeks=week, hours=pid % 5 - 1)
    row = {"participant_id": pid, "timepoint": f"B-W{week + 8:02d}", "instrument": "SYMPTOMS",
           "anchor": "baseline", "target_date": opens.date(), "opens_at": opens,
           "closes_at": opens + timedelta(days=2), "status": "scheduled", "opened_at": None,
           "ended_at": None, "reminders_sent": 0, "next_reminder_at": None, "created_at": NOW,
           "updated_at": NOW}
    return {**row, **fields}


def _ended(pid: int, week: int) -> dict[str, Any]:
    row = _occasion(pid, week)
    return {**row, "status": "completed" if (pid + week) % 3 else "missed",
            "opened_at": row["opens_at"], "ended_at": row["closes_at"]}


def _open_now(pid: int) -> dict[str, Any]:
    """Opened an hour ago: its first reminder is a day away."""
    return _occasion(pid, 0, opens_at=NOW - HOUR, closes_at=NOW + 40 * HOUR, status="open",
                     opened_at=NOW - HOUR, next_reminder_at=NOW + 23 * HOUR)


def _due_now(pid: int, at: datetime) -> list[dict[str, Any]]:
    """Three occasions with work due at `at`: open one, remind one, close one as missed."""
    return [_occasion(pid, 0, opens_at=at - HOUR, closes_at=at + 40 * HOUR),
            _occasion(pid, -1, opens_at=at - 30 * HOUR, closes_at=at + 10 * HOUR, status="open",
                      opened_at=at - 30 * HOUR, next_reminder_at=at - 6 * HOUR),
            _occasion(pid, -2, opens_at=at - 60 * HOUR, closes_at=at - HOUR, status="open",
                      opened_at=at - 60 * HOUR)]


def occasions_of(pid: int, due_at: datetime | None) -> list[dict[str, Any]]:
    """A participant's 20 occasions; with due_at, three of them have work due then."""
    rows = [_ended(pid, week) for week in range(-8, -2)]
    if due_at is None:
        rows += [_ended(pid, -2), _ended(pid, -1), _open_now(pid)]
    else:
        rows += _due_now(pid, due_at)
    return rows + [_occasion(pid, week) for week in range(1, 12)]


def _participant(pid: int, site_id: int, phone_enc: bytes) -> dict[str, Any]:
    return {"id": pid, "study_id": f"B{pid:07d}", "site_id": site_id, "phone_enc": phone_enc,
            "phone_index": f"bench-{pid}", "language": "zh-CN", "timezone": "Asia/Shanghai",
            "status": "active", "channel": "sms_chat", "quiet_start": time_of_day(21, 0),
            "quiet_end": time_of_day(8, 0), "baseline": date(2027, 1, 1),
            "infusion_1": date(2027, 1, 1), "infusion_2": None, "infusion_3": None,
            "sms_opted_out_at": None, "withdrawn_at": None, "created_at": NOW, "updated_at": NOW}


def _message(pid: int, n: int) -> dict[str, Any]:
    at = NOW - timedelta(days=7 * n + 1)
    return {"direction": "out", "kind": "invitation", "participant_id": pid, "staff_id": None,
            "occasion_id": None, "alert_id": None, "body": "您好，请回复1开始本周症状自查。",
            "status": "sent", "provider_sid": f"SMOLD{pid:08d}{n}", "idempotency_key": f"old:{pid}:{n}",
            "encoding": "UCS-2", "segments": 1, "attempts": 1, "send_after": at,
            "ignore_quiet_hours": False, "error_code": None, "last_error": None, "from_index": None,
            "reply_to_id": None, "created_at": at, "updated_at": at, "claimed_at": at, "sent_at": at,
            "priority": 3, "claim_token": None, "claimed_until": None, "sending_at": at,
            "sent_body_hash": None, "reconcile": False, "correlation_id": None}


def _template(source: sa.Table, name: str, skip: set[str]) -> sa.Table:
    """A scratch table with the source's column types, for one INSERT … SELECT per table."""
    columns = [sa.Column(c.name, c.type) for c in source.c if c.name not in skip]
    return sa.Table(name, sa.MetaData(), *columns, sa.Column("variant", sa.Integer))


def _copy_sql(target: sa.Table, template: sa.Table, computed: dict[str, str], source: str) -> str:
    """INSERT INTO target SELECT template values (plus computed ones) for each row of `source`."""
    names = [c.name for c in template.c if c.name != "variant"] + list(computed)
    values = [f"t.{c.name}" for c in template.c if c.name != "variant"] + list(computed.values())
    return (f"INSERT INTO {target.name} ({', '.join(names)}) {source.format(values=', '.join(values))}")


def load_study(app: Flask, participants: int, due: int) -> None:
    """Bulk-load the study (setup, not what is measured): a template row, copied by the database.

    SQLAlchemy's per-value type processing would take minutes for two million occasions, so
    each table gets a few template rows (stored through SQLAlchemy, in its formats) that one
    INSERT … SELECT multiplies; only the due participants' occasions are written one by one.
    """
    tables = db.Model.metadata.tables
    people, occasions, messages = tables["participants"], tables["occasions"], tables["messages"]
    phone = crypto.encrypt("+8613123400000", app.config["DATA_KEY"], "participant.phone")
    warm = range(participants + 1, participants + 1 + WARM_UP_PARTICIPANTS)
    last = warm[-1]
    person_t = _template(people, "bench_participant", {"id", "study_id", "phone_index"})
    occasion_t = _template(occasions, "bench_occasion", {"id", "participant_id"})
    message_t = _template(messages, "bench_message", {"id", "participant_id", "provider_sid",
                                                      "idempotency_key"})
    numbers = ("WITH RECURSIVE n(id) AS (SELECT 1 UNION ALL SELECT id + 1 FROM n "
               f"WHERE id < {last}) SELECT {{values}} FROM n CROSS JOIN {person_t.name} t")
    with db.engine.begin() as conn:
        for template in (person_t, occasion_t, message_t):
            template.create(conn)
        conn.execute(sa.insert(tables["sites"]), [{"id": 1, "code": "301", "name": "Bench site",
                                                    "timezone": "Asia/Shanghai",
                                                    "emergency_number": "120", "created_at": NOW}])
        person = _participant(0, 1, phone)
        conn.execute(sa.insert(person_t), [{k: v for k, v in person.items() if k in person_t.c}])
        conn.execute(sa.text(_copy_sql(people, person_t, {
            "id": "n.id", "study_id": "'B' || n.id", "phone_index": "'bench-' || n.id"}, numbers)))
        conn.execute(sa.insert(occasion_t), [
            {**{k: v for k, v in row.items() if k != "participant_id"}, "variant": variant}
            for variant in range(5) for row in occasions_of(variant, None)])
        conn.execute(sa.text(_copy_sql(occasions, occasion_t, {"participant_id": "p.id"},
                                       "SELECT {values} FROM participants p JOIN bench_occasion t "
                                       f"ON t.variant = p.id % 5 WHERE p.id > {due} "
                                       f"AND p.id < {warm[0]}")))
        special = [*range(1, due + 1), *warm]
        conn.execute(sa.insert(occasions), [
            row for pid in special for row in occasions_of(pid, NOW if pid <= due else WARM_UP)])
        conn.execute(sa.insert(message_t), [
            {**{k: v for k, v in _message(0, n).items() if k in message_t.c}, "variant": n}
            for n in range(MESSAGES_EACH)])
        conn.execute(sa.text(_copy_sql(messages, message_t, {
            "participant_id": "p.id", "provider_sid": "'SMOLD' || p.id || '-' || t.variant",
            "idempotency_key": "'old:' || p.id || ':' || t.variant"},
            "SELECT {values} FROM participants p CROSS JOIN bench_message t")))
        for template in (person_t, occasion_t, message_t):
            template.drop(conn)
        if conn.dialect.name == "postgresql":
            for table, value in (("sites", 1), ("participants", last)):
                conn.execute(sa.text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), {value})"))
    _analyze()


def _analyze() -> None:
    """Fresh planner statistics, as autovacuum (PostgreSQL) or a periodic ANALYZE would keep."""
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(sa.text("ANALYZE"))


def retire_warm_up(participants: int) -> None:
    """Leave nothing due from the warm-up participants at NOW."""
    first, last = participants + 1, participants + WARM_UP_PARTICIPANTS
    with db.engine.begin() as conn:
        conn.execute(sa.text("UPDATE occasions SET status = 'completed', next_reminder_at = NULL "
                             "WHERE participant_id BETWEEN :a AND :b"), {"a": first, "b": last})


class StatementLog:
    """Collect the claim queries (SELECT … LIMIT on occasions and messages) a tick runs."""

    def __init__(self) -> None:
        self.claims: dict[str, tuple[str, Any]] = {}

    def __call__(self, conn: Any, cursor: Any, statement: str, parameters: Any, context: Any,
                 executemany: bool) -> None:
        flat = " ".join(statement.split())
        if flat.startswith("SELECT") and "LIMIT" in flat and ("FROM occasions" in flat
                                                               or "FROM messages" in flat):
            where = flat.split(" WHERE ", 1)[1].split(" ORDER BY")[0] if " WHERE " in flat else flat
            self.claims.setdefault(where, (statement, parameters))


def measure_tick(app: Flask) -> tuple[float, dict[str, float], dict[str, int], StatementLog]:
    """Run every job once at NOW, timing each; return the total, per job, counts and claims."""
    gateway, log = NullGateway(), StatementLog()
    per_job: dict[str, float] = {}
    counts: dict[str, int] = {}
    sa.event.listen(db.engine, "before_cursor_execute", log)
    try:
        for job in JOBS:
            started = time.perf_counter()
            for key, value in run_job(app, job, gateway, NOW).items():
                counts[key] = counts.get(key, 0) + value
            per_job[job.name] = time.perf_counter() - started
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", log)
    return sum(per_job.values()), per_job, counts, log


def explain(app: Flask, log: StatementLog) -> list[str]:
    """The plan of each claim query with the tick's parameters (PostgreSQL: run, then rolled back)."""
    lines = []
    with app.app_context(), db.engine.connect() as conn:
        postgres = conn.dialect.name == "postgresql"
        prefix = "EXPLAIN (ANALYZE, BUFFERS, TIMING OFF) " if postgres else "EXPLAIN QUERY PLAN "
        for where, (statement, parameters) in log.claims.items():
            lines.append(f"  -- WHERE {where[:110]}")
            rows = conn.exec_driver_sql(prefix + statement, parameters).all()
            lines += [f"     {' '.join(str(c) for c in row[-1:])}" for row in rows]
            conn.rollback()
    return lines


@contextmanager
def sqlite_database() -> Iterator[str]:
    with tempfile.TemporaryDirectory(prefix="pro-bench-") as folder:
        yield f"sqlite:///{folder}/bench.sqlite3"


@contextmanager
def postgres_database(admin_url: str) -> Iterator[str]:
    base = admin_url.replace("postgresql://", "postgresql+psycopg://")
    name = f"pro_bench_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield base.rsplit("/", 1)[0] + "/" + name
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def restore_due_work(due: int) -> None:
    """Put the due participants back as they were before the tick, for another measurement."""
    tables = db.Model.metadata.tables
    with db.engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM occasion_links"))
        conn.execute(sa.delete(tables["messages"]).where(tables["messages"].c.created_at >= NOW))
        conn.execute(sa.delete(tables["occasions"]).where(tables["occasions"].c.participant_id <= due))
        conn.execute(sa.insert(tables["occasions"]),
                     [row for pid in range(1, due + 1) for row in occasions_of(pid, NOW)])


@dataclass
class Study:
    """One loaded study and its timed ticks."""

    size: int
    app: Flask
    loaded: float
    runs: list[tuple[float, dict[str, float], dict[str, int], StatementLog]] = field(
        default_factory=list)


def prepare(url: str, participants: int, due: int) -> Study:
    """Load a study and warm it up: every statement compiled once, nothing due but the due work."""
    app = create_app({"ENV": "test", "DATABASE_URL": url, "SMS_GATEWAY": "console"})
    with app.app_context():
        db.drop_all()
        db.create_all()
        started = time.perf_counter()
        load_study(app, participants, due)
        loaded = time.perf_counter() - started
    for job in JOBS:  # the warm-up participants' work
        run_job(app, job, NullGateway(), WARM_UP)
    with app.app_context():
        retire_warm_up(participants)
    return Study(participants, app, loaded)


def measure(study: Study, due: int) -> None:
    with study.app.app_context():
        if study.runs:
            restore_due_work(due)
        study.runs.append(measure_tick(study.app))


def report(study: Study, due: int) -> tuple[float, list[str]]:
    """Print the median tick and its jobs; return the median and the claim plans."""
    with study.app.app_context():
        restore_due_work(due)  # so the plans below run against the work a tick finds
        plans = explain(study.app, study.runs[-1][3])
        db.engine.dispose()
    runs = sorted(study.runs, key=lambda run: run[0])
    total, per_job, counts, _ = runs[len(runs) // 2]
    jobs = "  ".join(f"{name} {seconds * 1000:.0f}" for name, seconds in per_job.items())
    shown = {k: v for k, v in counts.items() if v}
    print(f"  {study.size:>7,} participants ({study.size * OCCASIONS_EACH:,} occasions, "  # noqa: T201
          f"loaded in {study.loaded:.0f} s): tick {total * 1000:.0f} ms median of {len(runs)} "
          f"(min {runs[0][0] * 1000:.0f}, max {runs[-1][0] * 1000:.0f})  [{jobs} ms]  {shown}")
    return total, plans


def run_backend(label: str, url_factory: Any, sizes: list[int], due: int, repeat: int) -> None:
    """Load every size, then time their ticks interleaved (A/B, order flipped each round), so
    machine noise falls on all sizes alike; report the medians and their ratio."""
    print(f"\n{label}: one tick, {due} participants with due work")  # noqa: T201
    with ExitStack() as stack:
        studies = [prepare(stack.enter_context(url_factory()), size, due) for size in sizes]
        for n in range(repeat):
            for study in (studies if n % 2 == 0 else studies[::-1]):
                measure(study, due)
        results = [report(study, due) for study in studies]
    times = [seconds for seconds, _ in results]
    if len(times) > 1:
        print(f"  ratio {sizes[-1]:,}/{sizes[0]:,}: {times[-1] / times[0]:.2f}  (goal ≤ 1.5)")  # noqa: T201
    print(f"  claim query plans at {sizes[-1]:,} participants:")  # noqa: T201
    print("\n".join(results[-1][1]))  # noqa: T201


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--due", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--postgres-url", default=os.environ.get(
        "PRO_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"))
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    before = os.getloadavg()[0]
    run_backend("SQLite", sqlite_database, sizes, args.due, args.repeat)
    if not args.no_postgres:
        run_backend("PostgreSQL", lambda: postgres_database(args.postgres_url), sizes, args.due,
                    args.repeat)
    print(f"\nmachine load {before:.2f} before, {os.getloadavg()[0]:.2f} after "  # noqa: T201
          "(1-min average: the noise other work put on these figures)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
