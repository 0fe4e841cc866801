"""Marshmallow schema for questionnaires/*.json: structure and types, building shapes.

Rules across fields (languages, code ranges, scoring map): `domain/validation.py`.
"""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, post_load, pre_load, validate

from pro_service.instruments.domain.definitions import (
    Choice,
    Instrument,
    Item,
    ResponseType,
)

ID_PATTERN = r"^[A-Z][A-Z0-9_]*$"


def _not_blank(value: str) -> None:
    if not value.strip():
        raise ValidationError("must not be empty")


def _texts(**kwargs: Any) -> fields.Dict:
    return fields.Dict(keys=fields.String(), values=fields.String(), **kwargs)


class ChoiceSchema(Schema):
    code = fields.Integer(required=True, strict=True)
    label = _texts(required=True)
    words = fields.Dict(
        keys=fields.String(), values=fields.List(fields.String()), load_default=dict
    )

    @post_load
    def make_choice(self, data: dict[str, Any], **_: Any) -> Choice:
        """Build the frozen Choice."""
        words = {lang: tuple(values) for lang, values in data["words"].items()}
        return Choice(code=data["code"], label=data["label"], words=words)


class SafetySchema(Schema):
    category = fields.String(required=True)
    urgency = fields.String(required=True)


class ItemSchema(Schema):
    id = fields.String(required=True, validate=validate.Regexp(ID_PATTERN))
    type = fields.Enum(ResponseType, by_value=True, required=True)
    text = _texts(required=True)
    sms = _texts(required=True)
    choices = fields.List(fields.Nested(ChoiceSchema), load_default=list)
    minimum = fields.Integer(strict=True, load_default=None)
    maximum = fields.Integer(strict=True, load_default=None)
    required = fields.Boolean(load_default=True)
    safety = fields.Nested(SafetySchema, load_default=None)

    @post_load
    def make_item(self, data: dict[str, Any], **_: Any) -> Item:
        """Build the frozen Item."""
        safety = data.pop("safety") or {}
        return Item(
            **{**data, "choices": tuple(data["choices"])},
            safety_category=safety.get("category"),
            safety_urgency=safety.get("urgency"),
        )


class InstrumentSchema(Schema):
    code = fields.String(required=True, validate=validate.Regexp(ID_PATTERN))
    version = fields.String(required=True, validate=_not_blank)
    title = _texts(required=True)
    license = fields.String(required=True, validate=_not_blank)
    recall_period = _texts(required=True)
    languages = fields.List(
        fields.String(), required=True, validate=validate.Length(min=1)
    )
    choice_sets = fields.Dict(
        keys=fields.String(), values=fields.Raw(), load_default=dict
    )
    items = fields.List(
        fields.Nested(ItemSchema), required=True, validate=validate.Length(min=1)
    )
    scoring = fields.Dict(keys=fields.String(), required=True)

    @pre_load
    def resolve_choice_sets(self, data: Any, **_: Any) -> Any:
        """Replace an item's `"choices": "<set name>"` by that shared choice list."""
        if not isinstance(data, dict) or not isinstance(data.get("items"), list):
            return data
        sets = data.get("choice_sets") or {}
        errors: dict[int, dict[str, list[str]]] = {}
        items = []
        for index, item in enumerate(data["items"]):
            name = item.get("choices") if isinstance(item, dict) else None
            if isinstance(name, str):
                if not isinstance(sets, dict) or name not in sets:
                    errors[index] = {"choices": [f"unknown choice set {name!r}"]}
                    continue
                item = {**item, "choices": sets[name]}
            items.append(item)
        if errors:
            raise ValidationError({"items": errors})
        return {**data, "items": items}

    @post_load
    def make_instrument(self, data: dict[str, Any], **_: Any) -> Instrument:
        """Build the frozen Instrument (shared choice sets are already inlined)."""
        data.pop("choice_sets")
        if not isinstance(data["scoring"].get("scorer"), str):
            raise ValidationError({"scoring": ["needs a 'scorer' name"]})
        return Instrument(
            **{
                **data,
                "languages": tuple(data["languages"]),
                "items": tuple(data["items"]),
            }
        )
