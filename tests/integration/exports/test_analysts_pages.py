"""The analysts' overview page: who may open it, its numbers, and its audited plot data."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import pytest
import sqlalchemy as sa

from pro_service.audit.models import AuditEvent
from pro_service.extensions import db
from tests.integration.exports.conftest import BL_ON_DAY, W4_ON_TARGET

PASSWORD = "correct horse"  # noqa: S105 - test credential


def _sign_in(client: Any, make_staff: Any, role: str) -> Any:
    staff = make_staff(role, password=PASSWORD)
    email = staff.user.email
    page = client.get("/dashboard/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    client.post("/dashboard/login", data={"email": email, "password": PASSWORD,
                                          "csrf_token": token})
    return staff.user


@pytest.fixture
def study(world: Any, make_participant: Any, answer: Any) -> None:
    for n, vas in enumerate((60, 70, 80)):
        p = make_participant()
        answer(p, "BL", at=BL_ON_DAY, answers={"MO": 1 + n, "SC": 1, "UA": 1, "PD": 2, "AD": 1,
                                               "VAS": vas})
        if n < 2:
            answer(p, "W4", at=W4_ON_TARGET, level=1 + n)


def test_analyst_sees_pooled_scores_with_ci_median_and_iqr(client, make_staff, study):
    _sign_in(client, make_staff, "analyst")
    page = client.get("/dashboard/analysts?lang=en")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert html.count("<svg") == 2 + 9 + 5 + 1  # enrolment, completion, 9 scales, 5 dims, missing
    # EQ VAS at BL: 60, 70, 80 -> mean 70, 95% CI 70 ± 4.303·10/√3, median 70, IQR 65-75.
    row = re.search(r"<tr><td>BL</td><td class=\"num\">3</td><td class=\"num\">70.000</td>"
                    r"<td class=\"num\">45.157 – 94.843</td><td class=\"num\">70.000</td>"
                    r"<td class=\"num\">65.000 – 75.000</td></tr>", html)
    assert row, "EQ VAS baseline row missing"


def test_overview_is_for_analysts_admins_and_safety_officers_only(client, make_staff, study):
    _sign_in(client, make_staff, "coordinator")
    assert client.get("/dashboard/analysts").status_code == 403


def test_each_plot_has_its_data_as_csv_and_the_download_is_audited(client, make_staff, study):
    _sign_in(client, make_staff, "admin")
    html = client.get("/dashboard/analysts").get_data(as_text=True)
    links = set(re.findall(r'href="(/dashboard/analysts/data/[a-z_0-9]+\.csv)"', html))
    assert len(links) == 5
    levels = client.get("/dashboard/analysts/data/eq5d_levels.csv").get_data(as_text=True)
    body = levels.rsplit("#END", 1)[0]
    rows = list(csv.DictReader(io.StringIO(body)))
    mo_bl = {r["level"]: int(r["count"]) for r in rows
             if r["dimension"] == "MO" and r["timepoint"] == "BL"}
    assert mo_bl == {"1": 1, "2": 1, "3": 1, "4": 0, "5": 0}
    event = db.session.scalars(sa.select(AuditEvent).where(
        AuditEvent.action == "export.download")).one()
    assert event.after["dataset"] == "overview:eq5d_levels" and event.after["rows"] == len(rows)
    assert client.get("/dashboard/analysts/data/secrets.csv").status_code == 404


def test_the_download_form_leads_to_the_filtered_audited_api_download(client, make_staff, study):
    _sign_in(client, make_staff, "analyst")
    resp = client.get("/dashboard/analysts/download", query_string={
        "dataset": "items", "format": "csv", "site": "302", "timepoint": "BL",
        "instrument": "EQ5D5L", "since": "2027-01-01", "until": "", "as_of": "2027-06-01T08:00"})
    assert resp.status_code == 302
    target = resp.headers["Location"]
    assert target.startswith("/api/exports/items?")
    assert "since=2027-01-01T00%3A00%3A00Z" in target and "until" not in target
    body = client.get(target).get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(body.rsplit("#END", 1)[0])))
    assert len(rows) == 3 * 6 and {r["timepoint"] for r in rows} == {"BL"}
    event = db.session.scalars(sa.select(AuditEvent).where(
        AuditEvent.action == "export.download")).one()
    assert event.after["filters"]["site"] == "302" and event.after["rows"] == 18
    assert client.get("/dashboard/analysts/download?dataset=audit").status_code == 400


def test_the_page_lists_data_cuts_with_their_checked_downloads(app, client, make_staff, study):
    from pro_service.exports import files
    from pro_service.exports.jobs import build_export_files
    from tests.integration.exports.conftest import LATE

    admin = make_staff("admin", password=PASSWORD)
    files.create_cut(admin.user, name="W4 interim", filters={"as_of": LATE}, now=LATE,
                     files=[("scores", "csv"), ("qs", "xpt")])
    build_export_files(app, now=LATE, limit=10)
    _sign_in(client, make_staff, "analyst")
    html = client.get("/dashboard/analysts").get_data(as_text=True)
    assert "W4 interim" in html
    links = re.findall(r'href="(/api/exports/cuts/\d+/files/[0-9a-f]+)"', html)
    assert len(links) == 2
    got = client.get(links[0])
    assert got.status_code == 200 and got.headers["X-Content-SHA256"] in html


def test_the_overview_can_be_read_as_of_an_earlier_instant(client, make_staff, study):
    _sign_in(client, make_staff, "analyst")
    # Before the W4 answers (02-08): W4 shows n=0 for the EQ VAS; after: n=2.
    before = client.get("/dashboard/analysts?lang=en&as_of=2027-02-01T00:00").get_data(as_text=True)
    after = client.get("/dashboard/analysts?lang=en").get_data(as_text=True)
    w4 = r"<tr><td>W4</td><td class=\"num\">(\d+)</td>"
    assert re.findall(w4, before)[1] == "0" and re.findall(w4, after)[1] == "2"
    assert re.search(r'href="[^"]*/analysts/data/scores\.csv\?as_of=2027-02-01T00:00"', before)
    data = client.get("/dashboard/analysts/data/scores.csv?as_of=2027-02-01T00:00")
    assert ",W4," not in data.get_data(as_text=True).replace("W4,0,", "")
    assert client.get("/dashboard/analysts?as_of=not-a-time").status_code == 400
    assert client.get("/dashboard/analysts?as_of=2031-01-01T00:00").status_code == 400


def _my_file(app: Any, analyst: Any, built: Any, dataset: str) -> str:
    from pro_service.exports import files
    from pro_service.exports.jobs import build_export_files

    entry = files.request_file(analyst, dataset=dataset, fmt="csv", filters={"as_of": built},
                               now=built)
    build_export_files(app, now=built)
    return entry.public_id


@pytest.mark.parametrize(("lang", "available", "expired", "gone"), [
    ("en", "Available until", "Expired on", "items.csv is no longer available: export files are "
                                            "deleted 30 days after they are built"),
    ("zh-CN", "可下载至", "过期于", "items.csv 已不可下载：导出文件在生成 30 天后删除")])
def test_my_export_files_show_their_expiry_and_an_expired_one_says_so_on_the_page(
        app, client, make_staff, study, tmp_path, lang, available, expired, gone):
    from datetime import timedelta

    from tests.integration.exports.conftest import LATE

    app.config["EXPORTS_DIR"] = str(tmp_path)
    analyst = _sign_in(client, make_staff, "analyst")
    fresh = _my_file(app, analyst, LATE - timedelta(days=10), "scores")
    old = _my_file(app, analyst, LATE - timedelta(days=40), "items")
    html = client.get(f"/dashboard/analysts?lang={lang}").get_data(as_text=True)
    assert f"{available} <time datetime=\"2028-01-20T00:00:00+00:00\">2028-01-20 00:00 UTC" in html
    assert f"{expired} <time datetime=\"2027-12-21T00:00:00+00:00\">2027-12-21 00:00 UTC" in html
    assert f"/dashboard/analysts/files/{fresh}" in html
    assert f"/dashboard/analysts/files/{old}" not in html  # no link to a file past its retention
    ok = client.get(f"/dashboard/analysts/files/{fresh}")
    assert ok.status_code == 302 and ok.headers["Location"] == f"/api/exports/files/{fresh}/download"
    refused = client.get(f"/dashboard/analysts/files/{old}", follow_redirects=True)
    assert refused.status_code == 200 and refused.request.path == "/dashboard/analysts"
    assert gone in refused.get_data(as_text=True)


def test_a_file_gone_from_disk_is_a_message_on_the_page_not_a_server_error(
        app, client, make_staff, study, tmp_path):
    from datetime import timedelta

    from tests.integration.exports.conftest import LATE

    app.config["EXPORTS_DIR"] = str(tmp_path)
    analyst = _sign_in(client, make_staff, "analyst")
    public_id = _my_file(app, analyst, LATE - timedelta(days=1), "scores")
    for leftover in tmp_path.iterdir():
        leftover.unlink()
    refused = client.get(f"/dashboard/analysts/files/{public_id}?lang=en", follow_redirects=True)
    assert refused.status_code == 200
    assert "scores.csv is no longer available" in refused.get_data(as_text=True)
    other = _sign_in(client, make_staff, "analyst")
    assert other.id != analyst.id
    assert client.get(f"/dashboard/analysts/files/{public_id}").status_code == 404
