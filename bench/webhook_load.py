"""Load the inbound SMS webhook beside a floor app and print both, as ratios, from one run.

Both apps run under the same gunicorn settings (2 sync workers unless --workers) against
private databases on the same PostgreSQL server; rate limiting is off. Requests are correctly
signed Twilio webhooks from enrolled participants with open questionnaires: a realistic mix of
answers, keywords and free text (a few with red-flag symptoms). Rounds alternate the two apps
(A/B interleaved, the order flipped every round) so machine noise falls on both; the medians
over rounds are reported, with the spread.

Measures: req/s at concurrency 8 and 32 (closed loop), p50/p99 latency at a fixed 100 req/s
(open loop: latency counted from each request's scheduled time, so queueing is not hidden).
Goal (issue F13): app/floor >= 0.6 at both concurrencies, p99 < 50 ms at 100 req/s.
Also prints where a request's CPU goes at concurrency 8 (gunicorn workers, PostgreSQL, this
load generator; Linux /proc), since all three share the machine's cores.

Run: .venv/bin/python bench/webhook_load.py [--postgres-url postgresql://postgres@127.0.0.1:5432/test]
     [--rounds 3] [--seconds 5] [--participants 1000] [--workers 2]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import aiohttp  # noqa: E402 - a twilio dependency
import sqlalchemy as sa  # noqa: E402
from twilio.request_validator import RequestValidator  # noqa: E402

TOKEN = "bench-auth-token-0123456789abcdef"  # noqa: S105 - a private bench credential
SECRETS = {"PRO_SECRET_KEY": "bench-secret-key-0123456789abcdefXYZ",
           "PRO_DATA_KEY": "bench-data-key-0123456789abcdefXYZ00",
           "PRO_INDEX_KEY": "bench-index-key-0123456789abcdefXYZ0"}
SENDER = "+8613123400999"
MIX = (["1", "2", "3", "1", "2", "4", "1", "5", "2", "3"] * 3  # answers
       + ["HELP", "帮助", "LATER"]  # keywords
       + ["今天感觉还可以，谢谢", "我有点累，睡得不好", "what does question 3 mean?",
          "肚子有点胀", "昨天去医院复查了"]  # free text
       + ["我今天吐血了"])  # a red flag now and then
APP_PORT, FLOOR_PORT = 18000, 18001


@contextmanager
def database(admin_url: str) -> Iterator[str]:
    name = f"pro_bench_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(admin_url.replace("postgresql://", "postgresql+psycopg://"),
                             isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin_url.rsplit("/", 1)[0] + "/" + name
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def app_env(url: str, port: int) -> dict[str, str]:
    return {**os.environ, **SECRETS, "PRO_ENV": "production", "PRO_DATABASE_URL": url,
            "PRO_PUBLIC_BASE_URL": f"http://127.0.0.1:{port}", "PRO_TWILIO_AUTH_TOKEN": TOKEN,
            "PRO_TWILIO_ACCOUNT_SID": "AC" + "0" * 32, "PRO_TWILIO_FROM": SENDER,
            "PRO_SMS_GATEWAY": "console", "PRO_RATELIMIT_ENABLED": "false",
            "PRO_LOG_LEVEL": "WARNING"}


def enrol(url: str, participants: int) -> list[str]:
    """Create the schema, 5 sites and the participants (baseline today: BL open); open occasions."""
    os.environ.update(app_env(url, APP_PORT))
    from pro_service import create_app
    from pro_service.extensions import db
    from pro_service.participants import service as participants_service
    from pro_service.staff import service as staff
    from scheduler.jobs import tick

    app = create_app()
    phones = []
    with app.app_context():
        db.create_all()
        from pro_service.core import clock

        now = clock.now()
        keys = participants_service.Keys(app.config["DATA_KEY"], app.config["INDEX_KEY"])
        for n, code in enumerate(("301", "302", "303", "304", "305")):
            staff.create_site(code=code, name=f"Hospital {code}", now=now, site_phone="+861012345678")
            # a coordinator and an investigator with alert phones: red flags notify someone, as in
            # a real site (with nobody on call the chain starts at the investigators)
            for m, role in enumerate(("coordinator", "investigator")):
                staff.create_staff(name=f"{role.title()} {code}", email=f"{role}{code}@bench.test",
                                   role=role, now=now, site_codes=[code],
                                   alert_phone=f"+86131236{2 * n + m:05d}",
                                   data_key=app.config["DATA_KEY"], index_key=app.config["INDEX_KEY"])
        # baseline is today where the participants live (the sites' zone), so BL is open at any hour
        today = datetime.now(ZoneInfo("Asia/Shanghai")).date()
        for n in range(participants):
            phone = f"+86131235{n:05d}"  # fictional range
            participants_service.enrol_participant(
                {"study_id": f"30{n % 5 + 1}-{n:04d}", "site": f"30{n % 5 + 1}", "phone": phone,
                 "language": "zh-CN" if n % 4 else "en", "baseline": today, "infusion_1": today},
                keys=keys, now=now, actor="bench")
            phones.append(phone)
        tick(app, now=now)
        db.session.remove()
        db.engine.dispose()
    return phones


@contextmanager
def gunicorn(target: str, port: int, env: dict[str, str],
             workers: int) -> Iterator[subprocess.Popen[bytes]]:
    # the workers' log goes to a file: an unread pipe fills up and blocks every worker
    log = tempfile.NamedTemporaryFile(prefix=f"bench-gunicorn-{port}-", suffix=".log", delete=False)
    proc = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "gunicorn", "--workers", str(workers), "--bind", f"127.0.0.1:{port}",
         "--log-level", "warning", "--timeout", "60", target],
        cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=log)
    try:
        _wait_listening(port, proc, Path(log.name))
        yield proc
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
        errors = [line for line in Path(log.name).read_text(errors="replace").splitlines()
                  if '"ERROR"' in line or "Traceback" in line]
        if errors:
            print(f"{target}: {len(errors)} error line(s) in {log.name}, first: {errors[0][:300]}")  # noqa: T201
        else:
            Path(log.name).unlink()


def _wait_listening(port: int, proc: subprocess.Popen[bytes], log: Path) -> None:
    import socket

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"gunicorn on {port} exited: {log.read_text()[-2000:]}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"gunicorn on {port} did not start")


class Requests:
    """An endless stream of signed webhook forms: participants take turns, each texting the mix
    in order from its own starting point, so every stretch of the stream has the whole mix.

    With enough participants (the default 1,000) nobody gets far through a questionnaire in a
    run, so the work per text stays the same from the first round to the last (with 100, most
    finished both questionnaires in the first round and later rounds measured "nothing open").
    """

    def __init__(self, phones: list[str], port: int) -> None:
        self.url = f"http://127.0.0.1:{port}/sms/inbound"
        self.validator = RequestValidator(TOKEN)
        self.sent = itertools.count()
        self.phones = phones

    def next(self) -> tuple[dict[str, str], str]:
        n = next(self.sent)
        who, turn = n % len(self.phones), n // len(self.phones)
        body = MIX[(turn + who * 7) % len(MIX)]
        form = {"MessageSid": "SM" + uuid.uuid4().hex, "AccountSid": "AC" + "0" * 32,
                "From": self.phones[who], "To": SENDER, "Body": body, "NumSegments": "1"}
        return form, self.validator.compute_signature(self.url, form)


def _processes() -> Iterator[tuple[int, int, str, float]]:
    """(pid, parent pid, command name, CPU seconds used) of every process (Linux /proc)."""
    tick = os.sysconf("SC_CLK_TCK")
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # ended meanwhile
            continue
        name = stat[stat.index("(") + 1:stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2:].split()
        yield int(entry.name), int(fields[1]), name, (int(fields[11]) + int(fields[12])) / tick


def cpu_split(server: int) -> tuple[float, float, float]:
    """CPU seconds used so far by the gunicorn `server` and its workers, by every PostgreSQL
    process, and by this load generator: read before and after a run, the difference says
    where a request's CPU goes (the machine's cores are shared by all three)."""
    procs = list(_processes())
    tree, grew = {server}, True
    while grew:
        grew = False
        for pid, parent, _, _ in procs:
            if parent in tree and pid not in tree:
                tree.add(pid)
                grew = True
    workers = sum(cpu for pid, _, _, cpu in procs if pid in tree)
    postgres = sum(cpu for _, _, name, cpu in procs if name.startswith("postgres"))
    own = resource.getrusage(resource.RUSAGE_SELF)
    return workers, postgres, own.ru_utime + own.ru_stime


TIMEOUT = aiohttp.ClientTimeout(total=15)  # Twilio's own limit: a slower answer is a lost one


async def _post(session: aiohttp.ClientSession, reqs: Requests) -> int:
    """The answer's status; 599 for a request Twilio would have given up on (counted, not fatal)."""
    form, signature = reqs.next()
    try:
        async with session.post(reqs.url, data=form, headers={"X-Twilio-Signature": signature},
                                timeout=TIMEOUT) as r:
            await r.read()
            return r.status
    except (TimeoutError, aiohttp.ClientError):
        return 599


