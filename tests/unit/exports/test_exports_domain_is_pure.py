"""The exports domain imports without Flask, SQLAlchemy or marshmallow (STYLE: imports)."""

from __future__ import annotations

from tests.purity import import_blocked


def test_exports_domain_imports_with_web_and_database_libraries_blocked() -> None:
    result = import_blocked("pro_service.exports.domain")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok 3")
