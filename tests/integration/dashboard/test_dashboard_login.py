"""Dashboard password login (argon2) with CSRF protection."""

from __future__ import annotations

import re

from pro_service.staff.models import StaffUser
from pro_service.extensions import db


def _csrf(client):
    page = client.get("/dashboard/login?lang=en").get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def test_staff_log_in_with_their_password_and_see_their_site(client, make_site, make_staff,
                                                              make_participant):
    make_site("302")
    make_staff("coordinator", ("302",), email="c@example.test", password="correct horse")
    make_participant(study_id="302-0042")
    token = _csrf(client)
    resp = client.post("/dashboard/login", data={"email": "c@example.test", "password": "correct horse",
                                                 "csrf_token": token})
    assert resp.status_code == 302
    home = client.get("/dashboard/")
    assert home.status_code == 302 and home.headers["Location"].endswith("/dashboard/alerts")
    listing = client.get("/dashboard/participants").get_data(as_text=True)
    assert "302-0042" in listing and "coordinator 1" in listing


def test_password_is_stored_as_an_argon2_hash(app, make_site, make_staff):
    make_site("302")
    make_staff("coordinator", email="h@example.test", password="correct horse")
    stored = db.session.query(StaffUser).filter_by(email="h@example.test").one().password_hash
    assert stored.startswith("$argon2") and "correct horse" not in stored


def test_wrong_password_and_missing_csrf_are_refused(client, make_site, make_staff):
    make_site("302")
    make_staff("coordinator", email="w@example.test", password="correct horse")
    token = _csrf(client)
    wrong = client.post("/dashboard/login", data={"email": "w@example.test", "password": "nope",
                                                  "csrf_token": token})
    assert wrong.status_code == 401 and "Wrong email or password" in wrong.get_data(as_text=True)
    no_csrf = client.post("/dashboard/login", data={"email": "w@example.test", "password": "correct horse"})
    assert no_csrf.status_code == 400
    assert client.get("/dashboard/").status_code == 302


def test_staff_acknowledge_an_alert_in_the_dashboard(app, client, make_site, make_staff, make_participant):
    from tests.factories import T0
    from pro_service.safety import service as safety

    make_site("302")
    make_staff("coordinator", ("302",), email="a@example.test", password="correct horse")
    p = make_participant()
    alert, _ = safety.raise_alert(p, category="gi_bleeding", urgency="emergency", source="free_text",
                                  evidence={"excerpt": "吐血"}, now=T0)
    token = _csrf(client)
    client.post("/dashboard/login", data={"email": "a@example.test", "password": "correct horse",
                                          "csrf_token": token})
    page = client.get("/dashboard/alerts").get_data(as_text=True)
    assert alert.code in page and "吐血" in page
    fresh = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)  # new session, new token
    resp = client.post(f"/dashboard/alerts/{alert.code}/ack", data={"csrf_token": fresh})
    assert resp.status_code == 302
    db.session.refresh(alert)
    assert alert.status == "acknowledged" and alert.ack_via == "dashboard"
