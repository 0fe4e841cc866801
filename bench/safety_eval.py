"""Score the safety detector on the tuning set and the held-out set; print its errors.

The tuning set (tests/data/safety_messages.jsonl) is the one the lexicon was tuned on,
so its figures are in-sample. The held-out set (tests/data/safety_heldout.jsonl) was
written and labelled before the detector was run on it; its batches are reported one
by one, because a batch whose errors were later used to change the lexicon is no longer
a fair estimate (see the batch notes below).

The frozen set (tests/data/safety_frozen.jsonl, batch frozen-1, issue 12) was written
from how patients and caregivers text, before the detector changes of issue 12 and
without reading the detector's rules; it is never edited (its SHA-256 is printed so a
changed file shows). Later tuning goes into the tuning set only. Rows with
"sender": "caregiver" came from a registered caregiver's phone.

Run: .venv/bin/python bench/safety_eval.py [path/to/extra_set.jsonl ...]
"""

from __future__ import annotations

import hashlib
import sys
from functools import partial
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
    "FROZEN SET (issue 12; never edited, never tuned on)": DATA
    / "safety_frozen.jsonl",
}
# measured on the detector as it stood when the frozen set was committed (cb2f35e)
FROZEN_BEFORE = (
    "before issue 12: emergency>=urgent 0.730 (73/100), red flags 0.760 (133/175), "
    "specificity 0.766 (121/158), hard negatives at emergency 11, sensitivity 0.765"
)
FROZEN_SHA256 = "a77b108df4d4992d48a52109a3fd80bb8f02e4c9a3251580360eee0ada336237"
BATCH_NOTES = {
    "heldout-1": "its errors were then used to widen the lexicon: optimistic now",
    "heldout-2": "written after those changes; its errors then widened the lexicon"
    " (wording classes): optimistic now",
    "heldout-3": "scored before the body-system safety net, whose design saw its misses;"
    " its errors then widened the lexicon (wording classes): optimistic now",
}
# a text from a registered caregiver's phone is screened as about the participant
CAREGIVER = partial(detect, reporter="caregiver")


def main(argv: list[str]) -> int:
    sets = dict(SETS) | {f"EXTRA SET {arg}": Path(arg) for arg in argv[1:]}
    for title, path in sets.items():
        examples = load_examples(path)
        shown = path.relative_to(REPO) if path.is_relative_to(REPO) else path
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        print(f"===== {title}: {shown}")  # noqa: T201
        print(f"sha256 {digest}")  # noqa: T201
        if path.name == "safety_frozen.jsonl" and digest != FROZEN_SHA256:
            print(f"!! the frozen set was edited: expected {FROZEN_SHA256}")  # noqa: T201
        if path.name == "safety_frozen.jsonl":
            print(FROZEN_BEFORE)  # noqa: T201
        print(format_report(evaluate(examples, detect, CAREGIVER)))  # noqa: T201
        batches = by_batch(examples)
        if len(batches) > 1:
            print("per batch:")  # noqa: T201
            for batch, rows in batches.items():
                note = BATCH_NOTES.get(batch, "")
                summary = format_summary(evaluate(rows, detect, CAREGIVER))
                print(f"  {batch or '-':<10} {summary}  {note}".rstrip())  # noqa: T201
        print()  # noqa: T201
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
