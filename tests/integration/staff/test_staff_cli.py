"""Staff commands: create, token shown once and stored hashed, revoke."""

from __future__ import annotations

import sqlalchemy as sa

from pro_service.extensions import db
from pro_service.staff.models import ApiToken


def test_create_staff_issue_and_revoke_a_token(cli_runner, client, make_site):
    make_site("302")
    made = cli_runner.invoke(args=["staff", "create", "--name", "Dr Li", "--email", "li@example.test",
                                   "--role", "investigator", "--site", "302"])
    assert made.exit_code == 0, made.output
    token = cli_runner.invoke(args=["staff", "token", "li@example.test"]).output.strip()
    assert token.startswith("pro_") and len(token) > 40
    stored = db.session.scalars(sa.select(ApiToken)).one()
    assert token not in stored.token_hash and len(stored.token_hash) == 64
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/participants", headers=headers).status_code == 200
    revoked = cli_runner.invoke(args=["staff", "revoke-token", str(stored.id)])
    assert revoked.exit_code == 0
    db.session.expire_all()
    assert client.get("/api/participants", headers=headers).status_code == 401


def test_site_scoped_roles_need_a_site_and_bad_roles_are_refused(cli_runner, make_site):
    make_site("302")
    no_site = cli_runner.invoke(args=["staff", "create", "--name", "C", "--email", "c@example.test",
                                      "--role", "coordinator"])
    assert no_site.exit_code != 0 and "needs at least one site" in no_site.output
    bad_role = cli_runner.invoke(args=["staff", "create", "--name", "C", "--email", "c@example.test",
                                       "--role", "boss"])
    assert bad_role.exit_code != 0
