"""Item-level and wide rows with missing-data codes, as things stood at a data cut (as_of).

An occasion's outcome at the cut comes from its window, the participant's enrolment and
withdrawal times and the latest response version submitted by then: nothing read here
changes after the fact except through new, later-dated rows, so the same cut gives the
same rows however much data arrives afterwards.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from pro_service.exports.domain.rows import local_time, study_day
from pro_service.instruments.domain.definitions import Instrument, Item, ResponseType
from pro_service.schedule.domain.completion import OVERDUE_WITHIN, Cell

COMPLETE, PARTIAL = "complete", "partial"


@dataclass(frozen=True)
class OccasionRecord:
    """One scheduled occasion with the response versions that existed at the cut."""

    study_id: str
    site: str
    timezone: str
    baseline: date | None
    enrolled_at: datetime
    withdrawn_at: datetime | None
    timepoint: str
    target_date: date
    instrument: str
    opens_at: datetime
    closes_at: datetime
    status: str  # stored status now (only "cancelled" with ended_at is read)
    ended_at: datetime | None
    response_id: int | None  # latest version submitted by the cut
    response_status: str | None
    answers: Mapping[str, Any] | None
    provenance: Mapping[str, Any] | None
    version: int | None
    instrument_version: str | None
    channel: str | None  # first version's
    completed_at: datetime | None  # first version's submission (UTC)


def occasion_state(occ: OccasionRecord, as_of: datetime) -> str:
    """COMPLETE or the missing-data code of an occasion at the cut (catalog.MISSING_CODES)."""
    if occ.response_status == COMPLETE:
        return "COMPLETE"
    if occ.withdrawn_at is not None and occ.withdrawn_at <= as_of and \
            occ.closes_at > occ.withdrawn_at:
        return "WITHDRAWN"
    if occ.status == "cancelled" and occ.ended_at is not None and occ.ended_at <= as_of \
            and occ.closes_at > occ.ended_at:
        return "CANCELLED"
    if occ.closes_at > as_of:
        return "NOT_DUE"
    if occ.response_status == PARTIAL:
        return "PARTIAL"
    # The schedule marks an occasion whose window closed before it existed (late enrolment,
    # or an anchor moved into the past); the window against enrolment covers older rows.
    marked = occ.status == "missed_before_enrolment" and (occ.ended_at is None
                                                           or occ.ended_at <= as_of)
    if marked or occ.closes_at <= occ.enrolled_at:
        return "MISSED_BEFORE_ENROLMENT"
    return "MISSED"


_CELL_OF_STATE = {"COMPLETE": Cell.COMPLETED, "WITHDRAWN": Cell.CANCELLED,
                  "CANCELLED": Cell.CANCELLED, "PARTIAL": Cell.PARTIAL, "MISSED": Cell.MISSED,
                  "MISSED_BEFORE_ENROLMENT": Cell.MISSED_BEFORE_ENROLMENT}


def completion_cell(occ: OccasionRecord, as_of: datetime) -> Cell:
    """The completion report's state of an occasion at the cut (`occasion_state`'s outcome,
    with a window not yet closed told apart as not yet due, open or overdue, as now)."""
    state = occasion_state(occ, as_of)
    if state != "NOT_DUE":
        return _CELL_OF_STATE[state]
    if occ.opens_at > as_of:
        return Cell.NOT_YET_DUE
    return Cell.OVERDUE if occ.closes_at <= as_of + OVERDUE_WITHIN else Cell.OPEN


def coded(item: Item, value: Any) -> Any:
    """The exported value: Y/N for yes/no items, the number or text otherwise."""
    if item.type == ResponseType.YES_NO and isinstance(value, bool):
        return "Y" if value else "N"
    return value


def value_label(item: Item, value: Any) -> str:
    """English label of a coded answer (options, yes/no); empty for numbers and text."""
    if item.type == ResponseType.YES_NO and isinstance(value, bool):
        return "Yes" if value else "No"
    for choice in item.choices:
        if choice.code == value and not isinstance(value, bool):
            return choice.label.get("en", "")
    return ""


def _completion(occ: OccasionRecord) -> dict[str, Any]:
    if occ.completed_at is None:
        return {"completed_at_utc": None, "completed_at_local": None, "study_day": None}
    local = local_time(occ.completed_at, occ.timezone)
    return {"completed_at_utc": occ.completed_at.isoformat(),
            "completed_at_local": local.isoformat(),
            "study_day": study_day(local.date(), occ.baseline)}


def _sms(provenance: Mapping[str, Any] | None, item_id: str) -> dict[str, Any]:
    entry = (provenance or {}).get(item_id)
    if not isinstance(entry, Mapping):
        return {"sms_reply": None, "sms_read_as": None, "sms_message_sid": None}
    return {"sms_reply": entry.get("raw"), "sms_read_as": entry.get("how"),
            "sms_message_sid": entry.get("sid")}


def item_rows(occ: OccasionRecord, instrument: Instrument, as_of: datetime) -> Iterator[dict[str, Any]]:
    """One row per item of the occasion's instrument: the answer, or a missing-data code."""
    state = occasion_state(occ, as_of)
    answers = (occ.answers or {}) if state in ("COMPLETE", "PARTIAL") else {}
    blank = {"COMPLETE": "NOT_ANSWERED", "PARTIAL": "PARTIAL"}.get(state, state)
    reporter = str((occ.provenance or {}).get("reporter") or "self") if occ.response_id else None
    common = {"study_id": occ.study_id, "site": occ.site, "timepoint": occ.timepoint,
              "target_date": occ.target_date.isoformat(), "instrument": occ.instrument,
              "instrument_version": occ.instrument_version or instrument.version,
              "occasion_status": state, "channel": occ.channel, "reporter": reporter,
              **_completion(occ), "response_version": occ.version}
    for order, item in enumerate(instrument.items, start=1):
        value = answers.get(item.id)
        yield {**common, "item_id": item.id, "item_order": order,
               "value": None if value is None else coded(item, value),
               "value_label_en": "" if value is None else value_label(item, value),
               "missing_code": blank if value is None else None,
               **_sms(occ.provenance, item.id)}


