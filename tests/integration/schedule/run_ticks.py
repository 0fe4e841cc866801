"""One scheduler process for the concurrency test: run `scheduler.jobs.tick` over injected time.

    python -m tests.integration.schedule.run_ticks NAME START STEP_MINUTES TICKS LOCKSTEP_DIR PEER

Configuration comes from the environment like the real scheduler (`PRO_DATABASE_URL`,
`PRO_SMS_GATEWAY=twilio`, `PRO_TWILIO_*` pointing at the fake Twilio server). Every process
ticks through the same instants; before tick i it waits until its peer has finished tick i-1,
so the processes stay within a tick of each other (as real schedulers share one wall clock)
while they overlap freely on the same instants. It prints one JSON line: its summed counts.
"""

from __future__ import annotations

import json
import random
import sys
import time
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

from pro_service import create_app
from pro_service.messages.gateway import make_gateway
from scheduler.jobs import tick

PEER_TIMEOUT = 120.0  # seconds to wait for a peer before giving up


def _wait_for_peer(progress: Path, tick_index: int) -> None:
    deadline = time.monotonic() + PEER_TIMEOUT
    while True:
        done = int(progress.read_text() or -1) if progress.exists() else -1
        if done >= tick_index - 1 or time.monotonic() > deadline:
            return
        time.sleep(0.002)


def main(argv: list[str]) -> None:
    name, start, step, ticks, lockstep_dir, peer = argv
    app = create_app()
    gateway = make_gateway(app.config)
    now, delta = datetime.fromisoformat(start), timedelta(minutes=int(step))
    mine, theirs = Path(lockstep_dir) / name, Path(lockstep_dir) / peer
    totals: Counter[str] = Counter()
    pace = random.Random(name)  # noqa: S311 - jitter, not security
    for i in range(int(ticks)):
        _wait_for_peer(theirs, i)
        totals.update(tick(app, now=now + i * delta, gateway=gateway))
        totals["ticks"] += 1
        mine.write_text(str(i))
        time.sleep(pace.random() * 0.003)
    print(json.dumps({"name": name, **totals}), flush=True)  # noqa: T201 - the test reads it


if __name__ == "__main__":
    main(sys.argv[1:])
