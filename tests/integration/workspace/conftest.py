"""Fixtures of the staff workspace tests (shared with the browser tests)."""

from tests.workspace_history import count_statements, with_history  # noqa: F401 - fixtures
