"""Bulk import: every bad row reported with its line; nothing imported when any row is bad."""

from __future__ import annotations

import sqlalchemy as sa

from pro_service.extensions import db
from pro_service.participants.models import Participant
from tests.factories import fictional_mobile

HEADER = "study_id,site,phone,language,timezone,baseline,infusion_1\n"


def _count():
    return db.session.scalar(sa.select(sa.func.count(Participant.id)))


def test_good_file_imports_every_row(cli_runner, make_site, tmp_path):
    make_site("302")
    path = tmp_path / "ok.csv"
    path.write_text(HEADER + f"302-0001,302,{fictional_mobile(1)},zh-CN,,2027-01-11,2027-01-11\n"
                    f"302-0002,302,{fictional_mobile(2)},en,Asia/Shanghai,2027-01-12,\n")
    result = cli_runner.invoke(args=["participants", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert "imported 2" in result.output
    assert _count() == 2


def test_bad_rows_are_each_reported_and_nothing_is_imported(cli_runner, make_site, tmp_path):
    make_site("302")
    path = tmp_path / "bad.csv"
    path.write_text(HEADER + f"302-0001,302,{fictional_mobile(1)},zh-CN,,2027-01-11,\n"
                    f"30-1,302,{fictional_mobile(2)},zh-CN,,,\n"
                    f"302-0003,302,555,zh-CN,,,\n"
                    f"302-0004,302,{fictional_mobile(1)},zh-CN,,,\n"
                    f"302-0005,302,{fictional_mobile(5)},xx,,,\n")
    result = cli_runner.invoke(args=["participants", "import", str(path)])
    assert result.exit_code == 1
    out = result.output
    assert "bad.csv:3: study_id must look like" in out
    assert "bad.csv:4: phone" in out
    assert "bad.csv:5: this phone number is already enrolled" in out
    assert "bad.csv:6: language" in out
    assert "bad.csv:2" not in out
    assert "nothing imported" in out
    assert _count() == 0


def test_missing_columns_are_named(cli_runner, make_site, tmp_path):
    path = tmp_path / "cols.csv"
    path.write_text("study_id,site\n302-0001,302\n")
    result = cli_runner.invoke(args=["participants", "import", str(path)])
    assert result.exit_code == 1 and "missing column(s): phone" in result.output
