"""The schedule domain imports without Flask, SQLAlchemy or marshmallow (STYLE: what each file may import)."""

from __future__ import annotations

from tests.purity import import_blocked


def test_schedule_domain_imports_with_web_and_database_libraries_blocked() -> None:
    result = import_blocked("pro_service.schedule.domain")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok ")
