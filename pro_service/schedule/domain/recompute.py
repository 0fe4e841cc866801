"""Which occasions an anchor change moves, adds and cancels (DESIGN §3: only unopened ones move).

One pure plan serves both the preview staff see before confirming and the change itself, so
the preview cannot disagree with what then happens.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from pro_service.schedule.domain.timeline import OccasionSpec

SCHEDULED = "scheduled"
# Not yet opened, or recorded as over before it existed: both follow the anchors.
MOVABLE = frozenset({SCHEDULED, "missed_before_enrolment"})


@dataclass(frozen=True)
class Current:
    """An occasion as it stands: identity, status and window."""

    timepoint: str
    instrument: str
    status: str
    target: date
    opens_at: datetime
    closes_at: datetime

    @property
    def key(self) -> tuple[str, str]:
        return self.timepoint, self.instrument


@dataclass(frozen=True)
class Move:
    before: Current
    after: OccasionSpec


@dataclass(frozen=True)
class Plan:
    moved: tuple[Move, ...]
    added: tuple[OccasionSpec, ...]
    cancelled: tuple[Current, ...]
    kept: tuple[Current, ...]  # opened or ended occasions whose window would change but stays

    def counts(self) -> dict[str, int]:
        return {"moved": len(self.moved), "added": len(self.added), "cancelled": len(self.cancelled)}


def _window(occ: Current) -> tuple[datetime, datetime, date]:
    return occ.opens_at, occ.closes_at, occ.target


def plan_recompute(current: Iterable[Current], wanted: Iterable[OccasionSpec], now: datetime) -> Plan:
    """Plan the change: move unopened occasions, add new ones, cancel dropped ones.

    Nothing is dropped silently: an added or moved occasion whose window is already over is
    recorded as missed before enrolment by the service. Occasions already opened, answered,
    missed or cancelled keep their window (listed as `kept` when the new anchors would have
    placed them elsewhere).
    """
    existing = {c.key: c for c in current}
    wanted_by_key = {s.key: s for s in wanted}
    moved, added, kept = [], [], []
    for key, spec in wanted_by_key.items():
        occ = existing.get(key)
        if occ is None:
            added.append(spec)
        elif _window(occ) != (spec.opens_at, spec.closes_at, spec.target):
            (moved.append(Move(occ, spec)) if occ.status in MOVABLE else kept.append(occ))
    cancelled = [occ for key, occ in existing.items()
                 if key not in wanted_by_key and occ.status in MOVABLE]
    return Plan(tuple(moved), tuple(added), tuple(cancelled), tuple(kept))
