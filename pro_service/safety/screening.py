"""Where alerts come from: free text in any SMS, structured symptom answers, score rules."""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from pro_service.core.db import unit_of_work
from pro_service.core.errors import Forbidden
from pro_service.extensions import db
from pro_service.messages import service as outbox
from pro_service.messages.models import Message
from pro_service.participants.models import Participant
from pro_service.safety import service
from pro_service.safety.detect import detect
from pro_service.safety.domain.escalation import URGENCY_RANK, advice
from pro_service.safety.domain.reporters import caregiver_advice, crisis_text, marking
from pro_service.safety.models import SafetyAlert
from pro_service.staff.models import StaffUser

_ACK = re.compile(r"^\s*ACK\s*[:#]?\s*(\d{4,8})\s*[.!。！]?\s*$", re.IGNORECASE)
EXCERPT = 200


def screen_message(p: Participant, msg: Message, now: datetime) -> list[str]:
    """Screen one inbound SMS; return the advice to reply with (empty when nothing was found)."""
    return _raise_findings(p, detect(msg.body), msg, now)


def screen_caregiver_message(p: Participant, caregiver: Any, msg: Message, now: datetime) -> list[str]:
    """Screen a registered caregiver's SMS as a report about the participant (issue 12)."""
    return _raise_findings(p, detect(msg.body, reporter="caregiver"), msg, now, caregiver=caregiver)


def _raise_findings(p: Participant, findings: Any, msg: Message, now: datetime,
                    caregiver: Any = None) -> list[str]:
    relation = caregiver.relation if caregiver is not None else None
    for f in findings:
        evidence = {"message_id": msg.id, "excerpt": f.evidence[:EXCERPT], "term": f.term_id,
                    "language": f.language,
                    "reporter": "caregiver" if caregiver is not None else "participant"}
        mark = marking(caregiver_relation=relation, other_person=f.other_person)
        if mark:
            evidence["marking"] = mark
        if caregiver is not None:
            evidence["caregiver_id"] = caregiver.id
        service.raise_alert(p, category=str(f.category), urgency=str(f.urgency), source="free_text",
                            evidence=evidence, now=now)
    if not findings:
        return []
    worst = max((str(f.urgency) for f in findings), key=URGENCY_RANK.__getitem__)
    language = caregiver.language if caregiver is not None else p.language
    site = p.site
    text = (caregiver_advice(worst, language, site.emergency_number) if caregiver is not None
            else advice(worst, language, site.emergency_number, now=now, tz=site.timezone))
    if any(str(f.category) == "self_harm" for f in findings):
        text += crisis_text(language, site.crisis_line, site.emergency_number)
    return [text]


def screen_response(resp: Any, instrument: Any, now: datetime) -> None:
    """Raise alerts from a submitted response: 'yes' symptom items, free text, score rules."""
    p = db.session.get(Participant, resp.participant_id)
    if p is None:
        return
    urgencies: list[str] = []
    for item in instrument.items:
        value = resp.answers.get(item.id)
        if item.safety_category and value is True:
            evidence = {"response_id": resp.id, "item": item.id}
            if getattr(resp, "reporter", "participant") == "caregiver":
                evidence["marking"] = "reported by caregiver"
            service.raise_alert(p, category=item.safety_category, urgency=item.safety_urgency or "urgent",
                                source="structured", evidence=evidence, now=now)
            urgencies.append(item.safety_urgency or "urgent")
        elif str(item.type) == "free_text" and isinstance(value, str) and value.strip():
            for f in detect(value):
                service.raise_alert(p, category=str(f.category), urgency=str(f.urgency),
                                    source="free_text", evidence={"response_id": resp.id, "item": item.id,
                                                                  "excerpt": f.evidence[:EXCERPT]}, now=now)
                urgencies.append(str(f.urgency))
    urgencies += _score_rules(p, resp, instrument, now)
    if urgencies:
        worst = max(urgencies, key=URGENCY_RANK.__getitem__)
        outbox.queue_message(kind="safety_advice", body=advice(worst, p.language, p.site.emergency_number,
                                                               now=now, tz=p.site.timezone),
                             now=now, participant_id=p.id, key=f"advice:response:{resp.id}",
                             occasion_id=resp.occasion_id,
                             ignore_quiet_hours=True)


def _score_rules(p: Participant, resp: Any, instrument: Any, now: datetime) -> list[str]:
    """EQ-5D anxiety/depression at level 5 (extreme) asks for a routine mental-health review."""
    if instrument.code == "EQ5D5L" and resp.answers.get("AD") == 5:
        service.raise_alert(p, category="other", urgency="routine", source="score_rule",
                            evidence={"response_id": resp.id, "rule": "EQ5D AD=5: mental-health review"},
                            now=now)
        return ["routine"]
    return []


def handle_staff_sms(staff: StaffUser, msg: Message, now: datetime) -> list[str] | None:
    """`ACK <code>` from a registered staff phone acknowledges that alert (if their role may)."""
    match = _ACK.match(unicodedata.normalize("NFKC", msg.body))
    if not match:
        return None
    with unit_of_work() as session:
        alert = session.scalar(sa.select(SafetyAlert).where(SafetyAlert.code == match.group(1)))
        if alert is None or not (staff.all_sites or alert.site_id in staff.site_ids):
            return [f"[pro-service] No alert with code {match.group(1)} for you."]
        try:
            service.check_may_acknowledge(alert, staff)
        except Forbidden:
            return [f"[pro-service] Not acknowledged: your role ({staff.role}) may not acknowledge "
                    f"safety alerts. Alert {alert.code} is still open for the site team."]
        first = alert.ack_at is None
        service.acknowledge_alert(alert, staff=staff, via="sms", now=now)
        who = "" if first else " (it was already acknowledged)"
        return [f"[pro-service] Alert {alert.code} for {alert.participant.study_id} acknowledged{who}. "
                "Please contact the participant and triage it in the dashboard."]


def advice_for_occasion(occasion_id: int) -> str | None:
    """The safety advice texted after this occasion's submission, if it raised an alert."""
    return db.session.scalar(sa.select(Message.body).where(
        Message.kind == "safety_advice", Message.occasion_id == occasion_id)
        .order_by(Message.id.desc()).limit(1))
