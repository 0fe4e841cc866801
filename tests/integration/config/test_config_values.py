"""Configuration values parse as operators write them; nonsense stops start-up naming the variable."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pro_service import create_app
from pro_service.config import BOOLEANS, DEFAULTS, ConfigError, check_config

TRUE = ("true", "True", "TRUE", "1", "yes", "on", " yes ")
FALSE = ("false", "False", "0", "no", "off", "")
GARBAGE = ("maybe", "2", "treu", "-1")


def _checked(**values: Any) -> dict[str, Any]:
    config = {**DEFAULTS, "SQLALCHEMY_DATABASE_URI": "sqlite://", **values}
    check_config(config)
    return config


@pytest.mark.parametrize("name", BOOLEANS)
@pytest.mark.parametrize("text", TRUE)
def test_each_boolean_setting_reads_true_words_as_true(name: str, text: str) -> None:
    assert _checked(**{name: text})[name] is True


@pytest.mark.parametrize("name", BOOLEANS)
@pytest.mark.parametrize("text", FALSE)
def test_each_boolean_setting_reads_false_words_as_false(name: str, text: str) -> None:
    assert _checked(**{name: text})[name] is False


@pytest.mark.parametrize("name", BOOLEANS)
@pytest.mark.parametrize("text", GARBAGE)
def test_each_boolean_setting_refuses_garbage_naming_the_variable(name: str, text: str) -> None:
    with pytest.raises(ConfigError, match=f"PRO_{name} must be true or false"):
        _checked(**{name: text})


@pytest.mark.parametrize(("name", "text"), [("TRUSTED_PROXIES", "two"), ("MAX_CONTENT_LENGTH", "1e6"),
                                            ("SCHEDULER_BATCH", "-5")])
def test_whole_number_settings_refuse_anything_else(name: str, text: str) -> None:
    with pytest.raises(ConfigError, match=f"PRO_{name} must be a whole number"):
        _checked(**{name: text})


def test_redis_url_makes_rate_limits_shared_across_workers() -> None:
    config = _checked(REDIS_URL="redis://127.0.0.1:6379/0")
    assert config["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/0"
    assert _checked()["RATELIMIT_STORAGE_URI"] == "memory://"


def test_environment_false_really_turns_the_rate_limit_off(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PRO_RATELIMIT_ENABLED", "false")
    monkeypatch.setenv("PRO_LOG_JSON", "no")
    monkeypatch.setenv("PRO_TRUSTED_PROXIES", "2")
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'c.sqlite3'}"})
    assert app.config["RATELIMIT_ENABLED"] is False and app.config["LOG_JSON"] is False
    assert app.config["TRUSTED_PROXIES"] == 2
    assert type(app.wsgi_app).__name__ == "ProxyFix"


def test_environment_garbage_stops_start_up(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PRO_RATELIMIT_ENABLED", "sometimes")
    with pytest.raises(ConfigError, match="PRO_RATELIMIT_ENABLED"):
        create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'c.sqlite3'}"})


def test_log_level_quiets_request_lines_and_refuses_unknown_levels(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import logging

    monkeypatch.setenv("PRO_LOG_LEVEL", "warning")
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'c.sqlite3'}"})
    assert app.config["LOG_LEVEL"] == "WARNING"
    assert not logging.getLogger("pro_service.access").isEnabledFor(logging.INFO)
    assert logging.getLogger("pro_service.access").isEnabledFor(logging.WARNING)
    with pytest.raises(ConfigError, match="PRO_LOG_LEVEL must be one of"):
        _checked(LOG_LEVEL="loud")
    assert _checked()["LOG_LEVEL"] == "INFO"


def test_the_connection_pool_keeps_a_connection_for_each_sending_thread() -> None:
    config = {**DEFAULTS, "SQLALCHEMY_DATABASE_URI": "postgresql://db/pro", "SEND_CONCURRENCY": "12"}
    check_config(config)
    assert config["SQLALCHEMY_ENGINE_OPTIONS"] == {"pool_size": 14, "pool_recycle": 300}
    assert DEFAULTS["SQLALCHEMY_ENGINE_OPTIONS"] == {"pool_recycle": 300}  # defaults untouched
    sqlite = {**DEFAULTS, "SQLALCHEMY_DATABASE_URI": "sqlite:///x.db"}
    check_config(sqlite)
    assert "pool_size" not in sqlite["SQLALCHEMY_ENGINE_OPTIONS"]


def test_export_retention_defaults_to_30_days_and_reads_the_environment(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assert _checked()["EXPORT_RETENTION_DAYS"] == 30
    monkeypatch.setenv("PRO_EXPORT_RETENTION_DAYS", " 90 ")
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'c.sqlite3'}"})
    assert app.config["EXPORT_RETENTION_DAYS"] == 90


@pytest.mark.parametrize("text", ["0", "-3", "30d", "1.5", "", "36501", 0])
def test_export_retention_refuses_anything_but_1_to_36500_days(text: object) -> None:
    with pytest.raises(ConfigError, match=r"PRO_EXPORT_RETENTION_DAYS must be a whole number "
                                          r"from 1 to 36500, not "):
        _checked(EXPORT_RETENTION_DAYS=text)


def test_a_bad_export_retention_in_the_environment_stops_start_up(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PRO_EXPORT_RETENTION_DAYS", "forever")
    with pytest.raises(ConfigError, match="PRO_EXPORT_RETENTION_DAYS"):
        create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'c.sqlite3'}"})
