"""Public entry point of the pure detector: `detect(text)` and its results.

`detect` here remembers its last results: one inbound SMS is screened by the safety room and
then by the clarifying-question step, with the same text, and the results are immutable
(frozen dataclasses and tuples), so the second call costs nothing and finds the same.
"""

from __future__ import annotations

from functools import lru_cache

from pro_service.safety.domain.detect import Detection, Finding, Unsure
from pro_service.safety.domain.detect import detect as _detect

__all__ = ["Detection", "Finding", "Unsure", "detect", "warm_up"]


@lru_cache(maxsize=256)
def _remembered(text: str, reporter: str) -> Detection:
    return _detect(text, reporter=reporter)


def detect(text: str, *, reporter: str = "participant") -> Detection:
    """The domain detector's result for `text` (see `safety.domain.detect.detect`)."""
    return _remembered(text, reporter)


def warm_up() -> None:
    """Build the detector's lexicon and matchers now (about 0.3 s, once per process), so a
    server worker does it at start and not inside the first participant's text."""
    _detect("预热 warm up", reporter="participant")
