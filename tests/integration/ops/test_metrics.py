"""/metrics: Prometheus names are there, values move with the work, and only allowed scrapers read it."""

from __future__ import annotations

import re

import pytest
from prometheus_client.parser import text_string_to_metric_families

from pro_service.messages import service as messages
from pro_service.safety import service as safety
from tests.factories import T0


def _scrape(client, **kw) -> dict[tuple[str, tuple], float]:
    resp = client.get("/metrics", **kw)
    assert resp.status_code == 200, resp.status_code
    samples = {}
    for family in text_string_to_metric_families(resp.get_data(as_text=True)):
        for s in family.samples:
            samples[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return samples


def _value(samples, name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def test_metrics_expose_every_family_operators_alert_on(client):
    text = client.get("/metrics").get_data(as_text=True)
    for name in ("pro_http_request_seconds", "pro_provider_send_seconds", "pro_provider_errors_total",
                 "pro_outbox_reconciliations_total", "pro_alert_escalations_total",
                 "pro_alert_time_to_ack_seconds", "pro_scheduler_job_seconds", "pro_export_rows_total",
                 "pro_outbox_messages", "pro_outbox_oldest_due_seconds", "pro_alerts_open",
                 "pro_scheduler_heartbeat_age_seconds"):
        assert re.search(rf"^# TYPE {name}", text, re.M), name


def test_request_latency_counts_each_request_under_its_route(client):
    before = _value(_scrape(client), "pro_http_request_seconds_count", route="/healthz", method="GET",
                    status="200")
    client.get("/healthz")
    client.get("/healthz")
    after = _value(_scrape(client), "pro_http_request_seconds_count", route="/healthz", method="GET",
                   status="200")
    assert after == before + 2


def test_outbox_depth_and_open_alerts_follow_the_database(client, make_site, make_participant,
                                                          monkeypatch):
    from pro_service.core import clock

    monkeypatch.setattr(clock, "now", lambda: T0)
    make_site("302")
    p = make_participant()
    start = _scrape(client)
    messages.queue_message(kind="invitation", body="hello", now=T0, participant_id=p.id)
    safety.raise_alert(p, category="gi_bleeding", urgency="emergency", source="free_text",
                       evidence={"excerpt": "吐血"}, now=T0)
    now = _scrape(client)
    queued = _value(now, "pro_outbox_messages", status="queued", kind="invitation")
    assert queued == _value(start, "pro_outbox_messages", status="queued", kind="invitation") + 1
    assert _value(now, "pro_alerts_open", urgency="emergency") == 1


def test_scheduler_jobs_are_timed(app, client):
    from scheduler.jobs import JOBS, run_job

    job = next(j for j in JOBS if j.name == "close_missed")
    before = _value(_scrape(client), "pro_scheduler_job_seconds_count", job="close_missed")
    run_job(app, job, gateway=None, now=T0)
    assert _value(_scrape(client), "pro_scheduler_job_seconds_count", job="close_missed") == before + 1


def test_the_scheduler_heartbeat_age_follows_the_newest_beat(app, client):
    from datetime import timedelta

    from pro_service.core import clock
    from pro_service.core.heartbeat import beat

    assert _value(_scrape(client), "pro_scheduler_heartbeat_age_seconds") == float("inf")
    with app.app_context():
        now = clock.now()
        beat(now=now - timedelta(seconds=600), started_at=now - timedelta(hours=1), process="a:1")
        beat(now=now - timedelta(seconds=90), started_at=now - timedelta(hours=1), process="b:2")
    age = _value(_scrape(client), "pro_scheduler_heartbeat_age_seconds")
    assert 90 <= age < 150


def test_scrapers_outside_the_allowed_network_are_refused(client):
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "10.1.2.3"}).status_code == 403


@pytest.mark.parametrize("app", [{"METRICS_TOKEN": "scrape-secret-0123456789"}], indirect=True)
def test_with_a_token_only_a_scrape_that_sends_it_is_answered(client):
    assert client.get("/metrics").status_code == 403
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 403
    ok = client.get("/metrics", headers={"Authorization": "Bearer scrape-secret-0123456789"},
                    environ_base={"REMOTE_ADDR": "10.1.2.3"})
    assert ok.status_code == 200


def test_acknowledgements_and_escalations_are_counted(app, client, make_site, make_staff,
                                                      make_participant):
    from datetime import timedelta

    make_site("302")
    nurse = make_staff("coordinator", alert_phone="+8613800138050").user
    make_staff("investigator", alert_phone="+8613800138051")
    make_staff("safety_officer", alert_phone="+8613800138052")  # someone to escalate to
    p = make_participant()
    before = _scrape(client)
    alert, _ = safety.raise_alert(p, category="gi_bleeding", urgency="emergency",
                                  source="free_text", evidence={"excerpt": "吐血"}, now=T0)
    assert safety.escalate_due(now=T0 + timedelta(hours=1), limit=10)["escalated"] == 1
    safety.acknowledge_alert(alert, staff=nurse, via="dashboard", now=T0 + timedelta(hours=1, minutes=2))
    after = _scrape(client)
    assert _value(after, "pro_alert_escalations_total", urgency="emergency") == \
        _value(before, "pro_alert_escalations_total", urgency="emergency") + 1
    assert _value(after, "pro_alert_time_to_ack_seconds_count", urgency="emergency") == \
        _value(before, "pro_alert_time_to_ack_seconds_count", urgency="emergency") + 1
    assert _value(after, "pro_alert_time_to_ack_seconds_sum", urgency="emergency") >= \
        _value(before, "pro_alert_time_to_ack_seconds_sum", urgency="emergency") + 3720
