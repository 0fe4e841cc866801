"""Peak memory and speed of streaming the item-level export: 100,000 vs 1,000,000 item answers.

Each size gets its own SQLite study (participants × BL…W48 × EQ-5D-5L and CLDQ, every
occasion completed: 210 item rows a participant), then a fresh worker process builds the app
and streams `GET /api/exports/items?format=csv` through WSGI, reading and discarding the body
as a client would. The worker reports its peak resident set (VmHWM) and rows per second.
Goal: peak RSS under 150 MB at 1,000,000 rows and at most 10 % above the 100,000-row run
(the stream holds one batch of participants, not the file).

Run: .venv/bin/python bench/export_memory.py [--sizes 100000,1000000]
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

ENROLLED = datetime(2025, 1, 4, 2, 0, tzinfo=UTC)  # in the past: a cut may not be in the future
BASELINE = date(2025, 1, 11)
TIMEPOINTS = (("BL", 0), ("W4", 28), ("W12", 84), ("W24", 168), ("W36", 252), ("W48", 336))
ITEMS_EACH = len(TIMEPOINTS) * (6 + 29)
CUT = "2026-06-01T00:00:00Z"


def _answers(instrument: str, n: int) -> dict[str, int]:
    if instrument == "EQ5D5L":
        levels = {d: 1 + (n + i) % 5 for i, d in enumerate(("MO", "SC", "UA", "PD", "AD"))}
        return {**levels, "VAS": 40 + n % 60}
    return {f"CLDQ{i:02d}": 1 + (n + i) % 7 for i in range(1, 30)}


def build_study(url: str, participants: int) -> str:
    """Create the study in a fresh SQLite file; return an analyst's API token."""
    import sqlalchemy as sa

    from pro_service import create_app
    from pro_service.extensions import db
    from pro_service.participants.models import Participant
    from pro_service.responses.models import Response
    from pro_service.schedule.models import Occasion
    from pro_service.staff import service as staff

    app = create_app({"ENV": "test", "DATABASE_URL": url, "TESTING": True})
    with app.app_context():
        db.create_all()
        site = staff.create_site(code="302", name="Bench hospital", now=ENROLLED)
        staff.create_staff(name="Bench analyst", email="analyst@bench.test", role="analyst",
                           site_codes=[], now=ENROLLED, data_key=app.config["DATA_KEY"],
                           index_key=app.config["INDEX_KEY"])
        token = staff.issue_token(email="analyst@bench.test", now=ENROLLED)
        site_id = site.id
        db.session.remove()  # end the services' transaction before the bulk load
        people, occasions, responses = [], [], []
        for pid in range(1, participants + 1):
            people.append({"id": pid, "study_id": f"B{pid:06d}", "site_id": site_id,
                           "phone_enc": b"bench", "phone_index": f"bench-{pid}",
                           "language": "zh-CN", "timezone": "Asia/Shanghai", "status": "active",
                           "channel": "sms_chat", "baseline": BASELINE, "infusion_1": BASELINE,
                           "created_at": ENROLLED, "updated_at": ENROLLED})
            for code, day in TIMEPOINTS:
                target = BASELINE + timedelta(days=day)
                opens = datetime(target.year, target.month, target.day, tzinfo=UTC) - timedelta(days=3)
                for instrument in ("EQ5D5L", "CLDQ"):
                    oid = len(occasions) + 1
                    done = opens + timedelta(days=1, hours=pid % 10)
                    occasions.append({"id": oid, "participant_id": pid, "timepoint": code,
                                      "instrument": instrument, "anchor": "baseline",
                                      "target_date": target, "opens_at": opens,
                                      "closes_at": opens + timedelta(days=7),
                                      "status": "completed", "opened_at": opens, "ended_at": done,
                                      "reminders_sent": 0, "created_at": ENROLLED,
                                      "updated_at": done})
                    responses.append({"occasion_id": oid, "participant_id": pid,
                                      "instrument": instrument, "instrument_version": "1.0",
                                      "channel": "sms" if pid % 2 else "web",
                                      "status": "complete", "version": 1, "superseded": False,
                                      "answers": _answers(instrument, pid + oid),
                                      "actor": "bench", "started_at": opens,
                                      "submitted_at": done})
        with db.engine.begin() as conn:
            for table, rows in ((Participant.__table__, people), (Occasion.__table__, occasions),
                                (Response.__table__, responses)):
                for start in range(0, len(rows), 20_000):
                    conn.execute(sa.insert(table), rows[start:start + 20_000])
        db.session.remove()
        db.engine.dispose()
    return token


def worker(url: str, token: str) -> None:
    """Stream the export in this process and print rows, seconds and peak RSS as JSON."""
    from pro_service import create_app

    app = create_app({"ENV": "test", "DATABASE_URL": url, "TESTING": True,
                      "RATELIMIT_ENABLED": False})
    client = app.test_client()
    before = _vm("VmRSS")
    started = time.perf_counter()
    resp = client.get("/api/exports/items", query_string={"as_of": CUT},
                      headers={"Authorization": f"Bearer {token}"}, buffered=False)
    if resp.status_code != 200:
        raise SystemExit(f"export refused: {resp.status_code} {resp.get_data(as_text=True)}")
    lines = size = 0
    last = b""
    for chunk in resp.response:
        lines += chunk.count(b"\n")
        size += len(chunk)
        last = chunk
    resp.close()
    seconds = time.perf_counter() - started
    print(json.dumps({"rows": lines - 2, "bytes": size, "seconds": seconds,
                      "rss_before_kb": before, "peak_rss_kb": _vm("VmHWM"),
                      "end_line": last.decode().strip().splitlines()[-1][:60]}))


def _vm(key: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1])
    return 0


def measure(rows: int, folder: Path) -> dict[str, Any]:
    participants = math.ceil(rows / ITEMS_EACH)
    url = f"sqlite:///{folder / f'export_{rows}.sqlite3'}"
    t0 = time.perf_counter()
    token = build_study(url, participants)
    built = time.perf_counter() - t0
    out = subprocess.run([sys.executable, __file__, "--worker", url, token],  # noqa: S603
                         capture_output=True, text=True, check=True, cwd=REPO)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    return {**result, "participants": participants, "build_seconds": built}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--worker", nargs=2, metavar=("URL", "TOKEN"))
    args = parser.parse_args()
    if args.worker:
        worker(*args.worker)
        return
    sizes = [int(s) for s in args.sizes.split(",")]
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for rows in sizes:
            r = measure(rows, Path(tmp))
            results.append(r)
            print(f"{r['rows']:>9,} item rows ({r['participants']:,} participants): "
                  f"{r['seconds']:.1f} s, {r['rows'] / r['seconds']:,.0f} rows/s, "
                  f"{r['bytes'] / 1e6:.0f} MB CSV, RSS before {r['rss_before_kb'] / 1024:.1f} MB, "
                  f"peak RSS {r['peak_rss_kb'] / 1024:.1f} MB; last line {r['end_line']!r}",
                  flush=True)
    if len(results) >= 2:
        small, large = results[0], results[-1]
        ratio = large["peak_rss_kb"] / small["peak_rss_kb"]
        print(f"peak RSS ratio {large['rows']:,}/{small['rows']:,} rows: {ratio:.3f} "
              f"(goal <= 1.10); peak at {large['rows']:,}: {large['peak_rss_kb'] / 1024:.1f} MB "
              "(goal < 150 MB)")


if __name__ == "__main__":
    main()
