"""``/metrics``: the process counters of ``core.metrics`` plus work queues read from the database.

Access: with ``PRO_METRICS_TOKEN`` set, a scrape must send ``Authorization: Bearer <token>``;
otherwise only addresses in ``PRO_METRICS_ALLOW`` (default loopback) may scrape.
"""

from __future__ import annotations

import hmac
import ipaddress
import os
from collections.abc import Iterator
from datetime import UTC, datetime

import sqlalchemy as sa
from flask import Blueprint, Response, abort, current_app, request
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.metrics_core import Metric
from prometheus_client.registry import Collector

from pro_service.core import clock
from pro_service.core.heartbeat import newest_beat
from pro_service.extensions import db
from pro_service.messages.models import Message
from pro_service.safety.models import SafetyAlert

bp = Blueprint("ops_metrics", __name__)


class DatabaseCollector(Collector):
    """Queue depths and ages, read at scrape time (so every process reports the same truth)."""

    def collect(self) -> Iterator[Metric]:
        now = clock.now()
        depth = GaugeMetricFamily("pro_outbox_messages", "Outbound messages by status and kind",
                                  labels=["status", "kind"])
        for status, kind, n in db.session.execute(
                sa.select(Message.status, Message.kind, sa.func.count())
                .where(Message.direction == "out", Message.status.in_(("queued", "sending", "failed")))
                .group_by(Message.status, Message.kind)):
            depth.add_metric([status, kind], n)
        yield depth
        oldest = db.session.scalar(sa.select(sa.func.min(Message.created_at)).where(
            Message.direction == "out", Message.status == "queued",
            sa.or_(Message.send_after.is_(None), Message.send_after <= now)))
        yield GaugeMetricFamily("pro_outbox_oldest_due_seconds",
                                "Age of the oldest queued message that is due now",
                                value=_age(oldest, now))
        alerts = GaugeMetricFamily("pro_alerts_open", "Unacknowledged safety alerts by urgency",
                                   labels=["urgency"])
        for urgency, n in db.session.execute(
                sa.select(SafetyAlert.urgency, sa.func.count()).where(SafetyAlert.status == "open")
                .group_by(SafetyAlert.urgency)):
            alerts.add_metric([urgency], n)
        yield alerts
        newest = newest_beat(db.session)
        yield GaugeMetricFamily("pro_scheduler_heartbeat_age_seconds",
                                "Seconds since any scheduler process last beat (+Inf: never)",
                                value=float("inf") if newest is None else _age(newest, now))
        db.session.rollback()  # end the read transaction: SQLite would keep its lock


def _age(at: datetime | None, now: datetime) -> float:
    if at is None:
        return 0.0
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return max((now - at).total_seconds(), 0.0)


def _allowed() -> bool:
    token = current_app.config.get("METRICS_TOKEN")
    if token:
        sent = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        return hmac.compare_digest(sent.encode(), str(token).encode())
    allow = current_app.config.get("METRICS_ALLOW") or "127.0.0.1/32,::1/128"
    try:
        address = ipaddress.ip_address(request.remote_addr or "")
    except ValueError:
        return False
    return any(address in ipaddress.ip_network(net.strip(), strict=False)
               for net in str(allow).split(",") if net.strip())


def registry() -> CollectorRegistry:
    """This process's registry, or every process's when multiprocess mode is on."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        merged = CollectorRegistry()
        multiprocess.MultiProcessCollector(merged)
        return merged
    return REGISTRY


@bp.get("/metrics")
def metrics() -> Response:
    """Prometheus text format: process counters and database queues."""
    if not _allowed():
        abort(403)
    body = generate_latest(registry())
    scrape = CollectorRegistry()
    scrape.register(DatabaseCollector())
    body += generate_latest(scrape)
    return Response(body, mimetype=CONTENT_TYPE_LATEST)
