"""Time the free-text safety screen per message, with and without the literal prefilter.

Every message of the three safety corpora (tests/data/safety_messages.jsonl,
safety_heldout.jsonl, safety_frozen.jsonl) is screened by the domain detector, as
the sender's row says (participant or caregiver). "without" runs every pattern of
every gate, as the detector did before the prefilter; "with" is the detector as it
ships. Both are timed in the same process, interleaved (the order alternates per
repeat), and each figure is the median of the repeats. The goal is < 0.3 ms/message.

Run: .venv/bin/python bench/safety_speed.py [--repeats N]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

# The repository root must be on sys.path before the project is imported.
from pro_service.safety.domain.catchall import load_net  # noqa: E402
from pro_service.safety.domain.cues import load_cues  # noqa: E402
from pro_service.safety.domain.detect import detect  # noqa: E402
from pro_service.safety.domain.lexicon import load_lexicon  # noqa: E402
from pro_service.safety.domain.prefilter import Gate  # noqa: E402

DATA = REPO / "tests" / "data"
CORPORA = ("safety_messages.jsonl", "safety_heldout.jsonl", "safety_frozen.jsonl")
GOAL_MS = 0.3
Rows = list[tuple[str, str]]


def load_rows() -> Rows:
    """(text, reporter) for every message of the corpora."""
    rows = []
    for name in CORPORA:
        for line in (DATA / name).read_text("utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                reporter = "caregiver" if row.get("sender") == "caregiver" else "participant"
                rows.append((row["text"], reporter))
    return rows


def _every_pattern(gate: Gate[Any], text: str) -> Iterator[tuple[Any, re.Match[str]]]:
    for key, pattern in gate.items:
        for match in pattern.finditer(text):
            yield key, match


@contextmanager
def without_prefilter() -> Iterator[None]:
    """Within: every gate runs all its patterns, none skipped."""
    screened = Gate.finditer
    Gate.finditer = _every_pattern  # type: ignore[method-assign]
    try:
        yield
    finally:
        Gate.finditer = screened  # type: ignore[method-assign]


def screen_all(rows: Rows) -> list[object]:
    return [detect(text, reporter=reporter) for text, reporter in rows]


def timed(run: Callable[[], list[object]], rows: Rows) -> tuple[float, list[object]]:
    """Milliseconds per message of `run`, and its results."""
    start = time.perf_counter()
    results = run()
    return (time.perf_counter() - start) * 1000 / len(rows), results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    rows = load_rows()
    start = time.perf_counter()
    lexicon, cues, net = load_lexicon(), load_cues(), load_net()
    loaded = time.perf_counter()
    gates = (lexicon.ordinary_gate, lexicon.net_gate, lexicon.pseudo_gate, cues.gate)
    gates += (net.concept_gate, net.pseudo_gate)
    built = time.perf_counter()
    with_ms: list[float] = []
    without_ms: list[float] = []
    same = True
    for repeat in range(args.repeats):
        for screened in (True, False) if repeat % 2 == 0 else (False, True):
            if screened:
                ms, fast = timed(lambda: screen_all(rows), rows)
                with_ms.append(ms)
            else:
                with without_prefilter():
                    ms, slow = timed(lambda: screen_all(rows), rows)
                without_ms.append(ms)
        same = same and fast == slow
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    w, wo = statistics.median(with_ms), statistics.median(without_ms)
    print(f"{len(rows)} messages, {args.repeats} repeats (interleaved), load average {load}")
    print(
        f"once per process: data loaded and compiled in {1000 * (loaded - start):.0f} ms, "
        f"{sum(len(g.items) for g in gates)} patterns gated in {1000 * (built - loaded):.0f} ms"
    )
    print(f"without prefilter: {wo:.3f} ms/message (median; {_spread(without_ms)})")
    print(f"with prefilter:    {w:.3f} ms/message (median; {_spread(with_ms)})")
    print(f"speed-up: {wo / w:.1f}x; goal < {GOAL_MS} ms: {'met' if w < GOAL_MS else 'NOT met'}")
    print(f"identical results: {'yes' if same else 'NO'}")
    return 0 if same else 1


def _spread(values: list[float]) -> str:
    return f"min {min(values):.3f}, max {max(values):.3f}"


if __name__ == "__main__":
    sys.exit(main())
