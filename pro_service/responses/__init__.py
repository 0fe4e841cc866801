"""Responses and scores: one pipeline for every channel; append-only versions; one-time links."""
