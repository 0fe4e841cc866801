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


def _sign_in(client: Any, make_staff: Any, role: str) -> None:
    email = make_staff(role, password=PASSWORD).user.email
    page = client.get("/dashboard/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    client.post("/dashboard/login", data={"email": email, "password": PASSWORD,
                                          "csrf_token": token})


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
