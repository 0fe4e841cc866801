"""Every kind of web form page stays under 50 kB of HTML and CSS (no images are used)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient

from tests.factories import valid_answers
from tests.integration.webform.conftest import Link, answer_all, csrf_of, post_page

LIMIT = 50_000


def test_every_page_with_its_css_is_under_50_kb(
        app: Flask, client: FlaskClient, link: Callable[..., Link],
        clock_at: Callable[..., None], symptom_link: Callable[[], Link]) -> None:
    css, js = _static(client, "webform.css"), _static(client, "webform.js")
    instruments = app.extensions["pro.instruments"]
    eq5d, cldq = link("EQ5D5L"), link("CLDQ")
    client.get(eq5d.url)
    client.get(cldq.url)
    pages: dict[str, bytes] = {"EQ-5D-5L introduction": client.get(f"{eq5d.form_url}/").data}
    for number in range(1, 7):
        pages[f"EQ-5D-5L page {number}"] = client.get(f"{eq5d.form_url}/{number}").data
    pages["EQ VAS with an error"] = post_page(client, f"{eq5d.form_url}/6", {"VAS": "101"}).data
    for number in range(1, 30):
        pages[f"CLDQ page {number}"] = client.get(f"{cldq.form_url}/{number}").data
    answer_all(client, cldq, valid_answers(instruments["CLDQ"]))
    pages["CLDQ review (29 answers)"] = client.get(f"{cldq.form_url}/review").data
    client.post(f"{cldq.form_url}/review", data={"csrf_token": csrf_of(
        pages["CLDQ review (29 answers)"].decode())})
    symptoms = symptom_link()
    client.get(symptoms.url)
    pages["symptom check (1 page)"] = client.get(f"{symptoms.form_url}/1").data
    pages["thank you"] = client.get(f"{cldq.form_url}/done").data
    pages["already sent"] = client.get(f"{cldq.form_url}/").data
    pages["open this link again (403)"] = app.test_client().get(f"{eq5d.form_url}/1").data
    pages["unknown link (404)"] = client.get("/s/" + "x" * 32).data
    clock_at(eq5d.closes_at + timedelta(hours=1))
    pages["expired link (410)"] = client.get(eq5d.url).data

    print(f"\nwebform.css {len(css)} B, webform.js {len(js)} B (VAS page only)")
    for name, html in pages.items():
        # error pages carry their own small inline style and no stylesheet
        total = len(html) + (len(css) if b"webform.css" in html else 0)
        print(f"{name:28} HTML {len(html):6} B + CSS = {total:6} B")
        assert total < LIMIT, name
    assert max(len(p) for p in pages.values()) + len(css) + len(js) < LIMIT


def _static(client: FlaskClient, name: str) -> bytes:
    with client.get(f"/s/static/{name}") as resp:
        assert resp.status_code == 200
        return resp.data