def wide_row(timepoint_occasions: Iterable[OccasionRecord], *, visitnum: int | None,
             instruments: Mapping[str, Instrument], scores: Mapping[int, Mapping[str, float | None]],
             scales: Mapping[str, tuple[str, ...]], as_of: datetime) -> dict[str, Any]:
    """One participant's timepoint: per instrument its outcome, first completion, scores, items."""
    occs = {o.instrument: o for o in timepoint_occasions}
    first = next(iter(occs.values()))
    row: dict[str, Any] = {"study_id": first.study_id, "site": first.site,
                           "timepoint": first.timepoint, "visitnum": visitnum,
                           "target_date": first.target_date.isoformat()}
    for code, inst in instruments.items():
        occ = occs.get(code)
        state = occasion_state(occ, as_of) if occ else "NOT_SCHEDULED"
        row[f"{code}_status"] = state
        done = occ is not None and state in ("COMPLETE", "PARTIAL")
        row[f"{code}_completed_at_utc"] = occ.completed_at.isoformat() \
            if done and occ and occ.completed_at else None
        row[f"{code}_channel"] = occ.channel if done and occ else None
        values = scores.get(occ.response_id, {}) if done and occ and occ.response_id else {}
        for scale in scales.get(code, ()):
            row[scale] = values.get(scale)
        answers = (occ.answers or {}) if done and occ else {}
        for item in inst.items:
            value = answers.get(item.id)
            row[f"{code}_{item.id}"] = None if value is None else coded(item, value)
    return row


def instrument_scales(instrument: Instrument) -> tuple[str, ...]:
    """The score scales an instrument's scorer produces, in export order."""
    scorer = instrument.scoring.get("scorer")
    if scorer == "eq5d":
        return ("EQ5D_INDEX", "EQ5D_LSS", "EQ5D_VAS")
    if scorer == "cldq":
        domains = instrument.scoring.get("domains")
        names = list(domains) if isinstance(domains, Mapping) else []
        return (*(f"CLDQ_{d}" for d in names), "CLDQ_OVERALL")
    return ()
