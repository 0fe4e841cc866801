"""Configuration: defaults, PRO_* environment loading and the production check."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

DEV_SECRET_KEY = "dev-secret-key-not-for-production"
DEV_DATA_KEY = "dev-data-key-not-for-production-0000000"
DEV_INDEX_KEY = "dev-index-key-not-for-production-000000"
PROJECT_ROOT = Path(__file__).resolve().parent.parent

DEFAULTS: dict[str, Any] = {
    "ENV": "development",
    "SECRET_KEY": DEV_SECRET_KEY,
    "DATA_KEY": DEV_DATA_KEY,
    "INDEX_KEY": DEV_INDEX_KEY,
    "PUBLIC_BASE_URL": "http://127.0.0.1:5000",
    "SMS_GATEWAY": "console",
    "TWILIO_ACCOUNT_SID": None,
    "TWILIO_AUTH_TOKEN": None,
    "TWILIO_MESSAGING_SERVICE_SID": None,
    "TWILIO_FROM": None,
    "TWILIO_VOICE_FROM": None,
    "TWILIO_API_BASE_URL": None,
    "TWILIO_TIMEOUT": 10,  # seconds a provider call may take
    "SEND_CONCURRENCY": 8,  # provider calls one scheduler process makes at once
    "SEND_LEASE_SECONDS": 120,  # a claim or a `sending` mark older than this is taken over
    "SENDER_IDLE_SECONDS": 5,  # the sender looks for due messages at least this often
    # export files (pseudonymised data) are deleted this many days after they are built
    "EXPORT_RETENTION_DAYS": 30,
    "PROTOCOL": str(PROJECT_ROOT / "protocols" / "nct05121870.json"),
    "QUESTIONNAIRES_DIR": str(PROJECT_ROOT / "questionnaires"),
    # no ping per checkout (a round trip on every request): connections are recycled after
    # 5 minutes, a lost one invalidates the pool, the inbound SMS transaction is retried once
    # (core.db.retry_on_lost_connection) and any other request is answered 503 (core.http)
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_recycle": 300},
    "MAX_CONTENT_LENGTH": 64 * 1024,
    "API_TITLE": "pro-service",
    "API_VERSION": "v1",
    "OPENAPI_VERSION": "3.0.3",
    "OPENAPI_URL_PREFIX": "/api",
    "OPENAPI_JSON_PATH": "openapi.json",
    # interactive docs at /api/docs from local files (pro_service/core/apidocs.py), no CDN
    "OPENAPI_SWAGGER_UI_PATH": "docs",
    "OPENAPI_SWAGGER_UI_URL": "/api/docs/assets/",
    "RATELIMIT_ENABLED": True,
    "RATELIMIT_STORAGE_URI": "memory://",
    "RATELIMIT_HEADERS_ENABLED": True,
    "RATELIMIT_SWALLOW_ERRORS": True,  # a Redis outage must not turn log-ins into 500s
    "REDIS_URL": None,
    "TRUSTED_PROXIES": 0,
    # only failures count: a correctly signed webhook and a valid web-form link are never limited
    "WEBHOOK_FAILED_SIGNATURE_LIMIT": "20/minute;200/hour",
    "WEBFORM_FAILED_LOOKUP_LIMIT": "10/minute;60/hour",
    "BABEL_DEFAULT_LOCALE": "zh_Hans_CN",
    "BABEL_TRANSLATION_DIRECTORIES": "translations;webform/translations;dashboard/translations",
    "LOG_JSON": True,
    # INFO logs one line per request; WARNING keeps only what needs a look
    "LOG_LEVEL": "INFO",
    "METRICS_TOKEN": None,
    "METRICS_ALLOW": None,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_HTTPONLY": True,
}

SECRETS = {
    "SECRET_KEY": DEV_SECRET_KEY,
    "DATA_KEY": DEV_DATA_KEY,
    "INDEX_KEY": DEV_INDEX_KEY,
}
ENVIRONMENTS = ("development", "test", "production")
# Settings that are on/off: PRO_X=false must mean false (a non-empty string is truthy in Python).
BOOLEANS = ("DEBUG", "TESTING", "RATELIMIT_ENABLED", "RATELIMIT_HEADERS_ENABLED",
            "RATELIMIT_SWALLOW_ERRORS", "LOG_JSON",
            "SESSION_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "WTF_CSRF_ENABLED")
# Whole-number settings and their bounds (low, high or None); a retention of 0 days would delete
# a file before anyone could fetch it, and past a century dates overflow.
INTEGERS: dict[str, tuple[int, int | None]] = {
    "MAX_CONTENT_LENGTH": (0, None), "TRUSTED_PROXIES": (0, None), "SCHEDULER_BATCH": (0, None),
    "EXPORT_RETENTION_DAYS": (1, 36500),
}
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
FALSE_WORDS = frozenset({"0", "false", "no", "off", ""})


class ConfigError(RuntimeError):
    """Raised when the configuration cannot be used."""


def load_config(app: Flask, overrides: dict[str, Any] | None) -> None:
    """Apply defaults, then PRO_* variables, then explicit overrides, then check."""
    app.config.update(DEFAULTS)
    app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + str(
        Path(app.instance_path) / "pro_service.sqlite3"
    )
    app.config.from_prefixed_env("PRO", loads=str)
    if "DATABASE_URL" in app.config:
        app.config["SQLALCHEMY_DATABASE_URI"] = app.config.pop("DATABASE_URL")
    app.config["PUBLIC_BASE_URL"] = development_base_url(app.config, os.environ)
    app.config.update(overrides or {})
    if "DATABASE_URL" in app.config:
        app.config["SQLALCHEMY_DATABASE_URI"] = app.config.pop("DATABASE_URL")
    check_config(app.config)


def development_base_url(config: dict[str, Any], environ: Mapping[str, str]) -> str:
    """In development, `PORT` (make run's) flows into the public base URL unless it is set, so
    links in messages and pages point at the running server; elsewhere the setting stands."""
    port = environ.get("PORT", "").strip()
    if config["ENV"] != "development" or "PRO_PUBLIC_BASE_URL" in environ or not port.isdigit():
        return str(config["PUBLIC_BASE_URL"])
    return f"http://127.0.0.1:{int(port)}"


def parse_bool(name: str, value: object) -> bool:
    """Read an on/off setting as people write it: true/1/yes/on or false/0/no/off."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    word = str(value).strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ConfigError(f"PRO_{name} must be true or false (1/0, yes/no, on/off), not {value!r}")


def parse_int(name: str, value: object, low: int = 0, high: int | None = None) -> int:
    """Read a whole-number setting within its bounds; anything else stops start-up naming the variable."""
    number: int | None = None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif str(value).strip().isdigit():
        number = int(str(value).strip())
    if number is None or number < low or (high is not None and number > high):
        bounds = f"of {low} or more" if high is None else f"from {low} to {high}"
        raise ConfigError(f"PRO_{name} must be a whole number {bounds}, not {value!r}")
    return number


def _type_values(config: dict[str, Any]) -> None:
    for name in BOOLEANS:
        if config.get(name) is not None:
            config[name] = parse_bool(name, config[name])
    for name, (low, high) in INTEGERS.items():
        if config.get(name) is not None:
            config[name] = parse_int(name, config[name], low, high)
    if config.get("REDIS_URL") and config["RATELIMIT_STORAGE_URI"] == "memory://":
        # limits shared by every worker and process (flask-limiter's storage URI)
        config["RATELIMIT_STORAGE_URI"] = config["REDIS_URL"]


def check_config(config: dict[str, Any]) -> None:
    """Type the values and refuse a production start on missing or default secrets."""
    _type_values(config)
    if config["ENV"] not in ENVIRONMENTS:
        raise ConfigError(f"PRO_ENV must be one of {', '.join(ENVIRONMENTS)}")
    uri = config["SQLALCHEMY_DATABASE_URI"]
    if uri.startswith("postgresql://"):
        config["SQLALCHEMY_DATABASE_URI"] = "postgresql+psycopg://" + uri.split("://", 1)[1]
    if uri.startswith("sqlite"):
        config["SQLALCHEMY_ENGINE_OPTIONS"] = {"connect_args": {"timeout": 30}}
    if config["ENV"] == "production":
        config["SESSION_COOKIE_SECURE"] = True
        bad = [
            f"PRO_{name}"
            for name, dev_value in SECRETS.items()
            if not config.get(name) or config[name] == dev_value or len(config[name]) < 32
        ]
        if bad:
            raise ConfigError(
                "refusing to start in production: missing, default or short (<32 chars) "
                "secret(s): " + ", ".join(bad)
            )
        if config["SMS_GATEWAY"] == "twilio" and not config.get("TWILIO_AUTH_TOKEN"):
            raise ConfigError("refusing to start in production: PRO_TWILIO_AUTH_TOKEN is missing")
    if config["SMS_GATEWAY"] not in ("console", "twilio"):
        raise ConfigError("PRO_SMS_GATEWAY must be 'console' or 'twilio'")
    level = str(config["LOG_LEVEL"]).strip().upper()
    if level not in LOG_LEVELS:
        raise ConfigError("PRO_LOG_LEVEL must be one of " + ", ".join(LOG_LEVELS))
    config["LOG_LEVEL"] = level
    config["PUBLIC_BASE_URL"] = config["PUBLIC_BASE_URL"].rstrip("/")
    _check_sending(config)


def _check_sending(config: dict[str, Any]) -> None:
    """Type the sender's settings; a lease must outlast a provider call by far (no double send)."""
    try:
        for name in ("TWILIO_TIMEOUT", "SEND_LEASE_SECONDS", "SENDER_IDLE_SECONDS"):
            config[name] = float(config[name])
        config["SEND_CONCURRENCY"] = int(config["SEND_CONCURRENCY"])
    except (TypeError, ValueError):
        raise ConfigError("PRO_TWILIO_TIMEOUT, PRO_SEND_LEASE_SECONDS, PRO_SENDER_IDLE_SECONDS and "
                          "PRO_SEND_CONCURRENCY must be numbers") from None
    if not 1 <= config["SEND_CONCURRENCY"] <= 64:
        raise ConfigError("PRO_SEND_CONCURRENCY must be between 1 and 64")
    if not config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        # each sending thread holds a connection for its short commits: a pool that keeps them
        # spares a pass opening and closing overflow connections (SQLite's threads take turns)
        config["SQLALCHEMY_ENGINE_OPTIONS"] = {"pool_size": max(5, config["SEND_CONCURRENCY"] + 2),
                                               **config["SQLALCHEMY_ENGINE_OPTIONS"]}
    if config["TWILIO_TIMEOUT"] <= 0 or config["SEND_LEASE_SECONDS"] < 2 * config["TWILIO_TIMEOUT"] + 1:
        raise ConfigError("PRO_SEND_LEASE_SECONDS must exceed twice PRO_TWILIO_TIMEOUT plus a second")


def environment_summary() -> dict[str, str]:
    """Name the PRO_* variables that are set (never their values)."""
    return {k: "set" for k in os.environ if k.startswith("PRO_")}
