"""Operating it: personal-data key rotation, and a backup restored into a fresh database."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import uuid

import pytest
import sqlalchemy as sa

from pro_service.audit.service import verify_chain
from pro_service.core import crypto
from pro_service.extensions import db
from pro_service.ops.keys import PHONE_COLUMNS
from pro_service.participants import service as participants
from pro_service.participants.models import Participant
from pro_service.staff.models import StaffUser
from tests.conftest import BACKEND, make_app

NEW_DATA = "rotated-data-key-0123456789abcdef-XYZ"
NEW_INDEX = "rotated-index-key-0123456789abcdef-XYZ"
PHONE = "+8613800138021"  # fictional
STAFF_PHONE = "+8613800138022"  # fictional


@pytest.fixture
def enrolled(app, make_site, make_staff, make_participant):
    make_site("302")
    make_staff("coordinator", email="c@example.test", alert_phone=STAFF_PHONE)
    return make_participant(study_id="302-0001", phone=PHONE)


def test_rotation_re_encrypts_and_re_indexes_every_phone(app, cli_runner, enrolled):
    old = participants.Keys(app.config["DATA_KEY"], app.config["INDEX_KEY"])
    result = cli_runner.invoke(args=["keys", "rotate"],
                               env={"PRO_NEW_DATA_KEY": NEW_DATA, "PRO_NEW_INDEX_KEY": NEW_INDEX})
    assert result.exit_code == 0, result.output
    assert "participants 1" in result.output and "staff_users 1" in result.output
    db.session.expire_all()
    new = participants.Keys(NEW_DATA, NEW_INDEX)
    found = participants.find_by_phone(PHONE, new)
    assert found is not None and found.study_id == "302-0001"
    assert participants.phone_of(found, new) == PHONE
    assert participants.find_by_phone(PHONE, old) is None
    with pytest.raises(Exception):  # noqa: B017,PT011 - the old key no longer opens it
        participants.phone_of(found, old)
    staff = db.session.scalar(sa.select(StaffUser).where(StaffUser.email == "c@example.test"))
    assert crypto.decrypt(staff.alert_phone_enc, NEW_DATA, "staff.alert_phone") == STAFF_PHONE
    assert staff.alert_phone_index == crypto.blind_index(STAFF_PHONE, NEW_INDEX, "phone")
    assert verify_chain().ok


def test_rotation_with_a_wrong_current_key_changes_nothing(app, cli_runner, enrolled):
    before = db.session.scalar(sa.select(Participant.phone_enc))
    app.config["DATA_KEY"] = "not-the-key-that-encrypted-these-values"
    result = cli_runner.invoke(args=["keys", "rotate"],
                               env={"PRO_NEW_DATA_KEY": NEW_DATA, "PRO_NEW_INDEX_KEY": NEW_INDEX})
    assert result.exit_code != 0 and "nothing was changed" in result.output
    db.session.expire_all()
    assert db.session.scalar(sa.select(Participant.phone_enc)) == before


def test_rotation_refuses_missing_or_short_new_keys(cli_runner, enrolled):
    assert cli_runner.invoke(args=["keys", "rotate"], env={"PRO_NEW_DATA_KEY": ""}).exit_code != 0
    short = cli_runner.invoke(args=["keys", "rotate"],
                              env={"PRO_NEW_DATA_KEY": "short", "PRO_NEW_INDEX_KEY": "short"})
    assert short.exit_code != 0 and "32 characters" in short.output


def test_every_encrypted_column_is_covered_by_rotation(app):
    listed = {(c.model.__tablename__, c.encrypted) for c in PHONE_COLUMNS}
    encrypted = {(t.name, col.name) for t in db.Model.metadata.sorted_tables for col in t.columns
                 if col.name.endswith("_enc")}
    assert encrypted == listed


def _restore(database_url: str, tmp_path) -> str:
    """Back the test database up and restore it into a new, empty database; return its URL."""
    if BACKEND == "postgres":
        for tool in ("pg_dump", "pg_restore"):
            if shutil.which(tool) is None:
                pytest.fail(f"{tool} is missing (postgresql-client)")
        plain = database_url.replace("postgresql+psycopg://", "postgresql://")
        dump = tmp_path / "backup.dump"
        subprocess.run(["pg_dump", "--format=custom", f"--file={dump}", plain], check=True)  # noqa: S603,S607
        name = f"pro_restore_{uuid.uuid4().hex[:8]}"
        admin = sa.create_engine(database_url.rsplit("/", 1)[0] + "/postgres", isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        target = plain.rsplit("/", 1)[0] + "/" + name
        subprocess.run(["pg_restore", "--no-owner", f"--dbname={target}", str(dump)], check=True)  # noqa: S603,S607
        return target
    source = sqlite3.connect(database_url.removeprefix("sqlite:///"))
    copy_path = tmp_path / "restored.sqlite3"
    target_db = sqlite3.connect(copy_path)
    source.backup(target_db)  # the online backup API: consistent while the app writes
    source.close()
    target_db.close()
    return f"sqlite:///{copy_path}"


def test_a_backup_restores_into_a_fresh_database_with_its_audit_chain_intact(
        app, database_url, tmp_path, enrolled):
    db.session.commit()
    restored_url = _restore(database_url, tmp_path)
    restored = make_app(restored_url)
    try:
        with restored.app_context():
            result = restored.test_cli_runner().invoke(args=["audit", "verify"])
            assert result.exit_code == 0 and result.output.startswith("OK:"), result.output
            keys = participants.Keys(restored.config["DATA_KEY"], restored.config["INDEX_KEY"])
            assert participants.find_by_phone(PHONE, keys).study_id == "302-0001"
            db.session.remove()
            db.engine.dispose()
    finally:
        if BACKEND == "postgres":
            name = restored_url.rsplit("/", 1)[1]
            admin = sa.create_engine(database_url.rsplit("/", 1)[0] + "/postgres",
                                     isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()
