"""Outbox send rate of one dispatcher at a given provider latency, on SQLite and PostgreSQL.

Queues N staff notes, makes the fake Twilio server answer every create after `--latency`
seconds, and times one dispatch pass through the real twilio library at each concurrency.
Prints messages/s and the ratio to the ideal (concurrency / latency); the goal is at least
20 messages/s per process at 200 ms (DESIGN §10). Not a test: figures depend on the machine.

Run: .venv/bin/python bench/send_throughput.py [--messages 200] [--latency 0.2]
     [--concurrency 1,4,8,16] [--postgres-url postgresql://postgres@127.0.0.1:5432/test | --no-postgres]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import sqlalchemy as sa  # noqa: E402

from pro_service import create_app  # noqa: E402
from pro_service.extensions import db  # noqa: E402
from pro_service.messages.fake_twilio import FakeTwilio  # noqa: E402
from pro_service.messages.gateway import TwilioGateway  # noqa: E402
from pro_service.messages.service import queue_message  # noqa: E402
from pro_service.staff import service as staff  # noqa: E402
from scheduler.jobs import send_outbox  # noqa: E402

NOW = datetime(2027, 1, 4, 2, 0, tzinfo=UTC)


def run(url: str, messages: int, latency: float, concurrencies: list[int]) -> None:
    app = create_app({"ENV": "test", "DATABASE_URL": url, "TESTING": True})
    with app.app_context(), FakeTwilio() as fake:
        db.create_all()
        staff.create_site(code="302", name="Hospital 302", now=NOW)
        member = staff.create_staff(name="bench", email="bench@example.test", role="coordinator",
                                    site_codes=["302"], now=NOW, data_key=app.config["DATA_KEY"],
                                    index_key=app.config["INDEX_KEY"], alert_phone="+8613123409999")
        gateway = TwilioGateway(account_sid=fake.account_sid, auth_token=fake.auth_token,
                                messaging_service_sid=None, from_number="+15005550006",
                                status_callback=None, api_base_url=fake.url, timeout=5.0)
        fake.latency = latency
        for concurrency in concurrencies:
            for n in range(messages):
                queue_message(kind="staff_note", body=f"c{concurrency} n{n}", now=NOW, staff_id=member.id)
            db.session.commit()
            app.config["SEND_CONCURRENCY"] = concurrency
            started = time.perf_counter()
            counts = send_outbox(app, NOW, gateway)
            rate = counts["sent"] / (time.perf_counter() - started)
            ideal = concurrency / latency
            print(f"{db.engine.dialect.name:10} concurrency {concurrency:2d}: {rate:6.1f} msg/s "  # noqa: T201
                  f"(ideal {ideal:5.1f}, ratio {rate / ideal:.2f}), sent {counts['sent']}/{messages}")
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=200)
    parser.add_argument("--latency", type=float, default=0.2)
    parser.add_argument("--concurrency", default="1,4,8,16")
    parser.add_argument("--postgres-url", default="postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    levels = [int(c) for c in args.concurrency.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        run(f"sqlite:///{tmp}/bench.sqlite3", args.messages, args.latency, levels)
    if args.no_postgres:
        return
    base = args.postgres_url.replace("postgresql://", "postgresql+psycopg://")
    name = f"pro_bench_send_{uuid.uuid4().hex[:6]}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        run(base.rsplit("/", 1)[0] + "/" + name, args.messages, args.latency, levels)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


if __name__ == "__main__":
    main()
