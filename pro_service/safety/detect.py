"""Public entry point of the pure detector: `detect(text)` and its results."""

from __future__ import annotations

from pro_service.safety.domain.detect import Detection, Finding, Unsure, detect

__all__ = ["Detection", "Finding", "Unsure", "detect"]
