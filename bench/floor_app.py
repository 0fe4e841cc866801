"""The floor for bench/webhook_load.py: the least an inbound SMS webhook can do.

Parse the same form, check the same Twilio signature, insert one row, answer TwiML. Served by
the same gunicorn settings against the same PostgreSQL server, it shows what the framework,
the signature check and one committed insert cost, so the real webhook is measured as a ratio.
"""

from __future__ import annotations

import os

import sqlalchemy as sa
from flask import Flask, Response, abort, request
from twilio.request_validator import RequestValidator
from twilio.twiml.messaging_response import MessagingResponse

TABLE = sa.Table("floor_messages", sa.MetaData(),
                 sa.Column("id", sa.Integer, primary_key=True),
                 sa.Column("sid", sa.String(64), unique=True),
                 sa.Column("sender", sa.String(40)),
                 sa.Column("body", sa.Text))


def create_floor_app() -> Flask:
    app = Flask(__name__)
    url = os.environ["PRO_DATABASE_URL"].replace("postgresql://", "postgresql+psycopg://")
    engine = sa.create_engine(url, pool_recycle=3600)  # the table is made before workers start
    validator = RequestValidator(os.environ["PRO_TWILIO_AUTH_TOKEN"])
    public = os.environ["PRO_PUBLIC_BASE_URL"].rstrip("/")

    @app.post("/sms/inbound")
    def inbound() -> Response:
        form = request.form.to_dict(flat=True)
        if not validator.validate(public + request.full_path.rstrip("?"), form,
                                  request.headers.get("X-Twilio-Signature", "")):
            abort(403)
        with engine.begin() as conn:
            conn.execute(TABLE.insert().values(sid=form["MessageSid"], sender=form["From"],
                                               body=form.get("Body", "")))
        reply = MessagingResponse()
        reply.message("OK")
        return Response(str(reply), mimetype="application/xml")

    return app


app = create_floor_app() if os.environ.get("PRO_DATABASE_URL") else None
