"""A participant's record for the staff workspace: schedule, answers with versions, SMS, alerts.

A fixed number of statements per page, whatever the length of the history: the participant,
their occasions, their responses (scores in one more), messages and alerts.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from pro_service.extensions import db
from pro_service.instruments.domain.definitions import Instrument, ResponseType
from pro_service.messages.models import Message
from pro_service.participants.models import Participant
from pro_service.participants.service import get_participant
from pro_service.plots.trends import Observation
from pro_service.responses.grid import display_state
from pro_service.responses.models import Response
from pro_service.safety.models import SafetyAlert
from pro_service.schedule.models import Occasion
from pro_service.schedule.service import occasions_of
from pro_service.staff.models import StaffUser
from pro_service.staff.policy import WORKSPACE_READERS, require

THREAD_LIMIT = 200


@dataclass(frozen=True)
class OccasionRow:
    occasion: Occasion
    state: str
    versions: tuple[Response, ...]  # newest first

    @property
    def current(self) -> Response | None:
        return next((r for r in self.versions if not r.superseded), None)


@dataclass
class Record:
    participant: Participant
    occasions: list[OccasionRow]
    messages: list[Message]
    alerts: list[SafetyAlert]

    def answered(self) -> list[OccasionRow]:
        return [row for row in self.occasions if row.versions]

    def find(self, occasion_id: int) -> OccasionRow | None:
        return next((row for row in self.occasions if row.occasion.id == occasion_id), None)


def participant_record(study_id: str, staff: StaffUser) -> Record:
    """Everything the participant page shows, for staff who may see this participant."""
    require(staff, WORKSPACE_READERS, "see participants")
    p = get_participant(study_id, staff)
    responses = db.session.scalars(sa.select(Response).where(Response.participant_id == p.id)
                                   .order_by(Response.occasion_id, Response.version.desc())).all()
    versions: dict[int, list[Response]] = defaultdict(list)
    for resp in responses:
        versions[resp.occasion_id].append(resp)
    rows = [OccasionRow(o, display_state(o.status, o.reminders_sent,
                                         any(r.status == "partial" for r in versions[o.id])),
                        tuple(versions[o.id])) for o in occasions_of(p.id)]
    messages = list(db.session.scalars(sa.select(Message).where(Message.participant_id == p.id)
                                       .order_by(Message.created_at.desc(), Message.id.desc())
                                       .limit(THREAD_LIMIT)))
    alerts = list(db.session.scalars(sa.select(SafetyAlert).where(SafetyAlert.participant_id == p.id)
                                     .order_by(SafetyAlert.created_at.desc())))
    return Record(p, rows, messages, alerts)


def observations(record: Record, instrument: str) -> list[Observation]:
    """The instrument's occasions as plot input: study week from baseline, state, current scores."""
    baseline = record.participant.baseline
    out = []
    for row in record.occasions:
        occ = row.occasion
        if occ.instrument != instrument or baseline is None:
            continue
        current = row.current
        scores = {s.scale: s.value for s in current.scores} if current else {}
        out.append(Observation((occ.target_date - baseline).days / 7, row.state, scores))
    return out


def answer_rows(instrument: Instrument, answers: dict[str, Any], language: str) -> list[tuple[str, str, str]]:
    """(item id, item text, answer label) in the staff member's language, in item order."""
    rows = []
    for item in instrument.items:
        if item.id not in answers:
            continue
        value = answers[item.id]
        rows.append((item.id, _text(item.text, language), _label(item, value, language)))
    return rows


def _text(texts: dict[str, str], language: str) -> str:
    return texts.get(language) or texts.get("en") or next(iter(texts.values()), "")


def _label(item: Any, value: Any, language: str) -> str:
    if value is None:
        return "—"
    if item.type == ResponseType.CHOICE:
        choice = next((c for c in item.choices if c.code == value), None)
        return f"{value} · {_text(choice.label, language)}" if choice else str(value)
    if item.type == ResponseType.YES_NO:
        return {True: {"zh-CN": "是", "en": "yes"}, False: {"zh-CN": "否", "en": "no"}}[bool(value)] \
            .get(language, "yes" if value else "no")
    return str(value)

