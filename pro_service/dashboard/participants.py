"""Participant pages: the site-scoped list."""

from __future__ import annotations

from flask import g, render_template

from pro_service.dashboard.base import CLINICAL, bp, staff_page
from pro_service.extensions import db
from pro_service.participants.service import visible_participants


@bp.get("/participants")
@staff_page(*CLINICAL)
def participants() -> str:
    """The participants of the caller's sites."""
    rows = db.session.scalars(visible_participants(g.staff).limit(200)).all()
    return render_template("dashboard/participants.html", participants=rows)
