"""The benchmarks under bench/ still run against today's schema (tiny sizes; no figures judged).

A benchmark that no longer runs is found out here, not on the day its figures are needed.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
BACKEND = os.environ.get("PRO_TEST_DB", "sqlite")
POSTGRES = os.environ.get("PRO_TEST_POSTGRES_URL", "")


def _run(*args: str, timeout: int = 240) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PRO_")}
    done = subprocess.run([sys.executable, *args], cwd=REPO, env=env, capture_output=True,  # noqa: S603
                          text=True, timeout=timeout, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def test_scheduler_tick_bench_runs_and_prints_a_ratio() -> None:
    backend = ["--postgres-url", POSTGRES] if BACKEND == "postgres" else ["--no-postgres"]
    out = _run("bench/scheduler_tick.py", "--sizes", "60,120", "--due", "5", "--repeat", "2",
               *backend)
    assert "ratio 120/60:" in out
    assert "'opened': 5" in out and "'sent': 10" in out
    assert "machine load" in out


@pytest.mark.skipif(BACKEND != "postgres", reason="the webhook benches run on PostgreSQL")
def test_webhook_profile_bench_counts_statements() -> None:
    out = _run("bench/webhook_profile.py", "--postgres-url", POSTGRES, "--requests", "40")
    assert "SQL statements per request" in out


@pytest.mark.skipif(BACKEND != "postgres", reason="the webhook benches run on PostgreSQL")
def test_webhook_load_bench_serves_both_apps_without_errors() -> None:
    out = _run("bench/webhook_load.py", "--postgres-url", POSTGRES, "--rounds", "1",
               "--seconds", "0.5", "--participants", "10")
    assert "ratio" in out and "machine load" in out
    assert "non-200 answers: app 0, floor 0" in out
