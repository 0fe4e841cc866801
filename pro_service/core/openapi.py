"""The OpenAPI document tells the truth: errors are problem+json, ids are bounded.

flask-smorest documents errors with its own `Error` schema as application/json; every error
here is an RFC 9457 problem document (`core.errors.problem`) sent as application/problem+json.
"""

from __future__ import annotations

import http
from typing import Any

from flask_smorest import Api
from flask_smorest.spec.plugins import integerconverter2paramschema
from flask_smorest.utils import prepare_response
from marshmallow import Schema, fields

from pro_service.core.input_bounds import BoundedIntConverter, HourMinute

PROBLEM_JSON = "application/problem+json"


class ProblemSchema(Schema):
    """RFC 9457 problem details; validation errors list the fields in `errors`."""

    type = fields.String(metadata={"example": "about:blank"})
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    detail = fields.String()
    errors = fields.Dict(metadata={"description": "per field (or location) messages"})


class ProblemApi(Api):  # type: ignore[misc]
    """flask-smorest's Api with problem+json error responses and bounded integer path ids."""

    ERROR_SCHEMA = ProblemSchema

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.register_converter(BoundedIntConverter, integerconverter2paramschema)
        self.register_field(HourMinute, "string", None)

    def _register_responses(self) -> None:
        for status in http.HTTPStatus:
            response: dict[str, Any] = {"description": status.phrase}
            if not (100 <= status < 200) and status not in (204, 304):
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(response, self.spec, PROBLEM_JSON)
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "Default error response", "schema": self.ERROR_SCHEMA}
        prepare_response(response, self.spec, PROBLEM_JSON)
        self.spec.components.response("DEFAULT_ERROR", response, lazy=True)
