"""A red banner tells admins and safety officers when no scheduler is running."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from pro_service.core import clock
from pro_service.core.heartbeat import beat
from pro_service.extensions import db

PASSWORD = "correct horse"  # noqa: S105 - test credential


def _page_as(client, make_staff, role: str, lang: str = "en") -> str:
    make_staff(role, email=f"{role}@example.test", password=PASSWORD)
    db.session.commit()
    page = client.get(f"/dashboard/login?lang={lang}").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    client.post("/dashboard/login", data={"email": f"{role}@example.test", "password": PASSWORD,
                                          "csrf_token": token})
    return client.get("/dashboard/", follow_redirects=True).get_data(as_text=True)


@pytest.mark.parametrize("role", ["admin", "safety_officer"])
def test_admins_and_safety_officers_see_a_red_banner_when_the_scheduler_is_silent(
        client, make_site, make_staff, role):
    make_site("302")
    beat(now=clock.now() - timedelta(minutes=7), started_at=clock.now() - timedelta(hours=1),
         process="host:1")
    page = _page_as(client, make_staff, role)
    assert 'class="banner banner-error"' in page
    assert "No scheduler has run for 7 minutes" in page


def test_the_banner_is_in_chinese_by_default_and_says_never_when_none_ever_ran(
        client, make_site, make_staff):
    make_site("302")
    page = _page_as(client, make_staff, "admin", lang="zh-CN")
    assert "调度程序从未运行" in page and 'class="banner banner-error"' in page


def test_no_banner_while_a_scheduler_beats_or_for_other_roles(client, make_site, make_staff):
    make_site("302")
    beat(now=clock.now() - timedelta(seconds=40), started_at=clock.now(), process="host:1")
    assert "banner-error" not in _page_as(client, make_staff, "admin")


def test_coordinators_are_not_shown_the_operations_banner(client, make_site, make_staff):
    make_site("302")
    assert "banner-error" not in _page_as(client, make_staff, "coordinator")