async def closed_loop(reqs: Requests, concurrency: int, seconds: float) -> tuple[float, int]:
    """Requests per second with `concurrency` clients each sending as soon as answered."""
    done, errors = 0, 0
    stop = time.perf_counter() + seconds
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:
        async def client() -> None:
            nonlocal done, errors
            while time.perf_counter() < stop:
                status = await _post(session, reqs)
                done += 1
                errors += status != 200

        start = time.perf_counter()
        await asyncio.gather(*(client() for _ in range(concurrency)))
        return done / (time.perf_counter() - start), errors


async def fixed_rate(reqs: Requests, rate: float, seconds: float) -> tuple[list[float], int]:
    """Latencies (s) at an open-loop `rate`, each from its scheduled start."""
    latencies: list[float] = []
    errors = 0
    connector = aiohttp.TCPConnector(limit=256)
    async with aiohttp.ClientSession(connector=connector) as session:
        async def one(at: float) -> None:
            nonlocal errors
            await asyncio.sleep(max(0.0, at - time.perf_counter()))
            status = await _post(session, reqs)
            latencies.append(time.perf_counter() - at)
            errors += status != 200

        start = time.perf_counter() + 0.2
        await asyncio.gather(*(one(start + i / rate) for i in range(int(rate * seconds))))
    return latencies, errors


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--postgres-url", default="postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--participants", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    args.load_before = os.getloadavg()[0]  # the noise other work puts on the figures
    results: dict[tuple[str, str], list[float]] = {}
    latencies: dict[str, list[float]] = {"app": [], "floor": []}
    errors: dict[str, int] = {"app": 0, "floor": 0}
    cpu: dict[str, list[tuple[float, ...]]] = {"app": [], "floor": []}
    with database(args.postgres_url) as app_db, database(args.postgres_url) as floor_db:
        phones = enrol(app_db, args.participants)
        from bench.floor_app import TABLE

        engine = sa.create_engine(floor_db.replace("postgresql://", "postgresql+psycopg://"))
        TABLE.metadata.create_all(engine)
        engine.dispose()
        targets = {"app": ("wsgi:app", APP_PORT, app_env(app_db, APP_PORT)),
                   "floor": ("bench.floor_app:app", FLOOR_PORT, app_env(floor_db, FLOOR_PORT))}
        with gunicorn(*targets["app"], args.workers) as app_server, \
                gunicorn(*targets["floor"], args.workers) as floor_server:
            servers = {"app": app_server.pid, "floor": floor_server.pid}
            streams = {name: Requests(phones, port) for name, (_, port, _) in targets.items()}
            for name in streams:  # warm up: connections, compiled statements, imports
                asyncio.run(closed_loop(streams[name], 4, 1.0))
            print(f"{len(phones)} participants enrolled; both apps answering", flush=True)  # noqa: T201
            for rnd in range(args.rounds):
                order = ("app", "floor") if rnd % 2 == 0 else ("floor", "app")
                for name in order:
                    for c in (8, 32):
                        before = cpu_split(servers[name])
                        rps, err = asyncio.run(closed_loop(streams[name], c, args.seconds))
                        after = cpu_split(servers[name])
                        results.setdefault((name, f"c{c}"), []).append(rps)
                        errors[name] += err
                        if c == 8:  # CPU ms per request: workers, PostgreSQL, load generator
                            done = rps * args.seconds
                            cpu[name].append(tuple(1000 * (b - a) / done
                                                   for a, b in zip(before, after, strict=True)))
                    lat, err = asyncio.run(fixed_rate(streams[name], 100, args.seconds * 2))
                    latencies[name].extend(lat)
                    errors[name] += err
                print(f"round {rnd + 1}/{args.rounds} done", flush=True)  # noqa: T201
    report(results, latencies, errors, args)
    report_cpu(cpu)
    return 0


