"""Time the staff workspace pages with 240 participants at 5 sites and 48 weeks of history.

Seeds a private SQLite database with `demo seed --full`'s data (or reuses one given with
--database), then requests each page through the app (server time: routing, services, SQL and
templates; no network) and prints the median of --repeat runs and the SQL statements each
page issued. The same pages on a 10-participant study are measured too: the statement counts
must be equal (no N+1) and the time ratio shows how much the page grows with the study.

Run: .venv/bin/python bench/dashboard_pages.py [--repeat 7] [--database sqlite:////tmp/x.sqlite3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import sqlalchemy as sa  # noqa: E402
from flask import Flask  # noqa: E402

from pro_service import create_app  # noqa: E402
from pro_service.core import clock  # noqa: E402
from pro_service.demo_seed import seed_full  # noqa: E402
from pro_service.extensions import db  # noqa: E402
from pro_service.participants.service import Keys  # noqa: E402
from pro_service.staff import service as staff  # noqa: E402
from pro_service.staff.models import StaffUser  # noqa: E402

PAGES = [
    ("participants list", "/dashboard/participants"),
    ("participants, overdue", "/dashboard/participants?overdue=true"),
    ("participant page", "/dashboard/participants/{pid}"),
    ("status grid EQ-5D", "/dashboard/status"),
    ("status grid all", "/dashboard/status?instrument=all"),
    ("enrol form", "/dashboard/participants/new"),
    ("staff and sites", "/dashboard/admin"),
    ("audit log", "/dashboard/audit"),
]
COORDINATOR_PAGES = PAGES[:5]
LOGINS = {"admin": "admin@demo.test", "coordinator": "coordinator@demo.test"}  # as `demo seed --full`


def build(url: str, per_site: int, seed: bool) -> Flask:
    app = create_app({"DATABASE_URL": url, "RATELIMIT_ENABLED": False})
    with app.app_context():
        if seed:
            db.create_all()
            now = clock.now()
            keys = Keys(app.config["DATA_KEY"], app.config["INDEX_KEY"])
            started = time.perf_counter()
            totals = seed_full(now=now, keys=keys, instruments=app.extensions["pro.instruments"],
                               per_site=per_site)
            for role, sites in (("admin", []), ("coordinator", ["302"])):
                staff.create_staff(name=f"bench {role}", email=LOGINS[role], role=role, site_codes=sites,
                                   now=now)
            print(f"seeded {totals} in {time.perf_counter() - started:.0f} s")
    return app


def measure(app: Flask, role: str, pages: list[tuple[str, str]],
            repeat: int) -> dict[str, tuple[float, float, int]]:
    """Median wall and CPU time (ms) and SQL statements of each page for one role.

    CPU time (this process: Python, templates and SQLite's own work) is the cost of the page;
    wall time also holds waiting for a shared machine's cores.
    """
    client = app.test_client()
    with app.app_context():
        user_id = db.session.scalar(sa.select(StaffUser.id).where(StaffUser.email == LOGINS[role]))
        pid = "302-0001"
    with client.session_transaction() as session:
        session["staff_id"] = user_id
    statements: list[str] = []
    out = {}
    with app.app_context():
        sa.event.listen(db.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    for name, path in pages:
        url = path.format(pid=pid)
        client.get(url)  # warm: templates compiled, statements cached
        times, cpu, counts = [], [], []
        for _ in range(repeat):
            statements.clear()
            started, started_cpu = time.perf_counter(), time.process_time()
            resp = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
            counts.append(len(statements))
            assert resp.status_code == 200, (url, resp.status_code)
        out[name] = (statistics.median(times), statistics.median(cpu), max(counts))
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--database", help="a database seeded by `flask demo seed --full` to reuse")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        small = build(f"sqlite:///{tmp}/small.sqlite3", per_site=2, seed=True)
        full_url = args.database or f"sqlite:///{tmp}/full.sqlite3"
        full = build(full_url, per_site=48, seed=args.database is None)
        print(f"\n{'page':24} {'role':12} {'wall 10':>8} {'wall 240':>9} {'cpu 10':>7} {'cpu 240':>8} "
              f"{'ratio':>6} {'SQL 10':>7} {'SQL 240':>8}   (ms; ratio of CPU 240/10)")
        worst = worst_wall = 0.0
        for role, pages in (("admin", PAGES), ("coordinator", COORDINATOR_PAGES)):
            few, many = measure(small, role, pages, args.repeat), measure(full, role, pages, args.repeat)
            for name, _path in pages:
                (w1, c1, q1), (w2, c2, q2) = few[name], many[name]
                worst, worst_wall = max(worst, c2), max(worst_wall, w2)
                print(f"{name:24} {role:12} {w1:8.1f} {w2:9.1f} {c1:7.1f} {c2:8.1f} {c2 / c1:6.2f} "
                      f"{q1:7d} {q2:8d}{'' if q1 == q2 else '  <- statements differ'}")
        print(f"\nslowest page at 240 participants: {worst:.0f} ms CPU, {worst_wall:.0f} ms wall "
              "(goal < 300 ms)")


if __name__ == "__main__":
    main()
