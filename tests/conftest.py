"""Fixtures shared by every test: the app from the factory on SQLite or PostgreSQL."""

from __future__ import annotations

import ipaddress
import os
import socket
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from pro_service import create_app
from pro_service.extensions import db

BACKEND = os.environ.get("PRO_TEST_DB", "sqlite")
REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"

# No per-example deadline: speed is measured by benchmarks, never by a test's clock (a loaded
# CI machine would otherwise fail correct code).
settings.register_profile("pro", deadline=None)
settings.load_profile("pro")

pytest_plugins = ["tests.factories", "tests.fakes.fake_twilio", "tests.browser"]


def pytest_report_header(config: pytest.Config) -> str:
    return f"pro-service test database: {BACKEND}"


@pytest.fixture(autouse=True, scope="session")
def _only_loopback_connections() -> Iterator[None]:
    """Fail any connection that would leave this machine."""
    real_connect = socket.socket.connect

    def guarded(self: socket.socket, address: object) -> object:
        if isinstance(address, tuple) and self.family in (socket.AF_INET, socket.AF_INET6):
            host = address[0]
            try:
                ok = ipaddress.ip_address(host).is_loopback
            except ValueError:
                ok = host == "localhost"
            if not ok:
                raise RuntimeError(f"tests may only connect to loopback, not {host}")
        return real_connect(self, address)

    socket.socket.connect = guarded  # type: ignore[method-assign]
    yield
    socket.socket.connect = real_connect  # type: ignore[method-assign]


def _with_database(url: str, name: str) -> str:
    return url.rsplit("/", 1)[0] + "/" + name


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str | None]:
    """A database of this test session's own on the PostgreSQL server, dropped at the end."""
    if BACKEND != "postgres":
        yield None
        return
    base = os.environ["PRO_TEST_POSTGRES_URL"].replace("postgresql://", "postgresql+psycopg://")
    name = f"pro_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = _with_database(base, name)
    from pro_service.wiring import _register_models

    _register_models()
    engine = sa.create_engine(url)
    db.Model.metadata.create_all(engine)
    engine.dispose()
    yield url
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def make_app(url: str, **overrides: object) -> Flask:
    return create_app({"ENV": "test", "DATABASE_URL": url, "TESTING": True,
                       "RATELIMIT_ENABLED": False, **overrides})


@pytest.fixture
def database_url(postgres_url: str | None, tmp_path: Path) -> str:
    return postgres_url or f"sqlite:///{tmp_path / 'test.sqlite3'}"


@pytest.fixture
def app(database_url: str, request: pytest.FixtureRequest) -> Iterator[Flask]:
    """A fresh app per test with an empty database, inside an app context."""
    overrides = getattr(request, "param", None) or {}
    application = make_app(database_url, **overrides)
    with application.app_context():
        if BACKEND == "postgres":
            names = ", ".join(f'"{t.name}"' for t in db.Model.metadata.sorted_tables)
            db.session.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
            db.session.commit()
        else:
            db.create_all()
        yield application
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def cli_runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


@pytest.fixture
def shared_dir() -> Path:
    """../shared, or a loud failure: skip only when PRO_TEST_ALLOW_NO_SHARED=1 (CI never sets it)."""
    if not SHARED.is_dir():
        message = f"shared reference folder not found at {SHARED}"
        if os.environ.get("PRO_TEST_ALLOW_NO_SHARED") == "1":
            pytest.skip(message)
        pytest.fail(message + "; set PRO_TEST_ALLOW_NO_SHARED=1 to run without it")
    return SHARED
