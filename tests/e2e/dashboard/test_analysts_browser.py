"""The analysts' overview in Chromium: zh-CN and English, phone and desktop, with screenshots."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from pro_service.core import clock
from pro_service.exports import files
from pro_service.exports.jobs import build_export_files
from pro_service.extensions import db
from pro_service.responses import service as responses
from pro_service.schedule.models import Occasion
from pro_service.staff.models import StaffUser
from tests.browser import no_horizontal_scroll, settle, shot

pytestmark = pytest.mark.browser

NOW = datetime(2027, 8, 1, 2, 0, tzinfo=UTC)
DAYS = {"BL": 0, "W4": 28, "W12": 84, "W24": 168}


def _submit(app: Any, p: Any, timepoint: str, instrument: str, answers: dict[str, Any]) -> None:
    occ = db.session.scalar(sa.select(Occasion).where(
        Occasion.participant_id == p.id, Occasion.timepoint == timepoint,
        Occasion.instrument == instrument))
    occ.status = "open"
    db.session.commit()
    at = datetime.combine(occ.target_date, datetime.min.time(), tzinfo=UTC) + timedelta(hours=2)
    responses.submit_response(occ.id, answers, instrument=app.extensions["pro.instruments"][
        instrument], channel="sms" if p.id % 2 else "web", now=at, actor="test")


def _seed(app: Any, make_site: Any, make_participant: Any) -> None:
    """Twelve fictional participants at two sites, fewer answering at each later visit."""
    make_site("302")
    make_site("303")
    for n in range(12):
        site = "302" if n % 3 else "303"
        start = date(2027, 1, 11) + timedelta(days=7 * (n % 4))
        p = make_participant(study_id=f"{site}-{n + 1:04d}", site=site,
                             now=datetime(2027, 1, 4, 2, 0, tzinfo=UTC) + timedelta(days=7 * (n % 4)),
                             baseline=start, infusion_1=start, infusion_2=start + timedelta(days=28),
                             infusion_3=start + timedelta(days=56))
        for k, timepoint in enumerate(DAYS):
            if n >= 12 - 2 * k:  # BL: all twelve; W4: ten; W12: eight; W24: six
                continue
            worse = (n + k) % 5
            _submit(app, p, timepoint, "EQ5D5L", {
                "MO": 1 + worse % 3, "SC": 1 + (worse > 3), "UA": 1 + worse % 4,
                "PD": 1 + (n + 2 * k) % 5, "AD": 1 + (n % 3), "VAS": 45 + 4 * n + 3 * k})
            if timepoint in ("BL", "W4"):
                _submit(app, p, timepoint, "CLDQ",
                        {f"CLDQ{i:02d}": 1 + (n + i + k) % 7 for i in range(1, 30)})


def _export_files(app: Any) -> None:
    """The analyst's two background files: one built two days ago, one past its 30 days."""
    analyst = db.session.scalars(sa.select(StaffUser).where(StaffUser.role == "analyst")).one()
    for dataset, days in (("scores", 2), ("items", 45)):
        built = NOW - timedelta(days=days)
        files.request_file(analyst, dataset=dataset, fmt="csv", filters={"as_of": built},
                           now=built)
        build_export_files(app, now=built)
    settle()


@pytest.mark.parametrize(("lang", "wide"), [("zh-CN", False), ("zh-CN", True), ("en", True)])
def test_analyst_overview_renders_plots_and_tables_without_horizontal_scroll(
        app, staff_browser, make_site, make_participant, monkeypatch, tmp_path, lang, wide):
    monkeypatch.setattr(clock, "now", lambda: NOW)
    app.config["EXPORTS_DIR"] = str(tmp_path)
    _seed(app, make_site, make_participant)
    page = staff_browser("analyst", lang=lang, wide=wide, sites=("302", "303"),
                         next_path="/dashboard/analysts")
    _export_files(app)
    page.reload()
    expect(page.locator("h1")).to_have_text("研究概览" if lang == "zh-CN" else "Study overview")
    my_files = page.locator("ul.analysts-files li")
    expect(my_files).to_have_count(2)
    expect(my_files.nth(0)).to_contain_text(
        ("可下载至" if lang == "zh-CN" else "Available until") + " 2027-08-29 02:00 UTC")
    expect(my_files.nth(1)).to_contain_text(
        ("过期于" if lang == "zh-CN" else "Expired on") + " 2027-07-17 02:00 UTC")
    expect(my_files.nth(1).locator("a")).to_have_count(0)
    expect(page.locator("figure.plot svg")).to_have_count(2 + 9 + 5 + 1)
    assert no_horizontal_scroll(page)
    first_table = page.locator("details.analysts-table").nth(1)
    first_table.locator("summary").click()
    expect(first_table.locator("table")).to_contain_text("BL")
    with page.expect_download() as download:
        page.locator("a[href='/dashboard/analysts/data/scores.csv']").click()
    assert download.value.suggested_filename == "overview-scores.csv"
    with page.expect_download() as download:
        my_files.nth(0).locator("a").click()
    assert download.value.suggested_filename == "scores.csv"
    shot(page, f"analysts-overview-{lang}-{'desktop' if wide else 'phone'}")
