"""Fault suite: real scheduler and gunicorn processes on PostgreSQL against the fake Twilio server.

Skipped on SQLite: the claims under test are PostgreSQL's FOR UPDATE SKIP LOCKED and the
wake-ups are its LISTEN/NOTIFY.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SENDER_NUMBER = "+15005550006"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if os.environ.get("PRO_TEST_DB", "sqlite") == "postgres":
        return
    skip = pytest.mark.skip(reason="fault suite needs PostgreSQL (PRO_TEST_DB=postgres)")
    for item in items:
        if "tests/faults/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(skip)


def process_env(database_url: str, fake, **extra: str) -> dict[str, str]:
    """The environment of a production-like process sending through the fake Twilio server."""
    return {**os.environ, "PRO_ENV": "test", "PRO_DATABASE_URL": database_url,
            "PRO_SMS_GATEWAY": "twilio", "PRO_TWILIO_ACCOUNT_SID": fake.account_sid,
            "PRO_TWILIO_AUTH_TOKEN": fake.auth_token, "PRO_TWILIO_FROM": SENDER_NUMBER,
            "PRO_TWILIO_API_BASE_URL": fake.url, "PRO_TWILIO_TIMEOUT": "1",
            "PRO_SEND_LEASE_SECONDS": "3", "PRO_SENDER_IDLE_SECONDS": "1", **extra}


@pytest.fixture
def spawn(tmp_path: Path) -> Iterator[Callable[..., subprocess.Popen[bytes]]]:
    """Start a process (logs under tmp_path); every one still running is stopped afterwards."""
    procs: list[subprocess.Popen[bytes]] = []

    def start(args: list[str], env: dict[str, str], name: str) -> subprocess.Popen[bytes]:
        with (tmp_path / f"{name}-{len(procs)}.log").open("wb") as log:
            proc = subprocess.Popen([sys.executable, *args], cwd=REPO, env=env,  # noqa: S603
                                    stdout=log, stderr=subprocess.STDOUT)
        procs.append(proc)
        return proc

    yield start
    for proc in procs:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
    for proc in procs:
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def logs(tmp_path: Path, name: str) -> str:
    return "".join(p.read_text(errors="replace") for p in sorted(tmp_path.glob(f"{name}-*.log")))


def wait_until(condition: Callable[[], bool], timeout: float, step: float = 0.01) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return condition()
