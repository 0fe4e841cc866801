"""Rotate the personal-data keys: re-encrypt every phone number and rebuild every blind index.

Run while the web app and schedulers are stopped (or read-only), then restart them with the new
``PRO_DATA_KEY``/``PRO_INDEX_KEY``. One transaction: every value is decrypted with the old key and
checked before anything is written, so a wrong old key changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from pro_service.audit.service import record_event
from pro_service.core import crypto
from pro_service.core.db import unit_of_work
from pro_service.participants.models import Caregiver, Participant
from pro_service.staff.models import StaffUser


@dataclass(frozen=True)
class PhoneColumn:
    """One encrypted phone column, its encryption context and its blind-index column and purpose."""

    model: Any
    encrypted: str
    context: str
    index: str | None
    purpose: str = "phone"


# Every encrypted personal value in the database; a new one must be listed here (a test checks).
PHONE_COLUMNS: list[PhoneColumn] = [
    PhoneColumn(Participant, "phone_enc", "participant.phone", "phone_index"),
    PhoneColumn(StaffUser, "alert_phone_enc", "staff.alert_phone", "alert_phone_index"),
    PhoneColumn(Caregiver, "phone_enc", "caregiver.phone", "phone_index"),
]


class KeyRotationError(RuntimeError):
    """The old keys do not open a stored value, or the new keys are unusable."""


@dataclass(frozen=True)
class KeyPair:
    data_key: str
    index_key: str


def rotate_keys(*, old: KeyPair, new: KeyPair, now: datetime, actor: str) -> dict[str, int]:
    """Re-encrypt and re-index every listed column under the new keys; counts per table."""
    if len(new.data_key) < 32 or len(new.index_key) < 32:
        raise KeyRotationError("new keys must be at least 32 characters")
    if new == old:
        raise KeyRotationError("the new keys are the old keys")
    counts: dict[str, int] = {}
    with unit_of_work() as session:
        for column in PHONE_COLUMNS:
            rows = session.scalars(sa.select(column.model).where(
                getattr(column.model, column.encrypted).is_not(None))
                .order_by(column.model.id).with_for_update(of=column.model)).all()
            plain = [_open(row, column, old) for row in rows]
            if column.index:  # park first: the unique index must not see old and new values mixed
                for row in rows:
                    setattr(row, column.index, f"rotating:{row.id}")
                session.flush()
            for row, value in zip(rows, plain, strict=True):
                setattr(row, column.encrypted, crypto.encrypt(value, new.data_key, column.context))
                if column.index:
                    setattr(row, column.index, crypto.blind_index(value, new.index_key, column.purpose))
            counts[column.model.__tablename__] = len(rows)
        record_event(actor=actor, action="keys.rotate", entity_type="keys", entity_id="personal-data",
                     now=now, after={"rows": counts})
    return counts


def _open(row: Any, column: PhoneColumn, old: KeyPair) -> str:
    try:
        return crypto.decrypt(getattr(row, column.encrypted), old.data_key, column.context)
    except Exception as exc:  # cryptography raises InvalidTag without a message
        raise KeyRotationError(f"{column.model.__tablename__} {row.id}: the current PRO_DATA_KEY "
                               "does not open this value; nothing was changed") from exc
