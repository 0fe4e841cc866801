"""Profile the inbound SMS webhook in-process: SQL statements per request and where time goes.

Builds the app against a private PostgreSQL database (enrolled like bench/webhook_load.py),
posts the load mix as signed forms through the Flask test client and prints the statements per
request (a `before_cursor_execute` listener) and, with --profile, the top cProfile entries.

Run: .venv/bin/python bench/webhook_profile.py [--requests 200] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import collections
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import sqlalchemy as sa  # noqa: E402

from bench.webhook_load import APP_PORT, MIX, Requests, database, enrol  # noqa: E402


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--postgres-url", default="postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--participants", type=int, default=5)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--sort", default="cumulative", help="pstats order: cumulative or tottime")
    parser.add_argument("--show", action="store_true", help="print each body's statements once")
    parser.add_argument("--dump", metavar="FILE", help="with --profile: also write the raw profile (pstats) here")
    args = parser.parse_args(argv)
    with database(args.postgres_url) as url:
        phones = enrol(url, args.participants)
        from pro_service import create_app
        from pro_service.extensions import db
        from pro_service.wiring import prepare_worker

        app = create_app()
        if not os.environ.get("BENCH_NO_PREPARE"):
            prepare_worker()  # as wsgi.py does in each server worker
        client = app.test_client()
        reqs = Requests(phones, APP_PORT)
        statements: list[str] = []
        by_body: dict[str, list[int]] = collections.defaultdict(list)
        cpu_by_body: dict[str, list[float]] = collections.defaultdict(list)
        with app.app_context():
            sa.event.listen(db.engine, "before_cursor_execute",
                            lambda *a: statements.append(" ".join(a[2].split())[:160]))
            checkouts = [0]
            sa.event.listen(db.engine, "checkout", lambda *a: checkouts.__setitem__(0, checkouts[0] + 1))
        for _ in range(10):  # warm up
            form, sig = reqs.next()
            client.post("/sms/inbound", data=form, headers={"X-Twilio-Signature": sig})
        statements.clear()
        shown: set[str] = set()
        prof = cProfile.Profile(time.process_time) if args.profile else None
        start, cpu_start = time.perf_counter(), time.process_time()
        blocks, block_start = [], cpu_start  # CPU per request in blocks of 250: the best is the least noisy
        for n in range(args.requests):
            if n and n % 250 == 0:
                blocks.append((time.process_time() - block_start) / 250)
                block_start = time.process_time()
            form, sig = reqs.next()
            before, cpu_before = len(statements), time.process_time()
            if prof:
                prof.enable()
            r = client.post("/sms/inbound", data=form, headers={"X-Twilio-Signature": sig})
            if prof:
                prof.disable()
            assert r.status_code == 200, r.data
            by_body[form["Body"]].append(len(statements) - before)
            cpu_by_body[form["Body"]].append(time.process_time() - cpu_before)
            if args.show and form["Body"] not in shown:
                shown.add(form["Body"])
                print(f"-- {form['Body']!r}", *statements[before:], sep="\n   ", file=sys.stderr)  # noqa: T201
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu_start
        kinds = collections.Counter(s.split()[0] for s in statements)
        print(f"{args.requests} requests, {elapsed / args.requests * 1000:.2f} ms each in-process "  # noqa: T201
              f"({cpu / args.requests * 1000:.2f} ms of this process's CPU, best block "
              f"{min(blocks, default=float('nan')) * 1000:.2f} ms); "
              f"{len(statements) / args.requests:.2f} SQL statements per request {dict(kinds)}")
        for body in MIX:
            if body in by_body:
                counts, cpu_each = by_body.pop(body), cpu_by_body.pop(body)
                print(f"  {body!r:40} {sum(counts) / len(counts):.1f} statements, "  # noqa: T201
                      f"{statistics.median(cpu_each) * 1000:.2f} ms CPU (median)")
        if prof:
            pstats.Stats(prof).sort_stats(args.sort).print_stats(35)
            if args.dump:
                prof.dump_stats(args.dump)
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
