"""The record status grid: participants × timepoints, one lettered, coloured cell per occasion."""

from __future__ import annotations

from flask import current_app, g, render_template, request
from marshmallow import EXCLUDE, Schema, fields, validate

from pro_service.core import clock
from pro_service.dashboard import forms
from pro_service.dashboard.base import CLINICAL, bp, staff_page
from pro_service.responses.grid import LETTERS, status_grid

PER_PAGE = 50
PER_PAGE_ALL = 25  # every instrument: 69 columns a row


class StatusQuerySchema(Schema):
    class Meta:
        unknown = EXCLUDE  # the language switch and other page parameters

    site = fields.String(load_default=None, validate=validate.Regexp(r"^\d{3}$"))
    instrument = fields.String(load_default="EQ5D5L", validate=validate.OneOf(
        ["EQ5D5L", "CLDQ", "SYMPTOMS", "all"]))
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=10_000))


@bp.get("/status", endpoint="status")
@staff_page(*CLINICAL)
def status_page() -> str | tuple[str, int]:
    """Filters by site and instrument; a site summary row; every cell links to its record."""
    args, form = forms.load(StatusQuerySchema(), {k: v for k, v in request.args.items() if v})
    if args is None:
        return render_template("dashboard/status/grid.html", grid=None, form=form, letters=LETTERS), 422
    instrument = None if args["instrument"] == "all" else args["instrument"]
    grid = status_grid(g.staff, protocol=current_app.extensions["pro.protocol"], site=args["site"],
                       instrument=instrument, page=args["page"],
                       per_page=PER_PAGE if instrument else PER_PAGE_ALL, now=clock.now())
    return render_template("dashboard/status/grid.html", grid=grid, form=form, args=args, letters=LETTERS)
