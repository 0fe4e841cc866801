"""Score the safety detector on the tuning set and the held-out set; print its errors.

The tuning set (tests/data/safety_messages.jsonl) is the one the lexicon was tuned on,
so its figures are in-sample. The held-out set (tests/data/safety_heldout.jsonl) was
written and labelled before the detector was run on it; its batches are reported one
by one, because a batch whose errors were later used to change the lexicon is no longer
a fair estimate (see the batch notes below).

Run: .venv/bin/python bench/safety_eval.py [path/to/extra_set.jsonl ...]
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

# The repository root must be on sys.path before the project is imported.
from pro_service.safety.detect import detect  # noqa: E402
from pro_service.safety.domain.evaluation import (  # noqa: E402
    by_batch,
    evaluate,
    format_report,
    format_summary,
    load_examples,
)

DATA = REPO / "tests" / "data"
SETS = {
    "TUNING SET (in-sample: the lexicon was tuned on every message)": DATA
    / "safety_messages.jsonl",
    "HELD-OUT SET (written and labelled before the detector saw it)": DATA
    / "safety_heldout.jsonl",
}
BATCH_NOTES = {
    "heldout-1": "its errors were then used to widen the lexicon: optimistic now",
    "heldout-2": "written after those changes and never tuned on: the fair estimate",
    "heldout-3": "scored before the body-system safety net, whose design saw its misses",
}


def main(argv: list[str]) -> int:
    sets = dict(SETS) | {f"EXTRA SET {arg}": Path(arg) for arg in argv[1:]}
    for title, path in sets.items():
        examples = load_examples(path)
        shown = path.relative_to(REPO) if path.is_relative_to(REPO) else path
        print(f"===== {title}: {shown}")  # noqa: T201
        print(format_report(evaluate(examples, detect)))  # noqa: T201
        batches = by_batch(examples)
        if len(batches) > 1:
            print("per batch:")  # noqa: T201
            for batch, rows in batches.items():
                note = BATCH_NOTES.get(batch, "")
                summary = format_summary(evaluate(rows, detect))
                print(f"  {batch or '-':<10} {summary}  {note}".rstrip())  # noqa: T201
        print()  # noqa: T201
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
