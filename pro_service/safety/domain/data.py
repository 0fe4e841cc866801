"""Read the JSON data files shipped in `pro_service/safety/data/`."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any


def load_json(name: str) -> dict[str, Any]:
    """Return the parsed data file `name` from the safety data package."""
    text = (
        resources.files("pro_service.safety").joinpath("data", name).read_text("utf-8")
    )
    data: dict[str, Any] = json.loads(text)
    return data
