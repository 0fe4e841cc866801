"""Enrollment: participants, their anchors, preferences, opt-out and withdrawal."""
