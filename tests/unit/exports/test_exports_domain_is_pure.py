"""The exports domain imports without Flask, SQLAlchemy or marshmallow (STYLE: imports)."""

from __future__ import annotations

from pathlib import Path

from tests.purity import import_blocked

DOMAIN = Path(__file__).resolve().parents[3] / "pro_service" / "exports" / "domain"


def test_exports_domain_imports_with_web_and_database_libraries_blocked() -> None:
    modules = [p for p in DOMAIN.glob("*.py") if p.name != "__init__.py"]
    result = import_blocked("pro_service.exports.domain")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"ok {len(modules)}"
