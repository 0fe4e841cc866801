"""The blinded study overview: enrolment, completion, pooled scores, EQ-5D levels, missing data.

Every figure is a table first (rows of plain values, downloadable as CSV); the pages draw the
same rows. Pooled over participants: the system never knows the arm. Read at `as_of`, with
the same occasion outcomes as the item-level dataset.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from pro_service.audit.service import record_event
from pro_service.core.db import unit_of_work
from pro_service.exports import datasets, service
from pro_service.exports.domain.items import occasion_state
from pro_service.exports.domain.summary import by_timepoint, cumulative
from pro_service.extensions import db
from pro_service.participants.models import Participant
from pro_service.schedule.domain.protocol import Protocol
from pro_service.staff.models import Site, StaffUser

SCALES = ("EQ5D_INDEX", "EQ5D_VAS", "CLDQ_OVERALL", "CLDQ_AS", "CLDQ_FA", "CLDQ_SY", "CLDQ_AC",
          "CLDQ_EM", "CLDQ_WO")
DIMENSIONS = ("MO", "SC", "UA", "PD", "AD")
STATES = ("COMPLETE", "PARTIAL", "MISSED", "MISSED_BEFORE_ENROLMENT", "WITHDRAWN", "CANCELLED",
          "NOT_DUE")
PLOTS = ("enrolment", "completion", "scores", "eq5d_levels", "missing")


@dataclass
class Overview:
    as_of: datetime
    timepoints: list[str]  # questionnaire timepoints in protocol order
    months: list[str] = field(default_factory=list)
    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


def _month(at: datetime) -> str:
    return at.strftime("%Y-%m")


def _months(first: str, last: str) -> list[str]:
    out, (y, m) = [], map(int, first.split("-"))
    while f"{y:04d}-{m:02d}" <= last:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def _questionnaire_timepoints(protocol: Protocol) -> list[str]:
    return [t.code for t in protocol.timepoints if "{" not in t.code and not t.code.startswith("SC")]


def _enrolment(staff: StaffUser, as_of: datetime) -> list[tuple[str, str]]:
    stmt = (sa.select(Site.code, Participant.created_at)
            .join(Site, Site.id == Participant.site_id)
            .where(Participant.id.in_(service.visible_ids(staff, as_of))))
    return [(site, _month(at)) for site, at in db.session.execute(stmt)]


def build_overview(staff: StaffUser, *, protocol: Protocol, as_of: datetime) -> Overview:
    """All overview tables for this caller's participants at `as_of`."""
    filters = {"as_of": as_of}
    timepoints = _questionnaire_timepoints(protocol)
    overview = Overview(as_of, timepoints)
    enrolled = _enrolment(staff, as_of)
    states: Counter[tuple[str, str]] = Counter()
    done_by_month: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    levels: Counter[tuple[str, str, int]] = Counter()
    for occ in datasets.occasions(staff, filters):
        state = occasion_state(occ, as_of)
        group = occ.timepoint if occ.timepoint in timepoints else "SC"
        states[(group, state)] += 1
        if state not in ("NOT_DUE", "WITHDRAWN", "CANCELLED", "MISSED_BEFORE_ENROLMENT"):
            key = (occ.site, _month(min(occ.closes_at, as_of)))
            done_by_month[key][1] += 1
            done_by_month[key][0] += state == "COMPLETE"
        if state == "COMPLETE" and occ.instrument == "EQ5D5L":
            for dim in DIMENSIONS:
                level = (occ.answers or {}).get(dim)
                if isinstance(level, int):
                    levels[(occ.timepoint, dim, level)] += 1
    months = sorted({m for _, m in enrolled} | {m for _, m in done_by_month})
    overview.months = _months(months[0], months[-1]) if months else []
    overview.tables = {
        "enrolment": _enrolment_rows(enrolled, overview.months),
        "completion": _completion_rows(done_by_month, overview.months),
        "scores": _score_rows(staff, filters, timepoints),
        "eq5d_levels": [{"timepoint": tp, "dimension": d, "level": lv,
                         "count": levels.get((tp, d, lv), 0)}
                        for d in DIMENSIONS for tp in timepoints for lv in range(1, 6)],
        "missing": [{"timepoint": tp, "state": st, "count": states.get((tp, st), 0)}
                    for tp in [*timepoints, "SC"] for st in STATES],
    }
    return overview


def _enrolment_rows(enrolled: list[tuple[str, str]], months: list[str]) -> list[dict[str, Any]]:
    totals = cumulative(enrolled, months)
    return [{"site": site, "month": month, "enrolled_total": running[i]}
            for site, running in totals.items() for i, month in enumerate(months)]


def _completion_rows(done: Mapping[tuple[str, str], list[int]],
                     months: list[str]) -> list[dict[str, Any]]:
    rows = []
    for site in sorted({s for s, _ in done}):
        for month in months:
            completed, expected = done.get((site, month), [0, 0])
            rows.append({"site": site, "month": month, "expected": expected,
                         "completed": completed,
                         "rate": round(completed / expected, 4) if expected else None})
    return rows


def _score_rows(staff: StaffUser, filters: Mapping[str, Any],
                timepoints: list[str]) -> list[dict[str, Any]]:
    rows = [r for r in service.iter_score_rows(staff, filters) if r["scale"] in SCALES]
    out = []
    for scale in SCALES:
        for s in by_timepoint(rows, scale, timepoints):
            out.append({"scale": scale, "timepoint": s.group, "n": s.n, "mean": s.mean,
                        "ci_low": s.ci_low, "ci_high": s.ci_high, "median": s.median,
                        "q1": s.q1, "q3": s.q3})
    return out


def plot_rows(overview: Overview, plot: str) -> Iterator[dict[str, Any]]:
    """The rows behind one plot (for its CSV download)."""
    yield from overview.tables[plot]


def audit_plot_download(staff: StaffUser, plot: str, rows: int, *, as_of: datetime,
                        now: datetime) -> None:
    """Record the download of a plot's data as a data access."""
    with unit_of_work():
        record_event(actor=f"staff:{staff.id}", action="export.download", entity_type="dataset",
                     entity_id=f"overview:{plot}", now=now,
                     after={"dataset": f"overview:{plot}", "format": "csv", "filters": {},
                            "as_of": as_of.isoformat(), "rows": rows, "via": "dashboard",
                            "complete": True})
