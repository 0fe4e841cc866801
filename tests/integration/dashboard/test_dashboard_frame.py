"""The dashboard frame: sign-in returns to the page asked for, language, navigation by role,
CSRF on every form, and a complete zh-CN catalogue."""

from __future__ import annotations

import re

import pytest

from pro_service.dashboard import i18n

PASSWORD = "correct horse"  # noqa: S105 - test credential


def _token(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def _sign_in(client, email: str, next_path: str = "") -> object:
    page = client.get(f"/dashboard/login?next={next_path}").get_data(as_text=True)
    return client.post("/dashboard/login", data={"email": email, "password": PASSWORD,
                                                 "next": next_path, "csrf_token": _token(page)})


def test_a_link_opened_before_sign_in_lands_on_its_page_after_sign_in(client, make_site, make_staff):
    make_site("302")
    make_staff("coordinator", email="c@example.test", password=PASSWORD)
    first = client.get("/dashboard/participants?q=302")
    assert first.status_code == 302
    assert first.headers["Location"].startswith("/dashboard/login?next=")
    resp = _sign_in(client, "c@example.test", "/dashboard/participants?q=302")
    assert resp.headers["Location"] == "/dashboard/participants?q=302"


@pytest.mark.parametrize("target", ["https://evil.example/x", "//evil.example/x", "/s/abc",
                                    "/dashboard/\\\\evil.example"])
def test_sign_in_never_redirects_off_the_dashboard(client, make_site, make_staff, target):
    make_site("302")
    make_staff("coordinator", email="c@example.test", password=PASSWORD)
    resp = _sign_in(client, "c@example.test", target)
    assert resp.headers["Location"] == "/dashboard/"


def test_pages_are_chinese_by_default_and_english_on_request(client):
    zh = client.get("/dashboard/login").get_data(as_text=True)
    assert "工作人员登录" in zh and 'lang="zh-CN"' in zh
    en = client.get("/dashboard/login?lang=en").get_data(as_text=True)
    assert "Staff sign in" in en and 'lang="en"' in en
    assert "Staff sign in" in client.get("/dashboard/login").get_data(as_text=True)  # remembered


@pytest.mark.parametrize(("role", "shown", "hidden"), [
    ("coordinator", ["/dashboard/alerts", "/dashboard/participants"], []),
    ("analyst", [], ["/dashboard/alerts", "/dashboard/participants"]),
])
def test_navigation_offers_only_the_pages_a_role_may_open(client, make_site, make_staff, role,
                                                          shown, hidden):
    make_site("302")
    make_staff(role, email="n@example.test", password=PASSWORD)
    _sign_in(client, "n@example.test")
    page = client.get("/dashboard/").get_data(as_text=True) if role == "analyst" else \
        client.get("/dashboard/alerts").get_data(as_text=True)
    nav = re.search(r"<nav.*?</nav>", page, re.S)
    links = nav.group(0) if nav else ""
    assert all(f'href="{href}"' in links for href in shown)
    assert not any(f'href="{href}"' in links for href in hidden)
    if role == "analyst":
        assert client.get("/dashboard/alerts").status_code == 403


def test_a_form_without_its_csrf_token_is_refused_as_expired(client, make_site, make_staff):
    make_site("302")
    make_staff("coordinator", email="c@example.test", password=PASSWORD)
    _sign_in(client, "c@example.test")
    resp = client.post("/dashboard/logout", data={})
    assert resp.status_code == 400 and "form has expired" in resp.get_data(as_text=True)
    assert client.get("/dashboard/alerts").status_code == 200  # still signed in


def test_every_dashboard_string_has_a_chinese_translation_and_the_catalogue_is_current():
    catalog = i18n.build_catalog()  # raises naming any string without zh-CN text
    built = (i18n.OUT / "messages.po").read_text(encoding="utf-8")
    for message in catalog:
        if message.id:
            assert f'msgid "{message.id}"' in built.replace('"\n"', ""), (
                f"catalogue is stale: run python -m pro_service.dashboard.i18n ({message.id!r})")


def test_the_dashboard_cookie_reads_the_api_but_cannot_write_to_it(client, make_site, make_staff,
                                                                    make_participant):
    make_site("302")
    make_staff("coordinator", email="c@example.test", password=PASSWORD)
    make_participant(study_id="302-0009")
    _sign_in(client, "c@example.test")
    assert client.get("/api/participants/302-0009").status_code == 200
    forged = client.post("/api/participants/302-0009/opt-out", json={"reason": "forged"})
    assert forged.status_code == 401
