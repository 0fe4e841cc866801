"""Helpers for the safety detector tests: the categories and urgencies found."""

from __future__ import annotations

from pro_service.safety.detect import detect


def found(text: str) -> dict[str, str]:
    """Map each detected category to its urgency."""
    return {str(f.category): str(f.urgency) for f in detect(text)}
