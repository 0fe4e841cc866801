"""Process metrics in Prometheus form: what each room counts, and request latency for every route.

Rooms call the small functions below (``observe_send``, ``count_reconciliation`` …); the ops room
serves them at ``/metrics`` together with figures read from the database at scrape time. Under
gunicorn (several workers) and beside scheduler processes, set ``PROMETHEUS_MULTIPROC_DIR`` to one
empty directory shared by all of them, so a scrape sums every process (prometheus_client's
multiprocess mode; ``gunicorn.conf.py`` marks exited workers).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask, g, request
from prometheus_client import Counter, Histogram

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15)
SLOW_BUCKETS = (0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600, 4 * 3600, 24 * 3600, 48 * 3600)

HTTP_LATENCY = Histogram("pro_http_request_seconds", "Time to answer a request, by route and status",
                         ["route", "method", "status"], buckets=LATENCY_BUCKETS)
PROVIDER_SEND = Histogram("pro_provider_send_seconds", "Provider API call time, by channel and outcome",
                          ["channel", "outcome"], buckets=LATENCY_BUCKETS)
PROVIDER_ERRORS = Counter("pro_provider_errors_total", "Provider calls that failed, by error code",
                          ["channel", "code"])
RECONCILIATIONS = Counter("pro_outbox_reconciliations_total",
                          "Messages found in 'sending' and settled with the provider's log, by outcome",
                          ["outcome"])
ESCALATIONS = Counter("pro_alert_escalations_total", "Alert escalation steps taken, by urgency",
                      ["urgency"])
ACK_SECONDS = Histogram("pro_alert_time_to_ack_seconds", "Time from an alert to its acknowledgement",
                        ["urgency"], buckets=SLOW_BUCKETS)
JOB_SECONDS = Histogram("pro_scheduler_job_seconds", "Duration of one scheduler job run", ["job"],
                        buckets=LATENCY_BUCKETS)
EXPORT_ROWS = Counter("pro_export_rows_total", "Rows written by analyst exports", ["dataset"])
EXPORT_SECONDS = Histogram("pro_export_seconds", "Time to produce one export", ["dataset"],
                           buckets=SLOW_BUCKETS)
EXPORT_FILES_EXPIRED = Counter("pro_export_files_expired_total",
                               "Export files past their retention period, by outcome "
                               "(deleted, missing: already gone from disk, failed: retried)",
                               ["outcome"])


def observe_send(channel: str, outcome: str, seconds: float, error_code: str | None = None) -> None:
    """One provider call: ``channel`` sms|voice, ``outcome`` sent|failed|timeout."""
    PROVIDER_SEND.labels(channel, outcome).observe(seconds)
    if error_code:
        PROVIDER_ERRORS.labels(channel, error_code).inc()


def count_reconciliation(outcome: str) -> None:
    """A stranded message settled: ``found`` at the provider, or ``resent``."""
    RECONCILIATIONS.labels(outcome).inc()


def count_escalation(urgency: str) -> None:
    ESCALATIONS.labels(urgency).inc()


def observe_acknowledgement(urgency: str, seconds: float) -> None:
    ACK_SECONDS.labels(urgency).observe(max(seconds, 0.0))


def observe_export(dataset: str, rows: int, seconds: float) -> None:
    EXPORT_ROWS.labels(dataset).inc(rows)
    EXPORT_SECONDS.labels(dataset).observe(seconds)


def count_expired_file(outcome: str) -> None:
    """One export file past its retention: ``deleted``, ``missing`` or ``failed``."""
    EXPORT_FILES_EXPIRED.labels(outcome).inc()


@contextmanager
def timed_job(name: str) -> Iterator[None]:
    """Time one scheduler job run."""
    start = time.perf_counter()
    try:
        yield
    finally:
        JOB_SECONDS.labels(name).observe(time.perf_counter() - start)


def init_request_metrics(app: Flask) -> None:
    """Observe every request's latency under its route template (bounded label values)."""

    @app.before_request
    def _start_timer() -> None:
        g.metrics_started = time.perf_counter()

    @app.after_request
    def _observe(response):  # type: ignore[no-untyped-def]
        started = g.pop("metrics_started", None)
        if started is not None:
            route = request.url_rule.rule if request.url_rule else "unmatched"
            HTTP_LATENCY.labels(route, request.method, str(response.status_code)).observe(
                time.perf_counter() - started)
        return response