def report(results: dict[tuple[str, str], list[float]], latencies: dict[str, list[float]],
           errors: dict[str, int], args: argparse.Namespace) -> None:
    out = print  # noqa: T202 - a benchmark prints its figures
    out(f"\nwebhook vs floor: gunicorn {args.workers} sync workers, PostgreSQL, "
        f"{args.participants} participants, {args.rounds} interleaved rounds of {args.seconds:g} s; "
        f"machine load {args.load_before:.2f} before, {os.getloadavg()[0]:.2f} after (1-min average)")
    for c in ("c8", "c32"):
        app, floor = results[("app", c)], results[("floor", c)]
        ratio = statistics.median(app) / statistics.median(floor)
        out(f"  concurrency {c[1:]:>2}: app {statistics.median(app):6.1f} req/s "
            f"(rounds {', '.join(f'{v:.0f}' for v in app)}) · floor {statistics.median(floor):6.1f} req/s "
            f"(rounds {', '.join(f'{v:.0f}' for v in floor)}) · ratio {ratio:.2f} (goal >= 0.6)")
    for name in ("app", "floor"):
        lat = latencies[name]
        out(f"  100 req/s fixed rate, {name:>5}: p50 {pct(lat, 0.5) * 1000:6.1f} ms · "
            f"p99 {pct(lat, 0.99) * 1000:6.1f} ms (n={len(lat)})")
    out(f"  non-200 answers: app {errors['app']}, floor {errors['floor']}")
    out("  goal: p99 of the app < 50 ms at 100 req/s")


def report_cpu(cpu: dict[str, list[tuple[float, ...]]]) -> None:
    """Where a request's CPU goes at concurrency 8 (medians over rounds). With the cores busy,
    the req/s ratio tends to the inverse ratio of the totals: the ceiling the app's own
    work leaves, whatever else is tuned."""
    out = print  # noqa: T202
    totals = {}
    for name in ("app", "floor"):
        parts = [statistics.median(run[i] for run in cpu[name]) for i in range(3)]
        totals[name] = sum(parts)
        out(f"  CPU per request at c=8, {name:>5}: gunicorn workers {parts[0]:.2f} ms · "
            f"PostgreSQL {parts[1]:.2f} ms · load generator {parts[2]:.2f} ms · "
            f"total {totals[name]:.2f} ms")
    out(f"  floor/app CPU per request: {totals['floor'] / totals['app']:.2f} "
        "(the req/s ratio's ceiling once the cores are saturated)")


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
