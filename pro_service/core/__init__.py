"""Shared building blocks: database base, clock, crypto, errors."""
