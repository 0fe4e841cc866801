"""Public entry point of the pure detector: `detect(text)` and its `Finding`."""

from __future__ import annotations

from pro_service.safety.domain.detect import Finding, detect

__all__ = ["Finding", "detect"]
