"""Score the safety detector on tests/data/safety_messages.jsonl; print its errors.

Run: .venv/bin/python bench/safety_eval.py [path/to/set.jsonl]
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

# The repository root must be on sys.path before the project is imported.
from pro_service.safety.detect import detect  # noqa: E402
from pro_service.safety.domain.evaluation import (  # noqa: E402
    evaluate,
    format_report,
    load_examples,
)

DEFAULT_SET = REPO / "tests" / "data" / "safety_messages.jsonl"


def main(argv: list[str]) -> int:
    path = Path(argv[1]) if len(argv) > 1 else DEFAULT_SET
    report = evaluate(load_examples(path), detect)
    print(format_report(report))  # noqa: T201 - a command-line report
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
