"""Configuration, health, error documents, privacy at rest and migrations."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from pro_service import create_app
from pro_service.config import ConfigError
from pro_service.extensions import db
from tests.conftest import BACKEND, REPO
from tests.factories import fictional_mobile


def test_production_refuses_default_secrets_and_names_them(tmp_path):
    with pytest.raises(ConfigError) as err:
        create_app({"ENV": "production", "DATABASE_URL": f"sqlite:///{tmp_path}/p.db"})
    assert "PRO_SECRET_KEY" in str(err.value) and "PRO_DATA_KEY" in str(err.value)
    assert "PRO_INDEX_KEY" in str(err.value)


def test_production_starts_with_real_secrets(tmp_path):
    app = create_app({"ENV": "production", "DATABASE_URL": f"sqlite:///{tmp_path}/p.db",
                      "SECRET_KEY": "s" * 40, "DATA_KEY": "d" * 40, "INDEX_KEY": "i" * 40})
    assert app.config["ENV"] == "production"


def test_environment_variables_configure_the_app(tmp_path, monkeypatch):
    monkeypatch.setenv("PRO_DATABASE_URL", f"sqlite:///{tmp_path}/env.db")
    monkeypatch.setenv("PRO_SECRET_KEY", "1234567890")
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("env.db")
    assert app.config["SECRET_KEY"] == "1234567890"


def test_healthz_checks_the_database(client):
    resp = client.get("/healthz")
    assert resp.status_code == 200 and resp.json == {"status": "ok", "database": "ok"}
    assert resp.headers["X-Request-Id"]


def test_unexpected_errors_are_json_problems_not_html(app, client):
    @app.get("/boom-test")
    def boom():
        raise RuntimeError("kaboom")

    resp = client.get("/boom-test")
    assert resp.status_code == 500 and resp.mimetype == "application/problem+json"
    assert "kaboom" not in resp.get_data(as_text=True)


def test_unknown_route_is_a_json_404(client):
    resp = client.get("/api/nothing-here")
    assert resp.status_code == 404 and resp.json["status"] == 404


@pytest.mark.skipif(BACKEND != "sqlite", reason="inspects the SQLite file")
def test_sqlite_file_holds_no_plaintext_phone_number(app, make_site, make_participant, database_url):
    make_site("302")
    numbers = [fictional_mobile(900 + i) for i in range(3)]
    for n in numbers:
        make_participant(phone=n)
    db.session.remove()
    db.engine.dispose()
    raw = Path(database_url.removeprefix("sqlite:///")).read_bytes()
    for n in numbers:
        for form in (n, n[3:], n[1:]):
            assert form.encode() not in raw
            assert form.encode("utf-16-le") not in raw


def test_migrations_build_the_same_schema_as_the_models(database_url, app):
    """flask db upgrade on an empty database, then compare with the models."""
    if BACKEND == "postgres":
        url = _fresh_postgres_database()
    else:
        url = database_url.replace("test.sqlite3", "migrated.sqlite3")
    env = {**os.environ, "PRO_DATABASE_URL": url, "FLASK_APP": "wsgi"}
    done = subprocess.run([sys.executable, "-m", "flask", "db", "upgrade"], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), db.Model.metadata)
    engine.dispose()
    assert [d for d in diff if not _harmless(d)] == []


def _harmless(diff: object) -> bool:
    return isinstance(diff, list)  # type-affinity notes on SQLite come as nested lists


def _fresh_postgres_database() -> str:
    base = os.environ["PRO_TEST_POSTGRES_URL"]
    name = f"pro_mig_{os.getpid()}"
    admin = sa.create_engine(base.replace("postgresql://", "postgresql+psycopg://"),
                             isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return base.rsplit("/", 1)[0] + "/" + name


def test_a_server_worker_warms_the_safety_screen_then_freezes_the_app_out_of_the_collector(
        app, monkeypatch):
    import gc

    from pro_service.safety import detect
    from pro_service.wiring import prepare_worker

    calls: list[int] = []
    monkeypatch.setattr(detect, "warm_up", lambda: calls.append(gc.get_freeze_count()))
    try:
        prepare_worker()
        assert calls == [0]  # warmed first, so the matchers it builds are frozen too
        assert gc.get_freeze_count() > 10_000
    finally:
        gc.unfreeze()
